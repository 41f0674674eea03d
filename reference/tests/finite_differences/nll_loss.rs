//! Finite differences for `nll_loss`.

use lossparity_reference::{self as reference, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn nll_loss() {
    let mut rng = StdRng::seed_from_u64(55);
    // (input, target): one sample, a batch, a batch with an extra dimension.
    let shapes: [(&[usize], &[usize]); 3] = [(&[5], &[]), (&[3, 5], &[3]), (&[2, 5, 3], &[2, 3])];
    for reduction in REDUCTIONS {
        for weighted in [false, true] {
            for ignore_index in [-100, 2] {
                for (shape, target_shape) in shapes {
                    let mut done = 0;
                    while done < TRIALS {
                        let input = uniform(&mut rng, shape, -3.0, 0.0);
                        let positions = target_shape.iter().product();
                        let labels: Vec<i64> =
                            (0..positions).map(|_| rng.random_range(0..5)).collect();
                        // `mean` of nothing but ignored positions is NaN.
                        if labels.iter().all(|&y| y == ignore_index) {
                            continue;
                        }
                        done += 1;
                        let target = Tensor::new(target_shape.to_vec(), labels).unwrap();
                        let weight = uniform(&mut rng, &[5], 0.5, 2.0);
                        let options = reference::NllLossOptions {
                            weight: weighted.then_some(&weight),
                            ignore_index,
                            reduction,
                            ..Default::default()
                        };
                        let (t, o) = (&target, &options);
                        check(
                            &mut rng,
                            Check {
                                label: format!(
                                    "nll_loss {reduction} weight={weighted} \
                                     ignore_index={ignore_index} shape={shape:?}"
                                ),
                                inputs: vec![("input", input)],
                                forward: Box::new(move |x| reference::nll_loss(&x[0], t, o)),
                                backward: Box::new(move |x, g| {
                                    reference::nll_loss_backward(&x[0], t, o, g)
                                }),
                            },
                        );
                    }
                }
            }
        }
    }
}
