//! `torch.nn.functional.triplet_margin_with_distance_loss` —
//! spec/triplet_margin_with_distance_loss.md.

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::losses::triplet_margin_loss::{check_ranks, Triplet};
use crate::primitives::{clamp_min, pairwise_distance, pairwise_distance_backward};
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.triplet_margin_with_distance_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TripletMarginWithDistanceLossOptions<'a> {
    /// The distance by name: `None` (PyTorch's `None`, the pairwise distance),
    /// `pairwise_distance` or `cosine_distance` (see [`DistanceFunction`]); default `None`.
    /// Another name is rejected, as PyTorch rejects a `distance_function` it cannot call.
    pub distance_function: Option<&'a str>,
    /// The margin, which must be greater than 0 (NaN passes); default 1.
    pub margin: f64,
    /// Whether the negative distance is `min(dist(a, n), dist(p, n))`; default false.
    pub swap: bool,
    /// `none`, `mean` or `sum` (not `elementwise_mean`); default `mean`.
    pub reduction: &'a str,
}

impl Default for TripletMarginWithDistanceLossOptions<'_> {
    fn default() -> Self {
        TripletMarginWithDistanceLossOptions {
            distance_function: None,
            margin: 1.0,
            swap: false,
            reduction: "mean",
        }
    }
}

/// The distances a case can name for `distance_function` (a Python callable in PyTorch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistanceFunction {
    /// `F.pairwise_distance(u, v)` with its defaults (`p = 2`, `eps = 1e-6`): the Euclidean
    /// norm of `(u - v) + 1e-6` over the last dimension. Also what `None` means.
    PairwiseDistance,
    /// `1 - F.cosine_similarity(u, v)` with its defaults (`dim = 1`, `eps = 1e-8`).
    CosineDistance,
}

impl DistanceFunction {
    /// The distance a case names: `None` and `pairwise_distance` are the pairwise distance,
    /// `cosine_distance` the cosine distance; any other name is `invalid_parameter`.
    pub fn from_name(name: Option<&str>) -> Result<Self, LossError> {
        match name {
            None | Some("pairwise_distance") => Ok(DistanceFunction::PairwiseDistance),
            Some("cosine_distance") => Ok(DistanceFunction::CosineDistance),
            Some(other) => Err(LossError::invalid_parameter(format!(
                "distance_function {other:?} is not callable: expected pairwise_distance or \
                 cosine_distance"
            ))),
        }
    }

    /// The distance between `u` and `v`, which broadcast; `invalid_shape` if they do not (or,
    /// for the cosine distance, if they have fewer than two dimensions).
    pub fn distance(self, u: &Tensor, v: &Tensor) -> Result<Tensor, LossError> {
        match self {
            DistanceFunction::PairwiseDistance => pairwise_distance(u, v, 2.0, 1e-6),
            DistanceFunction::CosineDistance => {
                Ok(cosine_similarity(u, v, 1e-8)?.map(|&cos| 1.0 - cos))
            }
        }
    }

    /// The backward of [`DistanceFunction::distance`]: given the gradient `grad` of the
    /// distances, the gradients of `u` and `v`, each in its own shape.
    pub fn distance_backward(
        self,
        u: &Tensor,
        v: &Tensor,
        grad: &Tensor,
    ) -> Result<(Tensor, Tensor), LossError> {
        match self {
            DistanceFunction::PairwiseDistance => pairwise_distance_backward(u, v, 2.0, 1e-6, grad),
            // `1 - cos`: the similarity gets the negated gradient.
            DistanceFunction::CosineDistance => {
                cosine_similarity_backward(u, v, 1e-8, &grad.map(|g| -g))
            }
        }
    }
}

