//! `torch.nn.functional.kl_div` — spec/kl_div.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
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
    // `batchmean` is `sum` followed by a division by the batch size. The division tests the
    // `reduction` string itself, so with a legacy argument (`reduce=False,
    // reduction='batchmean'`) PyTorch divides the *unreduced* tensor by `input.size(0)`.
    let divide_by_batch = options.reduction == "batchmean";
    let reduction = if divide_by_batch && !options.legacy.is_given() {
        Reduction::Sum
    } else {
        options.legacy.resolve(options.reduction)?
    };
    let log_target = options.log_target;
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    let x = input.expand(&shape)?;
    let y = target.expand(&shape)?;
    let loss: Vec<f64> = x
        .data()
        .iter()
        .zip(y.data())
        .map(|(&x, &y)| {
            if log_target {
                y.exp() * (y - x)
            } else {
                // xlogy, not y·log(y): target 0 gives 0 rather than NaN (unless x is ±inf/NaN).
                xlogy(y, y) - y * x
            }
        })
        .collect();
    let reduced = reduction.apply(Tensor::new(shape, loss)?);
    if divide_by_batch && input.ndim() != 0 {
        let batch = input.shape()[0] as f64;
        return Ok(reduced.map(|&l| l / batch));
    }
    Ok(reduced)
}
