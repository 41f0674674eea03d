//! `l1_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::l1_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `l1_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::L1LossOptions {
        legacy: legacy(call),
        reduction: call.str("reduction"),
        weight: call.float("weight"),
    };
    pass.run(
        || reference::l1_loss(input, target, &options),
        |g| reference::l1_loss_backward(input, target, &options, g),
    )
}
