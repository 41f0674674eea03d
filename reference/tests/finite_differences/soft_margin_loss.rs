//! Finite differences for `soft_margin_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, signs, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn soft_margin_loss() {
    let mut rng = StdRng::seed_from_u64(35);
    for reduction in REDUCTIONS {
        for target_shape in [&[2, 3][..], &[3][..]] {
            // Labels of ±1, and (used as a plain multiplier) any real target.
            for signed in [true, false] {
                for _ in 0..TRIALS {
                    let input = uniform(&mut rng, &[2, 3], -4.0, 4.0);
                    let target = if signed {
                        signs(&mut rng, target_shape)
                    } else {
                        uniform(&mut rng, target_shape, -2.0, 2.0)
                    };
                    let options = reference::SoftMarginLossOptions {
                        reduction,
                        ..Default::default()
                    };
                    let (t, o) = (&target, &options);
                    check(
                        &mut rng,
                        Check {
                            label: format!(
                                "soft_margin_loss {reduction} target={target_shape:?} \
                                 signs={signed}"
                            ),
                            inputs: vec![("input", input)],
                            forward: Box::new(move |x| reference::soft_margin_loss(&x[0], t, o)),
                            backward: Box::new(move |x, g| {
                                reference::soft_margin_loss_backward(&x[0], t, o, g)
                            }),
                        },
                    );
                }
            }
        }
    }
}
