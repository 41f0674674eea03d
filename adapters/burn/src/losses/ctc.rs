//! `ctc_loss` → `CTCLossConfig{blank, zero_infinity}`: `forward` (unreduced) and
//! `forward_with_reduction`.

use burn::nn::loss::CTCLossConfig;
use lossparity::Call;

use super::{run, Outcome};
use crate::dtype::BurnFloat;
use crate::reduction::{self, Offered};
use crate::session::{Output, Session};
use crate::shapes;

/// Whether burn can run `call`.
pub(crate) fn check<T>(call: &Call<'_, T>) -> Outcome {
    shapes::require_rank(call, "log_probs", 3, "[time, batch, classes]")?;
    shapes::require_rank(call, "targets", 2, "padded [batch, max target length]")?;
    shapes::require_rank(call, "input_lengths", 1, "[batch]")?;
    shapes::require_rank(call, "target_lengths", 1, "[batch]")?;
    if call.param("blank").as_i64().is_some_and(|b| b < 0) {
        return Err("burn's blank is a usize: a negative blank cannot be expressed".into());
    }
    reduction::mode(call, Offered::NoneMeanSum).map(drop)
}

/// Computes the loss with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    let call = s.call();
    let mode = reduction::mode(call, Offered::NoneMeanSum).expect("checked");
    let blank = call.param("blank").as_i64().expect("blank is an int");
    let loss = CTCLossConfig::new()
        .with_blank(usize::try_from(blank).expect("checked"))
        .with_zero_infinity(call.bool("zero_infinity"))
        .init();
    let log_probs = s.float::<3>("log_probs");
    let targets = s.int::<2>("targets");
    let input_lengths = s.int::<1>("input_lengths");
    let target_lengths = s.int::<1>("target_lengths");
    run(
        mode,
        || {
            loss.forward(
                log_probs.clone(),
                targets.clone(),
                input_lengths.clone(),
                target_lengths.clone(),
            )
        },
        |r| {
            loss.forward_with_reduction(
                log_probs.clone(),
                targets.clone(),
                input_lengths.clone(),
                target_lengths.clone(),
                r,
            )
        },
    )
}
