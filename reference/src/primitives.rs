//! PyTorch's element-wise primitives, with its NaN and zero conventions, as the losses use them.

use crate::kernels::{exp, ln_1p, log_softmax_append, pairwise_sum_of};

/// `torch.clamp_min(x, min)`: `max(x, min)`, but NaN propagates (Rust's `f64::max` would
/// return `min`).
pub fn clamp_min(x: f64, min: f64) -> f64 {
    if x.is_nan() || x >= min {
        x
    } else {
        min
    }
}

/// `torch.xlogy(x, y)`: `x * log(y)`, defined as `0` where `x == 0` unless `y` is NaN.
pub fn xlogy(x: f64, y: f64) -> f64 {
    if y.is_nan() {
        f64::NAN
    } else if x == 0.0 {
        0.0
    } else {
        x * y.ln()
    }
}

/// `torch.nn.functional.logsigmoid(x)` as ATen's CPU kernel computes it:
/// `min(x, 0) - log1p(exp(-|x|))`, finite for every finite `x` (with the reference's
/// vectorisable `exp` and `ln_1p`, within 1 ulp of glibc's).
#[inline(always)]
pub fn log_sigmoid(x: f64) -> f64 {
    let min = if x < 0.0 { x } else { 0.0 };
    min - ln_1p(exp(-x.abs()))
}

/// `torch.sgn(x)` for a real `x` as ATen's CPU kernel computes it, `(0 < x) - (x < 0)`: 1, -1,
/// or 0 for `±0` and also for NaN (CPU only; a known torch bug, pytorch/pytorch#41245).
pub fn sgn(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// `torch.log_softmax` of one vector (the values along the class dimension), as ATen's CPU
/// kernels compute it:
///
/// ```text
/// m     = max(x)                 (NaN if any element is NaN)
/// s     = Σ_c exp(x_c - m)       (added pairwise)
/// out_c = (x_c - m) - log(s)     (subtracted in that order)
/// ```
///
/// Any NaN, a `+inf`, or a vector that is all `-inf` makes every element NaN (`inf - inf`);
/// a `-inf` beside finite values gives `-inf` at its place. An empty vector gives an empty one.
pub fn log_softmax(x: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    log_softmax_append(x, &mut out);
    out
}

/// `torch.linalg.vector_norm(v, p)` of one vector, as ATen's CPU norm reductions compute it:
/// `p = 0` counts the nonzero elements (NaN counts), `p = 1` is `Σ|v|`, `p = 2` is
/// `sqrt(Σ v·v)`, `p = ±inf` is the largest / smallest `|v|` (NaN propagates), and any other
/// `p` (fractional or negative) is `(Σ |v|^p)^(1/p)`.
///
/// An empty vector gives 0 for `p ≥ 0`; PyTorch rejects it for `p < 0` and `p = inf` (no
/// identity), which the tensor-level callers check (see [`pairwise_distance`]).
///
/// The sums of `p = 1` and `p = 2` are added pairwise (ATen's are vectorised cascades, so no
/// order reproduces its last bit), the others left to right.
pub fn vector_norm(v: &[f64], p: f64) -> f64 {
    // max / min of |v| with NaN propagating (Rust's f64::max and f64::min would drop it).
    let extreme = |pick: fn(f64, f64) -> f64| {
        v.iter().map(|x| x.abs()).reduce(|m, a| {
            if m.is_nan() || a.is_nan() {
                f64::NAN
            } else {
                pick(m, a)
            }
        })
    };
    if p == 0.0 {
        v.iter().filter(|&&x| x != 0.0).count() as f64
    } else if p == 1.0 {
        pairwise_sum_of(v.len(), |k| v[k].abs())
    } else if p == 2.0 {
        pairwise_sum_of(v.len(), |k| v[k] * v[k]).sqrt()
    } else if p == f64::INFINITY {
        extreme(f64::max).unwrap_or(0.0)
    } else if p == f64::NEG_INFINITY {
        extreme(f64::min).unwrap_or(0.0)
    } else {
        v.iter().map(|x| x.abs().powf(p)).sum::<f64>().powf(1.0 / p)
    }
}

/// `torch.pairwise_distance(x1, x2, p, eps)` (`F.pairwise_distance`): the [`vector_norm`] of
/// `(x1 - x2) + eps` over the last dimension of the broadcast of `x1` and `x2`, which is
/// removed (a 0-d broadcast gives the norm of its one element). `eps` is added
/// to every component of the difference, before the norm, so the distance is not symmetric.
///
/// Fails with `invalid_shape` if the two do not broadcast, or if the last dimension is empty
/// and `p < 0` or `p = inf` (PyTorch: "cannot compute the inf norm on the dimension 1 because
/// this dimension is empty").
pub fn pairwise_distance(
    x1: &crate::tensor::Tensor,
    x2: &crate::tensor::Tensor,
    p: f64,
    eps: f64,
) -> Result<crate::tensor::Tensor, crate::error::LossError> {
    use crate::tensor::Tensor;
    let shape = crate::broadcast::broadcast_shapes(x1.shape(), x2.shape())?;
    let (a, b) = (x1.broadcast_to(&shape)?, x2.broadcast_to(&shape)?);
    // `(x1 - x2) + eps` of one lane (the last dimension) at a time, into one reused buffer.
    let difference = |range: std::ops::Range<usize>, diff: &mut Vec<f64>| {
        diff.clear();
        let (a, b) = (&a.data()[range.clone()], &b.data()[range]);
        diff.extend(a.iter().zip(b).map(|(a, b)| a - b + eps));
    };
    let mut diff = Vec::new();
    let Some((&features, outer_shape)) = shape.split_last() else {
        difference(0..1, &mut diff);
        return Ok(Tensor::scalar(vector_norm(&diff, p)));
    };
    if features == 0 && (p < 0.0 || p == f64::INFINITY) {
        return Err(crate::error::LossError::invalid_shape(format!(
            "linalg.vector_norm cannot compute the {p} norm on the dimension {} because this \
             dimension is empty and the operation does not have an identity",
            shape.len() - 1
        )));
    }
    let lanes: usize = outer_shape.iter().product();
    let norms = (0..lanes)
        .map(|n| {
            difference(n * features..(n + 1) * features, &mut diff);
            vector_norm(&diff, p)
        })
        .collect();
    Tensor::new(outer_shape.to_vec(), norms)
}

/// `torch.minimum(a, b)`: the elementwise smaller value over the broadcast of `a` and `b`,
/// NaN where either is NaN. Fails with `invalid_shape` if they do not broadcast.
pub fn minimum(
    a: &crate::tensor::Tensor,
    b: &crate::tensor::Tensor,
) -> Result<crate::tensor::Tensor, crate::error::LossError> {
    let shape = crate::broadcast::broadcast_shapes(a.shape(), b.shape())?;
    let (a, b) = (a.broadcast_to(&shape)?, b.broadcast_to(&shape)?);
    let smaller = a
        .data()
        .iter()
        .zip(b.data())
        .map(|(&a, &b)| {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.min(b)
            }
        })
        .collect();
    crate::tensor::Tensor::new(shape, smaller)
}

