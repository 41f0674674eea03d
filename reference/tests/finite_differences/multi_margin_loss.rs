//! Finite differences for `multi_margin_loss`.

use lossparity_reference::{self as reference, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn multi_margin_loss() {
    let mut rng = StdRng::seed_from_u64(54);
    // (input, target): a batch, one sample with a (1) target, one sample with a 0-d target.
    let shapes: [(&[usize], &[usize]); 3] = [(&[3, 5], &[3]), (&[5], &[1]), (&[5], &[])];
    for reduction in REDUCTIONS {
        for p in [1, 2] {
            for margin in [1.0, 0.3] {
                for weighted in [false, true] {
                    for (shape, target_shape) in shapes {
                        let mut done = 0;
                        while done < TRIALS {
                            let input = uniform(&mut rng, shape, -1.0, 1.0);
                            let rows = target_shape.iter().product();
                            let labels = (0..rows).map(|_| rng.random_range(0..5));
                            let target =
                                Tensor::new(target_shape.to_vec(), labels.collect()).unwrap();
                            let weight = uniform(&mut rng, &[5], 0.5, 2.0);
                            // Away from the kinks margin - x[y] + x[i] == 0.
                            let near_kink = (0..rows).any(|n| {
                                let x = &input.data()[n * 5..(n + 1) * 5];
                                let t = target.at(n) as usize;
                                x.iter().any(|&xi| (margin - x[t] + xi).abs() < 1e-2)
                            });
                            if near_kink {
                                continue;
                            }
                            done += 1;
                            let options = reference::MultiMarginLossOptions {
                                p,
                                margin,
                                weight: weighted.then_some(&weight),
                                reduction,
                                ..Default::default()
                            };
                            let (t, o) = (&target, &options);
                            check(
                                &mut rng,
                                Check {
                                    label: format!(
                                        "multi_margin_loss {reduction} p={p} margin={margin} \
                                         weight={weighted} shape={shape:?} \
                                         target={target_shape:?}"
                                    ),
                                    inputs: vec![("input", input)],
                                    forward: Box::new(move |x| {
                                        reference::multi_margin_loss(&x[0], t, o)
                                    }),
                                    backward: Box::new(move |x, g| {
                                        reference::multi_margin_loss_backward(&x[0], t, o, g)
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
