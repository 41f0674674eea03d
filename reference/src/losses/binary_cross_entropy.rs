//! `torch.nn.functional.binary_cross_entropy` — spec/binary_cross_entropy.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{self, formula, ln, ln_1p, Formula};
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.binary_cross_entropy`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinaryCrossEntropyOptions<'a> {
    /// Per-element weights, broadcast against the trailing dimensions; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for BinaryCrossEntropyOptions<'_> {
    fn default() -> Self {
        BinaryCrossEntropyOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// PyTorch clamps each log term at -100, so an input of exactly 0 or 1 gives a finite loss.
const LOG_CLAMP: f64 = -100.0;

/// PyTorch's backward divides by `max(x·(1 - x), ε)` with the C++ `float` constant 1e-12
/// promoted to double; it ignores the -100 clamp of the forward.
const GRADIENT_EPSILON: f64 = 1e-12_f32 as f64;

/// Binary cross entropy between probabilities `input` and `target`, optionally weighted.
///
/// ```text
/// l = w·((y - 1)·max(log1p(-x), -100) - y·max(log(x), -100))
/// ```
/// `target` must have `input`'s shape; `weight` broadcasts against it from the trailing
/// dimension but may not enlarge it. Input and target must lie in `[0, 1]` (NaN does not).
/// `mean` divides by the element count, not by the weight sum.
pub fn binary_cross_entropy(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyOptions,
) -> Result<Tensor, LossError> {
    let (reduction, weight) = validate(input, target, options)?;
    // The unweighted loss of one element.
    let loss = formula!(|x, y| {
        let log_x = ln(x).max(LOG_CLAMP);
        let log_one_minus_x = ln_1p(-x).max(LOG_CLAMP);
        (y - 1.0) * log_one_minus_x - y * log_x
    });
    let (x, y, shape) = (input.data(), target.data(), input.shape().to_vec());
    match &weight {
        None => kernels::elementwise(reduction, shape, x, y, loss),
        Some(w) => {
            kernels::elementwise_indexed(reduction, shape, |i| loss.eval(x[i], y[i]) * w.at(i))
        }
    }
}

/// The gradient of [`binary_cross_entropy`] with respect to `input`, given `grad_output`:
///
/// ```text
/// ∂l/∂x = w·(x - y) / max(x·(1 - x), 1e-12f)
/// ```
/// which is ±1e12 at `x` = 0 or 1 whatever the clamp did, and 0 where `x == y`.
pub fn binary_cross_entropy_backward(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (reduction, weight) = validate(input, target, options)?;
    // PyTorch's kernel takes the incoming gradient unscaled and divides by numel last (mean).
    let unscaled = match reduction {
        Reduction::Mean => Reduction::Sum,
        other => other,
    };
    let upstream = unscaled.backward(grad_output, input.shape())?;
    let mut grad = Vec::with_capacity(input.numel());
    for i in 0..input.numel() {
        let (g, x, y) = (upstream.at(i), input.at(i), target.at(i));
        let mut d = g * (x - y) / ((1.0 - x) * x).max(GRADIENT_EPSILON);
        if let Some(w) = &weight {
            d *= w.at(i);
        }
        if reduction == Reduction::Mean {
            d /= input.numel() as f64;
        }
        grad.push(d);
    }
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// PyTorch's checks, in its order; the reduction and the weight expanded to the input's shape.
fn validate(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyOptions,
) -> Result<(Reduction, Option<Tensor>), LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    if input.shape() != target.shape() {
        return Err(LossError::invalid_shape(format!(
            "using a target size ({:?}) that is different to the input size ({:?}) is deprecated",
            target.shape(),
            input.shape()
        )));
    }
    let weight = match options.weight {
        Some(weight) => {
            let shape = broadcast_shapes(target.shape(), weight.shape())?;
            if shape != input.shape() {
                return Err(LossError::invalid_shape(format!(
                    "output with shape {:?} doesn't match the broadcast shape {shape:?}",
                    input.shape()
                )));
            }
            Some(weight.expand(&shape)?)
        }
        None => None,
    };
    let in_unit_interval = |v: &f64| (0.0..=1.0).contains(v);
    if !input.data().iter().all(in_unit_interval) {
        return Err(LossError::invalid_value(
            "all elements of input should be between 0 and 1",
        ));
    }
    if !target.data().iter().all(in_unit_interval) {
        return Err(LossError::invalid_value(
            "all elements of target should be between 0 and 1",
        ));
    }
    Ok((reduction, weight))
}
