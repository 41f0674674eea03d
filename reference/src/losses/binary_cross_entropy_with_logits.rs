//! `torch.nn.functional.binary_cross_entropy_with_logits` —
//! spec/binary_cross_entropy_with_logits.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{self, exp, formula};
use crate::primitives::log_sigmoid;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.binary_cross_entropy_with_logits`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinaryCrossEntropyWithLogitsOptions<'a> {
    /// Per-element weights, broadcast against the input; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// Weights of the positive term, broadcast against the input; default none.
    pub pos_weight: Option<&'a Tensor>,
}

impl Default for BinaryCrossEntropyWithLogitsOptions<'_> {
    fn default() -> Self {
        BinaryCrossEntropyWithLogitsOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
            pos_weight: None,
        }
    }
}

/// Binary cross entropy of `sigmoid(input)` against `target`, computed from the logits.
///
/// ```text
/// l = w·((1 - y)·x - ((pw - 1)·y + 1)·logsigmoid(x))
/// ```
/// which is `-w·(pw·y·logσ(x) + (1 - y)·logσ(-x))`. `target` must have `input`'s shape
/// (any values, no range check); `pos_weight` and `weight` broadcast against it but may not
/// enlarge it. `mean` divides by the element count.
pub fn binary_cross_entropy_with_logits(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyWithLogitsOptions,
) -> Result<Tensor, LossError> {
    let (reduction, weight, pos_weight) = validate(input, target, options)?;
    let (x, y, shape) = (input.data(), target.data(), input.shape().to_vec());
    match (&weight, &pos_weight) {
        (None, None) => {
            let unweighted = formula!(|x, y| loss(x, y, None));
            kernels::elementwise(reduction, shape, x, y, unweighted)
        }
        _ => kernels::elementwise_indexed(reduction, shape, |i| {
            let l = loss(x[i], y[i], pos_weight.as_ref().map(|pw| pw.at(i)));
            match &weight {
                Some(w) => l * w.at(i),
                None => l,
            }
        }),
    }
}

/// The loss of one element before `weight`, in PyTorch's form:
///
/// ```text
/// l = (1 - y)·x - ((pw - 1)·y + 1)·logsigmoid(x)     (with pos_weight)
/// l = (1 - y)·x - logsigmoid(x)                      (without: no factor, not a factor of 1)
/// ```
///
/// For `x < 0` and `y = 0` the subtraction cancels (`x = -30` loses about 1 % of the 9.4e-14
/// result, `x <= -33.3` gives 0); this mirrors PyTorch rather than repairing it.
/// `#[inline(always)]`, so that it is inlined into the vectorised loop.
#[inline(always)]
fn loss(x: f64, y: f64, pos_weight: Option<f64>) -> f64 {
    let log_sigmoid_x = match pos_weight {
        Some(pw) => log_sigmoid(x) * ((pw - 1.0) * y + 1.0),
        None => log_sigmoid(x),
    };
    (1.0 - y) * x - log_sigmoid_x
}

/// The gradient of [`binary_cross_entropy_with_logits`] with respect to `input`:
///
/// ```text
/// ∂l/∂x = w·((pw·y + 1 - y)·σ(x) - pw·y)        (w·(σ(x) - y) without pos_weight)
/// ```
pub fn binary_cross_entropy_with_logits_backward(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyWithLogitsOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (reduction, weight, pos_weight) = validate(input, target, options)?;
    let unscaled = match reduction {
        Reduction::Mean => Reduction::Sum,
        other => other,
    };
    let upstream = unscaled.backward(grad_output, input.shape())?;
    let (x, y, g, n) = (input.data(), target.data(), upstream.data(), input.numel());
    // σ(x) first, in its own vectorised loop: the one elementary call of the gradient.
    let sigmoid = kernels::map_indexed(n, |i| 1.0 / (1.0 + exp(-x[i])));
    let grad = (0..n)
        .map(|i| {
            let mut d = match &pos_weight {
                Some(pw) => {
                    let pw_y = pw.at(i) * y[i];
                    (pw_y + 1.0 - y[i]) * sigmoid[i] - pw_y
                }
                None => sigmoid[i] - y[i],
            };
            d *= g[i];
            if let Some(w) = &weight {
                d *= w.at(i);
            }
            if reduction == Reduction::Mean {
                d /= n as f64;
            }
            d
        })
        .collect();
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// PyTorch's checks; the reduction, and `weight` and `pos_weight` expanded to the input.
fn validate(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyWithLogitsOptions,
) -> Result<(Reduction, Option<Tensor>, Option<Tensor>), LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    if input.shape() != target.shape() {
        return Err(LossError::invalid_shape(format!(
            "target size ({:?}) must be the same as input size ({:?})",
            target.shape(),
            input.shape()
        )));
    }
    let pos_weight = options
        .pos_weight
        .map(|pw| expand_in_place(pw, input))
        .transpose()?;
    let weight = options
        .weight
        .map(|w| expand_in_place(w, input))
        .transpose()?;
    Ok((reduction, weight, pos_weight))
}

/// `weight` broadcast to `input`'s shape; PyTorch multiplies in place, so a weight that would
/// enlarge the result is an error.
fn expand_in_place(weight: &Tensor, input: &Tensor) -> Result<Tensor, LossError> {
    let shape = broadcast_shapes(input.shape(), weight.shape())?;
    if shape != input.shape() {
        return Err(LossError::invalid_shape(format!(
            "output with shape {:?} doesn't match the broadcast shape {shape:?}",
            input.shape()
        )));
    }
    weight.expand(&shape)
}
