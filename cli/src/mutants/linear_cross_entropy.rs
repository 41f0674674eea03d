//! Mutants of `linear_cross_entropy` (spec/linear_cross_entropy.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_with, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Param;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::LinearCrossEntropy;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "bias_dropped",
            "linear_bias is accepted but never added to the logits",
            bias_dropped,
        ),
        Mutant::forward(
            LOSS,
            "weight_not_transposed",
            "the logits use linear_weight's data as an (in_features, C) matrix, x @ W \
             reshaped, instead of x @ Wᵀ",
            weight_not_transposed,
        ),
        Mutant::forward(
            LOSS,
            "ignore_index_none_ignores_nothing",
            "`ignore_index=None` (the default) ignores no target, instead of meaning -100 as in \
             cross_entropy, so a target of -100 is out of bounds",
            ignore_index_none_ignores_nothing,
        ),
        Mutant::gradient(
            LOSS,
            "weight_gradient_not_transposed",
            "the linear_weight gradient is computed as inputᵀ @ G, an (in_features, C) matrix, \
             and stored in the (C, in_features) layout instead of Gᵀ @ input",
            weight_gradient_not_transposed,
        ),
    ]
}

/// `data`, a row-major `(rows, columns)` matrix, transposed to `(columns, rows)`.
fn transposed(data: &[f64], rows: usize, columns: usize) -> Vec<f64> {
    (0..columns)
        .flat_map(|j| (0..rows).map(move |i| data[i * columns + j]))
        .collect()
}

fn bias_dropped(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    Reference.forward(call)?;
    reference_with(call, |case| {
        case.inputs.remove("linear_bias");
    })
}

fn weight_not_transposed(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    Reference.forward(call)?;
    let weight = call.required_float("linear_weight");
    let in_features = weight.shape().last().copied().unwrap_or(0);
    let Some(outputs) = weight.numel().checked_div(in_features) else {
        return Reference.forward(call);
    };
    // Row j of the weight the logits use is column j of the data read as (in_features, C).
    let used = transposed(weight.data(), in_features, outputs);
    let used = Tensor::new(weight.shape().to_vec(), used)?;
    reference_with(call, |case| {
        case.inputs
            .insert("linear_weight".into(), Value::Float(used));
    })
}

fn ignore_index_none_ignores_nothing(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    if !call.param("ignore_index").is_null() {
        return Reference.forward(call);
    }
    let is_indices = call
        .case()
        .inputs
        .get("target")
        .is_some_and(|t| matches!(t, Value::Int(_)));
    if !is_indices {
        return Reference.forward(call);
    }
    // An index no target can hold.
    reference_with(call, |case| {
        case.params
            .insert("ignore_index".into(), Param::Int(i64::MIN));
    })
}

fn weight_gradient_not_transposed(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let mut gradients = Reference.gradient(call)?;
    if let Some(grad) = gradients.get_mut("linear_weight") {
        let in_features = grad.shape().last().copied().unwrap_or(0);
        if let Some(outputs) = grad.numel().checked_div(in_features) {
            let wrong = transposed(grad.data(), outputs, in_features);
            *grad = Tensor::new(grad.shape().to_vec(), wrong)?;
        }
    }
    Ok(gradients)
}
