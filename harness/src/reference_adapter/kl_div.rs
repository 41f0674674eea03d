//! `kl_div` on the reference: the case's arguments passed to
//! [`lossparity_reference::kl_div`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `kl_div` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::KlDivOptions {
        legacy: legacy(call),
        reduction: call.str("reduction"),
        log_target: call.bool("log_target"),
    };
    pass.run(
        || reference::kl_div(input, target, &options),
        |g| reference::kl_div_backward(input, target, &options, g),
    )
}
