//! Finite differences for `l1_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn l1_loss() {
    let mut rng = StdRng::seed_from_u64(31);
    for reduction in REDUCTIONS {
        for weighted in [false, true] {
            for target_shape in [&[2, 3][..], &[3][..]] {
                let mut done = 0;
                while done < TRIALS {
                    let input = uniform(&mut rng, &[2, 3], -2.0, 2.0);
                    let target = uniform(&mut rng, target_shape, -2.0, 2.0);
                    let weight = uniform(&mut rng, &[2, 3], 0.5, 2.0);
                    // Away from the kink x == y.
                    let y = target.expand(input.shape()).unwrap();
                    if (0..input.numel()).any(|i| (input.at(i) - y.at(i)).abs() < 1e-2) {
                        continue;
                    }
                    done += 1;
                    let options = reference::L1LossOptions {
                        reduction,
                        weight: weighted.then_some(&weight),
                        ..Default::default()
                    };
                    let (t, o) = (&target, &options);
                    check(
                        &mut rng,
                        Check {
                            label: format!(
                                "l1_loss {reduction} weight={weighted} target={target_shape:?}"
                            ),
                            inputs: vec![("input", input)],
                            forward: Box::new(move |x| reference::l1_loss(&x[0], t, o)),
                            backward: Box::new(move |x, g| {
                                reference::l1_loss_backward(&x[0], t, o, g)
                            }),
                        },
                    );
                }
            }
        }
    }
}
