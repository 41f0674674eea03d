//! Finite differences for `mse_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn mse_loss() {
    let mut rng = StdRng::seed_from_u64(32);
    for reduction in REDUCTIONS {
        for weighted in [false, true] {
            for (input_shape, target_shape) in [(&[2, 3][..], &[2, 3][..]), (&[2, 3], &[3])] {
                for _ in 0..TRIALS {
                    let input = uniform(&mut rng, input_shape, -2.0, 2.0);
                    let target = uniform(&mut rng, target_shape, -2.0, 2.0);
                    let weight = uniform(&mut rng, input_shape, 0.5, 2.0);
                    let options = reference::MseLossOptions {
                        reduction,
                        weight: weighted.then_some(&weight),
                        ..Default::default()
                    };
                    let (t, o) = (&target, &options);
                    check(
                        &mut rng,
                        Check {
                            label: format!(
                                "mse_loss {reduction} weight={weighted} target={target_shape:?}"
                            ),
                            inputs: vec![("input", input)],
                            forward: Box::new(move |x| reference::mse_loss(&x[0], t, o)),
                            backward: Box::new(move |x, g| {
                                reference::mse_loss_backward(&x[0], t, o, g)
                            }),
                        },
                    );
                }
            }
        }
    }
}
