//! `nll_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::nll_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{int_param, legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `nll_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_int("target"));
    let options = reference::NllLossOptions {
        weight: call.float("weight"),
        legacy: legacy(call),
        ignore_index: int_param(call, "ignore_index"),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::nll_loss(input, target, &options),
        |g| reference::nll_loss_backward(input, target, &options, g),
    )
}
