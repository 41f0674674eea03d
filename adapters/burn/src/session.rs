//! One loss invocation on burn: the case's tensors as burn tensors on the flex device (with
//! autodiff when gradients are wanted), and burn's result back as a lossparity tensor.

use std::cell::RefCell;

use burn::tensor::{Device, Gradients, Int, Tensor, TensorData};
use lossparity::{Call, Input};

use crate::dtype::BurnFloat;

/// The highest tensor rank the adapters dispatch onto burn's const-generic `Tensor<D>`.
pub(crate) const MAX_RANK: usize = 6;

/// Runs `$body` with `$D` bound to the run-time `$rank` as a const generic (`1..=MAX_RANK`).
/// burn has no 0-d tensors; `supports()` screens out rank 0 and ranks above `MAX_RANK`.
macro_rules! with_rank {
    ($rank:expr, $D:ident => $body:expr) => {
        match $rank {
            1 => {
                const $D: usize = 1;
                $body
            }
            2 => {
                const $D: usize = 2;
                $body
            }
            3 => {
                const $D: usize = 3;
                $body
            }
            4 => {
                const $D: usize = 4;
                $body
            }
            5 => {
                const $D: usize = 5;
                $body
            }
            6 => {
                const $D: usize = 6;
                $body
            }
            rank => unreachable!("rank {rank} passed supports()"),
        }
    };
}
pub(crate) use with_rank;

/// Reads one leaf's gradient, flattened, out of burn's gradients.
type GradientReader = Box<dyn Fn(&Gradients) -> Option<Tensor<1>>>;

/// A prediction input tracked by autodiff.
struct Leaf {
    name: String,
    shape: Vec<usize>,
    read: GradientReader,
}

/// The tensors of one call on one burn device.
pub(crate) struct Session<'s, 'a, T> {
    call: &'s Call<'a, T>,
    device: Device,
    autodiff: bool,
    leaves: RefCell<Vec<Leaf>>,
}

impl<'s, 'a, T: BurnFloat> Session<'s, 'a, T> {
    /// A session on the flex device; with `autodiff`, prediction inputs require gradients.
    pub(crate) fn new(call: &'s Call<'a, T>, autodiff: bool) -> Self {
        let device = if autodiff {
            Device::flex().autodiff()
        } else {
            Device::flex()
        };
        Session {
            call,
            device,
            autodiff,
            leaves: RefCell::new(Vec::new()),
        }
    }

    /// The call this session runs.
    pub(crate) fn call(&self) -> &'s Call<'a, T> {
        self.call
    }

    /// The device the tensors live on.
    pub(crate) fn device(&self) -> &Device {
        &self.device
    }

    /// The float input `name` as a rank-`D` burn tensor of the adapter's dtype. A prediction
    /// input requires gradients when the session computes them.
    pub(crate) fn float<const D: usize>(&self, name: &str) -> Tensor<D> {
        let input = self.call.required_float(name);
        assert_eq!(
            input.ndim(),
            D,
            "{name}: rank {} dispatched as {D}",
            input.ndim()
        );
        let data = TensorData::new(input.data().to_vec(), input.shape().to_vec());
        let tensor = Tensor::<D>::from_data(data, (&self.device, <T as BurnFloat>::DTYPE));
        if !(self.autodiff && self.is_prediction(name)) {
            return tensor;
        }
        let tensor = tensor.require_grad();
        let leaf = tensor.clone();
        let shape = input.shape().to_vec();
        let what = name.to_owned();
        self.leaves.borrow_mut().push(Leaf {
            name: name.to_owned(),
            shape: shape.clone(),
            read: Box::new(move |grads| {
                leaf.grad(grads).map(|grad| {
                    assert_eq!(
                        grad.dims().as_slice(),
                        shape.as_slice(),
                        "burn's gradient for '{what}' has another shape than '{what}'"
                    );
                    flat(grad)
                })
            }),
        });
        tensor
    }

    /// The integer input `name` as a rank-`D` burn `Int` tensor.
    pub(crate) fn int<const D: usize>(&self, name: &str) -> Tensor<D, Int> {
        let input = self.call.required_int(name);
        assert_eq!(
            input.ndim(),
            D,
            "{name}: rank {} dispatched as {D}",
            input.ndim()
        );
        let data = TensorData::new(input.data().to_vec(), input.shape().to_vec());
        Tensor::<D, Int>::from_data(data, &self.device)
    }

