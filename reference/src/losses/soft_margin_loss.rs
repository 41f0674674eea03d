//! `torch.nn.functional.soft_margin_loss` — spec/soft_margin_loss.md.

use std::borrow::Cow;

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{self, exp, formula, ln_1p};
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.soft_margin_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SoftMarginLossOptions<'a> {
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for SoftMarginLossOptions<'_> {
    fn default() -> Self {
        SoftMarginLossOptions {
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Two-class logistic loss of scores `input` against labels `target` (usually ±1).
///
/// ```text
/// l = log1p(exp((-x)·y))
/// ```
/// computed literally, so it overflows to `+inf` once `-x·y` exceeds about 709.78. The output
/// has `input`'s shape: `target` may broadcast to it but not enlarge it. `mean` divides by
/// `numel(input)`.
pub fn soft_margin_loss(
    input: &Tensor,
    target: &Tensor,
    options: &SoftMarginLossOptions,
) -> Result<Tensor, LossError> {
    let (y, reduction) = validate(input, target, options)?;
    // Not a stable softplus: exp overflows for large negative margins (PyTorch's value).
    let loss = formula!(|x, y| ln_1p(exp(-x * y)));
    kernels::elementwise(
        reduction,
        input.shape().to_vec(),
        input.data(),
        y.data(),
        loss,
    )
}

/// The gradient of [`soft_margin_loss`] with respect to `input`, given the gradient
/// `grad_output` of its result, as PyTorch's `soft_margin_loss_backward` computes it:
///
/// ```text
/// z     = exp((-y)·x)
/// ∂l/∂x = (((y·z)·(-norm)) / (z + 1))·g        norm = 1 / numel for mean, else 1
/// ```
/// Literal again: NaN (`inf/inf`) where the forward overflows.
pub fn soft_margin_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &SoftMarginLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (y, reduction) = validate(input, target, options)?;
    let n = input.numel();
    // The incoming gradient unscaled, the mean's 1/numel folded into `norm`.
    let (norm, upstream) = match reduction {
        Reduction::Mean => (
            1.0 / n as f64,
            Reduction::Sum.backward(grad_output, input.shape())?,
        ),
        reduction => (1.0, reduction.backward(grad_output, input.shape())?),
    };
    let grad = (0..n)
        .map(|i| {
            let (x, y, g) = (input.at(i), y.at(i), upstream.at(i));
            let z = exp(-y * x);
            y * z * -norm / (z + 1.0) * g
        })
        .collect();
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// PyTorch's checks, in its order; the target broadcast to `input`'s shape and the reduction.
fn validate<'a>(
    input: &Tensor,
    target: &'a Tensor,
    options: &SoftMarginLossOptions,
) -> Result<(Cow<'a, Tensor>, Reduction), LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    // PyTorch writes into an output allocated like `input` and multiplies by `target` in
    // place, so the target must broadcast *to* the input's shape.
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    if shape != input.shape() {
        return Err(LossError::invalid_shape(format!(
            "output with shape {:?} doesn't match the broadcast shape {shape:?}",
            input.shape()
        )));
    }
    Ok((target.broadcast_to(&shape)?, reduction))
}
