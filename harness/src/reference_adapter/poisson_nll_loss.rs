//! `poisson_nll_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::poisson_nll_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `poisson_nll_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let options = reference::PoissonNllLossOptions {
        log_input: call.bool("log_input"),
        full: call.bool("full"),
        legacy: legacy(call),
        eps: call.f64("eps"),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::poisson_nll_loss(input, target, &options),
        |g| reference::poisson_nll_loss_backward(input, target, &options, g),
    )
}
