//! Mutants of `cross_entropy` (spec/cross_entropy.md).

use lossparity_reference::primitives::log_softmax;
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, reference_with, set_f64, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients, Input};

const LOSS: Loss = Loss::CrossEntropy;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "smoothing_ignores_weight",
            "with label smoothing and class weights, the smoothing term -Σ_c lp[c] is computed \
             (and averaged) without the class weights; only the NLL term is weighted",
            smoothing_ignores_weight,
        ),
        Mutant::forward(
            LOSS,
            "smoothing_mean_over_n",
            "with label smoothing, `mean` divides the smoothing term by the number of targets N \
             (ignored ones included) instead of by Σ w[y] over the targets not ignored",
            smoothing_mean_over_n,
        ),
        Mutant::forward(
            LOSS,
            "probability_targets_as_argmax",
            "probability targets are turned into class indices (the argmax of each row) instead \
             of giving -Σ_c y[c]·lp[c]",
            probability_targets_as_argmax,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_ignores_label_smoothing",
            "the backward is softmax(x) - onehot(y) (or - y) as without label smoothing, \
             although the forward smooths",
            gradient_ignores_label_smoothing,
        ),
    ]
}

/// Values laid out like a cross-entropy input, seen as `(outer, classes, inner)` with the class
/// dimension 0 for a 1-D input, else 1: `log_softmax(input)` ([`LogProbs::of`]), or the rows of
/// a probability target ([`LogProbs::rows`]).
struct LogProbs {
    values: Vec<f64>,
    classes: usize,
    inner: usize,
    positions: usize,
}

impl LogProbs {
    /// `values` in the layout of a tensor of shape `shape`, taken as they are.
    fn rows(values: Vec<f64>, shape: &[usize]) -> Self {
        let (outer, classes) = match shape.len() {
            1 => (1, shape[0]),
            _ => (shape[0], shape[1]),
        };
        let inner = shape.get(2..).map_or(1, |s| s.iter().product());
        LogProbs {
            values,
            classes,
            inner,
            positions: outer * inner,
        }
    }

    fn of(input: &Tensor) -> Self {
        let mut lp = LogProbs::rows(input.data().to_vec(), input.shape());
        for p in 0..lp.positions {
            let row: Vec<f64> = (0..lp.classes).map(|c| lp.values[lp.index(p, c)]).collect();
            for (c, v) in log_softmax(&row).into_iter().enumerate() {
                let i = lp.index(p, c);
                lp.values[i] = v;
            }
        }
        lp
    }

    fn index(&self, p: usize, c: usize) -> usize {
        let (o, i) = (p / self.inner, p % self.inner);
        (o * self.classes + c) * self.inner + i
    }

    /// `-Σ_c w[c]·lp[p, c]` (`w[c]` = 1 when `weight` is `None`).
    fn smoothing_term(&self, p: usize, weight: Option<&Tensor>) -> f64 {
        let mut sum = 0.0;
        for c in 0..self.classes {
            let v = self.values[self.index(p, c)];
            sum += weight.map_or(v, |w| v * w.at(c));
        }
        -sum
    }
}

/// The parts of a call with class-index targets and label smoothing `ε > 0`.
struct Smoothed<'a> {
    input: &'a Tensor,
    target: &'a Tensor<i64>,
    ignore_index: i64,
    epsilon: f64,
}

impl<'a> Smoothed<'a> {
    fn of(call: &'a Call<'_, f64>) -> Option<Self> {
        let epsilon = call.f64("label_smoothing");
        match call.input("target") {
            Some(Input::Int(target)) if epsilon > 0.0 => Some(Smoothed {
                input: call.required_float("input"),
                target,
                ignore_index: call.param("ignore_index").as_i64().unwrap_or(-100),
                epsilon,
            }),
            _ => None,
        }
    }

    fn ignored(&self, p: usize) -> bool {
        self.target.at(p) == self.ignore_index
    }

    /// `(1 - ε)·nll + s·(ε/C)`, element by element, with `nll` the reference's unsmoothed loss
    /// and `smooth` the smoothing term, both reduced as the call reduces.
    fn combine(
        &self,
        call: &Call<'_, f64>,
        classes: usize,
        smooth: &[f64],
    ) -> Result<Tensor, LossError> {
        let nll = reference_with(call, |case| set_f64(case, "label_smoothing", 0.0))?;
        let scale = self.epsilon / classes as f64;
        let loss = nll
            .data()
            .iter()
            .zip(smooth)
            .map(|(&nll, &s)| (1.0 - self.epsilon) * nll + s * scale)
            .collect();
        Tensor::new(nll.shape().to_vec(), loss)
    }
}

fn smoothing_ignores_weight(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    let Some(smoothed) = Smoothed::of(call) else {
        return Ok(reference);
    };
    if !call.has_input("weight") {
        return Ok(reference);
    }
    let lp = LogProbs::of(smoothed.input);
    let terms: Vec<f64> = (0..lp.positions)
        .map(|p| {
            if smoothed.ignored(p) {
                0.0
            } else {
                lp.smoothing_term(p, None)
            }
        })
        .collect();
    let kept = (0..lp.positions).filter(|&p| !smoothed.ignored(p)).count();
    let smooth = match Reduction::parse(call.reduction())? {
        Reduction::None => terms,
        Reduction::Sum => vec![terms.iter().sum()],
        Reduction::Mean => vec![terms.iter().sum::<f64>() / kept as f64],
    };
    smoothed.combine(call, lp.classes, &smooth)
}

fn smoothing_mean_over_n(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    let Some(smoothed) = Smoothed::of(call) else {
        return Ok(reference);
    };
    if !matches!(call.reduction(), "mean" | "elementwise_mean") {
        return Ok(reference);
    }
    let lp = LogProbs::of(smoothed.input);
    let weight = call.float("weight");
    let total: f64 = (0..lp.positions)
        .map(|p| {
            if smoothed.ignored(p) {
                0.0
            } else {
                lp.smoothing_term(p, weight)
            }
        })
        .sum();
    smoothed.combine(call, lp.classes, &[total / lp.positions as f64])
}

fn probability_targets_as_argmax(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let input = call.required_float("input");
    let Some(Input::Float(target)) = call.input("target") else {
        return Reference.forward(call);
    };
    if target.shape() != input.shape() || input.ndim() == 0 || target.numel() == 0 {
        return Reference.forward(call);
    }
    // The argmax over the class dimension (the first maximum; NaN counts as the largest).
    let rows = LogProbs::rows(target.data().to_vec(), target.shape());
    let indices = (0..rows.positions)
        .map(|p| {
            let mut best = 0;
            for c in 1..rows.classes {
                let (v, b) = (
                    rows.values[rows.index(p, c)],
                    rows.values[rows.index(p, best)],
                );
                if v > b || (v.is_nan() && !b.is_nan()) {
                    best = c;
                }
            }
            best as i64
        })
        .collect();
    let mut shape = input.shape().to_vec();
    shape.remove(usize::from(input.ndim() != 1));
    let indices = Tensor::new(shape, indices)?;
    reference_with(call, |case| {
        case.inputs.insert("target".into(), Value::Int(indices));
    })
}

fn gradient_ignores_label_smoothing(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let reference = Reference.gradient(call)?;
    if call.f64("label_smoothing") <= 0.0 {
        return Ok(reference);
    }
    reference_gradient_with(call, |case| set_f64(case, "label_smoothing", 0.0))
}
