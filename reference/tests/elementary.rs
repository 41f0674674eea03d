//! The kernels' elementary `exp`, `ln` and `ln_1p` against `f64::exp`, `f64::ln` and `f64::ln_1p` (glibc:
//! within about half an ulp of the exact value for `exp` and `ln`, 0.84 ulp for `ln_1p`): the
//! ulp bounds stated in their documentation over sweeps of 10^7 values each, and the special
//! values.

use lossparity_reference::__private::elementary::{exp, ln, ln_1p};

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
        // b's neighbours.
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

/// The f64 `n` representable values above (`n > 0`) or below (`n < 0`) `x`, for `x > 0`.
fn step(x: f64, n: i64) -> f64 {
    f64::from_bits(x.to_bits().wrapping_add_signed(n))
}

/// `n` values `2^t`, `t` evenly spaced over `[low, high)`: log-uniform over the exponents, with
/// varied significands.
fn log_uniform(low: f64, high: f64, n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |i| (low + (high - low) * ((i as f64 + 0.5) / n as f64)).exp2())
}

/// The worst ulp distance of `fast` from `std` over `xs`, separately for normal and subnormal
/// results, and the number of values; panics past `max_ulp` for a normal result.
fn sweep(
    name: &str,
    fast: fn(f64) -> f64,
    std: fn(f64) -> f64,
    xs: impl Iterator<Item = f64>,
    max_ulp: u64,
) -> (u64, u64, usize) {
    let (mut worst_normal, mut worst_subnormal, mut count) = (0, 0, 0usize);
    for x in xs {
        let (a, b) = (fast(x), std(x));
        let d = ulps(a, b);
        if b != 0.0 && b.abs() < f64::MIN_POSITIVE {
            worst_subnormal = worst_subnormal.max(d);
        } else {
            assert!(d <= max_ulp, "{name}({x:e}) = {a:e}, std {b:e}: {d} ulp");
            worst_normal = worst_normal.max(d);
        }
        count += 1;
    }
    (worst_normal, worst_subnormal, count)
}

#[test]
fn ln_is_within_one_ulp_over_a_sweep_of_ten_million_values() {
    // Every positive f64 from the smallest subnormal to f64::MAX, log-uniformly.
    let wide = log_uniform(-1074.0, 1024.0, 7_000_000);
    // Near 1, where ln is small and the reduction's f = m - 1 carries the whole result.
    let near_one = (0..=2_000_000).map(|i| 0.5 + 1.5 * (i as f64 / 2e6));
    let neighbours_of_one = (-500_000..=500_000).map(|n| step(1.0, n));
    // Around each power of two and each √2·2^k (where the reduction switches k).
    let boundaries = (-1074..=1023).flat_map(|k| {
        let power = 2f64.powi(k);
        let sqrt2 = std::f64::consts::SQRT_2 * power;
        let mut values = vec![power, step(power, 1)];
        if k > -1074 {
            values.push(step(power, -1));
        }
        if k < 1023 && k > -1074 {
            values.extend((-3..=3).map(|n| step(sqrt2, n)));
        }
        values
    });
    let xs = wide
        .chain(near_one)
        .chain(neighbours_of_one)
        .chain(boundaries);
    let (worst, _, count) = sweep("ln", ln, f64::ln, xs, 1);
    assert!(count > 10_000_000);
    println!("ln: {count} values: max {worst} ulp");
}

#[test]
fn ln_special_values() {
    assert_eq!(ln(1.0).to_bits(), 0.0f64.to_bits());
    assert_eq!(ln(0.0), f64::NEG_INFINITY);
    assert_eq!(ln(-0.0), f64::NEG_INFINITY);
    assert_eq!(ln(f64::INFINITY), f64::INFINITY);
    for x in [
        -1.0,
        -1e-300,
        -5e-324,
        -f64::MAX,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ] {
        assert!(ln(x).is_nan(), "ln({x:e})");
    }
    assert_eq!(ln(std::f64::consts::E), 1.0);
    assert_eq!(ln(2.0), std::f64::consts::LN_2);
    assert_eq!(ln(10.0), std::f64::consts::LN_10);
    // The extremes of the positive f64: the smallest subnormal, the smallest normal (and its
    // subnormal neighbour), the largest.
    for x in [
        5e-324,
        f64::MIN_POSITIVE,
        step(f64::MIN_POSITIVE, -1),
        f64::MAX,
        f64::EPSILON,
        1.0 - f64::EPSILON / 2.0,
        1.0 + f64::EPSILON,
    ] {
        assert!(ulps(ln(x), x.ln()) <= 1, "ln({x:e})");
    }
    assert_eq!(ln(5e-324), -744.4400719213812);
    assert_eq!(ln(f64::MAX), 709.782712893384);
}

