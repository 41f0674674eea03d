//! Mutants of `binary_cross_entropy` (spec/binary_cross_entropy.md).

use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, reference_with, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::BinaryCrossEntropy;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "no_log_clamp",
            "the logs are not clamped at -100, so an input of exactly 0 or 1 gives inf or NaN \
             instead of a finite loss",
            no_log_clamp,
        ),
        Mutant::forward(
            LOSS,
            "weight_per_sample",
            "a 1-D weight is applied per sample along dimension 0 (the docs' \"size nbatch\") \
             instead of broadcast against the trailing dimension",
            weight_per_sample,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_without_epsilon",
            "the gradient divides by x·(1 - x) without PyTorch's max(·, 1e-12) floor, so it is \
             ±inf or NaN at an input of 0 or 1",
            gradient_without_epsilon,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_ignores_weight",
            "the backward forgets to multiply by the weight",
            gradient_ignores_weight,
        ),
    ]
}

/// The weight expanded to the input's shape, if any (the reference has validated it).
fn expanded_weight(call: &Call<'_, f64>) -> Result<Option<Tensor>, LossError> {
    let shape = call.required_float("input").shape();
    call.float("weight").map(|w| w.expand(shape)).transpose()
}

fn no_log_clamp(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    // The reference's checks, in its order.
    Reference.forward(call)?;
    let (x, y) = (call.required_float("input"), call.required_float("target"));
    let weight = expanded_weight(call)?;
    let loss = (0..x.numel())
        .map(|i| {
            let (x, y) = (x.at(i), y.at(i));
            let l = (y - 1.0) * (-x).ln_1p() - y * x.ln();
            weight.as_ref().map_or(l, |w| l * w.at(i))
        })
        .collect();
    let loss = Tensor::new(x.shape().to_vec(), loss)?;
    Ok(Reduction::parse(call.reduction())?.apply(loss))
}

fn weight_per_sample(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let input = call.required_float("input");
    let Some(weight) = call.float("weight") else {
        return Reference.forward(call);
    };
    if weight.ndim() != 1 || input.ndim() < 2 {
        return Reference.forward(call);
    }
    if weight.numel() != input.shape()[0] {
        return Err(LossError::invalid_shape(format!(
            "a weight of {} elements for a batch of {}",
            weight.numel(),
            input.shape()[0]
        )));
    }
    // The (N) weight seen as (N, 1, …, 1): one weight per sample.
    let mut shape = vec![1; input.ndim()];
    shape[0] = weight.numel();
    let per_sample = Tensor::new(shape, weight.data().to_vec())?;
    reference_with(call, |case| {
        case.inputs
            .insert("weight".into(), Value::Float(per_sample));
    })
}

fn gradient_without_epsilon(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    let (x, y) = (call.required_float("input"), call.required_float("target"));
    let weight = expanded_weight(call)?;
    let scale = match Reduction::parse(call.reduction())? {
        Reduction::Mean => 1.0 / x.numel() as f64,
        _ => 1.0,
    };
    let grad = (0..x.numel())
        .map(|i| {
            let (x, y) = (x.at(i), y.at(i));
            let d = (x - y) / ((1.0 - x) * x);
            weight.as_ref().map_or(d, |w| d * w.at(i)) * scale
        })
        .collect();
    let grad = Tensor::new(x.shape().to_vec(), grad)?;
    Ok(Gradients::from([("input".to_owned(), grad)]))
}

fn gradient_ignores_weight(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    reference_gradient_with(call, |case| {
        case.inputs.remove("weight");
    })
}
