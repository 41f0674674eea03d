//! `triplet_margin_with_distance_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::triplet_margin_with_distance_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `triplet_margin_with_distance_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (anchor, positive, negative) = (
        call.required_float("anchor"),
        call.required_float("positive"),
        call.required_float("negative"),
    );
    let options = reference::TripletMarginWithDistanceLossOptions {
        distance_function: call.param("distance_function").as_str(),
        margin: call.f64("margin"),
        swap: call.bool("swap"),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::triplet_margin_with_distance_loss(anchor, positive, negative, &options),
        |g| {
            reference::triplet_margin_with_distance_loss_backward(
                anchor, positive, negative, &options, g,
            )
        },
    )
}
