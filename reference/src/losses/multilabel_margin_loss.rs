//! `torch.nn.functional.multilabel_margin_loss` — spec/multilabel_margin_loss.md.

use crate::error::LossError;
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
/// l = (1/C) · Σ_{j < first -1} Σ_{i not a target} max(0, 1 - x[y_j] + x[i])
/// ```
/// Duplicate targets count once per occurrence; NaN scores contribute 0. `none` gives `(N)`
/// (a scalar for 0-d and 1-d input); `sum` is `Σ S_n / C` and `mean` that divided by N.
pub fn multilabel_margin_loss(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &MultilabelMarginLossOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let (batch, classes) = match *input.shape() {
        [] => (1, 1),
        [c] if c > 0 => (1, c),
        [n, c] if c > 0 => (n, c),
        ref shape => {
            return Err(LossError::invalid_shape(format!(
                "expected non-empty vector or matrix with optional 0-dim batch size, but got: \
                 {shape:?}"
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
    // S_n: the unnormalised hinge sum of each sample.
    let mut sums = Vec::with_capacity(batch);
    for n in 0..batch {
        let x = &input.data()[n * classes..(n + 1) * classes];
        let row = &target.data()[n * classes..(n + 1) * classes];
        let labels: Vec<usize> = row
            .iter()
            .take_while(|&&t| t >= 0)
            .map(|&t| t as usize)
            .collect();
        let mut is_target = vec![false; classes];
        for &label in &labels {
            is_target[label] = true;
        }
        let mut sum = 0.0;
        for &label in &labels {
            for i in (0..classes).filter(|&i| !is_target[i]) {
                let z = 1.0 - x[label] + x[i];
                // `z > 0` is false for NaN, so NaN scores contribute nothing.
                if z > 0.0 {
                    sum += z;
                }
            }
        }
        sums.push(sum);
    }
    let c = classes as f64;
    // PyTorch's kernel reduces the unnormalised sums, then divides once by C (and by N).
    let total = || sums.iter().sum::<f64>() / c;
    Ok(match reduction {
        Reduction::None if input.ndim() == 2 => {
            Tensor::vector(sums.iter().map(|s| s / c).collect())
        }
        Reduction::None => Tensor::scalar(total()),
        Reduction::Sum => Tensor::scalar(total()),
        Reduction::Mean => Tensor::scalar(total() / batch as f64),
    })
}
