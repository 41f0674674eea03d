//! Finite differences for `kl_div`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, TRIALS};

#[test]
fn kl_div() {
    let mut rng = StdRng::seed_from_u64(1);
    for reduction in ["none", "mean", "sum", "batchmean"] {
        for log_target in [false, true] {
            for _ in 0..TRIALS {
                let input = uniform(&mut rng, &[3, 4], -3.0, 0.0);
                let target = if log_target {
                    uniform(&mut rng, &[4], -3.0, 0.0)
                } else {
                    uniform(&mut rng, &[4], 0.05, 1.0)
                };
                let options = reference::KlDivOptions {
                    reduction,
                    log_target,
                    ..Default::default()
                };
                let (t, o) = (&target, &options);
                check(
                    &mut rng,
                    Check {
                        label: format!("kl_div {reduction} log_target={log_target}"),
                        inputs: vec![("input", input)],
                        forward: Box::new(move |x| reference::kl_div(&x[0], t, o)),
                        backward: Box::new(move |x, g| reference::kl_div_backward(&x[0], t, o, g)),
                    },
                );
            }
        }
    }
}