#[test]
fn ln_1p_is_within_one_ulp_over_a_sweep_of_ten_million_values() {
    // x > 0 from the smallest subnormal to f64::MAX, log-uniformly, and x in (-1, 0) likewise.
    let positive = log_uniform(-1074.0, 1024.0, 4_000_000);
    let negative = log_uniform(-1074.0, 0.0, 2_000_000).map(|x| -x);
    // Dense where losses use it: [-1, 1], near -1 (-1 + 2^-t up to t = 53), and [-1e-8, 1e-8].
    let unit = (0..=2_000_000).map(|i| -1.0 + i as f64 / 1e6);
    let near_minus_one = (1..=1_000_000).map(|i| -1.0 + (-53.0 * i as f64 / 1e6).exp2());
    let near_zero = (0..=1_000_000).map(|i| -1e-8 + i as f64 * 2e-14);
    // Where 1 + x crosses a reduction boundary √2·2^k (or √2/2 at k = 0), a power of two, or
    // the thresholds of the correction term (k = 2, 54).
    let boundaries = (-60..=1023).flat_map(|k| {
        let power = 2f64.powi(k);
        let sqrt2 = std::f64::consts::SQRT_2 * power;
        [sqrt2 - 1.0, power - 1.0, power, -power]
            .into_iter()
            .filter(|x| *x > -1.0 && x.is_finite() && *x != 0.0)
            // Three neighbours on each side (by magnitude).
            .flat_map(|x| (-3..=3).map(move |n| step(x.abs(), n).copysign(x)))
            .filter(|x| *x > -1.0 && x.is_finite())
            .collect::<Vec<_>>()
    });
    let xs = positive
        .chain(negative)
        .chain(unit)
        .chain(near_minus_one)
        .chain(near_zero)
        .chain(boundaries);
    let (worst, worst_subnormal, count) = sweep("ln_1p", ln_1p, f64::ln_1p, xs, 1);
    assert!(count > 10_000_000);
    // Subnormal results come from subnormal x, returned as they are.
    assert_eq!(worst_subnormal, 0);
    println!("ln_1p: {count} values: max {worst} ulp");
}

#[test]
fn ln_1p_special_values() {
    assert_eq!(ln_1p(0.0).to_bits(), 0.0f64.to_bits());
    assert_eq!(ln_1p(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(ln_1p(-1.0), f64::NEG_INFINITY);
    assert_eq!(ln_1p(f64::INFINITY), f64::INFINITY);
    for x in [
        step(1.0, 1).copysign(-1.0),
        -2.0,
        -f64::MAX,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ] {
        assert!(ln_1p(x).is_nan(), "ln_1p({x:e})");
    }
    // Tiny x (subnormals included): ln(1 + x) rounds to x, sign kept.
    for x in [
        5e-324,
        -5e-324,
        1e-310,
        -1e-310,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        1e-300,
        -1e-300,
        1e-17,
        -1e-17,
        f64::EPSILON / 4.0,
        -f64::EPSILON / 4.0,
    ] {
        assert_eq!(ln_1p(x).to_bits(), x.to_bits(), "ln_1p({x:e})");
        assert_eq!(ln_1p(x).to_bits(), x.ln_1p().to_bits(), "ln_1p({x:e})");
    }
    assert_eq!(ln_1p(1.0), std::f64::consts::LN_2);
    assert_eq!(ln_1p(std::f64::consts::E - 1.0), 1.0);
    // Just above -1 (the largest |ln_1p| below 0), the largest argument, and the two sides of
    // the k = 0 interval of the reduction.
    for x in [
        step(1.0, -1).copysign(-1.0),
        -1.0 + 1e-10,
        f64::MAX,
        1e300,
        std::f64::consts::SQRT_2 - 1.0,
        std::f64::consts::FRAC_1_SQRT_2 - 1.0,
        f64::EPSILON,
        -f64::EPSILON,
    ] {
        assert!(ulps(ln_1p(x), x.ln_1p()) <= 1, "ln_1p({x:e})");
    }
    assert_eq!(ln_1p(f64::MAX), 709.782712893384);
}