    /// The float input `name`, whose values are all integers (`integral_values` checked it in
    /// `supports()`), as the `Int` tensor burn takes for hard labels.
    pub(crate) fn int_from_float<const D: usize>(&self, name: &str) -> Tensor<D, Int> {
        let input = self.call.required_float(name);
        assert_eq!(
            input.ndim(),
            D,
            "{name}: rank {} dispatched as {D}",
            input.ndim()
        );
        let values: Vec<i64> = input
            .data()
            .iter()
            .map(|v| integral(*v).unwrap_or_else(|| panic!("{name}: {v:?} is not an integer")))
            .collect();
        let data = TensorData::new(values, input.shape().to_vec());
        Tensor::<D, Int>::from_data(data, &self.device)
    }

    fn is_prediction(&self, name: &str) -> bool {
        self.call.is_prediction(name)
    }

    /// The gradient of `output.sum()` with respect to every prediction input the loss read.
    pub(crate) fn gradients(&self, output: Output) -> lossparity::Gradients<T> {
        let grads = output.flat.sum().backward();
        self.leaves
            .borrow()
            .iter()
            .map(|leaf| {
                // burn returns no gradient for a leaf the output does not reach: its gradient
                // is zero (as PyTorch's is for such inputs).
                let grad = match (leaf.read)(&grads) {
                    Some(grad) => to_lossparity(grad, leaf.shape.clone()),
                    None => {
                        let numel: usize = leaf.shape.iter().product();
                        lossparity::Tensor::new(leaf.shape.clone(), vec![T::zero(); numel])
                            .expect("zeros of the input's shape")
                    }
                };
                (leaf.name.clone(), grad)
            })
            .collect()
    }
}

/// A loss result: its PyTorch shape and its values as a flat burn tensor.
pub(crate) struct Output {
    shape: Vec<usize>,
    flat: Tensor<1>,
}

impl Output {
    /// A reduced loss. burn returns reductions as `[1]`-shaped tensors, its convention for a
    /// scalar; PyTorch's is 0-d.
    pub(crate) fn reduced(tensor: Tensor<1>) -> Self {
        assert_eq!(
            tensor.dims(),
            [1],
            "burn returned a reduced loss of shape {:?}",
            tensor.dims()
        );
        Output {
            shape: Vec::new(),
            flat: tensor,
        }
    }

    /// An unreduced loss, in the shape burn returned it.
    pub(crate) fn unreduced<const D: usize>(tensor: Tensor<D>) -> Self {
        Output {
            shape: tensor.dims().to_vec(),
            flat: flat(tensor),
        }
    }

    /// The values as a lossparity tensor of PyTorch's shape.
    pub(crate) fn into_lossparity<T: BurnFloat>(self) -> lossparity::Tensor<T> {
        to_lossparity(self.flat, self.shape)
    }
}

/// `tensor` as one dimension. (Not `reshape([numel])`: burn reads a 0 in a reshape as
/// "keep this dimension", which breaks empty tensors.)
fn flat<const D: usize>(tensor: Tensor<D>) -> Tensor<1> {
    tensor.flatten(0, D - 1)
}

/// A flat burn tensor as a lossparity tensor of `shape`.
///
/// # Panics
/// If burn computed in another dtype than the adapter's.
fn to_lossparity<T: BurnFloat>(flat: Tensor<1>, shape: Vec<usize>) -> lossparity::Tensor<T> {
    let data = flat.into_data();
    assert_eq!(
        data.dtype(),
        <T as BurnFloat>::DTYPE,
        "burn returned {:?} for {:?} inputs",
        data.dtype(),
        <T as BurnFloat>::DTYPE
    );
    let values = data.try_into_vec::<T>().expect("burn tensor data");
    lossparity::Tensor::new(shape, values).expect("burn's values fit their shape")
}

/// `v` as an integer, if it is one exactly.
pub(crate) fn integral<T: BurnFloat>(v: T) -> Option<i64> {
    let v = burn::tensor::cast::ToElement::to_f64(&v);
    (v.fract() == 0.0 && v.abs() < 2f64.powi(53)).then_some(v as i64)
}

/// Whether every value of the float input `name` is an integer.
pub(crate) fn integral_values<T: BurnFloat>(call: &Call<'_, T>, name: &str) -> bool {
    match call.input(name) {
        Some(Input::Float(t)) => t.data().iter().all(|v| integral(*v).is_some()),
        Some(Input::Int(_)) => true,
        None => true,
    }
}
