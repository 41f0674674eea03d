//! `torch.nn.functional.multi_margin_loss` — spec/multi_margin_loss.md.

use crate::error::LossError;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.multi_margin_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MultiMarginLossOptions<'a> {
    /// The power of each hinge term: 1 or 2; default 1.
    pub p: i64,
    /// The margin; default 1.
    pub margin: f64,
    /// One weight per class (1-D, size C), applied by the target class; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for MultiMarginLossOptions<'_> {
    fn default() -> Self {
        MultiMarginLossOptions {
            p: 1,
            margin: 1.0,
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Multi-class hinge loss over scores `input` of shape `()`, `(C)` or `(N, C)` and one target
/// class per sample.
///
/// ```text
/// l = (1/C) · Σ_{i ≠ y} [z_i > 0] · w[y] · z_i^p,     z_i = (margin - x[y]) + x[i]
/// ```
/// NaN scores contribute 0. `none` gives `(N)` (the target's shape for 0-d and 1-d input);
/// `sum` is `Σ l_n` and `mean` that divided by N.
pub fn multi_margin_loss(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &MultiMarginLossOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let (p, margin, weight) = (options.p, options.margin, options.weight);
    if p != 1 && p != 2 {
        return Err(LossError::invalid_parameter(
            "only p == 1 and p == 2 supported",
        ));
    }
    if let Some(weight) = weight {
        if weight.ndim() != 1 {
            return Err(LossError::invalid_shape("weight must be one-dimensional"));
        }
    }
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
    if target.ndim() > 1 || target.numel() != batch {
        return Err(LossError::invalid_shape(format!(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of \
             input samples (batch size). Expected target size [{batch}], but got {:?}. Input \
             has shape {:?}.",
            target.shape(),
            input.shape()
        )));
    }
    if let Some(weight) = weight {
        if weight.numel() != classes {
            return Err(LossError::invalid_shape(format!(
                "inconsistent weight size, expected {classes} but got {:?}",
                weight.shape()
            )));
        }
    }
    // Per sample: S / C, with S summed in class order.
    let mut per_sample = Vec::with_capacity(batch);
    for n in 0..batch {
        let label = target.at(n);
        if label < 0 || label >= classes as i64 {
            return Err(LossError::invalid_value("target out of range"));
        }
        let t = label as usize;
        let x = &input.data()[n * classes..(n + 1) * classes];
        let mut sum = 0.0;
        for (i, &score) in x.iter().enumerate() {
            if i == t {
                continue;
            }
            let z = margin - x[t] + score;
            // `z > 0` is false for NaN, so NaN scores contribute nothing.
            if z > 0.0 {
                let mut h = if p == 1 { z } else { z * z };
                if let Some(weight) = weight {
                    h *= weight.at(t);
                }
                sum += h;
            }
        }
        per_sample.push(sum / classes as f64);
    }
    // With N = 0, PyTorch returns an unwritten 0-d tensor for mean and sum (excluded from the
    // cases); here they give the empty sum's 0 and 0/0.
    let total = || per_sample.iter().sum::<f64>();
    Ok(match reduction {
        Reduction::None if target.ndim() == 1 => Tensor::vector(per_sample),
        Reduction::None | Reduction::Sum => Tensor::scalar(total()),
        Reduction::Mean => Tensor::scalar(total() / batch as f64),
    })
}
