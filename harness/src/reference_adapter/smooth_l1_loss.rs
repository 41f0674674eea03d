//! `smooth_l1_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::smooth_l1_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `smooth_l1_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::SmoothL1LossOptions {
        legacy: legacy(call),
        reduction: call.str("reduction"),
        beta: call.f64("beta"),
    };
    pass.run(
        || reference::smooth_l1_loss(input, target, &options),
        |g| reference::smooth_l1_loss_backward(input, target, &options, g),
    )
}
