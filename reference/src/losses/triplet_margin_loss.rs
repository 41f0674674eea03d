//! `torch.nn.functional.triplet_margin_loss` — spec/triplet_margin_loss.md.

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::primitives::{
    clamp_min, minimum, minimum_backward, pairwise_distance, pairwise_distance_backward,
};
use crate::reduction::{LegacyReduction, Reduction};
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
    let reduction = validate(anchor, positive, negative, options)?;
    let (p, eps) = (options.p, options.eps);
    let distance = |u: &Tensor, v: &Tensor| pairwise_distance(u, v, p, eps);
    let triplet = Triplet::new(anchor, positive, negative, options.swap, distance)?;
    Ok(reduction.apply(triplet.loss(options.margin)?))
}

/// The gradients of [`triplet_margin_loss`] with respect to `anchor`, `positive` and
/// `negative`, by autograd's chain through ATen's composite: see `Triplet::backward`, with
/// the distance's backward [`pairwise_distance_backward`] (the norm's gradient of
/// `δ = (u - v) + eps`, `+` for `u` and `-` for `v`).
pub fn triplet_margin_loss_backward(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
    options: &TripletMarginLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let reduction = validate(anchor, positive, negative, options)?;
    let (p, eps) = (options.p, options.eps);
    let distance = |u: &Tensor, v: &Tensor| pairwise_distance(u, v, p, eps);
    let triplet = Triplet::new(anchor, positive, negative, options.swap, distance)?;
    let upstream = reduction.backward(grad_output, &triplet.shape)?;
    triplet.backward(options.margin, &upstream, |u, v, g| {
        pairwise_distance_backward(u, v, p, eps, g)
    })
}

/// The checks in PyTorch's order: the reduction, the margin, the ranks.
fn validate(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
    options: &TripletMarginLossOptions,
) -> Result<Reduction, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let margin = options.margin;
    // `margin <= 0` is false for NaN, so a NaN margin passes (and gives NaN).
    if margin <= 0.0 {
        return Err(LossError::invalid_parameter(format!(
            "margin must be greater than 0, got {margin}"
        )));
    }
    check_ranks(anchor, positive, negative)?;
    Ok(reduction)
}

/// The three inputs must have the same number of dimensions (`invalid_shape`).
pub(crate) fn check_ranks(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
) -> Result<(), LossError> {
    if anchor.ndim() != positive.ndim() || positive.ndim() != negative.ndim() {
        return Err(LossError::invalid_shape(format!(
            "the anchor, positive, and negative tensors are expected to have the same number \
             of dimensions, but got: anchor {}D, positive {}D, and negative {}D inputs",
            anchor.ndim(),
            positive.ndim(),
            negative.ndim()
        )));
    }
    Ok(())
}

/// The distances of a triplet, shared with `triplet_margin_with_distance_loss`:
/// `d(a, p⁺)`, `d(a, n)` and, with swap, `d(p⁺, n)`, for any distance function.
pub(crate) struct Triplet<'a> {
    anchor: &'a Tensor,
    positive: &'a Tensor,
    negative: &'a Tensor,
    dist_pos: Tensor,
    dist_neg: Tensor,
    /// `d(p⁺, n)` with swap.
    dist_swap: Option<Tensor>,
    /// `min(d(a, n), d(p⁺, n))` with swap, else `d(a, n)`.
    dist_neg_used: Tensor,
    /// The shape of the unreduced loss.
    pub(crate) shape: Vec<usize>,
}

impl<'a> Triplet<'a> {
    /// The distances, computed in PyTorch's order.
    pub(crate) fn new(
        anchor: &'a Tensor,
        positive: &'a Tensor,
        negative: &'a Tensor,
        swap: bool,
        distance: impl Fn(&Tensor, &Tensor) -> Result<Tensor, LossError>,
    ) -> Result<Self, LossError> {
        let dist_pos = distance(anchor, positive)?;
        let dist_neg = distance(anchor, negative)?;
        let dist_swap = if swap {
            Some(distance(positive, negative)?)
        } else {
            None
        };
        let dist_neg_used = match &dist_swap {
            Some(dist_swap) => minimum(&dist_neg, dist_swap)?,
            None => dist_neg.clone(),
        };
        let shape = broadcast_shapes(dist_pos.shape(), dist_neg_used.shape())?;
        Ok(Triplet {
            anchor,
            positive,
            negative,
            dist_pos,
            dist_neg,
            dist_swap,
            dist_neg_used,
            shape,
        })
    }

