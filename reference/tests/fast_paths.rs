//! The reference's performance shortcuts, checked against the plain computations they
//! replace (spec/performance.md):
//!
//! * `Tensor::broadcast_to` borrows a tensor that already has the target shape instead of
//!   copying it through `Tensor::expand`: it must give the same elements, bit for bit, for every
//!   shape, broadcast or not.
//! * `reduction::sum` (the kernels' `pairwise_sum`) adds pairwise (eight interleaved partial
//!   sums per block of 128) instead of left to right: the order differs, so the result may
//!   differ in the last bits. Its error against the exactly rounded sum must stay within the
//!   pairwise bound
//!   `(log2(n / 128) + 128 / 8 + 10)·ε·Σ|v|` (plus half an ulp of the result for the final
//!   rounding of the exact sum); the left-to-right sum is checked against its own, much looser
//!   `(n - 1)·ε·Σ|v|`, to show the test would notice an error of that size.
//! * `pairwise_sum_of` / `elementwise_indexed` (and the slice form `pairwise_sum_zip` /
//!   `elementwise`) add a reduced loss's values as they are
//!   computed instead of materialising them: the same bits as summing the materialised tensor,
//!   and each loss that uses them gives `sum == pairwise_sum(none)` and `mean == sum / n` exactly.
//! * `linear_cross_entropy`'s tiled matrix product gives the same logits and gradients, bit for
//!   bit, as one dot product per element; `cross_entropy`'s contiguous-row `log_softmax` the same
//!   values as the gather by index; `multi_margin_loss`'s branch-free sum the same as the
//!   branchy one.
//! * `log_softmax` (cross_entropy) uses the elementary `exp` and a pairwise sum: within a few
//!   ulps of the plain computation.
//! * The vector-dispatched loops (AVX-512 / AVX2) give the same bits as the portable build
//!   (`portable_only`) for ten losses under every reduction.
//! * The `p = 1, 2` norms (`pairwise_distance`, `cosine_embedding_loss`) add pairwise: within
//!   a few ulps of the left-to-right sums.
//!
//! The kernels are private; `lossparity_reference::__private` re-exports them for these tests.

use lossparity_reference::__private::{
    elementwise, elementwise_indexed, pairwise_sum, pairwise_sum_of, pairwise_sum_zip,
    portable_only,
};
use lossparity_reference::primitives::{pairwise_distance, vector_norm};
use lossparity_reference::*;
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

fn random(rng: &mut StdRng, shape: &[usize]) -> Tensor {
    let n = shape.iter().product();
    let data = (0..n).map(|_| rng.random_range(-2.0..2.0)).collect();
    Tensor::new(shape.to_vec(), data).unwrap()
}

fn bits(t: &Tensor) -> Vec<u64> {
    t.data().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn pairwise_sum_of_and_elementwise_equal_the_materialised_sums_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(10);
    for n in (0..300).chain([1000, 4099, 65_536 + 5]) {
        let values: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let value = |i: usize| values[i] * 3.0;
        let materialised: Vec<f64> = (0..n).map(value).collect();
        assert_eq!(
            pairwise_sum_of(n, value).to_bits(),
            pairwise_sum(&materialised).to_bits(),
            "n={n}"
        );
        for reduction in [Reduction::None, Reduction::Sum, Reduction::Mean] {
            let shape = vec![n];
            let fast = elementwise_indexed(reduction, shape.clone(), value).unwrap();
            let plain = reduction.apply(Tensor::new(shape, materialised.clone()).unwrap());
            assert_eq!(fast.shape(), plain.shape());
            assert_eq!(bits(&fast), bits(&plain), "n={n} {reduction:?}");
        }
    }
    // The slice-based form (`elementwise`, used by huber and smooth_l1): the same bits again.
    for n in (0..300).chain([1000, 4099, 65_536 + 5]) {
        let x: Vec<f64> = (0..n).map(|_| rng.random_range(-3.0..3.0)).collect();
        let y: Vec<f64> = (0..n).map(|_| rng.random_range(-3.0..3.0)).collect();
        let loss = |a: f64, b: f64| {
            let z = (a - b).abs();
            if z < 0.7 {
                0.5 * z * z / 0.7
            } else {
                z - 0.35
            }
        };
        let materialised: Vec<f64> = x.iter().zip(&y).map(|(&a, &b)| loss(a, b)).collect();
        assert_eq!(
            pairwise_sum_zip(&x, &y, &loss).to_bits(),
            pairwise_sum(&materialised).to_bits(),
            "n={n}"
        );
        for reduction in [Reduction::None, Reduction::Sum, Reduction::Mean] {
            let shape = vec![n];
            let fast = elementwise(reduction, shape.clone(), &x, &y, loss).unwrap();
            let plain = reduction.apply(Tensor::new(shape, materialised.clone()).unwrap());
            assert_eq!(fast.shape(), plain.shape());
            assert_eq!(bits(&fast), bits(&plain), "n={n} {reduction:?}");
        }
    }
    let empty = elementwise_indexed(Reduction::Mean, vec![0, 3], |_| 1.0).unwrap();
    assert!(empty.at(0).is_nan());
}

