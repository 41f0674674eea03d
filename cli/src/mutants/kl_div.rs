//! Mutants of `kl_div` (spec/kl_div.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_gradient_with, reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::KlDiv;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "mean_as_batchmean",
            "`mean` divides the sum by the batch size input.size(0) (as `batchmean` does) \
             instead of by the element count",
            mean_as_batchmean,
        ),
        Mutant::forward(
            LOSS,
            "batchmean_as_mean",
            "`batchmean` divides the sum by the element count (as `mean` does) instead of by \
             the batch size input.size(0)",
            batchmean_as_mean,
        ),
        Mutant::forward(
            LOSS,
            "input_as_probabilities",
            "the input is taken for probabilities and its log taken again: \
             y·(log y - log x) instead of y·(log y - x)",
            input_as_probabilities,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_batchmean_not_divided",
            "the backward of `batchmean` forgets the division by the batch size (the gradient \
             of `sum`)",
            gradient_batchmean_not_divided,
        ),
    ]
}

fn mean_as_batchmean(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    match call.reduction() {
        "mean" | "elementwise_mean" => {
            reference_with(call, |case| set_reduction(case, "batchmean"))
        }
        _ => Reference.forward(call),
    }
}

fn batchmean_as_mean(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    match call.reduction() {
        "batchmean" => reference_with(call, |case| set_reduction(case, "mean")),
        _ => Reference.forward(call),
    }
}

fn input_as_probabilities(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    Reference.forward(call)?;
    let log_input = call.required_float("input").map(|x| x.ln());
    reference_with(call, |case| {
        case.inputs.insert("input".into(), Value::Float(log_input));
    })
}

fn gradient_batchmean_not_divided(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    match call.reduction() {
        "batchmean" => reference_gradient_with(call, |case| set_reduction(case, "sum")),
        _ => Reference.gradient(call),
    }
}
