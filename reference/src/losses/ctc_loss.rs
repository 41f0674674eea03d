//! `torch.nn.functional.ctc_loss` — spec/ctc_loss.md.

use crate::error::LossError;
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
    let reduction = Reduction::parse(options.reduction)?;
    // A non-3-D `log_probs` is unsqueezed at dimension 1 (unbatched, N = 1) before any other
    // check; a 0-d tensor has no dimension 1.
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
                "expected a 3-dimensional log_probs (after unsqueezing), but got {}-dimensional \
                 (shape {shape:?})",
                shape.len() + 1
            )))
        }
    };
    if !(1..=2).contains(&targets.ndim()) {
        return Err(LossError::invalid_shape(format!(
            "expected 1 to 2 dimensions, but got {}-dimensional tensor for argument #2 'targets'",
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
                "expected targets to have size at least {max_target_length} at dimension 1, \
                 but got size {width}"
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
                "expected input_lengths to have value at most {max_input_length}, but got value \
                 {length}"
            )));
        }
    }
    // Not checked by PyTorch (it reads out of bounds); refused here instead of guessed at.
    for b in 0..batch {
        let labels = &targets.data()[offsets[b]..offsets[b] + target_lengths[b] as usize];
        if let Some(&label) = labels.iter().find(|&&l| l < 0 || l >= classes as i64) {
            return Err(LossError::invalid_value(format!(
                "target label {label} is not a class index in [0, {classes}); PyTorch does not \
                 check this and reads out of bounds"
            )));
        }
    }

    let lp = |t: usize, b: usize, c: usize| log_probs.at((t * batch + b) * classes + c);
    let mut losses = Vec::with_capacity(batch);
    for b in 0..batch {
        let input_length = input_lengths[b] as usize;
        let target_length = target_lengths[b] as usize;
        let labels = &targets.data()[offsets[b]..offsets[b] + target_length];
        losses.push(negative_log_likelihood(
            |t, c| lp(t, b, c),
            labels,
            input_length,
            options.blank as usize,
        ));
    }
    if options.zero_infinity {
        for loss in &mut losses {
            if *loss == f64::INFINITY {
                *loss = 0.0;
            }
        }
    }
    Ok(match reduction {
        Reduction::None if batched => Tensor::vector(losses),
        Reduction::None => Tensor::scalar(losses[0]),
        Reduction::Sum => Tensor::scalar(losses.iter().sum()),
        Reduction::Mean => {
            // Each loss is divided by its target length (at least 1), then averaged.
            let total: f64 = losses
                .iter()
                .zip(target_lengths)
                .map(|(&loss, &length)| loss / length.max(1) as f64)
                .sum();
            Tensor::scalar(total / batch as f64)
        }
    })
}

/// One sample's loss by ATen's CPU alpha recursion, including its order of operations and its
/// treatment of `-inf` (a log-sum-exp whose terms are all `-inf` is `-inf`, not NaN).
///
/// `lp(t, c)` is the sample's log-probability of class `c` at time `t`; `labels` its target.
fn negative_log_likelihood(
    lp: impl Fn(usize, usize) -> f64,
    labels: &[i64],
    input_length: usize,
    blank: usize,
) -> f64 {
    let target_length = labels.len();
    if input_length == 0 {
        let log_likelihood = if target_length == 0 {
            0.0
        } else {
            f64::NEG_INFINITY
        };
        return -log_likelihood;
    }
    // l'[s]: blank at even s, the (s/2)-th label at odd s.
    let prime = |s: usize| {
        if s % 2 == 0 {
            blank
        } else {
            labels[s / 2] as usize
        }
    };
    let states = 2 * target_length + 1;
    // α[t-1] and α[t]: each row depends only on the one before it.
    let mut previous = vec![f64::NEG_INFINITY; states];
    previous[0] = lp(0, blank);
    if target_length > 0 {
        previous[1] = lp(0, prime(1));
    }
    let mut alpha = vec![f64::NEG_INFINITY; states];
    for t in 1..input_length {
        for s in 0..states {
            let la1 = previous[s];
            let mut lamax = la1;
            let la2 = if s > 0 {
                let la2 = previous[s - 1];
                if la2 > lamax {
                    lamax = la2;
                }
                la2
            } else {
                f64::NEG_INFINITY
            };
            // The skip from s-2 is allowed only between different labels (a repeated label
            // needs a blank in between).
            let la3 = if s > 1 && prime(s - 2) != prime(s) {
                let la3 = previous[s - 2];
                if la3 > lamax {
                    lamax = la3;
                }
                la3
            } else {
                f64::NEG_INFINITY
            };
            if lamax == f64::NEG_INFINITY {
                lamax = 0.0;
            }
            alpha[s] = ((la1 - lamax).exp() + (la2 - lamax).exp() + (la3 - lamax).exp()).ln()
                + lamax
                + lp(t, prime(s));
        }
        std::mem::swap(&mut previous, &mut alpha);
    }
    // α[T_b - 1].
    let last = &previous;
    if target_length == 0 {
        // No label, so no final label state to merge with the final blank.
        return -last[0];
    }
    let l1 = last[2 * target_length];
    let l2 = last[2 * target_length - 1];
    // std::max(l1, l2): l1 unless l1 < l2 (so a NaN l1 is kept).
    let m = if l1 < l2 { l2 } else { l1 };
    let m = if m == f64::NEG_INFINITY { 0.0 } else { m };
    let log_likelihood = ((l1 - m).exp() + (l2 - m).exp()).ln() + m;
    -log_likelihood
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
