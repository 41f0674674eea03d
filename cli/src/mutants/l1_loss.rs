//! Mutants of `l1_loss` (spec/l1_loss.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_gradient_with, reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::L1Loss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::gradient(
            LOSS,
            "gradient_one_at_zero",
            "the derivative of |x - y| at x = y taken as 1 instead of sgn(0) = 0",
            gradient_one_at_zero,
        ),
        Mutant::forward(
            LOSS,
            "weighted_mean_over_numel",
            "the weighted mean divides Σ w·|x - y| by the element count instead of Σ w",
            weighted_mean_over_numel,
        ),
    ]
}

fn gradient_one_at_zero(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    reference_gradient_with(call, |case| {
        let (Some(Value::Float(input)), Some(Value::Float(target))) =
            (case.inputs.get("input"), case.inputs.get("target"))
        else {
            return;
        };
        if input.shape() != target.shape() {
            return;
        }
        // Nudging x up by one ulp where x = y makes sgn(x - y) = 1 there and changes nothing else.
        let nudged: Vec<f64> = input
            .data()
            .iter()
            .zip(target.data())
            .map(|(&x, &y)| if x == y { x.next_up() } else { x })
            .collect();
        if let Ok(nudged) = Tensor::new(input.shape().to_vec(), nudged) {
            case.inputs.insert("input".into(), Value::Float(nudged));
        }
    })
}

fn weighted_mean_over_numel(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    if call.reduction() != "mean" || !call.has_input("weight") {
        return reference_with(call, |_| {});
    }
    let numel = call.required_float("input").numel() as f64;
    let sum = reference_with(call, |case| set_reduction(case, "sum"))?;
    Ok(sum.map(|&s| s / numel))
}
