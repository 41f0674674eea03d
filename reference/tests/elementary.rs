//! `elementary::exp` against `f64::exp` (glibc, correctly rounded in practice): the ulp bound
//! stated in its documentation over a sweep of 10^7 values, and the special values.

use lossparity_reference::elementary::exp;

/// The distance in units in the last place between two finite values of the same sign (the
/// number of representable f64 between them), or 0 if both are the same special value.
fn ulps(a: f64, b: f64) -> u64 {
    if a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()) {
        return 0;
    }
    assert!(
        a.is_finite() && b.is_finite() && a.is_sign_positive() == b.is_sign_positive(),
        "{a:e} vs {b:e}"
    );
    a.to_bits().abs_diff(b.to_bits())
}

#[test]
fn exp_is_within_two_ulp_over_a_sweep_of_ten_million_values() {
    let (low, high) = (-745.2, 709.8);
    let n = 8_000_000;
    let wide = (0..=n).map(|i| low + (high - low) * (i as f64 / n as f64));
    // Dense near 0, where most losses evaluate it, and values a hair off each ±k·ln2/2 boundary
    // of the range reduction.
    let near_zero = (0..=2_000_000).map(|i| -1.0 + i as f64 * 1e-6);
    let boundaries = (-2150..=2050).flat_map(|k| {
        let b = k as f64 * std::f64::consts::LN_2 / 2.0;
        // b's neighbours (`next_up`/`next_down` need Rust 1.86; the MSRV is 1.85).
        let (up, down) = (b * (1.0 + f64::EPSILON), b * (1.0 - f64::EPSILON / 2.0));
        [b, up, down]
    });
    let (mut worst_normal, mut worst_subnormal, mut count) = (0, 0, 0usize);
    for x in wide.chain(near_zero).chain(boundaries) {
        let (fast, std) = (exp(x), x.exp());
        let d = ulps(fast, std);
        if std < f64::MIN_POSITIVE {
            worst_subnormal = worst_subnormal.max(d);
        } else {
            assert!(d <= 2, "exp({x:e}) = {fast:e}, std {std:e}: {d} ulp");
            worst_normal = worst_normal.max(d);
        }
        count += 1;
    }
    assert!(count > 10_000_000);
    // Subnormal results are rounded twice (the polynomial, then the scaling): within one unit
    // of the subnormal spacing.
    assert!(
        worst_subnormal <= 1,
        "{worst_subnormal} ulp among subnormal results"
    );
    println!("{count} values: max {worst_normal} ulp (normal), {worst_subnormal} (subnormal)");
}

#[test]
fn exp_special_values() {
    assert_eq!(exp(0.0).to_bits(), 1.0f64.to_bits());
    assert_eq!(exp(-0.0).to_bits(), 1.0f64.to_bits());
    assert!(ulps(exp(1.0), std::f64::consts::E) <= 1);
    assert_eq!(exp(f64::INFINITY), f64::INFINITY);
    assert_eq!(exp(f64::NEG_INFINITY).to_bits(), 0.0f64.to_bits());
    assert!(exp(f64::NAN).is_nan());
    assert!(exp(-f64::NAN).is_nan());
    // Overflow just above ln(f64::MAX) = 709.782712893384, not below.
    assert_eq!(exp(709.79), f64::INFINITY);
    assert_eq!(exp(1e300), f64::INFINITY);
    assert!(exp(709.78).is_finite());
    assert!(ulps(exp(709.78), 709.78f64.exp()) <= 2);
    // Gradual underflow, then 0 below ln(2^-1075) = -745.1332191019412.
    assert_eq!(exp(-745.13), (-745.13f64).exp());
    assert_eq!(exp(-745.14).to_bits(), 0.0f64.to_bits());
    assert_eq!(exp(-1e300).to_bits(), 0.0f64.to_bits());
    assert!(ulps(exp(-708.5), (-708.5f64).exp()) <= 1);
    // Tiny arguments: exp(x) = 1 + x rounded.
    for x in [
        1e-300,
        -1e-300,
        1e-17,
        -1e-17,
        f64::EPSILON,
        -f64::EPSILON / 2.0,
    ] {
        assert_eq!(exp(x), x.exp(), "exp({x:e})");
    }
}
