//! `torch.nn.functional.ctc_loss` — spec/ctc_loss.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.ctc_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CtcLossOptions<'a> {
    /// The class index of the blank label, in `[0, C)`; default 0.
    pub blank: i64,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// Whether an infinite loss (an impossible alignment) is replaced by 0; default false.
    pub zero_infinity: bool,
}

impl Default for CtcLossOptions<'_> {
    fn default() -> Self {
        CtcLossOptions {
            blank: 0,
            reduction: "mean",
            zero_infinity: false,
        }
    }
}

/// Connectionist Temporal Classification loss of `log_probs` (`(T, N, C)`, or `(T, C)`
/// unbatched) against label sequences `targets` (`(N, S)` padded, or 1-D concatenated).
///
/// Per sample `b`, with input length `T_b`, target `l` of length `L` and the extended sequence
/// `l' = (blank, l_1, blank, l_2, …, l_L, blank)` of length `2L + 1`, in log space:
/// ```text
/// α[0][0] = lp[0][blank],   α[0][1] = lp[0][l_1] (L > 0),   α[0][s] = -inf otherwise
/// α[t][s] = logsumexp(α[t-1][s], α[t-1][s-1], α[t-1][s-2] if l'[s] != l'[s-2]) + lp[t][l'[s]]
/// loss_b  = -logsumexp(α[T_b-1][2L], α[T_b-1][2L-1])      (-α[T_b-1][0] when L = 0)
/// ```
/// `T_b = 0` gives `-0.0` for `L = 0` and `inf` otherwise. With `zero_infinity`, `+inf` losses
/// become 0. `none` gives `(N)` (a scalar when unbatched), `sum` the sum, and `mean`
/// `Σ_b (loss_b / max(L_b, 1)) / N`.
///
/// PyTorch does not check the target labels; here a label outside `[0, C)` (which PyTorch
/// reads out of bounds) is `invalid_value`, and a label equal to `blank` is used as given.
pub fn ctc_loss(
    log_probs: &Tensor,
    targets: &Tensor<i64>,
    input_lengths: &Tensor<i64>,
    target_lengths: &Tensor<i64>,
    options: &CtcLossOptions,
) -> Result<Tensor, LossError> {
    let call = CtcCall::new(log_probs, targets, input_lengths, target_lengths, options)?;
    let mut losses: Vec<f64> = (0..call.batch)
        .map(|b| call.sample(b).forward_variables().0)
        .collect();
    if options.zero_infinity {
        for loss in &mut losses {
            if *loss == f64::INFINITY {
                *loss = 0.0;
            }
        }
    }
    Ok(match call.reduction {
        Reduction::None if call.batched => Tensor::vector(losses),
        Reduction::None => Tensor::scalar(losses[0]),
        Reduction::Sum => Tensor::scalar(losses.iter().sum()),
        Reduction::Mean => {
            // Each loss is divided by its target length (at least 1), then averaged.
            let total: f64 = losses
                .iter()
                .zip(call.target_lengths)
                .map(|(&loss, &length)| loss / length.max(1) as f64)
                .sum();
            Tensor::scalar(total / call.batch as f64)
        }
    })
}

