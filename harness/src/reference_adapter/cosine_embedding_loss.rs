//! `cosine_embedding_loss` on the reference: the case's arguments passed to
//! [`lossparity_reference::cosine_embedding_loss`], or to its backward.

use lossparity_reference::{self as reference, LossError};

use super::{legacy, Computed, Pass};
use crate::adapter::Call;

/// Runs `pass` of `cosine_embedding_loss` with the case's arguments.
pub(crate) fn run(call: &Call<'_, f64>, pass: Pass<'_>) -> Result<Computed, LossError> {
    let (input1, input2, target) = (
        call.required_float("input1"),
        call.required_float("input2"),
        call.required_float("target"),
    );
    let options = reference::CosineEmbeddingLossOptions {
        margin: call.f64("margin"),
        legacy: legacy(call),
        reduction: call.str("reduction"),
    };
    pass.run(
        || reference::cosine_embedding_loss(input1, input2, target, &options),
        |g| reference::cosine_embedding_loss_backward(input1, input2, target, &options, g),
    )
}