/// Triplet loss of `anchor` against `positive` and `negative` with a chosen distance.
///
/// ```text
/// l = max(0, (margin + dist(a, p)) - dist(a, n))    (dist(a, n) → min(dist(a, n), dist(p, n)) with swap)
/// ```
/// The three inputs must have the same number of dimensions; the distance decides the rest of
/// the shapes. No legacy arguments; `elementwise_mean` is rejected.
pub fn triplet_margin_with_distance_loss(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
    options: &TripletMarginWithDistanceLossOptions,
) -> Result<Tensor, LossError> {
    let (reduction, distance) = validate(anchor, positive, negative, options)?;
    let triplet = Triplet::new(anchor, positive, negative, options.swap, |u, v| {
        distance.distance(u, v)
    })?;
    Ok(reduction.apply(triplet.loss(options.margin)?))
}

/// The gradients of [`triplet_margin_with_distance_loss`] with respect to `anchor`,
/// `positive` and `negative`, by autograd's chain through the Python function: the hinge's
/// backward as in `triplet_margin_loss` (the smaller distance of a swap gets the gradient,
/// ½ : ½ on a tie), then [`DistanceFunction::distance_backward`].
pub fn triplet_margin_with_distance_loss_backward(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
    options: &TripletMarginWithDistanceLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (reduction, distance) = validate(anchor, positive, negative, options)?;
    let triplet = Triplet::new(anchor, positive, negative, options.swap, |u, v| {
        distance.distance(u, v)
    })?;
    let upstream = reduction.backward(grad_output, &triplet.shape)?;
    triplet.backward(options.margin, &upstream, |u, v, g| {
        distance.distance_backward(u, v, g)
    })
}

/// The checks in PyTorch's order: the reduction (exactly the three strings), the margin, the
/// ranks, then the distance (met only when PyTorch first calls it).
fn validate(
    anchor: &Tensor,
    positive: &Tensor,
    negative: &Tensor,
    options: &TripletMarginWithDistanceLossOptions,
) -> Result<(Reduction, DistanceFunction), LossError> {
    let reduction = match options.reduction {
        "none" => Reduction::None,
        "mean" => Reduction::Mean,
        "sum" => Reduction::Sum,
        other => {
            return Err(LossError::invalid_parameter(format!(
                "{other} is not a valid value for reduction"
            )))
        }
    };
    let margin = options.margin;
    if margin <= 0.0 {
        return Err(LossError::invalid_parameter(format!(
            "margin must be greater than 0, got {margin}"
        )));
    }
    check_ranks(anchor, positive, negative)?;
    Ok((
        reduction,
        DistanceFunction::from_name(options.distance_function)?,
    ))
}

/// `torch.cosine_similarity(x1, x2, dim=1, eps)` as ATen computes it: broadcast, divide each
/// vector along dimension 1 by `max(‖·‖₂, eps)`, then sum the products over dimension 1.
fn cosine_similarity(x1: &Tensor, x2: &Tensor, eps: f64) -> Result<Tensor, LossError> {
    let shape = broadcast_shapes(x1.shape(), x2.shape())?;
    if shape.len() < 2 {
        return Err(LossError::invalid_shape(format!(
            "dimension out of range (expected to be in range of [-1, 0], but got 1) for shape \
             {shape:?}"
        )));
    }
    let (x1, x2) = (x1.expand(&shape)?, x2.expand(&shape)?);
    let (outer, len) = (shape[0], shape[1]);
    let inner: usize = shape[2..].iter().product();
    let at = |o: usize, k: usize, i: usize| (o * len + k) * inner + i;
    let mut similarities = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for i in 0..inner {
            let norm = |x: &Tensor| {
                let squares: f64 = (0..len)
                    .map(|k| x.at(at(o, k, i)) * x.at(at(o, k, i)))
                    .sum();
                clamp_min(squares.sqrt(), eps)
            };
            let (norm1, norm2) = (norm(&x1), norm(&x2));
            similarities.push(
                (0..len)
                    .map(|k| (x1.at(at(o, k, i)) / norm1) * (x2.at(at(o, k, i)) / norm2))
                    .sum(),
            );
        }
    }
    let mut reduced = shape;
    reduced.remove(1);
    Tensor::new(reduced, similarities)
}

