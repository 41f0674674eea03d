//! The f64 reference implementation as an adapter: what `cargo test` and `lossparity run`
//! check against PyTorch. Each arm passes the case's arguments to the reference function of the
//! same name, exactly as a Python caller passes keyword arguments to `torch.nn.functional`.

use lossparity_reference::{self as reference, LegacyReduction, LossError, Tensor};

use crate::adapter::{Adapter, Call, Support};

/// The losses the reference implements.
pub const REFERENCE_LOSSES: &[&str] = &[
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "hinge_embedding_loss",
    "kl_div",
    "margin_ranking_loss",
    "multilabel_margin_loss",
];

/// [`lossparity_reference`] behind the [`Adapter`] trait.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reference;

impl Adapter for Reference {
    type Scalar = f64;

    fn name(&self) -> &str {
        "reference"
    }

    fn supports(&self, call: &Call<'_, f64>) -> Support {
        if REFERENCE_LOSSES.contains(&call.loss()) {
            Support::Supported
        } else {
            Support::Unsupported(format!("the reference does not implement {}", call.loss()))
        }
    }

    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        let float = |name| call.required_float(name);
        let legacy = || LegacyReduction {
            size_average: call.optional_bool("size_average"),
            reduce: call.optional_bool("reduce"),
        };
        match call.loss() {
            "binary_cross_entropy" => reference::binary_cross_entropy(
                float("input"),
                float("target"),
                &reference::BinaryCrossEntropyOptions {
                    weight: call.float("weight"),
                    legacy: legacy(),
                    reduction: call.str("reduction"),
                },
            ),
            "binary_cross_entropy_with_logits" => reference::binary_cross_entropy_with_logits(
                float("input"),
                float("target"),
                &reference::BinaryCrossEntropyWithLogitsOptions {
                    weight: call.float("weight"),
                    legacy: legacy(),
                    reduction: call.str("reduction"),
                    pos_weight: call.float("pos_weight"),
                },
            ),
            "hinge_embedding_loss" => reference::hinge_embedding_loss(
                float("input"),
                float("target"),
                &reference::HingeEmbeddingLossOptions {
                    margin: call.f64("margin"),
                    legacy: legacy(),
                    reduction: call.str("reduction"),
                },
            ),
            "kl_div" => reference::kl_div(
                float("input"),
                float("target"),
                &reference::KlDivOptions {
                    legacy: legacy(),
                    reduction: call.str("reduction"),
                    log_target: call.bool("log_target"),
                },
            ),
            "margin_ranking_loss" => reference::margin_ranking_loss(
                float("input1"),
                float("input2"),
                float("target"),
                &reference::MarginRankingLossOptions {
                    margin: call.f64("margin"),
                    legacy: legacy(),
                    reduction: call.str("reduction"),
                },
            ),
            "multilabel_margin_loss" => reference::multilabel_margin_loss(
                float("input"),
                call.required_int("target"),
                &reference::MultilabelMarginLossOptions {
                    legacy: legacy(),
                    reduction: call.str("reduction"),
                },
            ),
            other => unreachable!("supports() admits only the reference's losses, not {other}"),
        }
    }
}
