//! Readable, branch-free `exp`, `ln` and `ln_1p` for f64, written so that a loop of calls
//! vectorises.
//!
//! Why: glibc's `exp`, `log` and `log1p` are scalar calls, while PyTorch's are vectorised
//! (SLEEF). These have no table, no branch and no call, so LLVM vectorises a loop of calls
//! (`for v in xs { *v = exp(*v) }`) as wide as the build allows: in the AVX-512 and AVX2 builds
//! of `kernels::dispatch` they are 3 to 5 times faster than glibc's, in the baseline SSE2 build
//! about as fast (`ln` slower: it divides). The figures are in spec/performance.md.
//!
//! Rust never contracts `a·b + c` into a fused multiply-add on its own, so every build gives
//! the same bits. They are not bit-identical to glibc; the error is measured and tested instead
//! (`reference/tests/elementary.rs`): within 1 ulp of glibc, and of the exact value.
//!
//! The functions are `#[inline(always)]`: a loop vectorises only if they are inlined into it.
//!
//! # Algorithm of `exp` (Cody–Waite range reduction, polynomial of degree 11, exponent-bit scaling)
//!
//! 1. Clamp `x` to `[-746, 710]`: below, `exp(x)` rounds to `+0`; above, to `+inf`. The clamped
//!    values still give exactly `0` / `inf` through the steps below; NaN propagates.
//! 2. `k = round(x / ln 2)`, by adding and subtracting `1.5·2^52` (round to nearest even, no
//!    float-to-int conversion); `k` is then read from the low bits of the shifted value.
//! 3. `r = (x - k·LN2_HI) - k·LN2_LO`, with `LN2_HI` holding the leading 32 bits of `ln 2` so
//!    that `k·LN2_HI` is exact for `|k| < 2^11`; `|r| <= ln(2)/2 + 2^-40`.
//! 4. `exp(r) ≈ 1 + (r + r²·q(r))` with `q` a polynomial of degree 9 fitted to
//!    `(e^r - 1 - r)/r²` (Chebyshev fit, see `Q`; total degree 11), in Estrin's scheme
//!    (short dependency chains); approximation error below 0.15 ulp.
//! 5. `exp(x) = 2^k · exp(r)`: multiply by `2^(k/2)` and `2^(k - k/2)`, each built directly in
//!    the exponent bits (both are normal numbers for `-1076 <= k <= 1024`). Splitting the power
//!    in two makes results past `f64::MAX` overflow to `+inf` and results below
//!    `f64::MIN_POSITIVE` round once into the subnormals (gradual underflow), with no
//!    special case.
//!
//! # Accuracy of `exp` (measured, `reference/tests/elementary.rs`)
//!
//! Against `f64::exp` over 10^7 values spread over `[-745.2, 709.8]` plus a dense sweep of
//! `[-1, 1]` and the edge cases: at most 1 ulp for normal results (the test allows 2);
//! subnormal results within 1 ulp of the subnormal spacing; `exp(±0) = 1`,
//! `exp(-inf) = 0`, `exp(+inf) = inf`, `exp(NaN) = NaN`, overflow to `inf` above
//! `709.782712893384`, underflow to `0` below `-745.1332191019412`.

/// `1.5·2^52`: adding it to a value of magnitude below `2^51` rounds that value to an integer
/// (to nearest, ties to even) held in the low bits of the sum.
const SHIFT: f64 = 6755399441055744.0;
/// `1 / ln 2`.
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// The leading bits of `ln 2` (its low 21 significand bits zero), as in fdlibm's `ln2_hi`.
const LN2_HI: f64 = 0.693_147_180_369_123_8;
/// `ln 2 - LN2_HI`, as in fdlibm's `ln2_lo`.
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// The coefficients of `q(r) ≈ (e^r - 1 - r)/r² = 1/2! + r/3! + r²/4! + …` on
/// `|r| <= ln(2)/2`: a degree-9 Chebyshev fit (mpmath `chebyfit`, 50 digits) rounded to f64,
/// rather than the Taylor coefficients `1/(k+2)!`, whose degree-9 truncation would be 600
/// times less accurate. Error of `1 + r + r²·q(r)` against `e^r`, with these rounded
/// coefficients: below `1.6e-17` relative (0.15 ulp) over the interval.
const Q: [f64; 10] = [
    0.500_000_000_000_000_1,
    0.166_666_666_666_666_69,
    0.041_666_666_666_624_164,
    0.008_333_333_333_330_065,
    0.001_388_888_891_719_671_9,
    0.000_198_412_698_630_405_45,
    2.480_152_132_236_798_4e-5,
    2.755_726_848_030_948e-6,
    2.762_007_588_032_102e-7,
    2.510_037_583_282_089_3e-8,
];

