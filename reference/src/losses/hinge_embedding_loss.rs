//! `torch.nn.functional.hinge_embedding_loss` — spec/hinge_embedding_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::primitives::clamp_min;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.hinge_embedding_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HingeEmbeddingLossOptions<'a> {
    /// The margin; default 1.0 (not 0).
    pub margin: f64,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for HingeEmbeddingLossOptions<'_> {
    fn default() -> Self {
        HingeEmbeddingLossOptions {
            margin: 1.0,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

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
    options: &HingeEmbeddingLossOptions,
) -> Result<Tensor, LossError> {
    let (x, y, reduction) = validate(input, target, options)?;
    let margin = options.margin;
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
    Ok(reduction.apply(Tensor::new(x.shape().to_vec(), loss)?))
}

/// The gradient of [`hinge_embedding_loss`] with respect to `input`:
///
/// ```text
/// ∂l/∂x = (y != -1 ? 1 : 0) - (y != 1 and margin - x > 0 ? 1 : 0)
/// ```
/// 0 at the kink `x == margin`, and for a NaN `x` with `y == -1`.
pub fn hinge_embedding_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &HingeEmbeddingLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (x, y, reduction) = validate(input, target, options)?;
    let upstream = reduction.backward(grad_output, x.shape())?;
    let grad = (0..x.numel())
        .map(|i| {
            let (g, x, y) = (upstream.at(i), x.at(i), y.at(i));
            let margin_term = if y != 1.0 && options.margin - x > 0.0 {
                -g
            } else {
                0.0
            };
            let self_term = if y != -1.0 { g } else { 0.0 };
            margin_term + self_term
        })
        .collect();
    let grad = sum_to(&Tensor::new(x.shape().to_vec(), grad)?, input.shape())?;
    Ok(InputGradients::from([("input", grad)]))
}

/// The broadcast operands and the reduction.
fn validate<'a>(
    input: &'a Tensor,
    target: &'a Tensor,
    options: &HingeEmbeddingLossOptions,
) -> Result<(Cow<'a, Tensor>, Cow<'a, Tensor>, Reduction), LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    Ok((
        input.broadcast_to(&shape)?,
        target.broadcast_to(&shape)?,
        reduction,
    ))
}
