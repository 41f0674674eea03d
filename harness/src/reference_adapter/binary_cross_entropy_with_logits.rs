//! `binary_cross_entropy_with_logits` on the reference: the case's arguments passed to
//! [`lossparity_reference::binary_cross_entropy_with_logits`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `binary_cross_entropy_with_logits` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::BinaryCrossEntropyWithLogitsOptions {
        weight: call.float("weight"),
        legacy: legacy(call),
        reduction: call.str("reduction"),
        pos_weight: call.float("pos_weight"),
    };
    pass.run(
        || reference::binary_cross_entropy_with_logits(input, target, &options),
        |g| reference::binary_cross_entropy_with_logits_backward(input, target, &options, g),
    )
}
