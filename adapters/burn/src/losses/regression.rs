//! Element-wise regression losses: `l1_loss` → `LpLossConfig::l1()`, `mse_loss` → `MseLoss`,
//! `huber_loss` → `HuberLossConfig::new(delta)`, `smooth_l1_loss` → `SmoothL1LossConfig{beta}`.

use burn::nn::loss::{HuberLossConfig, LpLossConfig, MseLoss, SmoothL1LossConfig};
use lossparity::Call;

use super::{burn_name, run, Outcome};
use crate::dtype::BurnFloat;
use crate::reduction::{self, Offered};
use crate::session::{with_rank, Output, Session};
use crate::shapes;

/// Whether burn can run `call`.
pub(crate) fn check<T>(call: &Call<'_, T>) -> Outcome {
    if call.has_input("weight") {
        return Err(format!("burn's {} takes no weight", burn_name(call.loss())));
    }
    shapes::common_rank(call, &["input", "target"])?;
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
            "l1_loss" => {
                let loss = LpLossConfig::l1();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            }
            "mse_loss" => {
                let loss = MseLoss::new();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            }
            "huber_loss" => {
                // burn's delta is an f32.
                let loss = HuberLossConfig::new(call.f64("delta") as f32).init();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            }
            "smooth_l1_loss" => {
                // burn's beta is an f32; here `forward` is the unreduced loss.
                let loss = SmoothL1LossConfig::new()
                    .with_beta(call.f64("beta") as f32)
                    .init();
                run(
                    mode,
                    || loss.forward(input.clone(), target.clone()),
                    |r| loss.forward_with_reduction(input.clone(), target.clone(), r),
                )
            }
            other => unreachable!("{other} is not a regression loss"),
        }
    })
}