    /// The hinge argument `(margin + d(a, p⁺)) - d_neg` of each triplet.
    fn hinge_arguments(&self, margin: f64) -> Result<Vec<f64>, LossError> {
        let dist_pos = self.dist_pos.broadcast_to(&self.shape)?;
        let dist_neg = self.dist_neg_used.broadcast_to(&self.shape)?;
        Ok((0..dist_pos.numel())
            .map(|i| margin + dist_pos.at(i) - dist_neg.at(i))
            .collect())
    }

    /// The unreduced loss `max(0, (margin + d(a, p⁺)) - d_neg)` (NaN propagates).
    pub(crate) fn loss(&self, margin: f64) -> Result<Tensor, LossError> {
        let loss = self.hinge_arguments(margin)?;
        Tensor::new(
            self.shape.clone(),
            loss.iter().map(|&z| clamp_min(z, 0.0)).collect(),
        )
    }

    /// The gradients of the three inputs given the gradient `upstream` of the unreduced loss
    /// and the distance's backward (`(u, v, ∂/∂dist) → (∂/∂u, ∂/∂v)`):
    /// ```text
    /// g'           = upstream·[(margin + d(a, p⁺)) - d_neg > 0]     (0 at the kink and for NaN)
    /// ∂/∂d(a, p⁺)  = g',  ∂/∂d_neg = -g'   (each summed back to its distance's shape)
    /// swap:  d_neg = minimum(d(a, n), d(p⁺, n)): the smaller gets it, ½ : ½ on a tie
    /// ```
    /// then each distance's backward, added up per input.
    pub(crate) fn backward(
        &self,
        margin: f64,
        upstream: &Tensor,
        distance_backward: impl Fn(&Tensor, &Tensor, &Tensor) -> Result<(Tensor, Tensor), LossError>,
    ) -> Result<InputGradients, LossError> {
        // clamp_min's backward passes the gradient only where the argument is > 0.
        let grad: Vec<f64> = self
            .hinge_arguments(margin)?
            .iter()
            .enumerate()
            .map(|(i, &z)| if z > 0.0 { upstream.at(i) } else { 0.0 })
            .collect();
        let grad = Tensor::new(self.shape.clone(), grad)?;
        let grad_pos = sum_to(&grad, self.dist_pos.shape())?;
        let grad_neg_used = sum_to(&grad.map(|g| -g), self.dist_neg_used.shape())?;
        let (grad_neg, grad_swap) = match &self.dist_swap {
            Some(dist_swap) => {
                let (grad_neg, grad_swap) =
                    minimum_backward(&self.dist_neg, dist_swap, &grad_neg_used)?;
                (grad_neg, Some(grad_swap))
            }
            None => (grad_neg_used, None),
        };
        let (anchor_1, positive_1) = distance_backward(self.anchor, self.positive, &grad_pos)?;
        let (anchor_2, negative_1) = distance_backward(self.anchor, self.negative, &grad_neg)?;
        let add = |a: &Tensor, b: &Tensor| {
            let sum = a.data().iter().zip(b.data()).map(|(x, y)| x + y);
            Tensor::new(a.shape().to_vec(), sum.collect())
        };
        let (mut grad_positive, mut grad_negative) = (positive_1, negative_1);
        if let Some(grad_swap) = grad_swap {
            let (positive_2, negative_2) =
                distance_backward(self.positive, self.negative, &grad_swap)?;
            grad_positive = add(&grad_positive, &positive_2)?;
            grad_negative = add(&grad_negative, &negative_2)?;
        }
        Ok(InputGradients::from([
            ("anchor", add(&anchor_1, &anchor_2)?),
            ("positive", grad_positive),
            ("negative", grad_negative),
        ]))
    }
}
