//! The argument handling that `F.l1_loss`, `F.mse_loss` and `F.huber_loss` share: the target
//! broadcast against the input, and the optional per-element `weight` of the input's shape.

use std::borrow::Cow;

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::kernels::{elementwise_indexed, pairwise_sum_of};
use crate::reduction::{sum, LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The operands of a point-wise loss, broadcast to one shape (borrowed, not copied, where no
/// broadcasting is needed).
pub(crate) struct Pointwise<'a> {
    /// The input, broadcast.
    pub x: Cow<'a, Tensor>,
    /// The target, broadcast.
    pub y: Cow<'a, Tensor>,
    /// The weight, checked against the input and broadcast with it.
    pub weight: Option<Cow<'a, Tensor>>,
}

impl<'a> Pointwise<'a> {
    /// PyTorch broadcasts the target (warning when the sizes differ) before it looks at
    /// `reduction`, so a shape error wins over an invalid reduction. The weight must have the
    /// input's size, not the broadcast size.
    pub fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        weight: Option<&'a Tensor>,
    ) -> Result<Self, LossError> {
        let shape = broadcast_shapes(input.shape(), target.shape())?;
        let weight = match weight {
            Some(weight) if weight.shape() != input.shape() => {
                return Err(LossError::invalid_shape(
                    "Weights and input must have the same size.",
                ))
            }
            Some(weight) => Some(weight.broadcast_to(&shape)?),
            None => None,
        };
        Ok(Pointwise {
            x: input.broadcast_to(&shape)?,
            y: target.broadcast_to(&shape)?,
            weight,
        })
    }
}

/// The reduction of `F.l1_loss` and `F.mse_loss`: the legacy arguments or the generic parse,
/// except on the weighted path, which is Python code that compares the string itself (after the
/// loss) and accepts only `none`, `mean` and `sum`.
pub(crate) fn weighted_reduction(
    weighted: bool,
    legacy: LegacyReduction,
    reduction: &str,
) -> Result<Reduction, LossError> {
    if weighted && !legacy.is_given() {
        Reduction::parse_strict(reduction)
    } else {
        legacy.resolve(reduction)
    }
}

/// The reduction of `F.l1_loss` and `F.mse_loss` applied to the loss of shape `shape` whose
/// element `i` is `loss(i)`: on the weighted path `mean` divides by the sum of the
/// (input-shaped) weight, counted once, not by an element count; otherwise the generic
/// reduction. (Through the kernels: the values are added as they are computed, in the order
/// and with the bits of summing the materialised loss tensor.)
pub(crate) fn reduce_weighted_with(
    shape: Vec<usize>,
    reduction: Reduction,
    weight: Option<&Tensor>,
    loss: impl Fn(usize) -> f64,
) -> Result<Tensor, LossError> {
    match (weight, reduction) {
        (Some(weight), Reduction::Mean) => {
            let numel = crate::tensor::numel_of(&shape).unwrap_or(0);
            Ok(Tensor::scalar(pairwise_sum_of(numel, loss) / sum(weight)))
        }
        _ => elementwise_indexed(reduction, shape, loss),
    }
}

/// The backward of [`reduce_weighted_with`]: the gradient reaching each element of the unreduced
/// loss of shape `shape`. The division by `Σ w` is an ordinary autograd division of the scalar
/// gradient.
pub(crate) fn reduce_weighted_backward(
    grad_output: &Tensor,
    shape: &[usize],
    reduction: Reduction,
    weight: Option<&Tensor>,
) -> Result<Tensor, LossError> {
    match (weight, reduction) {
        (Some(weight), Reduction::Mean) => {
            let weight_sum = sum(weight);
            Ok(Reduction::Sum
                .backward(grad_output, shape)?
                .map(|&g| g / weight_sum))
        }
        _ => reduction.backward(grad_output, shape),
    }
}