/// `e^x`, within 2 ulp of the correctly rounded value (see the module documentation); the
/// special values as `f64::exp`.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // 1. Clamp (a NaN stays NaN and propagates through every step below).
    let clamped = x.clamp(-746.0, 710.0);
    // 2. k = round(x / ln 2), as a float and as an integer.
    let shifted = clamped * LOG2_E + SHIFT;
    let kf = shifted - SHIFT;
    let k = (shifted.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // 3. Cody–Waite reduction.
    let r = (clamped - kf * LN2_HI) - kf * LN2_LO;
    // 4. exp(r) = 1 + (r + r²·q(r)), q a polynomial of degree 9 close to (e^r - 1 - r)/r²
    //    (see Q), evaluated in Estrin's scheme (pairs, then pairs of pairs) rather than
    //    Horner's: a dependency chain of about 5 operations instead of 18, so that consecutive
    //    elements overlap in the pipeline.
    let (r2, r4) = (r * r, (r * r) * (r * r));
    let a0 = Q[0] + Q[1] * r;
    let a1 = Q[2] + Q[3] * r;
    let a2 = Q[4] + Q[5] * r;
    let a3 = Q[6] + Q[7] * r;
    let a4 = Q[8] + Q[9] * r;
    let (b0, b1) = (a0 + a1 * r2, a2 + a3 * r2);
    let q = b0 + r4 * (b1 + r4 * a4);
    let p = 1.0 + (r + r2 * q);
    // 5. Scale by 2^k = 2^k1 · 2^k2 through the exponent bits.
    let k1 = k >> 1;
    let k2 = k - k1;
    let power = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
    p * power(k1) * power(k2)
}

/// `√2/2`'s leading significand bits, as the upper 32 bits of an f64 (`0x3fe6a09e`, fdlibm's
/// threshold): [`ln`] and [`ln_1p`] reduce their argument to `2^k · m` with `m` in
/// `[0x3fe6a09e·2^32, that + 2^52)`, that is `m` in `[√2/2, √2)` up to `2^-29` relative.
const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_0000_0000;
/// Added to the bits of an f64 in `[2^e·√2/2, 2^e·√2)`, this carries into the exponent field
/// exactly when the significand is at or above `√2/2`'s (see [`ln`]).
const SQRT_HALF_OFFSET: u64 = 0x3ff0_0000_0000_0000 - SQRT_HALF_BITS;
/// `2^52` and its bits: `f64::from_bits(TWO_52_BITS | e) = 2^52 + e` for `0 <= e < 2^52`, which
/// turns a biased exponent field into an f64 without an integer-to-float conversion.
const TWO_52: f64 = 4503599627370496.0;
const TWO_52_BITS: u64 = 0x4330_0000_0000_0000;
/// `2^54`, the scale that brings a subnormal into the normal range (as fdlibm's `two54`).
const TWO_54: f64 = 18014398509481984.0;

/// fdlibm's `Lg1`…`Lg7` (`e_log.c` and `s_log1p.c`, Sun Microsystems 1993; also in musl), in
/// that order: `ln(1 + f) = ln(1 + s) - ln(1 - s) = 2s + s·R(z)` with `s = f/(2 + f)`,
/// `z = s²` and `R(z) ≈ Lg1·z + Lg2·z² + … + Lg7·z⁷` (the odd series `2/3·z + 2/5·z² + …`,
/// Remez-adjusted) on `0 <= s <= 0.1716` (`f` in `[√2/2 - 1, √2 - 1]`), where fdlibm bounds
/// the approximation error of `R` by `2^-58.45`.
const LG: [f64; 7] = [
    6.666_666_666_666_735e-1,
    3.999_999_999_940_942e-1,
    2.857_142_874_366_239e-1,
    2.222_219_843_214_978_4e-1,
    1.818_357_216_161_805e-1,
    1.531_383_769_920_937_3e-1,
    1.479_819_860_511_658_6e-1,
];

/// The common end of [`ln`] and [`ln_1p`]: `k·ln 2 + ln(1 + f) + c` for `f = m - 1` (exact),
/// `m` in `[√2/2, √2)`, `k` an integer held in an f64 and `c` a small correction, summed in
/// fdlibm's order (small terms first, `k·LN2_HI` exact and last).
#[inline(always)]
fn log_reduced(f: f64, kf: f64, c: f64) -> f64 {
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    // Two independent chains in w = s⁴ (odd and even coefficients), as fdlibm.
    let t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
    let t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
    let r = t2 + t1;
    s * (hfsq + r) + (kf * LN2_LO + c) - hfsq + f + kf * LN2_HI
}

