//! `gaussian_nll_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::gaussian_nll_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `gaussian_nll_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input, target, var) = (
        call.required_float("input"),
        call.required_float("target"),
        call.required_float("var"),
    );
    let options = reference::GaussianNllLossOptions {
        full: call.bool("full"),
        eps: call.f64("eps"),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::gaussian_nll_loss(input, target, var, &options),
        |g| reference::gaussian_nll_loss_backward(input, target, var, &options, g),
    )
}
