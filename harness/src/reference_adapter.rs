//! The f64 reference implementation as an adapter: what `cargo test` and `lossparity run`
//! check against PyTorch.

use lossparity_reference::{self as reference, KlDivReduction, LossError, Reduction, Tensor};

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
        let input = || call.required_float("input");
        let target = || call.required_float("target");
        // Every loss here takes the legacy arguments; KLDiv resolves its own (batchmean).
        let reduction = || {
            Reduction::resolve(
                call.optional_bool("size_average"),
                call.optional_bool("reduce"),
                call.str("reduction"),
            )
        };
        match call.loss() {
            "kl_div" => {
                let reduction = KlDivReduction::resolve(
                    call.optional_bool("size_average"),
                    call.optional_bool("reduce"),
                    call.str("reduction"),
                )?;
                reference::kl_div(input(), target(), reduction, call.bool("log_target"))
            }
            "binary_cross_entropy" => reference::binary_cross_entropy(
                input(),
                target(),
                call.float("weight"),
                reduction()?,
            ),
            "binary_cross_entropy_with_logits" => reference::binary_cross_entropy_with_logits(
                input(),
                target(),
                call.float("weight"),
                call.float("pos_weight"),
                reduction()?,
            ),
            "margin_ranking_loss" => reference::margin_ranking_loss(
                call.required_float("input1"),
                call.required_float("input2"),
                target(),
                call.f64("margin"),
                reduction()?,
            ),
            "hinge_embedding_loss" => {
                reference::hinge_embedding_loss(input(), target(), call.f64("margin"), reduction()?)
            }
            "multilabel_margin_loss" => reference::multilabel_margin_loss(
                input(),
                call.required_int("target"),
                reduction()?,
            ),
            other => unreachable!("supports() admits only the reference's losses, not {other}"),
        }
    }
}
