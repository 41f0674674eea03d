//! Mutants of `cosine_embedding_loss` (spec/cosine_embedding_loss.md).
//!
//! PyTorch's cosine is `Σ x1·x2 / sqrt((Σ x1² + EPS)·(Σ x2² + EPS))` with `EPS = float(1e-12)`,
//! not `F.cosine_similarity`.

use lossparity_reference::broadcast::sum_to;
use lossparity_reference::primitives::clamp_min;
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_with, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::CosineEmbeddingLoss;

/// PyTorch's `EPSILON`: `1e-12` rounded to f32.
const EPSILON: f64 = 1e-12_f32 as f64;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "cosine_similarity_eps",
            "the cosine of F.cosine_similarity, x1·x2 / (max(‖x1‖, 1e-8)·max(‖x2‖, 1e-8)), \
             instead of x1·x2 / sqrt((‖x1‖² + 1e-12)·(‖x2‖² + 1e-12))",
            cosine_similarity_eps,
        ),
        Mutant::forward(
            LOSS,
            "other_targets_as_minus_one",
            "written as where(y == 1, 1 - cos, max(0, cos - margin)), so a target other than ±1 \
             is treated as -1 instead of giving 0",
            other_targets_as_minus_one,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_ignores_norm_derivative",
            "the backward treats the norms as constants: ∂cos/∂x1 = x2 / (‖x1‖·‖x2‖), without \
             the -cos·x1/(‖x1‖² + EPS) term",
            gradient_ignores_norm_derivative,
        ),
    ]
}

/// The pairs of a call: both inputs as (rows, D) matrices (a 1-D input is one row) and the
/// target as a vector, with the broadcast number of pairs and of loss elements.
struct Pairs<'a> {
    x1: Vec<&'a [f64]>,
    x2: Vec<&'a [f64]>,
    y: &'a [f64],
    pairs: usize,
    len: usize,
}

impl<'a> Pairs<'a> {
    fn new(call: &'a Call<'_, f64>) -> Self {
        let rows = |t: &'a Tensor| -> Vec<&'a [f64]> {
            let count = if t.ndim() == 2 { t.shape()[0] } else { 1 };
            let features = t.shape().last().copied().unwrap_or(1);
            (0..count)
                .map(|n| &t.data()[n * features..(n + 1) * features])
                .collect()
        };
        let (x1, x2) = (
            rows(call.required_float("input1")),
            rows(call.required_float("input2")),
        );
        let y = call.required_float("target").data();
        let pairs = broadcast(x1.len(), x2.len());
        let len = broadcast(pairs, y.len());
        Pairs {
            x1,
            x2,
            y,
            pairs,
            len,
        }
    }

    /// Index `i` of a broadcast dimension of size `size`.
    fn at(size: usize, i: usize) -> usize {
        if size == 1 {
            0
        } else {
            i
        }
    }

    fn pair(&self, i: usize) -> (&[f64], &[f64]) {
        let i = Self::at(self.pairs, i);
        (
            self.x1[Self::at(self.x1.len(), i)],
            self.x2[Self::at(self.x2.len(), i)],
        )
    }

    fn target(&self, i: usize) -> f64 {
        self.y[Self::at(self.y.len(), i)]
    }

    /// The broadcast feature count.
    fn features(&self) -> usize {
        match (self.x1.first(), self.x2.first()) {
            (Some(a), Some(b)) => broadcast(a.len(), b.len()),
            _ => 0,
        }
    }
}

/// The size of a broadcast of two dimension sizes (the reference has checked that they
/// broadcast).
fn broadcast(a: usize, b: usize) -> usize {
    if a == 1 {
        b
    } else {
        a
    }
}

/// Σ a·b over the broadcast features.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    (0..broadcast(a.len(), b.len()))
        .map(|k| a[Pairs::at(a.len(), k)] * b[Pairs::at(b.len(), k)])
        .sum()
}

fn cosine_similarity_eps(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let output = reference_with(call, |_| {})?;
    let pairs = Pairs::new(call);
    let margin = call.f64("margin");
    let loss: Vec<f64> = (0..pairs.len)
        .map(|i| {
            let (a, b) = pairs.pair(i);
            let norm = |v: &[f64]| clamp_min(dot(v, v).sqrt(), 1e-8);
            let cos = dot(a, b) / (norm(a) * norm(b));
            match pairs.target(i) {
                1.0 => 1.0 - cos,
                -1.0 => clamp_min(cos - margin, 0.0),
                _ => 0.0,
            }
        })
        .collect();
    Ok(match Reduction::parse(call.reduction())? {
        Reduction::None => Tensor::new(output.shape().to_vec(), loss)?,
        reduction => reduction.apply(Tensor::vector(loss)),
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

fn gradient_ignores_norm_derivative(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    let pairs = Pairs::new(call);
    let margin = call.f64("margin");
    let scale = match Reduction::parse(call.reduction())? {
        Reduction::Mean => 1.0 / pairs.len as f64,
        Reduction::None | Reduction::Sum => 1.0,
    };
    let features = pairs.features();
    let mut grad1 = vec![0.0; pairs.len * features];
    let mut grad2 = vec![0.0; pairs.len * features];
    for i in 0..pairs.len {
        let (a, b) = pairs.pair(i);
        let denom = ((dot(a, a) + EPSILON) * (dot(b, b) + EPSILON)).sqrt();
        let cos = dot(a, b) / denom;
        let grad_cos = match pairs.target(i) {
            1.0 => -scale,
            -1.0 if cos - margin > 0.0 => scale,
            _ => 0.0,
        };
        for k in 0..features {
            grad1[i * features + k] = grad_cos * b[Pairs::at(b.len(), k)] / denom;
            grad2[i * features + k] = grad_cos * a[Pairs::at(a.len(), k)] / denom;
        }
    }
    let back = |grad: Vec<f64>, name: &str| -> Result<(String, Tensor), LossError> {
        let input = call.required_float(name);
        let rows = if input.ndim() == 2 {
            input.shape()[0]
        } else {
            1
        };
        let own_features = input.shape().last().copied().unwrap_or(1);
        let grad = sum_to(
            &Tensor::new(vec![pairs.len, features], grad)?,
            &[rows, own_features],
        )?;
        Ok((
            name.to_owned(),
            Tensor::new(input.shape().to_vec(), grad.into_data())?,
        ))
    };
    Ok(Gradients::from([
        back(grad1, "input1")?,
        back(grad2, "input2")?,
    ]))
}
