//! `multi_margin_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::multi_margin_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{int_param, legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `multi_margin_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_int("target"));
    let options = reference::MultiMarginLossOptions {
        p: int_param(call, "p"),
        margin: call.f64("margin"),
        weight: call.float("weight"),
        legacy: legacy(call),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::multi_margin_loss(input, target, &options),
        |g| reference::multi_margin_loss_backward(input, target, &options, g),
    )
}
