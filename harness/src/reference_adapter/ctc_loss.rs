//! `ctc_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::ctc_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{int_param, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `ctc_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (log_probs, targets, input_lengths, target_lengths) = (
        call.required_float("log_probs"),
        call.required_int("targets"),
        call.required_int("input_lengths"),
        call.required_int("target_lengths"),
    );
    let options = reference::CtcLossOptions {
        blank: int_param(call, "blank"),
        reduction: call.str("reduction"),
        zero_infinity: call.bool("zero_infinity"),
    };
    pass.run(
        || reference::ctc_loss(log_probs, targets, input_lengths, target_lengths, &options),
        |g| {
            reference::ctc_loss_backward(
                log_probs,
                targets,
                input_lengths,
                target_lengths,
                &options,
                g,
            )
        },
    )
}
