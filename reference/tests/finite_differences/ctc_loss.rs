//! Finite differences for `ctc_loss`.
//!
//! PyTorch's gradient with respect to `log_probs` is not the derivative of the loss: it adds
//! `exp(log_probs)·g_b` at every frame `t < T_b` of every sample whose gradient is not zeroed
//! (spec/ctc_loss.md, `## Gradient`). The check takes that documented term off the analytic
//! gradient and compares the rest with finite differences, on unnormalised log-probabilities
//! (where the term does not cancel).

use lossparity_reference::{self as reference, InputGradients, Tensor};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

/// Frames and classes.
const T: usize = 7;
const C: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Layout {
    /// `(T, N, C)` with `(N, S)` padded targets.
    Padded,
    /// `(T, N, C)` with 1-D concatenated targets.
    Concatenated,
    /// `(T, C)`, one sample.
    Unbatched,
}

#[test]
fn ctc_loss() {
    let mut rng = StdRng::seed_from_u64(39);
    for reduction in REDUCTIONS {
        for zero_infinity in [false, true] {
            for blank in [0, C as i64 - 1] {
                for layout in [Layout::Padded, Layout::Concatenated, Layout::Unbatched] {
                    for _ in 0..TRIALS {
                        let batch = if layout == Layout::Unbatched { 1 } else { 3 };
                        let shape = if layout == Layout::Unbatched {
                            vec![T, C]
                        } else {
                            vec![T, batch, C]
                        };
                        // Not normalised: PyTorch's extra term would cancel in a log_softmax.
                        let log_probs = uniform(&mut rng, &shape, -3.0, 0.5);
                        let mut input_lengths = Vec::new();
                        let mut labels = Vec::new();
                        for b in 0..batch {
                            let input_length = rng.random_range(1..=T);
                            // With zero_infinity, the last sample of a batch is impossible (an
                            // infinite loss, zeroed with its gradient); otherwise 2L + 1 <= T_b
                            // makes every sample possible, repeated labels included.
                            let impossible = zero_infinity && batch > 1 && b == batch - 1;
                            let (input_length, target_length) = if impossible {
                                (1, 2)
                            } else {
                                (input_length, rng.random_range(0..=(input_length - 1) / 2))
                            };
                            input_lengths.push(input_length as i64);
                            labels.push(
                                (0..target_length)
                                    .map(|_| (blank + rng.random_range(1..C as i64)) % C as i64)
                                    .collect::<Vec<i64>>(),
                            );
                        }
                        let target_lengths: Vec<i64> =
                            labels.iter().map(|l| l.len() as i64).collect();
                        let targets = match layout {
                            Layout::Padded => {
                                let width = 3;
                                let mut padded = vec![0; batch * width];
                                for (b, l) in labels.iter().enumerate() {
                                    padded[b * width..b * width + l.len()].copy_from_slice(l);
                                }
                                Tensor::new(vec![batch, width], padded).unwrap()
                            }
                            _ => Tensor::vector(labels.concat()),
                        };
                        let input_lengths = Tensor::vector(input_lengths);
                        let target_lengths = Tensor::vector(target_lengths);
                        let options = reference::CtcLossOptions {
                            blank,
                            reduction,
                            zero_infinity,
                        };
                        let (tg, il, tl, o) = (&targets, &input_lengths, &target_lengths, &options);
                        check(
                            &mut rng,
                            Check {
                                label: format!(
                                    "ctc_loss {reduction} zero_infinity={zero_infinity} \
                                     blank={blank} {layout:?}"
                                ),
                                inputs: vec![("log_probs", log_probs)],
                                forward: Box::new(move |x| {
                                    reference::ctc_loss(&x[0], tg, il, tl, o)
                                }),
                                backward: Box::new(move |x, g| {
                                    let grads =
                                        reference::ctc_loss_backward(&x[0], tg, il, tl, o, g)?;
                                    Ok(without_exp_term(grads, &x[0], il, tl, o, g))
                                }),
                            },
                        );
                    }
                }
            }
        }
    }
}

/// PyTorch's gradient minus its `exp(log_probs)·g_b` term at the frames `t < T_b` of the
/// samples whose gradient is not zeroed (here: those with a possible alignment).
fn without_exp_term(
    mut grads: InputGradients,
    log_probs: &Tensor,
    input_lengths: &Tensor<i64>,
    target_lengths: &Tensor<i64>,
    options: &reference::CtcLossOptions,
    grad_output: &Tensor,
) -> InputGradients {
    let grad = grads.remove("log_probs").unwrap();
    let batch = input_lengths.numel();
    let mut data = grad.data().to_vec();
    for b in 0..batch {
        let (input_length, target_length) = (input_lengths.at(b), target_lengths.at(b));
        if options.zero_infinity && 2 * target_length + 1 > input_length {
            continue;
        }
        let g = match options.reduction {
            "none" => grad_output.at(b),
            "sum" => grad_output.at(0),
            _ => grad_output.at(0) / batch as f64 / target_length.max(1) as f64,
        };
        for t in 0..input_length as usize {
            for c in 0..C {
                let i = (t * batch + b) * C + c;
                data[i] -= log_probs.at(i).exp() * g;
            }
        }
    }
    grads.insert(
        "log_probs",
        Tensor::new(grad.shape().to_vec(), data).unwrap(),
    );
    grads
}
