//! Mutants of `triplet_margin_loss` (spec/triplet_margin_loss.md).

use lossparity_reference::broadcast::{broadcast_shapes, sum_to};
use lossparity_reference::primitives::{minimum, pairwise_distance, pairwise_distance_backward};
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_with, set_f64, Mutant};
use lossparity::__private::Loss;
use lossparity::Param;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::TripletMarginLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "distance_without_eps",
            "the distances are ‖u - v‖_p, without the eps PyTorch adds to every component of \
             u - v",
            distance_without_eps,
        ),
        Mutant::forward(
            LOSS,
            "swap_ignored",
            "swap=True is ignored: the negative distance is always d(a, n), never \
             min(d(a, n), d(p, n))",
            swap_ignored,
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

fn distance_without_eps(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| set_f64(case, "eps", 0.0))
}

fn swap_ignored(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    reference_with(call, |case| {
        case.params.insert("swap".into(), Param::Bool(false));
    })
}

fn swap_tie_gradient_not_split(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let (p, eps) = (call.f64("p"), call.f64("eps"));
    triplet_gradient_ties_to_first(
        call,
        |u, v| pairwise_distance(u, v, p, eps),
        |u, v, g| pairwise_distance_backward(u, v, p, eps, g),
    )
}

/// The triplet loss's gradient (after the reference's errors) for a `distance` with backward
/// `distance_backward`, written out as PyTorch computes it except that `min(d(a, n), d(p, n))`
/// gives a tie's whole gradient to `d(a, n)`.
pub(super) fn triplet_gradient_ties_to_first(
    call: &Call<'_, f64>,
    distance: impl Fn(&Tensor, &Tensor) -> Result<Tensor, LossError>,
    distance_backward: impl Fn(&Tensor, &Tensor, &Tensor) -> Result<(Tensor, Tensor), LossError>,
) -> Result<Gradients<f64>, LossError> {
    let reference = Reference.gradient(call)?;
    if !call.bool("swap") {
        return Ok(reference);
    }
    let (anchor, positive, negative) = (
        call.required_float("anchor"),
        call.required_float("positive"),
        call.required_float("negative"),
    );
    let (dist_pos, dist_neg, dist_swap) = (
        distance(anchor, positive)?,
        distance(anchor, negative)?,
        distance(positive, negative)?,
    );
    let dist_neg_used = minimum(&dist_neg, &dist_swap)?;
    let shape = broadcast_shapes(dist_pos.shape(), dist_neg_used.shape())?;
    let (pos, neg) = (dist_pos.expand(&shape)?, dist_neg_used.expand(&shape)?);
    let scale = match Reduction::parse(call.reduction())? {
        Reduction::Mean => 1.0 / pos.numel() as f64,
        Reduction::None | Reduction::Sum => 1.0,
    };
    let margin = call.f64("margin");
    let grad: Vec<f64> = (0..pos.numel())
        .map(|i| {
            if margin + pos.at(i) - neg.at(i) > 0.0 {
                scale
            } else {
                0.0
            }
        })
        .collect();
    let grad = Tensor::new(shape, grad)?;
    let grad_pos = sum_to(&grad, dist_pos.shape())?;
    let grad_neg_used = sum_to(&grad.map(|g| -g), dist_neg_used.shape())?;
    // The minimum's backward as a mask `d(a, n) <= d(p, n)`: ties to the first argument.
    let min_shape = dist_neg_used.shape().to_vec();
    let (first, second) = (dist_neg.expand(&min_shape)?, dist_swap.expand(&min_shape)?);
    let to_first = |i: usize| first.at(i) <= second.at(i);
    let split = |mine: bool| -> Result<Tensor, LossError> {
        let grad = (0..grad_neg_used.numel())
            .map(|i| {
                if to_first(i) == mine {
                    grad_neg_used.at(i)
                } else {
                    0.0
                }
            })
            .collect();
        Tensor::new(min_shape.clone(), grad)
    };
    let grad_neg = sum_to(&split(true)?, dist_neg.shape())?;
    let grad_swap = sum_to(&split(false)?, dist_swap.shape())?;
    let (anchor_1, positive_1) = distance_backward(anchor, positive, &grad_pos)?;
    let (anchor_2, negative_1) = distance_backward(anchor, negative, &grad_neg)?;
    let (positive_2, negative_2) = distance_backward(positive, negative, &grad_swap)?;
    let add = |a: &Tensor, b: &Tensor| -> Result<Tensor, LossError> {
        let sum = a.data().iter().zip(b.data()).map(|(x, y)| x + y);
        Tensor::new(a.shape().to_vec(), sum.collect())
    };
    Ok(Gradients::from([
        ("anchor".to_owned(), add(&anchor_1, &anchor_2)?),
        ("positive".to_owned(), add(&positive_1, &positive_2)?),
        ("negative".to_owned(), add(&negative_1, &negative_2)?),
    ]))
}
