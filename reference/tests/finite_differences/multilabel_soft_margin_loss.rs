//! Finite differences for `multilabel_soft_margin_loss`.

use lossparity_reference as reference;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn multilabel_soft_margin_loss() {
    let mut rng = StdRng::seed_from_u64(38);
    // (input, target): one sample, a batch, and an input broadcast against a batch of targets
    // (the class sum then runs over the broadcast dimension, as PyTorch's does).
    let shapes: [(&[usize], &[usize]); 3] = [(&[4], &[4]), (&[3, 4], &[3, 4]), (&[4], &[3, 4])];
    // No weight, one per class, one per sample, and one that adds a leading dimension.
    let weights: [Option<&[usize]>; 4] = [None, Some(&[4]), Some(&[3, 1]), Some(&[2, 1, 4])];
    for reduction in REDUCTIONS {
        for (input_shape, target_shape) in shapes {
            for weight_shape in weights {
                for _ in 0..TRIALS {
                    let input = uniform(&mut rng, input_shape, -4.0, 4.0);
                    let target = uniform(&mut rng, target_shape, 0.0, 1.0);
                    let weight = weight_shape.map(|shape| uniform(&mut rng, shape, 0.5, 2.0));
                    let options = reference::MultilabelSoftMarginLossOptions {
                        weight: weight.as_ref(),
                        reduction,
                        ..Default::default()
                    };
                    let (t, o) = (&target, &options);
                    check(
                        &mut rng,
                        Check {
                            label: format!(
                                "multilabel_soft_margin_loss {reduction} input={input_shape:?} \
                                 target={target_shape:?} weight={weight_shape:?}"
                            ),
                            inputs: vec![("input", input)],
                            forward: Box::new(move |x| {
                                reference::multilabel_soft_margin_loss(&x[0], t, o)
                            }),
                            backward: Box::new(move |x, g| {
                                reference::multilabel_soft_margin_loss_backward(&x[0], t, o, g)
                            }),
                        },
                    );
                }
            }
        }
    }
}
