//! The reference's two performance shortcuts, checked against the plain computations they
//! replace (spec/performance.md):
//!
//! * `Tensor::broadcast_to` borrows a tensor that already has the target shape instead of
//!   copying it through `Tensor::expand`: it must give the same elements, bit for bit, for every
//!   shape, broadcast or not.
//! * `reduction::sum` adds pairwise (eight interleaved partial sums per block of 128) instead
//!   of left to right: the order differs, so the result may differ in the last bits. Its error
//!   against the exactly rounded sum must stay within the pairwise bound
//!   `(log2(n / 128) + 128 / 8 + 10)·ε·Σ|v|` (plus half an ulp of the result for the final
//!   rounding of the exact sum); the left-to-right sum is checked against its own, much looser
//!   `(n - 1)·ε·Σ|v|`, to show the test would notice an error of that size.

use lossparity_reference::reduction::pairwise_sum;
use lossparity_reference::Tensor;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The sum of `values` correctly rounded: a two-sum (Neumaier) compensated sum, whose error
/// is at most `2ε·|s| + O(n·ε²)·Σ|v|`, negligible next to the bounds tested here.
fn accurate_sum(values: &[f64]) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for &v in values {
        let t = sum + v;
        compensation += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    sum + compensation
}

fn bound(n: usize, abs_sum: f64, exact: f64) -> f64 {
    let levels = (n as f64 / 128.0).log2().max(0.0).ceil();
    (levels + 16.0 + 10.0) * f64::EPSILON * abs_sum + 2.0 * f64::EPSILON * exact.abs()
}

#[test]
fn pairwise_sum_stays_within_its_error_bound() {
    let mut rng = StdRng::seed_from_u64(7);
    let lengths = (0..300).chain([1000, 1023, 1024, 1025, 4096 + 3, 100_000, 1 << 20]);
    for n in lengths {
        for kind in 0..3 {
            let values: Vec<f64> = (0..n)
                .map(|_| match kind {
                    0 => rng.random_range(0.0..1.0),  // all positive, like most losses
                    1 => rng.random_range(-1.0..1.0), // cancellation
                    _ => rng.random_range(-1.0..1.0) * 1e6_f64.powf(rng.random_range(-1.0..1.0)),
                })
                .collect();
            let exact = accurate_sum(&values);
            let abs_sum: f64 = values.iter().map(|v| v.abs()).sum();
            let pairwise = pairwise_sum(&values);
            assert!(
                (pairwise - exact).abs() <= bound(n, abs_sum, exact),
                "n={n} kind={kind}: pairwise {pairwise:e}, exact {exact:e}"
            );
            let plain: f64 = values.iter().sum();
            let plain_bound = (n.max(1) - 1) as f64 * f64::EPSILON * abs_sum;
            assert!((plain - exact).abs() <= plain_bound + 2.0 * f64::EPSILON * exact.abs());
        }
    }
}

#[test]
fn pairwise_sum_is_the_plain_sum_for_short_runs_and_keeps_special_values() {
    let mut rng = StdRng::seed_from_u64(8);
    for n in 0..8 {
        let values: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        assert_eq!(
            pairwise_sum(&values).to_bits(),
            values.iter().sum::<f64>().to_bits()
        );
    }
    let mut values = vec![1.0; 1000];
    values[517] = f64::NAN;
    assert!(pairwise_sum(&values).is_nan());
    values[517] = f64::INFINITY;
    assert_eq!(pairwise_sum(&values), f64::INFINITY);
    values[3] = f64::NEG_INFINITY;
    assert!(pairwise_sum(&values).is_nan());
}

#[test]
fn broadcast_to_equals_expand_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(9);
    let shapes: &[(&[usize], &[usize])] = &[
        (&[], &[]),
        (&[], &[3, 2]),
        (&[3], &[3]),
        (&[3], &[4, 3]),
        (&[4, 1], &[4, 5]),
        (&[1, 5], &[4, 5]),
        (&[2, 1, 3], &[2, 4, 3]),
        (&[2, 4, 3], &[2, 4, 3]),
        (&[0, 3], &[0, 3]),
        (&[1], &[0]),
    ];
    for &(from, to) in shapes {
        let n = from.iter().product();
        let data = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let tensor = Tensor::new(from.to_vec(), data).unwrap();
        let fast = tensor.broadcast_to(to).unwrap();
        let plain = tensor.expand(to).unwrap();
        assert_eq!(fast.shape(), plain.shape());
        let bits = |t: &Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&fast), bits(&plain), "{from:?} -> {to:?}");
    }
    let tensor = Tensor::new(vec![2, 3], vec![0.0; 6]).unwrap();
    assert!(tensor.broadcast_to(&[3, 2]).is_err());
}
