//! Running a dfdx loss on a case's tensors: dfdx CPU tensors with run-time dims, forward and
//! backward through dfdx's tape.

use dfdx::shapes::{Dtype, Shape};
use dfdx::tensor::{AsArray, Cpu, TensorFromVec, Trace};
use dfdx::tensor_ops::{Backward, Device};
use lossparity::Tensor;

use crate::mapping::{DfdxLoss, MAX_RANK};

/// The loss's value: dfdx's `Rank0` result.
pub fn forward<E: Dtype>(loss: DfdxLoss, input: &Tensor<E>, target: &Tensor<E>) -> E
where
    Cpu: Device<E>,
{
    with_shape(
        input.shape(),
        Forward {
            loss,
            input,
            target,
        },
    )
}

/// The gradient of the loss with respect to `input` (the prediction), by `backward()` on a tape
/// started with `leaky_trace()`; flat, in `input`'s row-major order.
pub fn gradient<E: Dtype>(loss: DfdxLoss, input: &Tensor<E>, target: &Tensor<E>) -> Vec<E>
where
    Cpu: Device<E>,
{
    with_shape(
        input.shape(),
        Gradient {
            loss,
            input,
            target,
        },
    )
}

/// Code generic over a dfdx shape, instantiated by [`with_shape`] for a case's rank.
trait ShapeVisitor {
    type Output;
    fn visit<S: Shape>(self, shape: S) -> Self::Output;
}

/// Calls `visitor` with the dfdx shape of `dims`: `()` for 0-d, a tuple of `usize` run-time dims
/// otherwise (`(usize, usize)` for 2-D, ...).
///
/// # Panics
/// Beyond [`MAX_RANK`] dimensions; `mapping::map` reports those cases unsupported.
fn with_shape<V: ShapeVisitor>(dims: &[usize], visitor: V) -> V::Output {
    match *dims {
        [] => visitor.visit(()),
        [a] => visitor.visit((a,)),
        [a, b] => visitor.visit((a, b)),
        [a, b, c] => visitor.visit((a, b, c)),
        [a, b, c, d] => visitor.visit((a, b, c, d)),
        [a, b, c, d, e] => visitor.visit((a, b, c, d, e)),
        [a, b, c, d, e, f] => visitor.visit((a, b, c, d, e, f)),
        _ => panic!(
            "dfdx shapes have at most {MAX_RANK} dimensions, not {}",
            dims.len()
        ),
    }
}

struct Forward<'a, E> {
    loss: DfdxLoss,
    input: &'a Tensor<E>,
    target: &'a Tensor<E>,
}

impl<E: Dtype> ShapeVisitor for Forward<'_, E>
where
    Cpu: Device<E>,
{
    type Output = E;
    fn visit<S: Shape>(self, shape: S) -> E {
        let dev = Cpu::default();
        let pred = dev.tensor_from_vec(self.input.data().to_vec(), shape);
        let targ = dev.tensor_from_vec(self.target.data().to_vec(), shape);
        self.loss.apply(pred, targ).array()
    }
}

struct Gradient<'a, E> {
    loss: DfdxLoss,
    input: &'a Tensor<E>,
    target: &'a Tensor<E>,
}

impl<E: Dtype> ShapeVisitor for Gradient<'_, E>
where
    Cpu: Device<E>,
{
    type Output = Vec<E>;
    fn visit<S: Shape>(self, shape: S) -> Vec<E> {
        let dev = Cpu::default();
        let pred = dev.tensor_from_vec(self.input.data().to_vec(), shape);
        let targ = dev.tensor_from_vec(self.target.data().to_vec(), shape);
        // The loss is 0-d, so it is its own `output.sum()`.
        let grads = self.loss.apply(pred.leaky_trace(), targ).backward();
        grads.get(&pred).as_vec()
    }
}
