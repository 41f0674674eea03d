//! Finite differences for `huber_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn huber_loss() {
    let mut rng = StdRng::seed_from_u64(33);
    for reduction in REDUCTIONS {
        for delta in [1.0, 0.3, 2.5] {
            for weighted in [false, true] {
                for target_shape in [&[2, 3][..], &[3][..]] {
                    let mut done = 0;
                    while done < TRIALS {
                        let input = uniform(&mut rng, &[2, 3], -3.0, 3.0);
                        let target = uniform(&mut rng, target_shape, -3.0, 3.0);
                        let weight = uniform(&mut rng, &[2, 3], 0.5, 2.0);
                        // Both branches, away from the kinks |x - y| == delta.
                        let y = target.expand(input.shape()).unwrap();
                        let near_kink = (0..input.numel())
                            .any(|i| ((input.at(i) - y.at(i)).abs() - delta).abs() < 1e-2);
                        if near_kink {
                            continue;
                        }
                        done += 1;
                        let options = reference::HuberLossOptions {
                            reduction,
                            delta,
                            weight: weighted.then_some(&weight),
                        };
                        let (t, o) = (&target, &options);
                        check(
                            &mut rng,
                            Check {
                                label: format!(
                                    "huber_loss {reduction} delta={delta} weight={weighted} \
                                     target={target_shape:?}"
                                ),
                                inputs: vec![("input", input)],
                                forward: Box::new(move |x| reference::huber_loss(&x[0], t, o)),
                                backward: Box::new(move |x, g| {
                                    reference::huber_loss_backward(&x[0], t, o, g)
                                }),
                            },
                        );
                    }
                }
            }
        }
    }
}
