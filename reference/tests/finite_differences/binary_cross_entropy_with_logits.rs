//! Finite differences for `binary_cross_entropy_with_logits`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn binary_cross_entropy_with_logits() {
    let mut rng = StdRng::seed_from_u64(3);
    for reduction in REDUCTIONS {
        for (weighted, pos_weighted) in [(false, false), (true, false), (false, true), (true, true)]
        {
            for _ in 0..TRIALS {
                let input = uniform(&mut rng, &[2, 3], -5.0, 5.0);
                let target = uniform(&mut rng, &[2, 3], 0.0, 1.0);
                let weight = uniform(&mut rng, &[2, 1], 0.5, 2.0);
                let pos_weight = uniform(&mut rng, &[3], 0.5, 4.0);
                let options = reference::BinaryCrossEntropyWithLogitsOptions {
                    weight: weighted.then_some(&weight),
                    pos_weight: pos_weighted.then_some(&pos_weight),
                    reduction,
                    ..Default::default()
                };
                let (t, o) = (&target, &options);
                check(
                    &mut rng,
                    Check {
                        label: format!(
                            "binary_cross_entropy_with_logits {reduction} weight={weighted} \
                             pos_weight={pos_weighted}"
                        ),
                        inputs: vec![("input", input)],
                        forward: Box::new(move |x| {
                            reference::binary_cross_entropy_with_logits(&x[0], t, o)
                        }),
                        backward: Box::new(move |x, g| {
                            reference::binary_cross_entropy_with_logits_backward(&x[0], t, o, g)
                        }),
                    },
                );
            }
        }
    }
}
