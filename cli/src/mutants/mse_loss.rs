//! Mutants of `mse_loss` (spec/mse_loss.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::MseLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::gradient(
            LOSS,
            "gradient_missing_factor_two",
            "the derivative of (x - y)² is taken as (x - y), without the factor 2",
            gradient_missing_factor_two,
        ),
        Mutant::forward(
            LOSS,
            "mean_over_batch_size",
            "`mean` divides the sum by the batch size input.size(0) (the docs' \"N is the batch \
             size\") instead of by the element count",
            mean_over_batch_size,
        ),
        Mutant::forward(
            LOSS,
            "weighted_mean_over_numel",
            "the weighted mean divides Σ w·(x - y)² by the element count instead of Σ w",
            weighted_mean_over_numel,
        ),
    ]
}

fn gradient_missing_factor_two(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let mut gradients = Reference.gradient(call)?;
    for grad in gradients.values_mut() {
        *grad = grad.map(|g| g / 2.0);
    }
    Ok(gradients)
}

fn mean_over_batch_size(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    let input = call.required_float("input");
    if !matches!(call.reduction(), "mean" | "elementwise_mean") || call.has_input("weight") {
        return Ok(reference);
    }
    // A 0-d input is a batch of one.
    let batch = input.shape().first().copied().unwrap_or(1) as f64;
    let sum = reference_with(call, |case| set_reduction(case, "sum"))?;
    Ok(sum.map(|&s| s / batch))
}

fn weighted_mean_over_numel(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    if call.reduction() != "mean" || !call.has_input("weight") {
        return Ok(reference);
    }
    // The element count of the (broadcast) loss, as `(w·l).mean()` divides by.
    let numel = reference_with(call, |case| set_reduction(case, "none"))?.numel() as f64;
    let sum = reference_with(call, |case| set_reduction(case, "sum"))?;
    Ok(sum.map(|&s| s / numel))
}
