//! Finite differences for `gaussian_nll_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn gaussian_nll_loss() {
    let mut rng = StdRng::seed_from_u64(37);
    // (input, target, var): heteroscedastic, var one dimension short (unsqueezed), var with one
    // mismatched dimension of size 1 (either one), and an input broadcast against its target.
    let shapes: [(&[usize], &[usize], &[usize]); 6] = [
        (&[2, 3], &[2, 3], &[2, 3]),
        (&[2, 3], &[2, 3], &[2]),
        (&[2, 3], &[2, 3], &[2, 1]),
        (&[2, 3], &[3], &[1, 3]),
        (&[3], &[2, 3], &[3]),
        (&[3], &[2, 1], &[1]),
    ];
    for reduction in REDUCTIONS {
        for full in [false, true] {
            // Variances stay above eps: below it the clamp passes the gradient straight through,
            // which is not the derivative.
            for eps in [1e-6, 0.1] {
                for (input_shape, target_shape, var_shape) in shapes {
                    for _ in 0..TRIALS {
                        let input = uniform(&mut rng, input_shape, -2.0, 2.0);
                        let target = uniform(&mut rng, target_shape, -2.0, 2.0);
                        let var = uniform(&mut rng, var_shape, 0.2, 3.0);
                        let options = reference::GaussianNllLossOptions {
                            full,
                            eps,
                            reduction,
                        };
                        let (t, o) = (&target, &options);
                        check(
                            &mut rng,
                            Check {
                                label: format!(
                                    "gaussian_nll_loss {reduction} full={full} eps={eps} \
                                     input={input_shape:?} target={target_shape:?} \
                                     var={var_shape:?}"
                                ),
                                inputs: vec![("input", input), ("var", var)],
                                forward: Box::new(move |x| {
                                    reference::gaussian_nll_loss(&x[0], t, &x[1], o)
                                }),
                                backward: Box::new(move |x, g| {
                                    reference::gaussian_nll_loss_backward(&x[0], t, &x[1], o, g)
                                }),
                            },
                        );
                    }
                }
            }
        }
    }
}