/// The gradient of [`ctc_loss`] with respect to `log_probs`, given the gradient `grad_output`
/// of its result, as ATen's CPU `ctc_loss_backward` kernel computes it (spec/ctc_loss.md,
/// `## Gradient`). Per sample `b`, with `β` computed like `α` from the last frame and
/// `γ[t][c] = log Σ_{s : l'[s] = c} exp(α[t][s] + β[t][s])`:
///
/// ```text
/// grad[t][b][c] = (exp(lp[t][c]) - exp(γ[t][c] + loss_b - lp[t][c]))·g_b     (t < T_b)
/// grad[t][b][c] = 0                                                         (t ≥ T_b)
/// g_b = g[b] (none), g (sum), (g / N) / max(L_b, 1) (mean)
/// ```
/// This is PyTorch's value, not the derivative of the loss: it includes `exp(lp)·g_b`, the
/// term that makes it the gradient with respect to the logits behind a `log_softmax`. With
/// `zero_infinity`, a sample whose loss is `+inf` gets 0 everywhere; without it, NaN for every
/// `t < T_b`.
pub fn ctc_loss_backward(
    log_probs: &Tensor,
    targets: &Tensor<i64>,
    input_lengths: &Tensor<i64>,
    target_lengths: &Tensor<i64>,
    options: &CtcLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = CtcCall::new(log_probs, targets, input_lengths, target_lengths, options)?;
    let batch = call.batch;
    // The gradient flowing into each sample's raw loss, through the reduction.
    let incoming: Vec<f64> = match call.reduction {
        // Unbatched, the result is the one loss squeezed to a scalar.
        Reduction::None => {
            let shape: &[usize] = if call.batched { &[batch] } else { &[] };
            Reduction::None.backward(grad_output, shape)?.into_data()
        }
        Reduction::Sum => Reduction::Sum.backward(grad_output, &[batch])?.into_data(),
        // The mean's share `g / N`, then the division by the clamped target length.
        Reduction::Mean => Reduction::Mean
            .backward(grad_output, &[batch])?
            .data()
            .iter()
            .zip(call.target_lengths)
            .map(|(&g, &length)| g / length.max(1) as f64)
            .collect(),
    };
    let (max_input_length, classes) = (call.max_input_length, call.classes);
    let mut grad = vec![0.0; max_input_length * batch * classes];
    for b in 0..batch {
        let sample = call.sample(b);
        let (nll, alpha) = sample.forward_variables();
        if options.zero_infinity && nll == f64::INFINITY {
            // The whole sample's gradient is zeroed, frames past its length included.
            continue;
        }
        let collected = sample.collected_alpha_beta(&alpha);
        let g = incoming[b];
        for (t, row) in collected.iter().enumerate() {
            for (c, &res) in row.iter().enumerate() {
                let lp = sample.lp(t, c);
                grad[(t * batch + b) * classes + c] = (lp.exp() - (res + nll - lp).exp()) * g;
            }
        }
    }
    let grad = Tensor::new(log_probs.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("log_probs", grad)]))
}

/// A validated call: the sizes, the lengths, where each sample's labels start, and how to
/// reduce.
struct CtcCall<'a> {
    log_probs: &'a Tensor,
    targets: &'a Tensor<i64>,
    input_lengths: &'a [i64],
    target_lengths: &'a [i64],
    offsets: Vec<usize>,
    /// Whether `log_probs` is 3-D (else unbatched, `N = 1`).
    batched: bool,
    max_input_length: usize,
    batch: usize,
    classes: usize,
    blank: usize,
    reduction: Reduction,
}

