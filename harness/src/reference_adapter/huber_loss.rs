//! `huber_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::huber_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `huber_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::HuberLossOptions {
        reduction: call.str("reduction"),
        delta: call.f64("delta"),
        weight: call.float("weight"),
    };
    pass.run(
        || reference::huber_loss(input, target, &options),
        |g| reference::huber_loss_backward(input, target, &options, g),
    )
}
