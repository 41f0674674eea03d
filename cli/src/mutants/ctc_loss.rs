//! Mutants of `ctc_loss` (spec/ctc_loss.md).

use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::Param;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::CtcLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "mean_not_divided_by_target_lengths",
            "`mean` averages the per-sample losses over the batch without first dividing each \
             by its target length (clamped to at least 1)",
            mean_not_divided_by_target_lengths,
        ),
        Mutant::forward(
            LOSS,
            "zero_infinity_ignored",
            "`zero_infinity=True` is ignored: infinite losses (impossible alignments) stay \
             infinite instead of becoming 0",
            zero_infinity_ignored,
        ),
        Mutant::forward(
            LOSS,
            "blank_fixed_at_zero",
            "the blank label is always class 0, whatever `blank` says",
            blank_fixed_at_zero,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_without_softmax_term",
            "the backward is the true derivative with respect to log_probs, without PyTorch's \
             extra exp(log_probs) term (its gradient is the one with respect to the logits \
             behind a log_softmax)",
            gradient_without_softmax_term,
        ),
    ]
}

fn mean_not_divided_by_target_lengths(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = Reference.forward(call)?;
    if Reduction::parse(call.reduction())? != Reduction::Mean {
        return Ok(reference);
    }
    let per_sample = reference_with(call, |case| set_reduction(case, "none"))?;
    Ok(Reduction::Mean.apply(per_sample))
}

fn zero_infinity_ignored(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        case.params
            .insert("zero_infinity".into(), Param::Bool(false));
    })
}

fn blank_fixed_at_zero(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    Reference.forward(call)?;
    reference_with(call, |case| {
        case.params.insert("blank".into(), Param::Int(0));
    })
}

fn gradient_without_softmax_term(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let mut gradients = Reference.gradient(call)?;
    let log_probs = call.required_float("log_probs");
    let (max_input_length, batch, classes) = match *log_probs.shape() {
        [t, n, c] => (t, n, c),
        [t, c] => (t, 1, c),
        _ => return Ok(gradients),
    };
    let input_lengths = call.required_int("input_lengths").data();
    let target_lengths = call.required_int("target_lengths").data();
    // Each sample's share of the incoming gradient: 1, or 1 / (N·max(L_b, 1)) for mean.
    let mean = Reduction::parse(call.reduction())? == Reduction::Mean;
    let share = |b: usize| {
        if mean {
            1.0 / batch as f64 / target_lengths[b].max(1) as f64
        } else {
            1.0
        }
    };
    // A sample that zero_infinity zeroes keeps its zero gradient.
    let losses = reference_with(call, |case| {
        set_reduction(case, "none");
        case.params
            .insert("zero_infinity".into(), Param::Bool(false));
    })?;
    let zeroed = |b: usize| call.bool("zero_infinity") && losses.at(b) == f64::INFINITY;
    if let Some(grad) = gradients.get_mut("log_probs") {
        let mut values = grad.data().to_vec();
        for t in 0..max_input_length {
            for (b, &length) in input_lengths.iter().enumerate() {
                if t as i64 >= length || zeroed(b) {
                    continue;
                }
                for c in 0..classes {
                    let i = (t * batch + b) * classes + c;
                    values[i] -= log_probs.at(i).exp() * share(b);
                }
            }
        }
        *grad = Tensor::new(grad.shape().to_vec(), values)?;
    }
    Ok(gradients)
}
