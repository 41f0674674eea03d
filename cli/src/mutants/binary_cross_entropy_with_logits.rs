//! Mutants of `binary_cross_entropy_with_logits` (spec/binary_cross_entropy_with_logits.md).

use lossparity_reference::primitives::log_sigmoid;
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, Mutant};
use lossparity::__private::Loss;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::BinaryCrossEntropyWithLogits;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "naive_log_sigmoid",
            "the loss is computed literally as -(pw·y·log(σ(x)) + (1 - y)·log(1 - σ(x))), which \
             overflows to inf (or NaN) for large |x| instead of using log-sigmoid",
            naive_log_sigmoid,
        ),
        Mutant::forward(
            LOSS,
            "pos_weight_on_negative_term",
            "pos_weight multiplies the negative term (1 - y)·log(1 - σ(x)) instead of the \
             positive term y·log(σ(x))",
            pos_weight_on_negative_term,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_ignores_pos_weight",
            "the backward is w·(σ(x) - y) even with pos_weight, forgetting its \
             (pw·y + 1 - y)·σ(x) - pw·y form",
            gradient_ignores_pos_weight,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_naive_sigmoid",
            "the backward computes σ(x) as exp(x) / (1 + exp(x)), which is inf/inf = NaN for \
             large positive x",
            gradient_naive_sigmoid,
        ),
    ]
}

/// The input, the target, and `pos_weight` and `weight` expanded to the input's shape (the
/// reference has validated them).
struct Operands<'a> {
    x: &'a Tensor,
    y: &'a Tensor,
    pos_weight: Option<Tensor>,
    weight: Option<Tensor>,
}

impl<'a> Operands<'a> {
    fn of(call: &'a Call<'_, f64>) -> Result<Self, LossError> {
        let (x, y) = (call.required_float("input"), call.required_float("target"));
        let expand = |name| call.float(name).map(|t| t.expand(x.shape())).transpose();
        Ok(Operands {
            x,
            y,
            pos_weight: expand("pos_weight")?,
            weight: expand("weight")?,
        })
    }

    /// Each element's value by `f(x, y, pw)`, times the weight.
    fn map(&self, f: impl Fn(f64, f64, Option<f64>) -> f64) -> Result<Tensor, LossError> {
        let values = (0..self.x.numel())
            .map(|i| {
                let pw = self.pos_weight.as_ref().map(|pw| pw.at(i));
                let v = f(self.x.at(i), self.y.at(i), pw);
                self.weight.as_ref().map_or(v, |w| v * w.at(i))
            })
            .collect();
        Tensor::new(self.x.shape().to_vec(), values)
    }
}

fn naive_log_sigmoid(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    Reference.forward(call)?;
    let loss = Operands::of(call)?.map(|x, y, pw| {
        let sigmoid = 1.0 / (1.0 + (-x).exp());
        let positive = y * sigmoid.ln();
        let positive = pw.map_or(positive, |pw| pw * positive);
        -(positive + (1.0 - y) * (1.0 - sigmoid).ln())
    })?;
    Ok(Reduction::parse(call.reduction())?.apply(loss))
}

fn pos_weight_on_negative_term(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    if !call.has_input("pos_weight") {
        return Ok(reference);
    }
    // -(y·logσ(x) + pw·(1 - y)·logσ(-x)) = pw·(1 - y)·x - ((pw - 1)·(1 - y) + 1)·logσ(x),
    // the reference's form with the roles of the two terms swapped.
    let loss = Operands::of(call)?.map(|x, y, pw| {
        let pw = pw.unwrap_or(1.0);
        pw * (1.0 - y) * x - ((pw - 1.0) * (1.0 - y) + 1.0) * log_sigmoid(x)
    })?;
    Ok(Reduction::parse(call.reduction())?.apply(loss))
}

fn gradient_ignores_pos_weight(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    reference_gradient_with(call, |case| {
        case.inputs.remove("pos_weight");
    })
}

fn gradient_naive_sigmoid(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    let operands = Operands::of(call)?;
    let scale = match Reduction::parse(call.reduction())? {
        Reduction::Mean => 1.0 / operands.x.numel() as f64,
        _ => 1.0,
    };
    let grad = operands.map(|x, y, pw| {
        let sigmoid = x.exp() / (1.0 + x.exp());
        let d = match pw {
            Some(pw) => (pw * y + 1.0 - y) * sigmoid - pw * y,
            None => sigmoid - y,
        };
        d * scale
    })?;
    Ok(Gradients::from([("input".to_owned(), grad)]))
}
