//! Mutants of `huber_loss` (spec/huber_loss.md).

use lossparity_reference::{LossError, Tensor};

use super::smooth_l1_loss::pointwise_gradient;
use super::{reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::HuberLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "scaled_like_smooth_l1",
            "Huber computed as smooth_l1 with beta = delta, i.e. divided by delta: 0.5·d²/delta \
             and |d| - 0.5·delta",
            scaled_like_smooth_l1,
        ),
        Mutant::forward(
            LOSS,
            "weighted_mean_over_weight_sum",
            "with a weight, mean divides Σ w·l by Σ w (as l1_loss and mse_loss do) instead of \
             the element count",
            weighted_mean_over_weight_sum,
        ),
        Mutant::gradient(
            LOSS,
            "linear_gradient_not_times_delta",
            "the linear branch's gradient is sgn(d) (smooth_l1's) instead of delta·sgn(d)",
            linear_gradient_not_times_delta,
        ),
    ]
}

fn scaled_like_smooth_l1(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    // Huber = delta · smooth_l1(beta = delta), also after any weight and reduction.
    let delta = call.f64("delta");
    Ok(reference_with(call, |_| {})?.map(|&l| l / delta))
}

fn weighted_mean_over_weight_sum(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let output = reference_with(call, |_| {})?;
    if call.reduction() != "mean" || !call.has_input("weight") {
        return Ok(output);
    }
    let weight_sum: f64 = call.required_float("weight").data().iter().sum();
    let sum = reference_with(call, |case| set_reduction(case, "sum"))?;
    Ok(sum.map(|&s| s / weight_sum))
}

fn linear_gradient_not_times_delta(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let delta = call.f64("delta");
    pointwise_gradient(call, |d| {
        if d <= -delta {
            -1.0
        } else if d >= delta {
            1.0
        } else {
            d
        }
    })
}
