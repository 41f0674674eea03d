//! `torch.nn.functional.kl_div` — spec/kl_div.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::primitives::xlogy;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.kl_div`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KlDivOptions<'a> {
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum`, `batchmean` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// Whether `target` holds log-probabilities; default false.
    pub log_target: bool,
}

impl Default for KlDivOptions<'_> {
    fn default() -> Self {
        KlDivOptions {
            legacy: LegacyReduction::default(),
            reduction: "mean",
            log_target: false,
        }
    }
}

/// Kullback–Leibler divergence of `target` from `input`, where `input` holds
/// log-probabilities and `target` probabilities (or log-probabilities if `log_target`).
///
/// ```text
/// l = xlogy(y, y) - y·x        (log_target = false; y = 0 contributes 0 for finite x)
/// l = exp(y)·(y - x)           (log_target = true)
/// ```
/// `input` and `target` broadcast. `mean` divides by the element count; `batchmean` by
/// `input.size(0)` (no division for a 0-d input).
pub fn kl_div(
    input: &Tensor,
    target: &Tensor,
    options: &KlDivOptions,
) -> Result<Tensor, LossError> {
    let call = KlDivCall::new(input, target, options)?;
    let loss: Vec<f64> = call
        .x
        .data()
        .iter()
        .zip(call.y.data())
        .map(|(&x, &y)| {
            if options.log_target {
                y.exp() * (y - x)
            } else {
                // xlogy, not y·log(y): target 0 gives 0 rather than NaN (unless x is ±inf/NaN).
                xlogy(y, y) - y * x
            }
        })
        .collect();
    let reduced = call
        .reduction
        .apply(Tensor::new(call.x.shape().to_vec(), loss)?);
    Ok(reduced.map(|&l| l / call.batch_divisor))
}

/// The gradient of [`kl_div`] with respect to `input`, given the gradient `grad_output` of its
/// result: `∂l/∂x = -y` (`-exp(y)` with `log_target`), times the reduction's share, summed
/// over any dimension along which `input` was broadcast.
pub fn kl_div_backward(
    input: &Tensor,
    target: &Tensor,
    options: &KlDivOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = KlDivCall::new(input, target, options)?;
    let upstream = call.reduction.backward(grad_output, call.x.shape())?;
    let grad: Vec<f64> = upstream
        .data()
        .iter()
        .zip(call.y.data())
        .map(|(&g, &y)| {
            let g = g / call.batch_divisor;
            if options.log_target {
                -(g * y.exp())
            } else {
                -(g * y)
            }
        })
        .collect();
    let grad = sum_to(&Tensor::new(call.x.shape().to_vec(), grad)?, input.shape())?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call: the broadcast operands and how to reduce.
struct KlDivCall<'a> {
    x: Cow<'a, Tensor>,
    y: Cow<'a, Tensor>,
    reduction: Reduction,
    /// `input.size(0)` for `batchmean` (applied after the reduction), else 1.
    batch_divisor: f64,
}

impl<'a> KlDivCall<'a> {
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        options: &KlDivOptions,
    ) -> Result<Self, LossError> {
        // `batchmean` is `sum` followed by a division by the batch size. The division tests the
        // `reduction` string itself, so with a legacy argument (`reduce=False,
        // reduction='batchmean'`) PyTorch divides the *unreduced* tensor by `input.size(0)`.
        let batchmean = options.reduction == "batchmean";
        let reduction = if batchmean && !options.legacy.is_given() {
            Reduction::Sum
        } else {
            options.legacy.resolve(options.reduction)?
        };
        let shape = broadcast_shapes(input.shape(), target.shape())?;
        let batch_divisor = match input.shape().first() {
            Some(&batch) if batchmean => batch as f64,
            _ => 1.0,
        };
        Ok(KlDivCall {
            x: input.broadcast_to(&shape)?,
            y: target.broadcast_to(&shape)?,
            reduction,
            batch_divisor,
        })
    }
}
