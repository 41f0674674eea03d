//! Mutants of `nll_loss` (spec/nll_loss.md).

use lossparity_reference::{LossError, Tensor};

use super::{reference_gradient_with, reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::NllLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "weighted_mean_over_count",
            "with class weights, `mean` divides by the number of (non-ignored) targets instead \
             of the sum of their weights Σ w[y]",
            weighted_mean_over_count,
        ),
        Mutant::forward(
            LOSS,
            "mean_counts_ignored",
            "`mean`'s denominator counts the ignored targets too: the loss is masked but the \
             weights are gathered with ignored targets replaced by class 0 and not masked \
             (without weights: divides by N)",
            mean_counts_ignored,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_ignores_weight",
            "the backward puts -g (÷ Σ w[y] for `mean`) at each target without the factor w[y]",
            gradient_ignores_weight,
        ),
    ]
}

/// The targets, `ignore_index` and the class weights of a call.
struct Targets<'a> {
    target: &'a Tensor<i64>,
    ignore_index: i64,
    weight: Option<&'a Tensor>,
}

impl<'a> Targets<'a> {
    fn of(call: &'a Call<'_, f64>) -> Self {
        Targets {
            target: call.required_int("target"),
            ignore_index: call.param("ignore_index").as_i64().unwrap_or(-100),
            weight: call.float("weight"),
        }
    }

    fn kept(&self) -> impl Iterator<Item = i64> + '_ {
        let ignore_index = self.ignore_index;
        self.target
            .data()
            .iter()
            .copied()
            .filter(move |&t| t != ignore_index)
    }

    fn count(&self) -> f64 {
        self.kept().count() as f64
    }

    /// `w[c]`, 1 without weight.
    fn weight_of(&self, class: i64) -> f64 {
        self.weight.map_or(1.0, |w| {
            w.data().get(class as usize).copied().unwrap_or(0.0)
        })
    }

    /// `Σ w[y]` over the targets not ignored, PyTorch's denominator.
    fn total_weight(&self) -> f64 {
        self.kept().map(|t| self.weight_of(t)).sum()
    }
}

/// The reference's sum divided by `denominator`, for `mean`; the reference otherwise.
fn mean_over(call: &Call<'_, f64>, denominator: f64) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    if !matches!(call.reduction(), "mean" | "elementwise_mean") {
        return Ok(reference);
    }
    let sum = reference_with(call, |case| set_reduction(case, "sum"))?;
    Ok(sum.map(|&s| s / denominator))
}

fn weighted_mean_over_count(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let targets = Targets::of(call);
    if targets.weight.is_none() {
        return Reference.forward(call);
    }
    mean_over(call, targets.count())
}

fn mean_counts_ignored(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let targets = Targets::of(call);
    let denominator = targets
        .target
        .data()
        .iter()
        .map(|&t| {
            let safe = if t == targets.ignore_index { 0 } else { t };
            targets.weight_of(safe)
        })
        .sum();
    mean_over(call, denominator)
}

fn gradient_ignores_weight(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let reference = Reference.gradient(call)?;
    let targets = Targets::of(call);
    if targets.weight.is_none() {
        return Ok(reference);
    }
    let mut gradients = reference_gradient_with(call, |case| {
        case.inputs.remove("weight");
    })?;
    if matches!(call.reduction(), "mean" | "elementwise_mean") {
        // The unweighted mean divided by the count; this one divides by Σ w[y].
        // Only the targets' entries are nonzero (none if every target is ignored).
        let scale = targets.count() / targets.total_weight();
        for grad in gradients.values_mut() {
            *grad = grad.map(|&g| if g == 0.0 { g } else { g * scale });
        }
    }
    Ok(gradients)
}
