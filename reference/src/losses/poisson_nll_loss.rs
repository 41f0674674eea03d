//! `torch.nn.functional.poisson_nll_loss` — spec/poisson_nll_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{self, exp, formula, Formula};
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.poisson_nll_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoissonNllLossOptions<'a> {
    /// Whether `input` is the log of the rate (`exp(x) - y·x`) or the rate itself
    /// (`x - y·log(x + eps)`); default true.
    pub log_input: bool,
    /// Whether to add the Stirling approximation of `log(y!)` where `y > 1`; default false.
    pub full: bool,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// Added to `input` inside the log when `log_input` is false (unused otherwise);
    /// default 1e-8.
    pub eps: f64,
    /// `none`, `mean` or `sum` (not `elementwise_mean`); default `mean`.
    pub reduction: &'a str,
}

impl Default for PoissonNllLossOptions<'_> {
    fn default() -> Self {
        PoissonNllLossOptions {
            log_input: true,
            full: false,
            legacy: LegacyReduction::default(),
            eps: 1e-8,
            reduction: "mean",
        }
    }
}

/// Negative log likelihood of `target` under a Poisson distribution whose rate is `input`
/// (`log_input = false`) or `exp(input)` (`log_input = true`), without the constant `log(y!)`
/// unless `full`.
///
/// ```text
/// l = exp(x) - y·x                                  (log_input = true; eps unused)
/// l = x - y·log(x + eps)                            (log_input = false)
/// l = l + [y > 1]·((y·log(y) - y) + 0.5·log(2π·y))  (full = true)
/// ```
/// `input` and `target` broadcast; nothing is range-checked. `mean` divides by the element
/// count of the broadcast loss. Unlike most losses, `reduction='elementwise_mean'` is rejected.
pub fn poisson_nll_loss(
    input: &Tensor,
    target: &Tensor,
    options: &PoissonNllLossOptions,
) -> Result<Tensor, LossError> {
    let call = PoissonCall::new(input, target, options)?;
    let (x, y, shape) = (call.x.data(), call.y.data(), call.x.shape().to_vec());
    // The loss of one element with the log of the rate as input.
    let log_input = formula!(|x, y| exp(x) - y * x);
    if options.log_input && !options.full {
        return kernels::elementwise(call.reduction, shape, x, y, log_input);
    }
    let two_pi = 2.0 * std::f64::consts::PI;
    let loss = |i: usize| {
        let (x, y) = (x[i], y[i]);
        let l = if options.log_input {
            log_input.eval(x, y)
        } else {
            x - y * (x + options.eps).ln()
        };
        if options.full {
            // masked_fill(target <= 1, 0): the term is kept where y > 1 or y is NaN, and 0 is
            // still added elsewhere (which turns a -0.0 loss into 0.0).
            let stirling = if y <= 1.0 {
                0.0
            } else {
                (y * y.ln() - y) + 0.5 * (two_pi * y).ln()
            };
            l + stirling
        } else {
            l
        }
    };
    kernels::elementwise_indexed(call.reduction, shape, loss)
}

/// The gradient of [`poisson_nll_loss`] with respect to `input`, given the gradient
/// `grad_output` of its result, as autograd computes it through PyTorch's composite
/// `exp(x) - y·x` / `x - y·log(x + eps)` (the Stirling term does not depend on `x`):
///
/// ```text
/// log_input = true:   ∂l/∂x = Σ(g_e)·exp(x) + Σ((-g_e)·y)
/// log_input = false:  ∂l/∂x = Σ(g_e) + Σ((-g_e)·y) / (x + eps)
/// ```
/// where `g_e` is the reduction's share (`g / numel` for mean) and each `Σ` sums its operand
/// over the dimensions along which `input` was broadcast, before the product or quotient with
/// the input-shaped factor (autograd reduces each branch to its operand's shape separately).
pub fn poisson_nll_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &PoissonNllLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = PoissonCall::new(input, target, options)?;
    let shape = call.x.shape();
    let upstream = call.reduction.backward(grad_output, shape)?;
    // The first operand of the subtraction (`exp(x)` or `x`) receives `g_e`.
    let direct = sum_to(&upstream, input.shape())?;
    // The subtracted product `y·x` (or `y·log(x + eps)`) receives `-g_e`, times `y`.
    let product: Vec<f64> = upstream
        .data()
        .iter()
        .zip(call.y.data())
        .map(|(&g, &y)| -g * y)
        .collect();
    let product = sum_to(&Tensor::new(shape.to_vec(), product)?, input.shape())?;
    let grad = (0..input.numel())
        .map(|i| {
            let x = input.at(i);
            if options.log_input {
                direct.at(i) * exp(x) + product.at(i)
            } else {
                direct.at(i) + product.at(i) / (x + options.eps)
            }
        })
        .collect();
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call: the broadcast operands and how to reduce.
struct PoissonCall<'a> {
    x: Cow<'a, Tensor>,
    y: Cow<'a, Tensor>,
    reduction: Reduction,
}

impl<'a> PoissonCall<'a> {
    /// PyTorch's checks, in its order.
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        options: &PoissonNllLossOptions,
    ) -> Result<Self, LossError> {
        // The Python function checks the (legacy-resolved) string itself, before `get_enum`, so
        // the deprecated alias `elementwise_mean` is not accepted.
        let reduction = if options.legacy.is_given() {
            Reduction::from_legacy(options.legacy.size_average, options.legacy.reduce)
        } else {
            match options.reduction {
                "none" => Reduction::None,
                "mean" => Reduction::Mean,
                "sum" => Reduction::Sum,
                other => {
                    return Err(LossError::invalid_parameter(format!(
                        "{other} is not a valid value for reduction"
                    )))
                }
            }
        };
        let shape = broadcast_shapes(input.shape(), target.shape())?;
        Ok(PoissonCall {
            x: input.broadcast_to(&shape)?,
            y: target.broadcast_to(&shape)?,
            reduction,
        })
    }
}
