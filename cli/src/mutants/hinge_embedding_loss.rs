//! Mutants of `hinge_embedding_loss` (spec/hinge_embedding_loss.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_gradient_with, reference_with, set_f64, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::HingeEmbeddingLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "default_margin_zero",
            "the default margin is 0 instead of PyTorch's 1",
            default_margin_zero,
        ),
        Mutant::forward(
            LOSS,
            "other_targets_as_minus_one",
            "written as where(y == 1, x, max(0, margin - x)), so a target other than ±1 gets \
             only the hinge term instead of x + max(0, margin - x)",
            other_targets_as_minus_one,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_active_at_kink",
            "the hinge's derivative at margin - x = 0 taken as -1 instead of clamp_min's 0",
            gradient_active_at_kink,
        ),
    ]
}

fn default_margin_zero(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        if !case.params.contains_key("margin") {
            set_f64(case, "margin", 0.0);
        }
    })
}

fn other_targets_as_minus_one(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        if let Some(Value::Float(target)) = case.inputs.get("target") {
            let target = target.map(|&y| if y == 1.0 { 1.0 } else { -1.0 });
            case.inputs.insert("target".into(), Value::Float(target));
        }
    })
}

fn gradient_active_at_kink(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let margin = call.f64("margin");
    reference_gradient_with(call, |case| {
        // Nudging a finite x down by one ulp where x = margin makes margin - x > 0 there; the
        // gradient is piecewise constant in x, so nothing else changes.
        if let Some(Value::Float(input)) = case.inputs.get("input") {
            let input = input.map(|&x| {
                if x == margin && x.is_finite() {
                    x.next_down()
                } else {
                    x
                }
            });
            case.inputs.insert("input".into(), Value::Float(input));
        }
    })
}
