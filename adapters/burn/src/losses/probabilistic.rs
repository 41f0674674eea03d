//! Divergences and likelihoods: `kl_div` → `KLDivLossConfig{log_target}`, `poisson_nll_loss`
//! → `PoissonNllLossConfig{log_input, full, eps}`, `gaussian_nll_loss` →
//! `GaussianNLLLossConfig{eps, full}`.

use burn::nn::loss::{GaussianNLLLossConfig, KLDivLossConfig, PoissonNllLossConfig};
use lossparity::Call;

use super::{run, Outcome};
use crate::dtype::BurnFloat;
use crate::reduction::{self, Offered};
use crate::session::{with_rank, Output, Session};
use crate::shapes;

/// Whether burn can run `call`.
pub(crate) fn check<T>(call: &Call<'_, T>) -> Outcome {
    match call.loss() {
        "kl_div" => {
            shapes::common_rank(call, &["input", "target"])?;
        }
        "poisson_nll_loss" => {
            shapes::common_rank(call, &["input", "target"])?;
            shapes::no_broadcasting(call, &["input", "target"])?;
        }
        _ => {
            // PyTorch also takes a `var` with one dimension fewer (homoscedastic over the
            // last dimension): burn's `var` is a `Tensor<D>` of the input's rank.
            shapes::common_rank(call, &["input", "target", "var"])?;
        }
    }
    reduction::mode(call, Offered::NoneMeanSum).map(drop)
}

/// Computes the loss with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    let call = s.call();
    let mode = reduction::mode(call, Offered::NoneMeanSum).expect("checked");
    let rank = call.required_float("input").ndim();
    with_rank!(rank, D => {
        let (input, target) = (s.float::<D>("input"), s.float::<D>("target"));
        match call.loss() {
            "kl_div" => {
                let loss = KLDivLossConfig::new()
                    .with_log_target(call.bool("log_target"))
                    .init();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            }
            "poisson_nll_loss" => {
                let loss = PoissonNllLossConfig::new()
                    .with_log_input(call.bool("log_input"))
                    .with_full(call.bool("full"))
                    .with_eps(call.f64("eps"))
                    .init();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            }
            "gaussian_nll_loss" => {
                let var = s.float::<D>("var");
                let loss = GaussianNLLLossConfig::new()
                    .with_eps(call.f64("eps"))
                    .with_full(call.bool("full"))
                    .init();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone(), var.clone()),
                    |r| loss.forward(input.clone(), target.clone(), var.clone(), r),
                )
            }
            other => unreachable!("{other} is not a probabilistic loss"),
        }
    })
}
