//! Finite differences for `binary_cross_entropy`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn binary_cross_entropy() {
    let mut rng = StdRng::seed_from_u64(2);
    for reduction in REDUCTIONS {
        for weighted in [false, true] {
            for _ in 0..TRIALS {
                let input = uniform(&mut rng, &[2, 3], 0.05, 0.95);
                let target = uniform(&mut rng, &[2, 3], 0.0, 1.0);
                let weight = uniform(&mut rng, &[3], 0.5, 2.0);
                let options = reference::BinaryCrossEntropyOptions {
                    weight: weighted.then_some(&weight),
                    reduction,
                    ..Default::default()
                };
                let (t, o) = (&target, &options);
                check(
                    &mut rng,
                    Check {
                        label: format!("binary_cross_entropy {reduction} weighted={weighted}"),
                        inputs: vec![("input", input)],
                        forward: Box::new(move |x| reference::binary_cross_entropy(&x[0], t, o)),
                        backward: Box::new(move |x, g| {
                            reference::binary_cross_entropy_backward(&x[0], t, o, g)
                        }),
                    },
                );
            }
        }
    }
}
