//! PyTorch's `reduction` (and the legacy `size_average` / `reduce`) mapped onto burn's
//! `forward_no_reduction` and `Reduction::{Mean, Sum, BatchMean}`.

use burn::nn::loss::Reduction;
use lossparity::{Call, Param};

/// What burn is asked to compute.
#[derive(Clone, Debug)]
pub(crate) enum Mode {
    /// The unreduced loss (`forward_no_reduction`, or the loss's own unreduced `forward`).
    None,
    /// A reduced loss.
    Reduce(Reduction),
}

/// The reductions one burn loss offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Offered {
    /// `forward_no_reduction` and `forward(.., Reduction)`: `Mean`, `Sum` (and `BatchMean`,
    /// which only KLDivLoss computes).
    NoneMeanSum,
    /// A `forward` that always returns the mean.
    MeanOnly,
}

/// The reduction PyTorch applies in `call`, mapped onto what burn offers; `Err` is the reason
/// the call is unsupported.
///
/// Explicitly given legacy arguments are resolved by `Call::reduction` as PyTorch's
/// `legacy_get_string` does, and the `reduction` string is then ignored, as PyTorch ignores it.
pub(crate) fn mode<T>(call: &Call<'_, T>, offered: Offered) -> Result<Mode, String> {
    let legacy_given = ["size_average", "reduce"]
        .into_iter()
        .any(|name| call.is_given(name) && !call.param(name).is_null());
    // F.kl_div re-reads the original string after a legacy reduction: 'batchmean' then
    // divides the legacy result by input.size(0). burn has nothing like it.
    if legacy_given && call.loss() == "kl_div" && call.str("reduction") == "batchmean" {
        return Err(
            "legacy size_average/reduce with reduction='batchmean' (kl_div's functional quirk) \
             has no burn equivalent"
                .into(),
        );
    }
    // The reduction PyTorch applies, the legacy arguments resolved (spec/reductions.md).
    let name = call.reduction();
    let mode = match name {
        "mean" => Mode::Reduce(Reduction::Mean),
        // PyTorch's deprecated alias of 'mean', where the loss accepts it.
        "elementwise_mean" if spec_allows(call, "elementwise_mean") => {
            Mode::Reduce(Reduction::Mean)
        }
        _ if offered == Offered::MeanOnly => {
            return Err(format!(
                "burn's {} always returns the mean: no reduction '{name}'",
                crate::losses::burn_name(call.loss())
            ))
        }
        "none" => Mode::None,
        "sum" => Mode::Reduce(Reduction::Sum),
        // Every burn loss that takes a Reduction accepts BatchMean; only KLDivLoss computes
        // it (the others panic on it, where PyTorch raises for 'batchmean').
        "batchmean" => Mode::Reduce(Reduction::BatchMean),
        other => {
            return Err(format!(
                "reduction '{other}': burn's Reduction is an enum with no such variant, so \
                 there is no invalid string for burn to reject"
            ))
        }
    };
    Ok(mode)
}

/// Whether the loss's signature accepts `value` as its reduction.
fn spec_allows<T>(call: &Call<'_, T>, value: &str) -> bool {
    call.allowed_values("reduction")
        .is_some_and(|allowed| allowed.contains(&Param::String(value.to_owned())))
}
