//! PyTorch's element-wise primitives, with its NaN and zero conventions, as the losses use them.

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
/// `min(x, 0) - log1p(exp(-|x|))`, finite for every finite `x`.
pub fn log_sigmoid(x: f64) -> f64 {
    let min = if x < 0.0 { x } else { 0.0 };
    min - (-x.abs()).exp().ln_1p()
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
