//! Finite differences for `multilabel_margin_loss`.

use lossparity_reference::{self as reference, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

#[test]
fn multilabel_margin_loss() {
    let mut rng = StdRng::seed_from_u64(6);
    for reduction in REDUCTIONS {
        for shape in [&[5][..], &[3, 5][..]] {
            let mut done = 0;
            while done < TRIALS {
                let input = uniform(&mut rng, shape, -1.0, 1.0);
                let rows = if shape.len() == 2 { shape[0] } else { 1 };
                let mut target = Vec::new();
                for _ in 0..rows {
                    let labels = rng.random_range(0..4);
                    target.extend((0..5).map(|j| {
                        if j < labels {
                            rng.random_range(0..5)
                        } else {
                            -1
                        }
                    }));
                }
                let target = Tensor::new(shape.to_vec(), target).unwrap();
                // Away from the kinks 1 - x[y] + x[i] = 0.
                let near_kink = (0..rows).any(|n| {
                    let x = &input.data()[n * 5..(n + 1) * 5];
                    x.iter()
                        .any(|a| x.iter().any(|b| (1.0 - a + b).abs() < 1e-2))
                });
                if near_kink {
                    continue;
                }
                done += 1;
                let options = reference::MultilabelMarginLossOptions {
                    reduction,
                    ..Default::default()
                };
                let (t, o) = (&target, &options);
                check(
                    &mut rng,
                    Check {
                        label: format!("multilabel_margin_loss {reduction} shape={shape:?}"),
                        inputs: vec![("input", input)],
                        forward: Box::new(move |x| reference::multilabel_margin_loss(&x[0], t, o)),
                        backward: Box::new(move |x, g| {
                            reference::multilabel_margin_loss_backward(&x[0], t, o, g)
                        }),
                    },
                );
            }
        }
    }
}
