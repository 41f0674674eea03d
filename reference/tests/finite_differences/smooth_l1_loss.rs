//! Finite differences for `smooth_l1_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn smooth_l1_loss() {
    let mut rng = StdRng::seed_from_u64(34);
    for reduction in REDUCTIONS {
        // beta = 0 is the L1 loss, with its kink at x == y.
        for beta in [1.0, 0.3, 2.5, 0.0] {
            for target_shape in [&[2, 3][..], &[3][..]] {
                let mut done = 0;
                while done < TRIALS {
                    let input = uniform(&mut rng, &[2, 3], -3.0, 3.0);
                    let target = uniform(&mut rng, target_shape, -3.0, 3.0);
                    // Both branches, away from the kinks |x - y| == beta.
                    let y = target.expand(input.shape()).unwrap();
                    let near_kink = (0..input.numel())
                        .any(|i| ((input.at(i) - y.at(i)).abs() - beta).abs() < 1e-2);
                    if near_kink {
                        continue;
                    }
                    done += 1;
                    let options = reference::SmoothL1LossOptions {
                        reduction,
                        beta,
                        ..Default::default()
                    };
                    let (t, o) = (&target, &options);
                    check(
                        &mut rng,
                        Check {
                            label: format!(
                                "smooth_l1_loss {reduction} beta={beta} target={target_shape:?}"
                            ),
                            inputs: vec![("input", input)],
                            forward: Box::new(move |x| reference::smooth_l1_loss(&x[0], t, o)),
                            backward: Box::new(move |x, g| {
                                reference::smooth_l1_loss_backward(&x[0], t, o, g)
                            }),
                        },
                    );
                }
            }
        }
    }
}
