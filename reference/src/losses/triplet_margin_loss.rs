//! `torch.nn.functional.triplet_margin_loss` — spec/triplet_margin_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::{clamp_min, minimum, pairwise_distance};
use crate::reduction::LegacyReduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.triplet_margin_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TripletMarginLossOptions<'a> {
    /// The margin, which must be greater than 0 (NaN passes); default 1.
    pub margin: f64,
    /// The order of the distance norm, any float; default 2.
    pub p: f64,
    /// Added to every component of each difference before the norm; default 1e-6.
    pub eps: f64,
    /// Whether the negative distance is `min(d(a, n), d(p, n))`; default false.
    pub swap: bool,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for TripletMarginLossOptions<'_> {
    fn default() -> Self {
        TripletMarginLossOptions {
            margin: 1.0,
            p: 2.0,
            eps: 1e-6,
            swap: false,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Triplet loss of `anchor` against `positive` and `negative` embeddings (features in the last
/// dimension, which is reduced).
///
/// ```text
/// d(u, v) = ‖(u - v) + eps‖_p                      (eps added to each component)
/// l       = max(0, (margin + d(a, p)) - d(a, n))   (d(a, n) → min(d(a, n), d(p, n)) with swap)
/// ```
/// The three inputs must have the same number of dimensions; they then broadcast.
pub fn triplet_margin_loss(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
    options: &TripletMarginLossOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let (margin, p, eps) = (options.margin, options.p, options.eps);
    // `margin <= 0` is false for NaN, so a NaN margin passes (and gives NaN).
    if margin <= 0.0 {
        return Err(LossError::invalid_parameter(format!(
            "margin must be greater than 0, got {margin}"
        )));
    }
    if anchor.ndim() != positive.ndim() || positive.ndim() != negative.ndim() {
        return Err(LossError::invalid_shape(format!(
            "the anchor, positive, and negative tensors are expected to have the same number \
             of dimensions, but got: anchor {}D, positive {}D, and negative {}D inputs",
            anchor.ndim(),
            positive.ndim(),
            negative.ndim()
        )));
    }
    let d_pos = pairwise_distance(anchor, positive, p, eps)?;
    let mut d_neg = pairwise_distance(anchor, negative, p, eps)?;
    if options.swap {
        let d_swap = pairwise_distance(positive, negative, p, eps)?;
        d_neg = minimum(&d_neg, &d_swap)?;
    }
    let shape = broadcast_shapes(d_pos.shape(), d_neg.shape())?;
    let (d_pos, d_neg) = (d_pos.expand(&shape)?, d_neg.expand(&shape)?);
    let loss = (0..d_pos.numel())
        .map(|i| clamp_min(margin + d_pos.at(i) - d_neg.at(i), 0.0))
        .collect();
    Ok(reduction.apply(Tensor::new(shape, loss)?))
}
