//! Mutants of `poisson_nll_loss` (spec/poisson_nll_loss.md).

use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, reference_with, set_f64, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::Param;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::PoissonNllLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "stirling_for_all_targets",
            "with `full=True` the Stirling term y·log(y) - y + 0.5·log(2π·y) is added for every \
             target, not only where y > 1",
            stirling_for_all_targets,
        ),
        Mutant::forward(
            LOSS,
            "no_eps_without_log_input",
            "with `log_input=False` the loss is x - y·log(x) without eps, so x = 0 gives inf \
             (or NaN) instead of a finite value",
            no_eps_without_log_input,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_without_eps",
            "with `log_input=False` the backward is 1 - y/x, without the eps of the forward's \
             log(x + eps)",
            gradient_without_eps,
        ),
    ]
}

fn stirling_for_all_targets(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    if !call.bool("full") {
        return Ok(reference);
    }
    // The loss without the Stirling term, per element of the broadcast shape.
    let partial = reference_with(call, |case| {
        set_reduction(case, "none");
        case.params.insert("full".into(), Param::Bool(false));
    })?;
    let target = call.required_float("target").expand(partial.shape())?;
    let two_pi = 2.0 * std::f64::consts::PI;
    let loss = partial
        .data()
        .iter()
        .zip(target.data())
        .map(|(&l, &y)| l + ((y * y.ln() - y) + 0.5 * (two_pi * y).ln()))
        .collect();
    let loss = Tensor::new(partial.shape().to_vec(), loss)?;
    Ok(Reduction::parse(call.reduction())?.apply(loss))
}

fn no_eps_without_log_input(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    if call.bool("log_input") {
        return Reference.forward(call);
    }
    reference_with(call, |case| set_f64(case, "eps", 0.0))
}

fn gradient_without_eps(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    if call.bool("log_input") {
        return Reference.gradient(call);
    }
    reference_gradient_with(call, |case| set_f64(case, "eps", 0.0))
}
