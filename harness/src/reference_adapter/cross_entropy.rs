//! `cross_entropy` on the reference: the case's arguments passed to
//! [`lossparity_reference::cross_entropy`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{class_target, int_param, legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `cross_entropy` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), class_target(call, "target"));
    let options = reference::CrossEntropyOptions {
        weight: call.float("weight"),
        legacy: legacy(call),
        ignore_index: int_param(call, "ignore_index"),
        reduction: call.str("reduction"),
        label_smoothing: call.f64("label_smoothing"),
    };
    pass.run(
        || reference::cross_entropy(input, target, &options),
        |g| reference::cross_entropy_backward(input, target, &options, g),
    )
}
