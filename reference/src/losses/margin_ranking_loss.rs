//! `torch.nn.functional.margin_ranking_loss` — spec/margin_ranking_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::clamp_min;
use crate::reduction::LegacyReduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.margin_ranking_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarginRankingLossOptions<'a> {
    /// The margin; default 0.
    pub margin: f64,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for MarginRankingLossOptions<'_> {
    fn default() -> Self {
        MarginRankingLossOptions {
            margin: 0.0,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Ranking loss for pairs `input1`, `input2` ordered by `target` (1: first ranks higher).
///
/// ```text
/// l = max(0, -y·(x1 - x2) + margin)
/// ```
/// All three must have the same number of dimensions, then they broadcast. Any `y` is used as
/// a multiplier (not only ±1).
pub fn margin_ranking_loss(
    input1: &Tensor,
    input2: &Tensor,
    target: &Tensor,
    options: &MarginRankingLossOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let margin = options.margin;
    if input1.ndim() != input2.ndim() || input1.ndim() != target.ndim() {
        return Err(LossError::invalid_shape(format!(
            "all input tensors should have same dimension but got sizes: input1: {:?}, \
             input2: {:?}, target: {:?}",
            input1.shape(),
            input2.shape(),
            target.shape()
        )));
    }
    let shape = broadcast_shapes(
        &broadcast_shapes(input1.shape(), input2.shape())?,
        target.shape(),
    )?;
    let (x1, x2, y) = (
        input1.expand(&shape)?,
        input2.expand(&shape)?,
        target.expand(&shape)?,
    );
    let loss = (0..x1.numel())
        .map(|i| clamp_min(-y.at(i) * (x1.at(i) - x2.at(i)) + margin, 0.0))
        .collect();
    Ok(reduction.apply(Tensor::new(shape, loss)?))
}
