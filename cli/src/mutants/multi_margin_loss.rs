//! Mutants of `multi_margin_loss` (spec/multi_margin_loss.md).
//!
//! PyTorch puts the class weight outside the power: `w[y]·max(0, z)^p`.

use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, reference_with, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::MultiMarginLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "weight_inside_power",
            "the class weight inside the power, (w[y]·max(0, z))^p, instead of PyTorch's \
             w[y]·max(0, z)^p (differs for p = 2)",
            weight_inside_power,
        ),
        Mutant::forward(
            LOSS,
            "weight_of_other_class",
            "each term weighted by w[i], the weight of the other class, instead of w[y], the \
             weight of the target class",
            weight_of_other_class,
        ),
        Mutant::forward(
            LOSS,
            "target_class_not_skipped",
            "the sum over classes includes i = y, adding max(0, margin)^p·w[y] per sample",
            target_class_not_skipped,
        ),
        Mutant::gradient(
            LOSS,
            "squared_gradient_missing_two",
            "for p = 2 the derivative of z² is taken as z instead of 2·z",
            squared_gradient_missing_two,
        ),
    ]
}

fn weight_inside_power(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    // (w·z)² = w²·z²: PyTorch's formula with the weight squared.
    let squared = call.param("p").as_i64() == Some(2);
    reference_with(call, |case| {
        if let (true, Some(Value::Float(weight))) = (squared, case.inputs.get("weight")) {
            let weight = weight.map(|&w| w * w);
            case.inputs.insert("weight".into(), Value::Float(weight));
        }
    })
}

fn weight_of_other_class(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    forward_with(
        call,
        |z, _, i, weight| weight.map_or(1.0, |w| w[i]) * z,
        false,
    )
}

fn target_class_not_skipped(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    forward_with(
        call,
        |z, t, _, weight| weight.map_or(1.0, |w| w[t]) * z,
        true,
    )
}

/// The loss with each positive hinge term `h` (already raised to p) replaced by
/// `term(h, y, i, weight)`, over all classes when `include_target`; the reference's errors first.
fn forward_with(
    call: &Call<'_, f64>,
    term: fn(f64, usize, usize, Option<&[f64]>) -> f64,
    include_target: bool,
) -> Result<Tensor, LossError> {
    let output = reference_with(call, |_| {})?;
    let input = call.required_float("input");
    let target = call.required_int("target");
    let weight = call.float("weight").map(Tensor::data);
    let (p, margin) = (call.param("p").as_i64().unwrap_or(1), call.f64("margin"));
    let classes = input.shape().last().copied().unwrap_or(1);
    let batch = input.numel() / classes;
    let per_sample: Vec<f64> = (0..batch)
        .map(|n| {
            let x = &input.data()[n * classes..(n + 1) * classes];
            let t = target.at(n) as usize;
            let mut sum = 0.0;
            for (i, &score) in x.iter().enumerate() {
                if i == t && !include_target {
                    continue;
                }
                let z = margin - x[t] + score;
                if z > 0.0 {
                    sum += term(if p == 1 { z } else { z * z }, t, i, weight);
                }
            }
            sum / classes as f64
        })
        .collect();
    let total: f64 = per_sample.iter().sum();
    Ok(match Reduction::parse(call.reduction())? {
        Reduction::None => Tensor::new(output.shape().to_vec(), per_sample)?,
        Reduction::Sum => Tensor::scalar(total),
        Reduction::Mean => Tensor::scalar(total / batch as f64),
    })
}

fn squared_gradient_missing_two(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let squared = call.param("p").as_i64() == Some(2);
    let gradients = reference_gradient_with(call, |_| {})?;
    Ok(gradients
        .into_iter()
        .map(|(name, grad)| {
            let grad = if squared {
                grad.map(|&g| g / 2.0)
            } else {
                grad
            };
            (name, grad)
        })
        .collect())
}