impl<'a> CtcCall<'a> {
    /// PyTorch's checks, in its order.
    fn new(
        log_probs: &'a Tensor,
        targets: &'a Tensor<i64>,
        input_lengths: &'a Tensor<i64>,
        target_lengths: &'a Tensor<i64>,
        options: &CtcLossOptions,
    ) -> Result<Self, LossError> {
        let reduction = Reduction::parse(options.reduction)?;
        // A non-3-D `log_probs` is unsqueezed at dimension 1 (unbatched, N = 1) before any
        // other check; a 0-d tensor has no dimension 1.
        if log_probs.ndim() == 0 {
            return Err(LossError::invalid_shape(
                "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
            ));
        }
        let batched = log_probs.ndim() == 3;
        if log_probs.numel() == 0 {
            return Err(LossError::invalid_shape(
                "log_probs tensor must not be empty",
            ));
        }
        let (max_input_length, batch, classes) = match *log_probs.shape() {
            [t, n, c] => (t, n, c),
            [t, c] => (t, 1, c),
            ref shape => {
                return Err(LossError::invalid_shape(format!(
                    "expected a 3-dimensional log_probs (after unsqueezing), but got \
                     {}-dimensional (shape {shape:?})",
                    shape.len() + 1
                )))
            }
        };
        if !(1..=2).contains(&targets.ndim()) {
            return Err(LossError::invalid_shape(format!(
                "expected 1 to 2 dimensions, but got {}-dimensional tensor for argument #2 \
                 'targets'",
                targets.ndim()
            )));
        }
        if options.blank < 0 || options.blank >= classes as i64 {
            return Err(LossError::invalid_parameter("blank must be in label range"));
        }
        // Only the number of elements of the length tensors matters, not their shape.
        if input_lengths.numel() != batch {
            return Err(LossError::invalid_shape(
                "input_lengths must be of size batch_size",
            ));
        }
        if target_lengths.numel() != batch {
            return Err(LossError::invalid_shape(
                "target_lengths must be of size batch_size",
            ));
        }
        let target_lengths = target_lengths.data();
        let input_lengths = input_lengths.data();
        let negative_target_length =
            || LossError::invalid_value("expected target_lengths to have value at least 0");
        // Where each sample's labels start in `targets`, checked as PyTorch does.
        let mut offsets = Vec::with_capacity(batch);
        if targets.ndim() == 1 {
            // Concatenated: sample b's labels follow those of samples 0..b.
            let mut position: i64 = 0;
            for &length in target_lengths {
                if length < 0 {
                    return Err(negative_target_length());
                }
                offsets.push(position as usize);
                position = position.saturating_add(length);
            }
            if position != targets.shape()[0] as i64 {
                return Err(LossError::invalid_shape(format!(
                    "expected targets to have size {position} at dimension 0, but got size {}",
                    targets.shape()[0]
                )));
            }
        } else {
            // Padded: row b holds sample b's labels, then padding that is never read.
            let width = targets.shape()[1];
            let mut max_target_length = 0;
            for (b, &length) in target_lengths.iter().enumerate() {
                if length < 0 {
                    return Err(negative_target_length());
                }
                offsets.push(b * width);
                max_target_length = max_target_length.max(length);
            }
            if targets.shape()[0] != batch {
                return Err(LossError::invalid_shape(format!(
                    "expected targets to have size {batch} at dimension 0, but got size {}",
                    targets.shape()[0]
                )));
            }
            if max_target_length > width as i64 {
                return Err(LossError::invalid_shape(format!(
                    "expected targets to have size at least {max_target_length} at dimension \
                     1, but got size {width}"
                )));
            }
        }
        for &length in input_lengths {
            if length < 0 {
                return Err(LossError::invalid_value(format!(
                    "expected input_lengths to have value at least 0, but got value {length}"
                )));
            }
            if length > max_input_length as i64 {
                return Err(LossError::invalid_value(format!(
                    "expected input_lengths to have value at most {max_input_length}, but got \
                     value {length}"
                )));
            }
        }
        // Not checked by PyTorch (it reads out of bounds); refused here instead of guessed at.
        for b in 0..batch {
            let labels = &targets.data()[offsets[b]..offsets[b] + target_lengths[b] as usize];
            if let Some(&label) = labels.iter().find(|&&l| l < 0 || l >= classes as i64) {
                return Err(LossError::invalid_value(format!(
                    "target label {label} is not a class index in [0, {classes}); PyTorch does \
                     not check this and reads out of bounds"
                )));
            }
        }
        Ok(CtcCall {
            log_probs,
            targets,
            input_lengths,
            target_lengths,
            offsets,
            batched,
            max_input_length,
            batch,
            classes,
            blank: options.blank as usize,
            reduction,
        })
    }

