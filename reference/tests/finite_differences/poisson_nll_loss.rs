//! Finite differences for `poisson_nll_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn poisson_nll_loss() {
    let mut rng = StdRng::seed_from_u64(36);
    for reduction in REDUCTIONS {
        for log_input in [true, false] {
            for full in [false, true] {
                for eps in [1e-8, 0.5] {
                    // Broadcasting either way, so that the gradient is summed back.
                    for (input_shape, target_shape) in
                        [(&[2, 3][..], &[2, 3][..]), (&[2, 3], &[3]), (&[3], &[2, 3])]
                    {
                        for _ in 0..TRIALS {
                            // A log-rate of any sign, or a positive rate.
                            let input = if log_input {
                                uniform(&mut rng, input_shape, -2.0, 2.0)
                            } else {
                                uniform(&mut rng, input_shape, 0.2, 3.0)
                            };
                            let target = uniform(&mut rng, target_shape, 0.0, 4.0);
                            let options = reference::PoissonNllLossOptions {
                                log_input,
                                full,
                                eps,
                                reduction,
                                ..Default::default()
                            };
                            let (t, o) = (&target, &options);
                            check(
                                &mut rng,
                                Check {
                                    label: format!(
                                        "poisson_nll_loss {reduction} log_input={log_input} \
                                         full={full} eps={eps} input={input_shape:?} \
                                         target={target_shape:?}"
                                    ),
                                    inputs: vec![("input", input)],
                                    forward: Box::new(move |x| {
                                        reference::poisson_nll_loss(&x[0], t, o)
                                    }),
                                    backward: Box::new(move |x, g| {
                                        reference::poisson_nll_loss_backward(&x[0], t, o, g)
                                    }),
                                },
                            );
                        }
                    }
                }
            }
        }
    }
}
