//! Mutants of `multilabel_soft_margin_loss` (spec/multilabel_soft_margin_loss.md).

use lossparity_reference::broadcast::broadcast_shapes;
use lossparity_reference::primitives::log_sigmoid;
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::MultilabelSoftMarginLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "no_average_over_classes",
            "each sample's loss is the sum over the classes instead of their mean (no / C)",
            no_average_over_classes,
        ),
        Mutant::forward(
            LOSS,
            "classes_on_dim_one",
            "the class dimension is dim 1 (the documented (N, C)) instead of the last dimension",
            classes_on_dim_one,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_ignores_weight",
            "the backward leaves out the weight: (σ(x) - y)/C instead of (σ(x) - y)·w/C",
            gradient_ignores_weight,
        ),
    ]
}

fn no_average_over_classes(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let output = reference_with(call, |_| {})?;
    let input = call.required_float("input");
    let classes = input.shape().last().copied().unwrap_or(1);
    if classes == 0 {
        // An empty class sum is 0 (PyTorch: 0 / 0 = NaN).
        let samples = reference_with(call, |case| set_reduction(case, "none"))?.map(|_| 0.0);
        return Ok(Reduction::parse(call.reduction())?.apply(samples));
    }
    Ok(output.map(|&l| l * classes as f64))
}

fn classes_on_dim_one(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let output = reference_with(call, |_| {})?;
    let input = call.required_float("input");
    if input.ndim() < 3 {
        // dim 1 is the last dimension of a 2-D input; a 1-D input has no dim 1.
        return Ok(output);
    }
    let target = call.required_float("target");
    let mut shape = broadcast_shapes(target.shape(), input.shape())?;
    let (x, y) = (input.expand(&shape)?, target.expand(&shape)?);
    let mut loss: Vec<f64> = (0..x.numel())
        .map(|i| {
            let (x, y) = (x.at(i), y.at(i));
            -(y * log_sigmoid(x) + (1.0 - y) * log_sigmoid(-x))
        })
        .collect();
    if let Some(weight) = call.float("weight") {
        let weighted = broadcast_shapes(&shape, weight.shape())?;
        let (l, w) = (
            Tensor::new(shape, loss)?.expand(&weighted)?,
            weight.expand(&weighted)?,
        );
        loss = (0..l.numel()).map(|i| l.at(i) * w.at(i)).collect();
        shape = weighted;
    }
    let classes = input.shape()[1];
    let (outer, len) = (shape[0], shape[1]);
    let inner: usize = shape[2..].iter().product();
    let mut per_sample = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for i in 0..inner {
            let sum: f64 = (0..len).map(|k| loss[(o * len + k) * inner + i]).sum();
            per_sample.push(sum / classes as f64);
        }
    }
    shape.remove(1);
    Ok(Reduction::parse(call.reduction())?.apply(Tensor::new(shape, per_sample)?))
}

fn gradient_ignores_weight(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    reference_gradient_with(call, |case| {
        if let Some(Value::Float(weight)) = case.inputs.get("weight") {
            let ones = weight.map(|_| 1.0);
            case.inputs.insert("weight".into(), Value::Float(ones));
        }
    })
}
