//! `binary_cross_entropy` on the reference: the case's arguments passed to
//! [`lossparity_reference::binary_cross_entropy`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `binary_cross_entropy` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::BinaryCrossEntropyOptions {
        weight: call.float("weight"),
        legacy: legacy(call),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::binary_cross_entropy(input, target, &options),
        |g| reference::binary_cross_entropy_backward(input, target, &options, g),
    )
}
