//! Mutants of `margin_ranking_loss` (spec/margin_ranking_loss.md).

use lossparity_reference::broadcast::{broadcast_shapes, sum_to};
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_with, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Param;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::MarginRankingLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "target_sign_swapped",
            "max(0, y·(x1 - x2) + margin) instead of max(0, -y·(x1 - x2) + margin): y = 1 ranks \
             input2 above input1",
            target_sign_swapped,
        ),
        Mutant::forward(
            LOSS,
            "legacy_size_average_false_beats_reduce_false",
            "legacy arguments resolved with size_average=False first (giving sum) even when \
             reduce=False, which PyTorch lets win (giving none)",
            legacy_size_average_false_beats_reduce_false,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_active_at_kink",
            "the hinge's gradient passed through at -y·(x1 - x2) + margin = 0 (z >= 0) instead \
             of clamp_min's 0 there",
            gradient_active_at_kink,
        ),
    ]
}

fn target_sign_swapped(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        if let Some(Value::Float(target)) = case.inputs.get("target") {
            let target = target.map(|&y| -y);
            case.inputs.insert("target".into(), Value::Float(target));
        }
    })
}

fn legacy_size_average_false_beats_reduce_false(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        if case.params.get("size_average") == Some(&Param::Bool(false)) {
            case.params.remove("reduce");
        }
    })
}

fn gradient_active_at_kink(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    let (input1, input2, target) = (
        call.required_float("input1"),
        call.required_float("input2"),
        call.required_float("target"),
    );
    let shape = broadcast_shapes(
        &broadcast_shapes(input1.shape(), input2.shape())?,
        target.shape(),
    )?;
    let (x1, x2, y) = (
        input1.expand(&shape)?,
        input2.expand(&shape)?,
        target.expand(&shape)?,
    );
    let scale = match Reduction::parse(call.reduction())? {
        Reduction::Mean => 1.0 / y.numel() as f64,
        Reduction::None | Reduction::Sum => 1.0,
    };
    let margin = call.f64("margin");
    let mut grad1 = Vec::with_capacity(y.numel());
    let mut grad2 = Vec::with_capacity(y.numel());
    for i in 0..y.numel() {
        let z = -y.at(i) * (x1.at(i) - x2.at(i)) + margin;
        let g = if z >= 0.0 { scale } else { 0.0 };
        grad1.push(-y.at(i) * g);
        grad2.push(y.at(i) * g);
    }
    Ok(Gradients::from([
        (
            "input1".to_owned(),
            sum_to(&Tensor::new(shape.clone(), grad1)?, input1.shape())?,
        ),
        (
            "input2".to_owned(),
            sum_to(&Tensor::new(shape, grad2)?, input2.shape())?,
        ),
    ]))
}
