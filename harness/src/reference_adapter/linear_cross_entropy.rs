//! `linear_cross_entropy` on the reference: the case's arguments passed to
//! [`lossparity_reference::linear_cross_entropy`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{class_target, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `linear_cross_entropy` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, linear_weight, target) = (
        call.required_float("input"),
        call.required_float("linear_weight"),
        class_target(call, "target"),
    );
    let options = reference::LinearCrossEntropyOptions {
        linear_bias: call.float("linear_bias"),
        weight: call.float("weight"),
        reduction: call.str("reduction"),
        ignore_index: call.param("ignore_index").as_i64(),
        label_smoothing: call.f64("label_smoothing"),
    };
    pass.run(
        || reference::linear_cross_entropy(input, linear_weight, target, &options),
        |g| reference::linear_cross_entropy_backward(input, linear_weight, target, &options, g),
    )
}
