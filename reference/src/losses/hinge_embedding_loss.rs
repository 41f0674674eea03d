//! `torch.nn.functional.hinge_embedding_loss` — spec/hinge_embedding_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::clamp_min;
use crate::reduction::LegacyReduction;
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
    let reduction = options.legacy.resolve(options.reduction)?;
    let margin = options.margin;
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
