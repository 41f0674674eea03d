//! Finite differences for `linear_cross_entropy`.

use lossparity_reference::{self as reference, CrossEntropyTarget, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::cross_entropy::probabilities;
use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn linear_cross_entropy() {
    let mut rng = StdRng::seed_from_u64(53);
    // (input, linear_weight, linear_bias, logits, index target): one sample, a batch, and a
    // batch whose weight has an extra dimension.
    type Shapes<'a> = (
        &'a [usize],
        &'a [usize],
        &'a [usize],
        &'a [usize],
        &'a [usize],
    );
    let shapes: [Shapes; 3] = [
        (&[4], &[5, 4], &[5], &[5], &[]),
        (&[3, 4], &[5, 4], &[5], &[3, 5], &[3]),
        (&[3, 4], &[5, 2, 4], &[5, 2], &[3, 5, 2], &[3, 2]),
    ];
    for reduction in REDUCTIONS {
        for label_smoothing in [0.0, 0.2] {
            for weighted in [false, true] {
                for biased in [false, true] {
                    for (input_shape, weight_shape, bias_shape, logits_shape, target_shape) in
                        shapes
                    {
                        let class_dim = usize::from(logits_shape.len() > 1);
                        for (kind, ignore_index) in [
                            ("indices", None),
                            ("indices", Some(2)),
                            ("probabilities", None),
                        ] {
                            let mut done = 0;
                            while done < TRIALS {
                                let input = uniform(&mut rng, input_shape, -1.0, 1.0);
                                let linear_weight = uniform(&mut rng, weight_shape, -1.0, 1.0);
                                let linear_bias = uniform(&mut rng, bias_shape, -1.0, 1.0);
                                let positions = target_shape.iter().product();
                                let labels: Vec<i64> =
                                    (0..positions).map(|_| rng.random_range(0..5)).collect();
                                // `mean` of nothing but ignored positions is NaN.
                                if labels.iter().all(|&y| Some(y) == ignore_index) {
                                    continue;
                                }
                                done += 1;
                                let indices = Tensor::new(target_shape.to_vec(), labels).unwrap();
                                let soft = probabilities(&mut rng, logits_shape, class_dim);
                                let target = match kind {
                                    "indices" => CrossEntropyTarget::Indices(&indices),
                                    _ => CrossEntropyTarget::Probabilities(&soft),
                                };
                                let weight = uniform(&mut rng, &[5], 0.5, 2.0);
                                let options = reference::LinearCrossEntropyOptions {
                                    linear_bias: None,
                                    weight: weighted.then_some(&weight),
                                    reduction,
                                    ignore_index,
                                    label_smoothing,
                                };
                                let options = &options;
                                let mut inputs =
                                    vec![("input", input), ("linear_weight", linear_weight)];
                                if biased {
                                    inputs.push(("linear_bias", linear_bias));
                                }
                                check(
                                    &mut rng,
                                    Check {
                                        label: format!(
                                            "linear_cross_entropy {reduction} {kind} \
                                             label_smoothing={label_smoothing} \
                                             weight={weighted} bias={biased} \
                                             ignore_index={ignore_index:?} \
                                             weight_shape={weight_shape:?}"
                                        ),
                                        inputs,
                                        forward: Box::new(move |x| {
                                            let o = reference::LinearCrossEntropyOptions {
                                                linear_bias: x.get(2),
                                                ..*options
                                            };
                                            reference::linear_cross_entropy(
                                                &x[0], &x[1], target, &o,
                                            )
                                        }),
                                        backward: Box::new(move |x, g| {
                                            let o = reference::LinearCrossEntropyOptions {
                                                linear_bias: x.get(2),
                                                ..*options
                                            };
                                            reference::linear_cross_entropy_backward(
                                                &x[0], &x[1], target, &o, g,
                                            )
                                        }),
                                    },
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