    /// Sample `b`'s view of the call.
    fn sample(&self, b: usize) -> Sample<'_> {
        let target_length = self.target_lengths[b] as usize;
        Sample {
            call: self,
            b,
            labels: &self.targets.data()[self.offsets[b]..self.offsets[b] + target_length],
            input_length: self.input_lengths[b] as usize,
        }
    }
}

/// One sample of a [`CtcCall`]: its labels and input length.
struct Sample<'a> {
    call: &'a CtcCall<'a>,
    b: usize,
    labels: &'a [i64],
    input_length: usize,
}

impl Sample<'_> {
    /// The sample's log-probability of class `c` at time `t`.
    fn lp(&self, t: usize, c: usize) -> f64 {
        let call = self.call;
        call.log_probs
            .at((t * call.batch + self.b) * call.classes + c)
    }

    /// `l'[s]`: blank at even `s`, the `(s/2)`-th label at odd `s`.
    fn prime(&self, s: usize) -> usize {
        if s.is_multiple_of(2) {
            self.call.blank
        } else {
            self.labels[s / 2] as usize
        }
    }

    /// The number of states `2L + 1` of the extended label sequence.
    fn states(&self) -> usize {
        2 * self.labels.len() + 1
    }

    /// The sample's loss and its table `α[t][s]` (`t < T_b`) by ATen's CPU alpha recursion,
    /// including its order of operations and its treatment of `-inf` (a log-sum-exp whose
    /// terms are all `-inf` is `-inf`, not NaN).
    fn forward_variables(&self) -> (f64, Vec<Vec<f64>>) {
        let target_length = self.labels.len();
        let input_length = self.input_length;
        if input_length == 0 {
            let log_likelihood = if target_length == 0 {
                0.0
            } else {
                f64::NEG_INFINITY
            };
            return (-log_likelihood, Vec::new());
        }
        let states = self.states();
        let mut alpha = vec![vec![f64::NEG_INFINITY; states]; input_length];
        alpha[0][0] = self.lp(0, self.call.blank);
        if target_length > 0 {
            alpha[0][1] = self.lp(0, self.prime(1));
        }
        for t in 1..input_length {
            for s in 0..states {
                let previous = &alpha[t - 1];
                let la1 = previous[s];
                let la2 = if s > 0 {
                    previous[s - 1]
                } else {
                    f64::NEG_INFINITY
                };
                // The skip from s-2 is allowed only between different labels (a repeated
                // label needs a blank in between).
                let la3 = if s > 1 && self.prime(s - 2) != self.prime(s) {
                    previous[s - 2]
                } else {
                    f64::NEG_INFINITY
                };
                alpha[t][s] = log_sum_exp3(la1, la2, la3) + self.lp(t, self.prime(s));
            }
        }
        // α[T_b - 1].
        let last = &alpha[input_length - 1];
        if target_length == 0 {
            // No label, so no final label state to merge with the final blank.
            return (-last[0], alpha);
        }
        let l1 = last[2 * target_length];
        let l2 = last[2 * target_length - 1];
        // std::max(l1, l2): l1 unless l1 < l2 (so a NaN l1 is kept).
        let m = if l1 < l2 { l2 } else { l1 };
        let m = if m == f64::NEG_INFINITY { 0.0 } else { m };
        let log_likelihood = ((l1 - m).exp() + (l2 - m).exp()).ln() + m;
        (-log_likelihood, alpha)
    }

    /// `γ[t][c]` for `t < T_b`: the log of the sum of `exp(α[t][s] + β[t][s])` over the states
    /// `s` with label `c` (`-inf` where there is none), with `β` by ATen's CPU beta recursion
    /// and both in its order of operations.
    fn collected_alpha_beta(&self, alpha: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let input_length = self.input_length;
        let classes = self.call.classes;
        let blank = self.call.blank;
        let mut collected = vec![vec![f64::NEG_INFINITY; classes]; input_length];
        if input_length == 0 {
            return collected;
        }
        let target_length = self.labels.len();
        let states = self.states();
        let last = input_length - 1;
        let mut beta = vec![vec![f64::NEG_INFINITY; states]; input_length];
        // The last frame: only the final blank and the final label are assigned (the second
        // overwrites the first if the last label is the blank).
        beta[last][2 * target_length] = self.lp(last, blank);
        collected[last][blank] = alpha[last][2 * target_length] + beta[last][2 * target_length];
        if target_length > 0 {
            let label = self.prime(2 * target_length - 1);
            beta[last][2 * target_length - 1] = self.lp(last, label);
            collected[last][label] =
                alpha[last][2 * target_length - 1] + beta[last][2 * target_length - 1];
        }
        for t in (0..last).rev() {
            for s in (0..states).rev() {
                let next = &beta[t + 1];
                let lb1 = next[s];
                let lb2 = if s < 2 * target_length {
                    next[s + 1]
                } else {
                    f64::NEG_INFINITY
                };
                let lb3 = if s + 1 < 2 * target_length && self.prime(s + 2) != self.prime(s) {
                    next[s + 2]
                } else {
                    f64::NEG_INFINITY
                };
                let label = self.prime(s);
                beta[t][s] = log_sum_exp3(lb1, lb2, lb3) + self.lp(t, label);
                // collected[t][l'[s]] "log+=" α[t][s] + β[t][s].
                let log_alpha_beta = alpha[t][s] + beta[t][s];
                let lcab = &mut collected[t][label];
                if *lcab == f64::NEG_INFINITY {
                    *lcab = log_alpha_beta;
                } else {
                    // std::max(lcab, log_alpha_beta): lcab unless lcab < log_alpha_beta.
                    let max = if *lcab < log_alpha_beta {
                        log_alpha_beta
                    } else {
                        *lcab
                    };
                    *lcab = ((*lcab - max).exp() + (log_alpha_beta - max).exp()).ln() + max;
                }
            }
        }
        collected
    }
}