/// The backward of [`vector_norm`] for one vector `v` whose norm is `norm`, given the norm's
/// gradient `grad`: ATen's `norm_backward`, branch by branch and in its operation order.
///
/// ```text
/// p = 0        0 (no gradient)
/// p = 1        sgn(v)·grad
/// p = 2        grad·(v / norm), 0 where norm == 0
/// p = ±inf     sgn(v)·((grad / m)·[|v| == norm or NaN]), m = the number of such components
/// p < 1        (sgn(v)·|v|^(p-1)·[v ≠ 0])·grad·norm^(1-p)
/// 1 < p < 2    sgn(v)·|v|^(p-1) · (grad / norm^(p-1)), 0 where norm == 0
/// p > 2        v·|v|^(p-2) · (grad / norm^(p-1)), 0 where norm == 0
/// ```
pub fn vector_norm_backward(v: &[f64], norm: f64, p: f64, grad: f64) -> Vec<f64> {
    // `masked_fill(norm == 0, 0)` of a per-vector scale.
    let masked = |scale: f64| if norm == 0.0 { 0.0 } else { scale };
    if p == 0.0 {
        vec![0.0; v.len()]
    } else if p == 1.0 {
        v.iter().map(|&x| sgn(x) * grad).collect()
    } else if p == 2.0 {
        v.iter().map(|&x| grad * masked(x / norm)).collect()
    } else if p.is_infinite() {
        // The components that attain the norm (or are NaN) share the gradient.
        let attains = |x: f64| x.abs() == norm || x.is_nan();
        let count = v.iter().filter(|&&x| attains(x)).count() as f64;
        let share = grad / count;
        v.iter()
            .map(|&x| sgn(x) * (share * if attains(x) { 1.0 } else { 0.0 }))
            .collect()
    } else if p < 1.0 {
        let scale = norm.powf(1.0 - p);
        v.iter()
            .map(|&x| {
                let power = if x == 0.0 { 0.0 } else { x.abs().powf(p - 1.0) };
                sgn(x) * power * grad * scale
            })
            .collect()
    } else if p < 2.0 {
        let scale = masked(grad / norm.powf(p - 1.0));
        v.iter()
            .map(|&x| sgn(x) * x.abs().powf(p - 1.0) * scale)
            .collect()
    } else {
        let scale = masked(grad / norm.powf(p - 1.0));
        v.iter()
            .map(|&x| x * x.abs().powf(p - 2.0) * scale)
            .collect()
    }
}