/// The backward of [`cosine_similarity`], by autograd's chain through ATen's composite: with
/// `n = max(‖x‖, eps)` (the clamp happens outside autograd) and `â = x1 / n1`, `b̂ = x2 / n2`,
/// ```text
/// ∂/∂x1 = (g·b̂) / n1  +  (Σ_k -(g·b̂_k)·((x1_k / n1) / n1)) · (x1 / ‖x1‖)     (0 where ‖x1‖ = 0)
/// ```
/// (the second term is the unclamped norm's gradient), and symmetrically for `x2`; each summed
/// back over the dimensions along which its input was broadcast.
fn cosine_similarity_backward(
    x1: &Tensor,
    x2: &Tensor,
    eps: f64,
    grad: &Tensor,
) -> Result<(Tensor, Tensor), LossError> {
    let similarities = cosine_similarity(x1, x2, eps)?;
    if grad.shape() != similarities.shape() {
        return Err(LossError::invalid_shape(format!(
            "the gradient of the similarities has shape {:?}, the similarities {:?}",
            grad.shape(),
            similarities.shape()
        )));
    }
    let shape = broadcast_shapes(x1.shape(), x2.shape())?;
    let (x1_full, x2_full) = (x1.expand(&shape)?, x2.expand(&shape)?);
    let (outer, len) = (shape[0], shape[1]);
    let inner: usize = shape[2..].iter().product();
    let at = |o: usize, k: usize, i: usize| (o * len + k) * inner + i;
    let mut grad1 = vec![0.0; x1_full.numel()];
    let mut grad2 = vec![0.0; x2_full.numel()];
    for o in 0..outer {
        for i in 0..inner {
            let g = grad.at(o * inner + i);
            let norm = |x: &Tensor| {
                let squares: f64 = (0..len)
                    .map(|k| x.at(at(o, k, i)) * x.at(at(o, k, i)))
                    .sum();
                squares.sqrt()
            };
            let (norm1, norm2) = (norm(&x1_full), norm(&x2_full));
            let (clamped1, clamped2) = (clamp_min(norm1, eps), clamp_min(norm2, eps));
            // The product (x1 / n1)·(x2 / n2): each factor gets g times the other.
            let scaled1: Vec<f64> = (0..len)
                .map(|k| x1_full.at(at(o, k, i)) / clamped1)
                .collect();
            let scaled2: Vec<f64> = (0..len)
                .map(|k| x2_full.at(at(o, k, i)) / clamped2)
                .collect();
            let one_side = |x: &Tensor, out: &mut [f64], other: &[f64], norm: f64, clamped: f64| {
                let grad_scaled: Vec<f64> = other.iter().map(|&b| g * b).collect();
                // x / n: `x` gets grad / n, `n` gets Σ -grad·((x / n) / n).
                let grad_norm: f64 = (0..len)
                    .map(|k| -grad_scaled[k] * ((x.at(at(o, k, i)) / clamped) / clamped))
                    .sum();
                for k in 0..len {
                    let x_k = x.at(at(o, k, i));
                    // The norm's backward uses the unclamped norm, 0 where it is 0.
                    let direction = if norm == 0.0 { 0.0 } else { x_k / norm };
                    out[at(o, k, i)] = grad_scaled[k] / clamped + grad_norm * direction;
                }
            };
            one_side(&x1_full, &mut grad1, &scaled2, norm1, clamped1);
            one_side(&x2_full, &mut grad2, &scaled1, norm2, clamped2);
        }
    }
    Ok((
        sum_to(&Tensor::new(shape.clone(), grad1)?, x1.shape())?,
        sum_to(&Tensor::new(shape, grad2)?, x2.shape())?,
    ))
}
