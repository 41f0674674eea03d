//! Finite differences for `margin_ranking_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, signs, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn margin_ranking_loss() {
    let mut rng = StdRng::seed_from_u64(4);
    for reduction in REDUCTIONS {
        for margin in [0.0, 0.5] {
            let mut done = 0;
            while done < TRIALS {
                let input1 = uniform(&mut rng, &[4], -2.0, 2.0);
                let input2 = uniform(&mut rng, &[1], -2.0, 2.0);
                let target = signs(&mut rng, &[4]);
                // Away from the kink z = 0.
                let near_kink = (0..4).any(|i| {
                    let z = -target.at(i) * (input1.at(i) - input2.at(0)) + margin;
                    z.abs() < 1e-2
                });
                if near_kink {
                    continue;
                }
                done += 1;
                let options = reference::MarginRankingLossOptions {
                    margin,
                    reduction,
                    ..Default::default()
                };
                let (t, o) = (&target, &options);
                check(
                    &mut rng,
                    Check {
                        label: format!("margin_ranking_loss {reduction} margin={margin}"),
                        inputs: vec![("input1", input1), ("input2", input2)],
                        forward: Box::new(move |x| {
                            reference::margin_ranking_loss(&x[0], &x[1], t, o)
                        }),
                        backward: Box::new(move |x, g| {
                            reference::margin_ranking_loss_backward(&x[0], &x[1], t, o, g)
                        }),
                    },
                );
            }
        }
    }
}
