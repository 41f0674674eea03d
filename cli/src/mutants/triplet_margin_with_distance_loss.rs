//! Mutants of `triplet_margin_with_distance_loss` (spec/triplet_margin_with_distance_loss.md).

use lossparity_reference::{DistanceFunction, LossError, Tensor};

use super::triplet_margin_loss::triplet_gradient_ties_to_first;
use super::{reference_gradient_with, reference_with, set_str, Mutant};
use lossparity::__private::Loss;
use lossparity::{Call, Gradients};

const LOSS: Loss = Loss::TripletMarginWithDistanceLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "cosine_distance_as_pairwise",
            "distance_function is ignored: the distance is always the default pairwise \
             distance",
            cosine_distance_as_pairwise,
        ),
        Mutant::gradient(
            LOSS,
            "cosine_distance_gradient_sign",
            "the backward of the cosine distance 1 - cos(u, v) forgets the minus: it \
             back-propagates the similarity's gradient",
            cosine_distance_gradient_sign,
        ),
        Mutant::gradient(
            LOSS,
            "swap_tie_gradient_not_split",
            "with swap, where d(a, n) = d(p, n) the whole gradient goes to d(a, n) instead of \
             half to each",
            swap_tie_gradient_not_split,
        ),
    ]
}

fn is_cosine(call: &Call<'_, f64>) -> bool {
    call.param("distance_function").as_str() == Some("cosine_distance")
}

fn cosine_distance_as_pairwise(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let cosine = is_cosine(call);
    // The reference first, for a name that is not a distance function.
    reference_with(call, |_| {})?;
    reference_with(call, |case| {
        if cosine {
            set_str(case, "distance_function", "pairwise_distance");
        }
    })
}

fn cosine_distance_gradient_sign(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    // The whole gradient is linear in the distances' gradients, so it only changes sign.
    let cosine = is_cosine(call);
    let gradients = reference_gradient_with(call, |_| {})?;
    Ok(gradients
        .into_iter()
        .map(|(name, grad)| {
            let grad = if cosine { grad.map(|&g| -g) } else { grad };
            (name, grad)
        })
        .collect())
}

fn swap_tie_gradient_not_split(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let name = call.param("distance_function").as_str();
    let distance = DistanceFunction::from_name(name)?;
    triplet_gradient_ties_to_first(
        call,
        |u, v| distance.distance(u, v),
        |u, v, g| distance.distance_backward(u, v, g),
    )
}
