//! Finite differences for `hinge_embedding_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, signs, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn hinge_embedding_loss() {
    let mut rng = StdRng::seed_from_u64(5);
    for reduction in REDUCTIONS {
        for margin in [1.0, 0.3] {
            let mut done = 0;
            while done < TRIALS {
                let input = uniform(&mut rng, &[2, 3], -2.0, 2.0);
                if input.data().iter().any(|x| (margin - x).abs() < 1e-2) {
                    continue;
                }
                done += 1;
                let target = signs(&mut rng, &[2, 3]);
                let options = reference::HingeEmbeddingLossOptions {
                    margin,
                    reduction,
                    ..Default::default()
                };
                let (t, o) = (&target, &options);
                check(
                    &mut rng,
                    Check {
                        label: format!("hinge_embedding_loss {reduction} margin={margin}"),
                        inputs: vec![("input", input)],
                        forward: Box::new(move |x| reference::hinge_embedding_loss(&x[0], t, o)),
                        backward: Box::new(move |x, g| {
                            reference::hinge_embedding_loss_backward(&x[0], t, o, g)
                        }),
                    },
                );
            }
        }
    }
}