/// `ln x`, within 1 ulp of the correctly rounded value (0.83 ulp of the exact value, see
/// below); the special values as `f64::ln`: `ln(±0) = -inf`, `ln(x < 0) = NaN`,
/// `ln(+inf) = +inf`, `ln(NaN) = NaN`, `ln(1) = +0`.
///
/// # Algorithm (fdlibm's `__ieee754_log`, as in musl's original `log.c`, without its branches)
///
/// 1. Scale a subnormal `x` by `2^54` (and take 54 off the exponent), selected, not branched.
/// 2. Split `x = 2^k · m` with `m` in `[√2/2, √2)` in the integer bits: adding
///    `0x3ff00000 - 0x3fe6a09e` to the upper word (`SQRT_HALF_OFFSET`) carries into the
///    exponent exactly when the significand is at or above `√2/2`'s, so `k` is the exponent
///    field of the sum minus 1023 and `m` has the original significand bits under the exponent
///    of `1` or `1/2`. `k` becomes an f64 through the exponent field placed in the low bits of
///    `2^52` (`TWO_52_BITS`).
/// 3. `f = m - 1` (exact), `s = f/(2 + f)`,
///    `ln m = f - f²/2 + s·(f²/2 + R(s²))` with fdlibm's polynomial `R` (`LG`).
/// 4. `ln x = k·LN2_HI + (f - (f²/2 - (s·(f²/2 + R) + k·LN2_LO)))`: `k·LN2_HI` is exact
///    (`LN2_HI` has 21 trailing zero bits and `|k| <= 1074`), the small terms are added first.
/// 5. Special values by selects at the end: `x = ±0`, `x < 0`, `x = +inf`, NaN.
///
/// # Accuracy (measured, `reference/tests/elementary.rs`)
///
/// Against `f64::ln` over 10^7 values (log-uniform over all positive f64, subnormals
/// included; uniform on `[0.5, 2]`; the 10^6 neighbours of 1; and the neighbours of every
/// `2^k` and `√2·2^k`): at most 1 ulp (the test allows 1); the special values exactly. A
/// throwaway check of 10^8 random values each (random bit patterns of positive f64; `[0.5, 2]`;
/// `1 ± 10^-6`) also found at most 1 ulp. Not correctly rounded, though: fdlibm's sum
/// `f - f²/2 + …` rounds `f²/2` first, which leaves 7.6 % of `[0.5, 2]` 1 ulp off (there
/// `k = 0` and `f - f²/2` is the whole result, not a correction to `k·ln 2`), and 0.1 % of the
/// random bit patterns. Against the exact value (mpmath at 300 bits, on 3·10^5 points, nearly
/// all where this and glibc differ): at most 0.83 ulp, glibc's `log` at most 0.52 ulp.
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    // 1. Subnormals (and ±0, negative values: replaced in step 5) scaled up by 2^54.
    let tiny = x < f64::MIN_POSITIVE;
    let scaled = x * if tiny { TWO_54 } else { 1.0 };
    // 2. x = 2^k · m, m in [√2/2, √2); k = (2^52 + exponent field) - (2^52 + bias).
    let bits = scaled.to_bits().wrapping_add(SQRT_HALF_OFFSET);
    let bias = if tiny { 1023.0 + 54.0 } else { 1023.0 };
    let kf = f64::from_bits(TWO_52_BITS | (bits >> 52)) - (TWO_52 + bias);
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) + SQRT_HALF_BITS);
    // 3-4.
    let result = log_reduced(m - 1.0, kf, 0.0);
    // 5. ln(+inf) = +inf, ln(NaN) = NaN, ln(±0) = -inf, ln(x < 0) = NaN. (Three selects on
    //    single comparisons: LLVM turns `x > 0.0 && x < INFINITY` into an integer range check
    //    on the bits, which SSE2 has no 64-bit comparison for.)
    let result = if x < f64::INFINITY { result } else { x };
    let special = if x == 0.0 {
        f64::NEG_INFINITY
    } else {
        f64::NAN
    };
    if x > 0.0 {
        result
    } else {
        special
    }
}

