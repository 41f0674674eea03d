//! Margin losses: `hinge_embedding_loss` → `HingeEmbeddingLossConfig{margin}`,
//! `soft_margin_loss` → `SoftMarginLoss`, `margin_ranking_loss` →
//! `MarginRankingLossConfig{margin}`, `multi_margin_loss` → `MultiMarginLossConfig{margin, p}`.

use burn::nn::loss::{
    HingeEmbeddingLossConfig, MarginRankingLossConfig, MultiMarginLossConfig, SoftMarginLoss,
};
use lossparity::Call;

use super::{run, Outcome};
use crate::dtype::BurnFloat;
use crate::reduction::{self, Offered};
use crate::session::{with_rank, Output, Session};
use crate::shapes;

/// Whether burn can run `call`.
pub(crate) fn check<T>(call: &Call<'_, T>) -> Outcome {
    match call.loss() {
        "margin_ranking_loss" => {
            shapes::common_rank(call, &["input1", "input2", "target"])?;
        }
        "multi_margin_loss" => {
            if call.has_input("weight") {
                return Err("burn's MultiMarginLoss takes no weight".into());
            }
            shapes::require_rank(call, "input", 2, "[batch, classes]")?;
            shapes::require_rank(call, "target", 1, "[batch]")?;
        }
        _ => {
            shapes::common_rank(call, &["input", "target"])?;
        }
    }
    reduction::mode(call, Offered::NoneMeanSum).map(drop)
}

/// Computes the loss with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    let call = s.call();
    let mode = reduction::mode(call, Offered::NoneMeanSum).expect("checked");
    match call.loss() {
        "multi_margin_loss" => {
            let (input, target) = (s.float::<2>("input"), s.int::<1>("target"));
            let p = call.param("p").as_i64().expect("p is an int");
            let loss = MultiMarginLossConfig::new()
                .with_margin(call.f64("margin"))
                .with_p(i32::try_from(p).expect("p fits an i32"))
                .init();
            run(
                mode,
                || loss.forward_no_reduction(input.clone(), target.clone()),
                |r| loss.forward(input.clone(), target.clone(), r),
            )
        }
        "margin_ranking_loss" => {
            let rank = call.required_float("input1").ndim();
            with_rank!(rank, D => {
                let input1 = s.float::<D>("input1");
                let input2 = s.float::<D>("input2");
                let target = s.float::<D>("target");
                let loss = MarginRankingLossConfig::new()
                    .with_margin(call.f64("margin"))
                    .init();
                run(
                    mode,
                    || loss.forward_no_reduction(input1.clone(), input2.clone(), target.clone()),
                    |r| loss.forward(input1.clone(), input2.clone(), target.clone(), r),
                )
            })
        }
        "hinge_embedding_loss" => {
            let rank = call.required_float("input").ndim();
            with_rank!(rank, D => {
                let (input, target) = (s.float::<D>("input"), s.float::<D>("target"));
                let loss = HingeEmbeddingLossConfig::new()
                    .with_margin(call.f64("margin"))
                    .init();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            })
        }
        "soft_margin_loss" => {
            let rank = call.required_float("input").ndim();
            with_rank!(rank, D => {
                let (input, target) = (s.float::<D>("input"), s.float::<D>("target"));
                let loss = SoftMarginLoss::new();
                run(
                    mode,
                    || loss.forward_no_reduction(input.clone(), target.clone()),
                    |r| loss.forward(input.clone(), target.clone(), r),
                )
            })
        }
        other => unreachable!("{other} is not a margin loss"),
    }
}