/// ATen's CTC log-sum-exp of three terms: the maximum by successive `>` comparisons from the
/// first (so a NaN first term is kept and later NaNs are not picked), replaced by 0 if it is
/// `-inf`, then `log(Σ exp(a - max)) + max`.
fn log_sum_exp3(a: f64, b: f64, c: f64) -> f64 {
    let mut max = a;
    if b > max {
        max = b;
    }
    if c > max {
        max = c;
    }
    if max == f64::NEG_INFINITY {
        max = 0.0;
    }
    ((a - max).exp() + (b - max).exp() + (c - max).exp()).ln() + max
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels outside `[0, C)` are undefined behaviour in PyTorch, so no case can hold them;
    /// the reference refuses them instead of reading out of bounds.
    #[test]
    fn labels_outside_the_classes_are_refused_not_read() {
        let log_probs = Tensor::new(vec![3, 1, 3], vec![-1.0; 9]).unwrap();
        let lengths = |t, l| (Tensor::vector(vec![t]), Tensor::vector(vec![l]));
        for label in [-1, 3, i64::MAX, i64::MIN] {
            let targets = Tensor::new(vec![1, 2], vec![1, label]).unwrap();
            let (input_lengths, target_lengths) = lengths(3, 2);
            let error = ctc_loss(
                &log_probs,
                &targets,
                &input_lengths,
                &target_lengths,
                &CtcLossOptions::default(),
            )
            .unwrap_err();
            assert_eq!(error.kind, crate::ErrorKind::InvalidValue, "label {label}");
        }
        // Padding after the target length is never read, whatever it holds.
        let targets = Tensor::new(vec![1, 2], vec![1, -7]).unwrap();
        let (input_lengths, target_lengths) = lengths(3, 1);
        let options = CtcLossOptions::default();
        assert!(ctc_loss(
            &log_probs,
            &targets,
            &input_lengths,
            &target_lengths,
            &options
        )
        .is_ok());
    }
}
