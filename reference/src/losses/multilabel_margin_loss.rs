//! `torch.nn.functional.multilabel_margin_loss` — spec/multilabel_margin_loss.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.multilabel_margin_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MultilabelMarginLossOptions<'a> {
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for MultilabelMarginLossOptions<'_> {
    fn default() -> Self {
        MultilabelMarginLossOptions {
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Multi-class multi-label hinge loss over scores `input` of shape `()`, `(C)` or `(N, C)`.
///
/// Each target row lists class indices and ends at its first negative entry (the `-1` pad);
/// entries after it are ignored but still range-checked. Per sample:
/// ```text
/// S = Σ_{j < first -1} Σ_{i not a target} max(0, 1 - x[y_j] + x[i]),   l = S / C
/// ```
/// Duplicate targets count once per occurrence; NaN scores contribute 0. `none` gives `(N)`
/// (a scalar for 0-d and 1-d input); `sum` is `Σ S_n / C` and `mean` that divided by N.
pub fn multilabel_margin_loss(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &MultilabelMarginLossOptions,
) -> Result<Tensor, LossError> {
    let call = MultilabelMarginCall::new(input, target, options)?;
    // S_n: the unnormalised hinge sum of each sample.
    let sums: Vec<f64> = (0..call.batch)
        .map(|n| {
            let mut sum = 0.0;
            call.for_each_active_pair(input, target, n, |z, _, _| sum += z);
            sum
        })
        .collect();
    let c = call.classes as f64;
    // PyTorch's kernel reduces the unnormalised sums, then divides once by C (and by N).
    let total = || sums.iter().sum::<f64>() / c;
    Ok(match call.reduction {
        Reduction::None if input.ndim() == 2 => {
            Tensor::vector(sums.iter().map(|s| s / c).collect())
        }
        Reduction::None | Reduction::Sum => Tensor::scalar(total()),
        Reduction::Mean => Tensor::scalar(total() / call.batch as f64),
    })
}

/// The gradient of [`multilabel_margin_loss`] with respect to `input`: each active pair
/// (`z = 1 - x[y_j] + x[i] > 0`) adds `-c` to the target's score and `+c` to the
/// non-target's, with `c = 1/C` (`1/(N·C)` for `mean`) times the incoming gradient.
pub fn multilabel_margin_loss_backward(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &MultilabelMarginLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = MultilabelMarginCall::new(input, target, options)?;
    let per_sample_shape: &[usize] = if input.ndim() == 2 {
        &[call.batch]
    } else {
        &[]
    };
    // The gradient reaching each sample's S_n / C (and / N for mean).
    let upstream = match call.reduction {
        Reduction::None => Reduction::None.backward(grad_output, per_sample_shape)?,
        Reduction::Sum | Reduction::Mean => {
            Reduction::Sum.backward(grad_output, per_sample_shape)?
        }
    };
    let scale = match call.reduction {
        Reduction::Mean => 1.0 / (call.batch as f64 * call.classes as f64),
        _ => 1.0 / call.classes as f64,
    };
    let mut grad = vec![0.0; input.numel()];
    for n in 0..call.batch {
        let row = &mut grad[n * call.classes..(n + 1) * call.classes];
        call.for_each_active_pair(input, target, n, |_, label, i| {
            row[label] -= scale;
            row[i] += scale;
        });
        for g in row.iter_mut() {
            *g *= upstream.at(n);
        }
    }
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call.
struct MultilabelMarginCall {
    batch: usize,
    classes: usize,
    reduction: Reduction,
}

impl MultilabelMarginCall {
    fn new(
        input: &Tensor,
        target: &Tensor<i64>,
        options: &MultilabelMarginLossOptions,
    ) -> Result<Self, LossError> {
        let reduction = options.legacy.resolve(options.reduction)?;
        let (batch, classes) = match *input.shape() {
            [] => (1, 1),
            [c] if c > 0 => (1, c),
            [n, c] if c > 0 => (n, c),
            ref shape => {
                return Err(LossError::invalid_shape(format!(
                    "expected non-empty vector or matrix with optional 0-dim batch size, but \
                     got: {shape:?}"
                )))
            }
        };
        let target_fits = match input.ndim() {
            0 | 1 => target.ndim() <= 1 && target.numel() == classes,
            _ => target.shape() == input.shape(),
        };
        if !target_fits {
            return Err(LossError::invalid_shape(format!(
                "inconsistent target size: {:?} for input of size: {:?}",
                target.shape(),
                input.shape()
            )));
        }
        // The whole target is range-checked, including entries after the first -1.
        if !target.data().iter().all(|&t| -1 <= t && t < classes as i64) {
            return Err(LossError::invalid_value(
                "argument #2 'target' is out of range",
            ));
        }
        Ok(MultilabelMarginCall {
            batch,
            classes,
            reduction,
        })
    }

    /// Calls `f(z, label, i)` for every target `label` of sample `n` (in order, duplicates
    /// included) and every non-target class `i` with `z = 1 - x[label] + x[i] > 0`.
    fn for_each_active_pair(
        &self,
        input: &Tensor,
        target: &Tensor<i64>,
        n: usize,
        mut f: impl FnMut(f64, usize, usize),
    ) {
        let x = &input.data()[n * self.classes..(n + 1) * self.classes];
        let row = &target.data()[n * self.classes..(n + 1) * self.classes];
        let labels: Vec<usize> = row
            .iter()
            .take_while(|&&t| t >= 0)
            .map(|&t| t as usize)
            .collect();
        let mut is_target = vec![false; self.classes];
        for &label in &labels {
            is_target[label] = true;
        }
        for &label in &labels {
            for i in (0..self.classes).filter(|&i| !is_target[i]) {
                let z = 1.0 - x[label] + x[i];
                // `z > 0` is false for NaN, so NaN scores contribute nothing.
                if z > 0.0 {
                    f(z, label, i);
                }
            }
        }
    }
}
