//! Finite differences for `cross_entropy`.

use lossparity_reference::{self as reference, CrossEntropyTarget, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

/// Class probabilities of the input's shape: positive, summing to 1 over `class_dim`.
pub(crate) fn probabilities(rng: &mut StdRng, shape: &[usize], class_dim: usize) -> Tensor {
    let raw = uniform(rng, shape, 0.1, 1.0);
    let classes = shape[class_dim];
    let inner: usize = shape[class_dim + 1..].iter().product();
    let mut data = raw.data().to_vec();
    for o in 0..raw.numel() / (classes * inner) {
        for i in 0..inner {
            let at = |c: usize| (o * classes + c) * inner + i;
            let total: f64 = (0..classes).map(|c| data[at(c)]).sum();
            for c in 0..classes {
                data[at(c)] /= total;
            }
        }
    }
    Tensor::new(shape.to_vec(), data).unwrap()
}

#[test]
fn cross_entropy() {
    let mut rng = StdRng::seed_from_u64(52);
    // (input, index target): one sample, a batch, a batch with an extra dimension.
    let shapes: [(&[usize], &[usize]); 3] = [(&[5], &[]), (&[3, 5], &[3]), (&[2, 5, 3], &[2, 3])];
    for reduction in REDUCTIONS {
        for label_smoothing in [0.0, 0.2] {
            for weighted in [false, true] {
                for (shape, target_shape) in shapes {
                    let class_dim = usize::from(shape.len() > 1);
                    for (kind, ignore_index) in
                        [("indices", -100), ("indices", 2), ("probabilities", -100)]
                    {
                        let mut done = 0;
                        while done < TRIALS {
                            let input = uniform(&mut rng, shape, -3.0, 3.0);
                            let positions = target_shape.iter().product();
                            let labels: Vec<i64> =
                                (0..positions).map(|_| rng.random_range(0..5)).collect();
                            // `mean` of nothing but ignored positions is NaN.
                            if labels.iter().all(|&y| y == ignore_index) {
                                continue;
                            }
                            done += 1;
                            let indices = Tensor::new(target_shape.to_vec(), labels).unwrap();
                            let soft = probabilities(&mut rng, shape, class_dim);
                            let target = match kind {
                                "indices" => CrossEntropyTarget::Indices(&indices),
                                _ => CrossEntropyTarget::Probabilities(&soft),
                            };
                            let weight = uniform(&mut rng, &[5], 0.5, 2.0);
                            let options = reference::CrossEntropyOptions {
                                weight: weighted.then_some(&weight),
                                ignore_index,
                                reduction,
                                label_smoothing,
                                ..Default::default()
                            };
                            let o = &options;
                            check(
                                &mut rng,
                                Check {
                                    label: format!(
                                        "cross_entropy {reduction} {kind} \
                                         label_smoothing={label_smoothing} weight={weighted} \
                                         ignore_index={ignore_index} shape={shape:?}"
                                    ),
                                    inputs: vec![("input", input)],
                                    forward: Box::new(move |x| {
                                        reference::cross_entropy(&x[0], target, o)
                                    }),
                                    backward: Box::new(move |x, g| {
                                        reference::cross_entropy_backward(&x[0], target, o, g)
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
