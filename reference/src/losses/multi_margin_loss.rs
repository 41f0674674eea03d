//! `torch.nn.functional.multi_margin_loss` — spec/multi_margin_loss.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
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
    let call = MultiMarginCall::new(input, target, options)?;
    let (p, margin, weight) = (options.p, options.margin, options.weight);
    let classes = call.classes;
    // Per sample: S / C, with S summed in class order.
    let mut per_sample = Vec::with_capacity(call.batch);
    for n in 0..call.batch {
        let t = call.label(n)?;
        let x = &input.data()[n * classes..(n + 1) * classes];
        let weight_t = weight.map_or(1.0, |w| w.at(t));
        let x_t = x[t];
        // The term of one class other than the target.
        let term = |sum: f64, &score: &f64| {
            let z = margin - x_t + score;
            // `z > 0` is false for NaN, so NaN scores contribute nothing. Adding an exact 0
            // there leaves the sum unchanged (it starts at +0 and so is never -0), and lets
            // the compiler select instead of taking a branch it cannot predict.
            let mut h = if p == 1 { z } else { z * z };
            if weight.is_some() {
                h *= weight_t;
            }
            sum + if z > 0.0 { h } else { 0.0 }
        };
        // The classes before the target, then those after it, in order.
        let sum = x[t + 1..].iter().fold(x[..t].iter().fold(0.0, term), term);
        per_sample.push(sum / classes as f64);
    }
    // With N = 0, PyTorch returns an unwritten 0-d tensor for mean and sum (excluded from the
    // cases); here they give the empty sum's 0 and 0/0.
    let total = || per_sample.iter().sum::<f64>();
    Ok(match call.reduction {
        Reduction::None if target.ndim() == 1 => Tensor::vector(per_sample),
        Reduction::None | Reduction::Sum => Tensor::scalar(total()),
        Reduction::Mean => Tensor::scalar(total() / call.batch as f64),
    })
}

/// The gradient of [`multi_margin_loss`] with respect to `input`, as ATen's backward kernel
/// computes it: with `c = 1/C` (`1/(N·C)` for `mean`), each active term (`z_i > 0`) gives
/// `h = c` (`p = 1`) or `2·c·z_i` (`p = 2`), times `w[y]`; `x[i]` gets `h` and `x[y]` minus the
/// sum of the `h`s, and each row is then multiplied by its incoming gradient. NaN and the kink
/// `z_i = 0` contribute 0.
pub fn multi_margin_loss_backward(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &MultiMarginLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = MultiMarginCall::new(input, target, options)?;
    let (p, margin, weight) = (options.p, options.margin, options.weight);
    let classes = call.classes;
    // The kernel multiplies by the sample's own gradient only for `none` with a 1-D target;
    // otherwise by the one element of `grad_output`.
    let per_sample = call.reduction == Reduction::None && target.ndim() == 1;
    let upstream = if per_sample {
        Reduction::None.backward(grad_output, &[call.batch])?
    } else {
        Reduction::Sum.backward(grad_output, &[])?
    };
    // `c`: one double division, 1/(N·C) for mean, else 1/C.
    let c = match call.reduction {
        Reduction::Mean => 1.0 / (call.batch * classes) as f64,
        _ => 1.0 / classes as f64,
    };
    let mut grad = vec![0.0; input.numel()];
    for n in 0..call.batch {
        let t = call.label(n)?;
        let x = &input.data()[n * classes..(n + 1) * classes];
        let row = &mut grad[n * classes..(n + 1) * classes];
        let mut grad_target = 0.0;
        for i in 0..classes {
            if i == t {
                continue;
            }
            let z = margin - x[t] + x[i];
            if z > 0.0 {
                let mut h = if p == 1 { c } else { 2.0 * c * z };
                if let Some(weight) = weight {
                    h *= weight.at(t);
                }
                grad_target -= h;
                row[i] = h;
            }
        }
        row[t] = grad_target;
        let g = upstream.at(if per_sample { n } else { 0 });
        for value in row.iter_mut() {
            *value *= g;
        }
    }
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call: the checks in PyTorch's order (`p`, the weight's rank, the input's and
/// the target's shapes, the weight's size; each target's range as its sample is reached).
struct MultiMarginCall<'a> {
    target: &'a Tensor<i64>,
    batch: usize,
    classes: usize,
    reduction: Reduction,
}

impl<'a> MultiMarginCall<'a> {
    fn new(
        input: &Tensor,
        target: &'a Tensor<i64>,
        options: &MultiMarginLossOptions,
    ) -> Result<Self, LossError> {
        let reduction = options.legacy.resolve(options.reduction)?;
        let (p, weight) = (options.p, options.weight);
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
                    "expected non-empty vector or matrix with optional 0-dim batch size, but \
                     got: {shape:?}"
                )))
            }
        };
        if target.ndim() > 1 || target.numel() != batch {
            return Err(LossError::invalid_shape(format!(
                "multi_margin_loss: target tensor should be 1-D with size equal to the number \
                 of input samples (batch size). Expected target size [{batch}], but got {:?}. \
                 Input has shape {:?}.",
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
        Ok(MultiMarginCall {
            target,
            batch,
            classes,
            reduction,
        })
    }

    /// The target class of sample `n`, range-checked (`invalid_value`).
    fn label(&self, n: usize) -> Result<usize, LossError> {
        let label = self.target.at(n);
        if label < 0 || label >= self.classes as i64 {
            return Err(LossError::invalid_value("target out of range"));
        }
        Ok(label as usize)
    }
}
