//! Finite differences for `cosine_embedding_loss`.

use lossparity_reference::{self as reference, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

/// The cosine of each broadcast pair, as the loss computes it (squared norms plus EPS).
fn cosines(input1: &Tensor, input2: &Tensor) -> Vec<f64> {
    let eps = 1e-12_f32 as f64;
    let rows = |x: &Tensor| -> Tensor {
        match x.ndim() {
            1 => Tensor::new(vec![1, x.numel()], x.data().to_vec()).unwrap(),
            _ => x.clone(),
        }
    };
    let (x1, x2) = (rows(input1), rows(input2));
    let dot = |a: &[f64], b: &[f64]| -> f64 {
        let len = a.len().max(b.len());
        (0..len).map(|k| a[k % a.len()] * b[k % b.len()]).sum()
    };
    let (d1, d2) = (x1.shape()[1], x2.shape()[1]);
    let pairs = x1.shape()[0].max(x2.shape()[0]);
    (0..pairs)
        .map(|i| {
            let a = &x1.data()[(i % x1.shape()[0]) * d1..][..d1];
            let b = &x2.data()[(i % x2.shape()[0]) * d2..][..d2];
            dot(a, b) / ((dot(a, a) + eps) * (dot(b, b) + eps)).sqrt()
        })
        .collect()
}

#[test]
fn cosine_embedding_loss() {
    let mut rng = StdRng::seed_from_u64(51);
    // (input1, input2, target): same shapes, a broadcast row, a broadcast feature, a target
    // repeated over the pairs, and a single pair with a 0-d target.
    let shapes: [(&[usize], &[usize], &[usize]); 5] = [
        (&[3, 4], &[3, 4], &[3]),
        (&[3, 4], &[1, 4], &[3]),
        (&[3, 4], &[3, 1], &[3]),
        (&[1, 4], &[1, 4], &[3]),
        (&[4], &[4], &[]),
    ];
    for reduction in REDUCTIONS {
        for margin in [0.0, 0.3, -0.5] {
            for (shape1, shape2, target_shape) in shapes {
                let mut done = 0;
                while done < TRIALS {
                    let input1 = uniform(&mut rng, shape1, -2.0, 2.0);
                    let input2 = uniform(&mut rng, shape2, -2.0, 2.0);
                    // Mostly ±1, sometimes a target that selects neither term.
                    let labels = [1.0, -1.0, 1.0, -1.0, 0.5];
                    let n = target_shape.iter().product();
                    let target = (0..n).map(|_| labels[rng.random_range(0..labels.len())]);
                    let target = Tensor::new(target_shape.to_vec(), target.collect()).unwrap();
                    // Away from the kink cos == margin of the y = -1 hinge.
                    let cos = cosines(&input1, &input2);
                    if cos.iter().any(|c| (c - margin).abs() < 1e-2) {
                        continue;
                    }
                    done += 1;
                    let options = reference::CosineEmbeddingLossOptions {
                        margin,
                        reduction,
                        ..Default::default()
                    };
                    let (t, o) = (&target, &options);
                    check(
                        &mut rng,
                        Check {
                            label: format!(
                                "cosine_embedding_loss {reduction} margin={margin} \
                                 shapes={shape1:?} {shape2:?} {target_shape:?}"
                            ),
                            inputs: vec![("input1", input1), ("input2", input2)],
                            forward: Box::new(move |x| {
                                reference::cosine_embedding_loss(&x[0], &x[1], t, o)
                            }),
                            backward: Box::new(move |x, g| {
                                reference::cosine_embedding_loss_backward(&x[0], &x[1], t, o, g)
                            }),
                        },
                    );
                }
            }
        }
    }
}