/// The backward of [`pairwise_distance`]: given the gradient `grad` of the distances, the
/// gradients of `x1` and `x2` — [`vector_norm_backward`] of each difference `(x1 - x2) + eps`,
/// and its negative for `x2`, each summed back over the dimensions along which its input was
/// broadcast.
pub fn pairwise_distance_backward(
    x1: &crate::tensor::Tensor,
    x2: &crate::tensor::Tensor,
    p: f64,
    eps: f64,
    grad: &crate::tensor::Tensor,
) -> Result<(crate::tensor::Tensor, crate::tensor::Tensor), crate::error::LossError> {
    use crate::broadcast::sum_to;
    use crate::tensor::Tensor;
    let norms = pairwise_distance(x1, x2, p, eps)?;
    if grad.shape() != norms.shape() {
        return Err(crate::error::LossError::invalid_shape(format!(
            "the gradient of the distances has shape {:?}, the distances {:?}",
            grad.shape(),
            norms.shape()
        )));
    }
    let shape = crate::broadcast::broadcast_shapes(x1.shape(), x2.shape())?;
    let (a, b) = (x1.expand(&shape)?, x2.expand(&shape)?);
    let diff: Vec<f64> = a
        .data()
        .iter()
        .zip(b.data())
        .map(|(a, b)| a - b + eps)
        .collect();
    // One vector per distance: the last dimension (the one element of a 0-d broadcast).
    let features = shape.last().copied().unwrap_or(1);
    let mut grad_diff = Vec::with_capacity(diff.len());
    for n in 0..norms.numel() {
        let lane = &diff[n * features..(n + 1) * features];
        grad_diff.extend(vector_norm_backward(lane, norms.at(n), p, grad.at(n)));
    }
    let grad_diff = Tensor::new(shape, grad_diff)?;
    Ok((
        sum_to(&grad_diff, x1.shape())?,
        sum_to(&grad_diff.map(|g| -g), x2.shape())?,
    ))
}

/// The backward of [`minimum`] (autograd's formula): each side gets `grad` where it is the
/// smaller, 0 where it is the larger, `grad / 2` on a tie, and `grad` where either is NaN (no
/// comparison holds); summed back over the dimensions along which it was broadcast.
pub fn minimum_backward(
    a: &crate::tensor::Tensor,
    b: &crate::tensor::Tensor,
    grad: &crate::tensor::Tensor,
) -> Result<(crate::tensor::Tensor, crate::tensor::Tensor), crate::error::LossError> {
    use crate::broadcast::sum_to;
    use crate::tensor::Tensor;
    let shape = crate::broadcast::broadcast_shapes(a.shape(), b.shape())?;
    if grad.shape() != shape {
        return Err(crate::error::LossError::invalid_shape(format!(
            "the gradient of the minimum has shape {:?}, the minimum {shape:?}",
            grad.shape()
        )));
    }
    let (a_full, b_full) = (a.expand(&shape)?, b.expand(&shape)?);
    let mut grad_a = Vec::with_capacity(grad.numel());
    let mut grad_b = Vec::with_capacity(grad.numel());
    for i in 0..a_full.numel() {
        let (x, y, g) = (a_full.at(i), b_full.at(i), grad.at(i));
        let shared = if x == y { g / 2.0 } else { g };
        grad_a.push(if x > y { 0.0 } else { shared });
        grad_b.push(if x < y { 0.0 } else { shared });
    }
    Ok((
        sum_to(&Tensor::new(shape.clone(), grad_a)?, a.shape())?,
        sum_to(&Tensor::new(shape, grad_b)?, b.shape())?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_min_propagates_nan() {
        assert!(clamp_min(f64::NAN, 0.0).is_nan());
        assert_eq!(clamp_min(-1.0, 0.0), 0.0);
        assert_eq!(clamp_min(2.0, 0.0), 2.0);
    }

    #[test]
    fn xlogy_is_zero_at_zero_unless_nan() {
        assert_eq!(xlogy(0.0, 0.0), 0.0);
        assert!(xlogy(0.0, f64::NAN).is_nan());
        assert!(xlogy(-1.0, -1.0).is_nan());
    }

    #[test]
    fn log_sigmoid_is_finite_for_large_logits() {
        assert_eq!(log_sigmoid(1000.0), 0.0);
        assert_eq!(log_sigmoid(-1000.0), -1000.0);
    }
}