/// `ln(1 + x)`, accurate for small `x`: within 1 ulp of the correctly rounded value (0.83 ulp
/// of the exact value, see below); the special values as `f64::ln_1p`: `ln_1p(-1) = -inf`,
/// `ln_1p(x < -1) = NaN`, `ln_1p(+inf) = +inf`, `ln_1p(-inf) = NaN`, `ln_1p(NaN) = NaN`,
/// `ln_1p(±0) = ±0`, and `ln_1p(x) = x` for `|x| < 2^-54`.
///
/// # Algorithm (fdlibm's `log1p` as in musl, without its branches)
///
/// 1. `u = 1 + x` (rounded), split `u = 2^k · m` with `m` in `[√2/2, √2)` and `k` as an f64
///    exactly as in [`ln`] (no subnormal `u` needs care: `u` is either `0`, handled in step 4,
///    or at least `2^-53`).
/// 2. If `k = 0` (`1 + x` in `[√2/2, √2)`, which covers every small `x`), `f = x` and `c = 0`:
///    `ln(1 + x)` is `ln(1 + f)` itself, with no rounding in between. Otherwise `f = m - 1`
///    and `c = (1 + x - u)/u` corrects for the rounding of `u` (`ln(1 + x) = ln u +
///    ln(1 + (1 + x - u)/u) ≈ ln u + c`), the numerator computed exactly as `x - (u - 1)`
///    for `k < 2` and `1 - (u - x)` for `k >= 2` (Fast2Sum, the operand of larger exponent
///    first), and `c = 0` from `k = 54` on, where `1` no longer matters (as in fdlibm; it also
///    keeps `c/u` out of the subnormals).
/// 3. `ln(1 + x) = k·LN2_HI + (f - (f²/2 - (s·(f²/2 + R) + (k·LN2_LO + c))))` with `s` and
///    `R` as in [`ln`].
/// 4. Special values by selects at the end: `x = -1`, `x < -1` (with `-inf`), `+inf`, NaN,
///    and `|x| < 2^-54` (where `ln(1 + x)` rounds to `x`; this also keeps the sign of `-0`).
///
/// # Accuracy (measured, `reference/tests/elementary.rs`)
///
/// Against `f64::ln_1p` over 10^7 values (log-uniform over all positive f64 and over
/// `(-1, 0)`, subnormals included; uniform on `[-1, 1]` and on `[-1e-8, 1e-8]`; `-1 + 2^-t`
/// for `t` up to 53; and the neighbours of each `√2·2^k - 1`, `2^k - 1` and `±2^k`): at most
/// 1 ulp for normal results (the test allows 1); subnormal results equal `x`; the special
/// values exactly. A throwaway check of 10^8 random values in each of eight ranges (random bit
/// patterns of positive f64 and of f64 in `(-1, 0)`; `[-1, 1]`; `[-1, -0.5]`; `[-0.3, 0.42]`;
/// `[0.4, 10]`; `[-1e-8, 1e-8]`; `[1e15, 1e17]`) also found at most 1 ulp, with 0.001 % to
/// 0.17 % of the values 1 ulp off. Against the exact value (mpmath at 300 bits, on 7·10^4
/// points, 1.1·10^4 of them where this and glibc differ): at most 0.83 ulp, and glibc's
/// `log1p` at most 0.84 ulp: it is not correctly rounded either, and about as often wrong as
/// this one among those points.
#[inline(always)]
pub fn ln_1p(x: f64) -> f64 {
    // 1. u = 1 + x = 2^k · m.
    let u = 1.0 + x;
    let bits = u.to_bits().wrapping_add(SQRT_HALF_OFFSET);
    let kf = f64::from_bits(TWO_52_BITS | (bits >> 52)) - (TWO_52 + 1023.0);
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) + SQRT_HALF_BITS);
    // 2. f and the correction c for the rounding of u.
    let error = if kf >= 2.0 {
        1.0 - (u - x)
    } else {
        x - (u - 1.0)
    };
    let c = if kf >= 54.0 { 0.0 } else { error / u };
    let (f, c) = if kf == 0.0 { (x, 0.0) } else { (m - 1.0, c) };
    // 3.
    let result = log_reduced(f, kf, c);
    // 4. ln_1p(-1) = -inf, ln_1p(x < -1) = NaN, ln_1p(+inf) = +inf, ln_1p(NaN) = NaN; x itself
    //    for |x| < 2^-54 (±0 included).
    let special = if x == -1.0 {
        f64::NEG_INFINITY
    } else if x < -1.0 {
        f64::NAN
    } else {
        x
    };
    let in_range = x > -1.0 && x < f64::INFINITY && x.abs() >= 1.0 / TWO_54;
    if in_range {
        result
    } else {
        special
    }
}
