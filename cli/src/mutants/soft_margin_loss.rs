//! Mutants of `soft_margin_loss` (spec/soft_margin_loss.md).

use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_gradient_with, reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::Param;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::SoftMarginLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "legacy_missing_argument_counts_as_false",
            "when one legacy argument is given, the missing one counts as false instead of \
             true (size_average=True alone gives none, reduce=True alone gives sum)",
            legacy_missing_argument_counts_as_false,
        ),
        Mutant::forward(
            LOSS,
            "log_instead_of_log1p",
            "log(1 + exp(-y·x)) instead of log1p(exp(-y·x)), which loses the small losses of \
             well-classified elements",
            log_instead_of_log1p,
        ),
        Mutant::gradient(
            LOSS,
            "mean_gradient_not_divided",
            "the backward of mean forgets the 1/numel, giving the gradient of sum",
            mean_gradient_not_divided,
        ),
    ]
}

fn legacy_missing_argument_counts_as_false(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        let given = ["size_average", "reduce"]
            .map(|name| case.params.get(name).is_some_and(|p| !p.is_null()));
        if given.contains(&true) {
            for (name, given) in ["size_average", "reduce"].into_iter().zip(given) {
                if !given {
                    case.params.insert(name.to_owned(), Param::Bool(false));
                }
            }
        }
    })
}

fn log_instead_of_log1p(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |_| {})?;
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let y = target.expand(input.shape())?;
    let loss = (0..input.numel())
        .map(|i| (1.0 + (-y.at(i) * input.at(i)).exp()).ln())
        .collect();
    Ok(Reduction::parse(call.reduction())?.apply(Tensor::new(input.shape().to_vec(), loss)?))
}

fn mean_gradient_not_divided(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let mean = call.reduction() == "mean" || call.reduction() == "elementwise_mean";
    reference_gradient_with(call, |case| {
        if mean {
            set_reduction(case, "sum");
        }
    })
}
