//! `torch.nn.functional.kl_div` — spec/kl_div.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::xlogy;
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// KLDiv's reduction: the generic one, plus `batchmean`'s division by `input.size(0)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KlDivReduction {
    /// The reduction applied to the element-wise loss (`sum` for `batchmean`).
    pub reduction: Reduction,
    /// Whether the reduced result is then divided by `input.size(0)` (`batchmean`).
    pub divide_by_batch: bool,
}

impl KlDivReduction {
    /// Resolves `F.kl_div`'s three arguments. `batchmean` is `sum` followed by a division by
    /// the batch size. The division tests the `reduction` string itself, so with a legacy
    /// argument (`reduce=False, reduction='batchmean'`) PyTorch divides the *unreduced*
    /// tensor by `input.size(0)`: a quirk this mirrors.
    pub fn resolve(
        size_average: Option<bool>,
        reduce: Option<bool>,
        reduction: &str,
    ) -> Result<Self, LossError> {
        let divide_by_batch = reduction == "batchmean";
        let reduction = if size_average.is_some() || reduce.is_some() {
            Reduction::from_legacy(size_average, reduce)
        } else if divide_by_batch {
            Reduction::Sum
        } else {
            Reduction::parse(reduction)?
        };
        Ok(KlDivReduction {
            reduction,
            divide_by_batch,
        })
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
    reduction: KlDivReduction,
    log_target: bool,
) -> Result<Tensor, LossError> {
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
    let reduced = reduction.reduction.apply(Tensor::new(shape, loss)?);
    if reduction.divide_by_batch && input.ndim() != 0 {
        let batch = input.shape()[0] as f64;
        return Ok(reduced.map(|&l| l / batch));
    }
    Ok(reduced)
}