/// For the losses that reduce without materialising their values: `sum` is exactly the
/// pairwise sum of the `none` result and `mean` that divided by the count.
#[test]
fn fused_reductions_equal_reducing_the_unreduced_loss() {
    let mut rng = StdRng::seed_from_u64(11);
    for shape in [vec![], vec![7], vec![33, 17], vec![3, 130, 5]] {
        let (x, y) = (random(&mut rng, &shape), random(&mut rng, &shape));
        let var = random(&mut rng, &shape).map(|v| v.abs());
        let weight = random(&mut rng, &shape);
        type Loss<'a> = Box<dyn Fn(&str) -> Tensor + 'a>;
        let losses: Vec<(&str, Loss)> = vec![
            (
                "l1",
                Box::new(|r| {
                    l1_loss(
                        &x,
                        &y,
                        &L1LossOptions {
                            reduction: r,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "mse",
                Box::new(|r| {
                    mse_loss(
                        &x,
                        &y,
                        &MseLossOptions {
                            reduction: r,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "mse weighted",
                Box::new(|r| {
                    mse_loss(
                        &x,
                        &y,
                        &MseLossOptions {
                            reduction: r,
                            weight: Some(&weight),
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "huber",
                Box::new(|r| {
                    huber_loss(
                        &x,
                        &y,
                        &HuberLossOptions {
                            reduction: r,
                            delta: 0.5,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "smooth_l1",
                Box::new(|r| {
                    smooth_l1_loss(
                        &x,
                        &y,
                        &SmoothL1LossOptions {
                            reduction: r,
                            beta: 0.7,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "smooth_l1 beta 0",
                Box::new(|r| {
                    smooth_l1_loss(
                        &x,
                        &y,
                        &SmoothL1LossOptions {
                            reduction: r,
                            beta: 0.0,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "soft_margin",
                Box::new(|r| {
                    soft_margin_loss(
                        &x,
                        &y,
                        &SoftMarginLossOptions {
                            reduction: r,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "bce_with_logits",
                Box::new(|r| {
                    binary_cross_entropy_with_logits(
                        &x,
                        &var,
                        &BinaryCrossEntropyWithLogitsOptions {
                            reduction: r,
                            weight: Some(&weight),
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "gaussian_nll",
                Box::new(|r| {
                    gaussian_nll_loss(
                        &x,
                        &y,
                        &var,
                        &GaussianNllLossOptions {
                            reduction: r,
                            full: true,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
            (
                "poisson_nll",
                Box::new(|r| {
                    poisson_nll_loss(
                        &x,
                        &y,
                        &PoissonNllLossOptions {
                            reduction: r,
                            ..Default::default()
                        },
                    )
                    .unwrap()
                }),
            ),
        ];
        for (name, loss) in losses {
            // The vector-dispatched loops (AVX-512 / AVX2 on this CPU) and the portable build
            // give the same bits.
            for r in ["none", "sum", "mean"] {
                assert_eq!(
                    bits(&loss(r)),
                    bits(&portable_only(|| loss(r))),
                    "{name} {shape:?} {r}: dispatched vs portable"
                );
            }
            let none = loss("none");
            let sum = pairwise_sum(none.data());
            assert_eq!(
                loss("sum").at(0).to_bits(),
                sum.to_bits(),
                "{name} {shape:?}"
            );
            let denominator = if name == "mse weighted" {
                pairwise_sum(weight.data())
            } else {
                none.numel() as f64
            };
            assert_eq!(
                loss("mean").at(0).to_bits(),
                (sum / denominator).to_bits(),
                "{name} {shape:?}"
            );
        }
    }
}

#[test]
fn linear_cross_entropy_logits_equal_one_dot_product_per_logit() {
    let mut rng = StdRng::seed_from_u64(12);
    for (rows, classes, features, bias) in [
        (5, 7, 3, false),
        (9, 4, 33, true),
        (1, 1, 1, true),
        (3, 0, 4, false),
        (4, 6, 0, true),
        // Full 4 x 16 tiles, alone and with edge rows and columns.
        (4, 16, 3, false),
        (8, 32, 5, true),
        (11, 37, 17, true),
    ] {
        let input = random(&mut rng, &[rows, features]);
        let weight = random(&mut rng, &[classes, features]);
        let linear_bias = random(&mut rng, &[classes]);
        let target = Tensor::<i64>::new(
            vec![rows],
            (0..rows as i64)
                .map(|n| n % classes.max(1) as i64)
                .collect(),
        )
        .unwrap();
        // The plain F.linear: a left-to-right dot product per logit, then the bias.
        let mut logits = Vec::new();
        for n in 0..rows {
            for j in 0..classes {
                let x = &input.data()[n * features..(n + 1) * features];
                let w = &weight.data()[j * features..(j + 1) * features];
                let dot = x.iter().zip(w).fold(0.0, |s, (x, w)| s + x * w);
                logits.push(if bias { dot + linear_bias.at(j) } else { dot });
            }
        }
        let logits = Tensor::new(vec![rows, classes], logits).unwrap();
        let options = LinearCrossEntropyOptions {
            linear_bias: bias.then_some(&linear_bias),
            reduction: "none",
            ..Default::default()
        };
        let fast = linear_cross_entropy(
            &input,
            &weight,
            CrossEntropyTarget::Indices(&target),
            &options,
        );
        let plain = cross_entropy(
            &logits,
            CrossEntropyTarget::Indices(&target),
            &CrossEntropyOptions {
                reduction: "none",
                ..Default::default()
            },
        );
        match (fast, plain) {
            (Ok(fast), Ok(plain)) => {
                assert_eq!(bits(&fast), bits(&plain), "{rows}x{classes}x{features}")
            }
            (fast, plain) => assert_eq!(fast.is_err(), plain.is_err()),
        }
        // The gradients: G = ∂loss/∂logits, then one dot product per element of G @ W and
        // Gᵀ @ input, summed in order.
        let grad_output = random(&mut rng, &[rows]);
        let target = CrossEntropyTarget::Indices(&target);
        let ce_options = CrossEntropyOptions {
            reduction: "none",
            ..Default::default()
        };
        let Ok(g) = cross_entropy_backward(&logits, target, &ce_options, &grad_output) else {
            continue;
        };
        let g = &g["input"];
        let dot = |n: usize, f: &dyn Fn(usize) -> (f64, f64)| {
            (0..n).fold(0.0, |s, i| {
                let (a, b) = f(i);
                s + a * b
            })
        };
        let mut grad_input = Vec::new();
        for n in 0..rows {
            for k in 0..features {
                grad_input.push(dot(classes, &|j| {
                    (g.at(n * classes + j), weight.at(j * features + k))
                }));
            }
        }
        let mut grad_weight = Vec::new();
        for j in 0..classes {
            for k in 0..features {
                grad_weight.push(dot(rows, &|n| {
                    (g.at(n * classes + j), input.at(n * features + k))
                }));
            }
        }
        let fast =
            linear_cross_entropy_backward(&input, &weight, target, &options, &grad_output).unwrap();
        let bits_of = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let id = format!("{rows}x{classes}x{features}");
        assert_eq!(
            bits(&fast["input"]),
            bits_of(&grad_input),
            "{id} grad input"
        );
        assert_eq!(
            bits(&fast["linear_weight"]),
            bits_of(&grad_weight),
            "{id} grad weight"
        );
    }
}

#[test]
fn cross_entropy_contiguous_rows_equal_the_gather_by_index() {
    let mut rng = StdRng::seed_from_u64(13);
    let (n, c) = (37, 11);
    let input = random(&mut rng, &[n, c]);
    let labels: Vec<i64> = (0..n).map(|_| rng.random_range(0..c as i64)).collect();
    // The same logits as (1, C, N): classes in the middle, gathered with stride N.
    let mut moved = vec![0.0; n * c];
    for p in 0..n {
        for k in 0..c {
            moved[k * n + p] = input.at(p * c + k);
        }
    }
    let moved = Tensor::new(vec![1, c, n], moved).unwrap();
    let options = CrossEntropyOptions {
        reduction: "none",
        label_smoothing: 0.1,
        ..Default::default()
    };
    let rows = cross_entropy(
        &input,
        CrossEntropyTarget::Indices(&Tensor::new(vec![n], labels.clone()).unwrap()),
        &options,
    )
    .unwrap();
    let gathered = cross_entropy(
        &moved,
        CrossEntropyTarget::Indices(&Tensor::new(vec![1, n], labels).unwrap()),
        &options,
    )
    .unwrap();
    assert_eq!(bits(&rows), bits(&gathered));
}

#[test]
fn multi_margin_branch_free_sum_equals_the_branchy_one() {
    let mut rng = StdRng::seed_from_u64(14);
    let (n, c) = (50, 9);
    let mut input = random(&mut rng, &[n, c]).into_data();
    input[7] = f64::NAN;
    input[20] = -0.0;
    let input = Tensor::new(vec![n, c], input).unwrap();
    let labels: Vec<i64> = (0..n).map(|_| rng.random_range(0..c as i64)).collect();
    let target = Tensor::new(vec![n], labels).unwrap();
    let weight = Tensor::vector((0..c).map(|k| k as f64 - 3.0).collect());
    for (p, weighted) in [(1, false), (2, false), (1, true), (2, true)] {
        let options = MultiMarginLossOptions {
            p,
            weight: weighted.then_some(&weight),
            reduction: "none",
            ..Default::default()
        };
        let fast = multi_margin_loss(&input, &target, &options).unwrap();
        for row in 0..n {
            let t = target.at(row) as usize;
            let x = &input.data()[row * c..(row + 1) * c];
            let mut sum = 0.0;
            for (i, &score) in x.iter().enumerate() {
                let z = 1.0 - x[t] + score;
                if i != t && z > 0.0 {
                    let h = if p == 1 { z } else { z * z };
                    sum += if weighted { h * weight.at(t) } else { h };
                }
            }
            assert_eq!(
                fast.at(row).to_bits(),
                (sum / c as f64).to_bits(),
                "row {row} p={p}"
            );
        }
    }
}

#[test]
fn pairwise_norms_stay_within_a_few_ulps_of_left_to_right_sums() {
    let mut rng = StdRng::seed_from_u64(15);
    for features in [0, 1, 7, 8, 100, 129, 1000] {
        let (a, b) = (
            random(&mut rng, &[6, features]),
            random(&mut rng, &[6, features]),
        );
        for p in [1.0, 2.0, 3.0, f64::INFINITY] {
            if features == 0 && p == f64::INFINITY {
                continue; // rejected: no identity
            }
            let fast = pairwise_distance(&a, &b, p, 1e-6).unwrap();
            for row in 0..6 {
                let diff: Vec<f64> = (0..features)
                    .map(|k| a.at(row * features + k) - b.at(row * features + k) + 1e-6)
                    .collect();
                let plain = match p {
                    1.0 => diff.iter().map(|d| d.abs()).sum::<f64>(),
                    2.0 => diff.iter().map(|d| d * d).sum::<f64>().sqrt(),
                    _ => vector_norm(&diff, p),
                };
                let tolerance = (features as f64 + 2.0) * f64::EPSILON * plain.abs();
                assert!(
                    (fast.at(row) - plain).abs() <= tolerance,
                    "p={p} features={features}"
                );
            }
        }
    }
}

/// `log_softmax` uses the branch-free elementary `exp` (within 1 ulp of glibc's) and adds the
/// exponentials pairwise: within a few ulps of the plain computation (`f64::exp`, left-to-right
/// sum), and the same special values.
#[test]
fn log_softmax_stays_within_a_few_ulps_of_the_plain_computation() {
    use lossparity_reference::primitives::log_softmax;
    let plain = |x: &[f64]| -> Vec<f64> {
        let max = if x.iter().any(|v| v.is_nan()) {
            f64::NAN
        } else {
            x.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        };
        let sum: f64 = x.iter().map(|&v| (v - max).exp()).sum();
        x.iter().map(|&v| v - max - sum.ln()).collect()
    };
    let mut rng = StdRng::seed_from_u64(12);
    for n in (1..300).chain([1000, 4099]) {
        for scale in [1e-3, 1.0, 30.0, 700.0] {
            let x: Vec<f64> = (0..n)
                .map(|_| rng.random_range(-1.0..1.0) * scale)
                .collect();
            for (fast, plain) in log_softmax(&x).into_iter().zip(plain(&x)) {
                let tolerance = 8.0 * f64::EPSILON * plain.abs().max(1.0);
                assert!(
                    (fast - plain).abs() <= tolerance,
                    "n={n} {fast:e} {plain:e}"
                );
            }
        }
    }
    let specials = [
        vec![f64::NEG_INFINITY, 0.0, 1.0],
        vec![f64::NEG_INFINITY; 3],
        vec![f64::INFINITY, 0.0],
        vec![f64::NAN, 0.0],
        vec![-1000.0, 0.0],
        vec![],
    ];
    for x in specials {
        let (fast, plain) = (log_softmax(&x), plain(&x));
        assert_eq!(fast.len(), plain.len());
        for (f, p) in fast.into_iter().zip(plain) {
            assert!(f == p || (f.is_nan() && p.is_nan()), "{x:?}: {f} vs {p}");
        }
    }
}
