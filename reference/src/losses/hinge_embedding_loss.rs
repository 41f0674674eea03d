//! `torch.nn.functional.hinge_embedding_loss` — spec/hinge_embedding_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::clamp_min;
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// Hinge loss for distances `input` labelled similar (`target` 1) or dissimilar (-1).
///
/// ```text
/// l = (y != 1 ? max(0, margin - x) : 0) + (y != -1 ? x : 0)
/// ```
/// So a target other than ±1 (0, 2, NaN) gets both terms. The default margin is 1.0.
/// `input` and `target` broadcast.
pub fn hinge_embedding_loss(
    input: &Tensor,
    target: &Tensor,
    margin: f64,
    reduction: Reduction,
) -> Result<Tensor, LossError> {
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    let (x, y) = (input.expand(&shape)?, target.expand(&shape)?);
    let loss = (0..x.numel())
        .map(|i| {
            let (x, y) = (x.at(i), y.at(i));
            let margin_term = if y != 1.0 {
                clamp_min(margin - x, 0.0)
            } else {
                0.0
            };
            let self_term = if y != -1.0 { x } else { 0.0 };
            margin_term + self_term
        })
        .collect();
    Ok(reduction.apply(Tensor::new(shape, loss)?))
}
