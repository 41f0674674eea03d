//! Mutants of `gaussian_nll_loss` (spec/gaussian_nll_loss.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_with, set_f64, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Param;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::GaussianNllLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "no_eps_clamp",
            "var is used as given, without the clamp to at least eps, so a zero or tiny \
             variance gives -inf, inf or NaN",
            no_eps_clamp,
        ),
        Mutant::forward(
            LOSS,
            "full_constant_missing",
            "`full=True` is ignored: the constant 0.5·log(2π) is never added",
            full_constant_missing,
        ),
        Mutant::forward(
            LOSS,
            "var_not_unsqueezed",
            "a var with one dimension fewer than input (one variance per row) is broadcast \
             against input's trailing dimensions instead of being unsqueezed at the end",
            var_not_unsqueezed,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_var_zero_where_clamped",
            "the clamp of var is differentiated (clamp_min under autograd), so var's gradient \
             is 0 where var < eps instead of the straight-through value at the clamped var",
            gradient_var_zero_where_clamped,
        ),
    ]
}

fn no_eps_clamp(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    Reference.forward(call)?;
    // var has no negative entry (checked), so clamping at 0 clamps nothing.
    reference_with(call, |case| set_f64(case, "eps", 0.0))
}

fn full_constant_missing(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        case.params.insert("full".into(), Param::Bool(false));
    })
}

fn var_not_unsqueezed(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let (input, var) = (call.required_float("input"), call.required_float("var"));
    let shape = input.shape();
    if shape.is_empty() || var.shape() != &shape[..shape.len() - 1] {
        return Reference.forward(call);
    }
    // Plain broadcasting: a (N) var against an (N, D) input lines up with D, not N.
    let var = var.expand(shape)?;
    reference_with(call, |case| {
        case.inputs.insert("var".into(), Value::Float(var));
    })
}

fn gradient_var_zero_where_clamped(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let mut gradients = Reference.gradient(call)?;
    let (var, eps) = (call.required_float("var"), call.f64("eps"));
    if let Some(grad) = gradients.get_mut("var") {
        let masked = (0..grad.numel())
            .map(|i| if var.at(i) < eps { 0.0 } else { grad.at(i) })
            .collect();
        *grad = Tensor::new(grad.shape().to_vec(), masked)?;
    }
    Ok(gradients)
}
