//! The f64 reference implementation as an adapter: what `cargo test` and `lossparity run`
//! check against PyTorch. Each arm passes the case's arguments to the reference function of the
//! same name (and to its `_backward` for gradients), exactly as a Python caller passes keyword
//! arguments to `torch.nn.functional`.

use lossparity_reference::{self as reference, InputGradients, LegacyReduction, LossError, Tensor};

use crate::adapter::{Adapter, Call, Input, Support};

/// The losses the reference implements.
pub const REFERENCE_LOSSES: &[&str] = &[
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cosine_embedding_loss",
    "cross_entropy",
    "ctc_loss",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "linear_cross_entropy",
    "margin_ranking_loss",
    "mse_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "nll_loss",
    "poisson_nll_loss",
    "smooth_l1_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
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
        match run(call, Pass::Forward)? {
            Computed::Output(output) => Ok(output),
            Computed::Gradients(_) => unreachable!("the forward pass computes an output"),
        }
    }

    fn supports_gradient(&self, call: &Call<'_, f64>) -> Support {
        // Every loss the reference implements has its backward.
        self.supports(call)
    }

    fn gradient(&self, call: &Call<'_, f64>) -> Result<crate::Gradients<f64>, LossError> {
        // The gradient of output.sum(): a gradient of 1 for every output element.
        let output = self.forward(call)?;
        let ones = Tensor::new(output.shape().to_vec(), vec![1.0; output.numel()])?;
        match run(call, Pass::Backward(&ones))? {
            Computed::Gradients(gradients) => Ok(gradients
                .into_iter()
                .map(|(name, grad)| (name.to_owned(), grad))
                .collect()),
            Computed::Output(_) => unreachable!("the backward pass computes gradients"),
        }
    }
}

/// Which pass of a loss to run.
enum Pass<'a> {
    /// The loss itself.
    Forward,
    /// Its gradients, given the gradient of its result.
    Backward(&'a Tensor),
}

/// What a pass computed.
enum Computed {
    Output(Tensor),
    Gradients(InputGradients),
}

impl Pass<'_> {
    /// Runs `forward` or `backward`, whichever this pass is.
    fn run(
        self,
        forward: impl FnOnce() -> Result<Tensor, LossError>,
        backward: impl FnOnce(&Tensor) -> Result<InputGradients, LossError>,
    ) -> Result<Computed, LossError> {
        match self {
            Pass::Forward => forward().map(Computed::Output),
            Pass::Backward(grad_output) => backward(grad_output).map(Computed::Gradients),
        }
    }
}

/// Runs one pass of the case's loss with the case's arguments.
fn run(call: &Call<'_, f64>, pass: Pass) -> Result<Computed, LossError> {
    let float = |name| call.required_float(name);
    let int = |name| call.required_int(name);
    let legacy = || LegacyReduction {
        size_average: call.optional_bool("size_average"),
        reduce: call.optional_bool("reduce"),
    };
    match call.loss() {
        "binary_cross_entropy" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::BinaryCrossEntropyOptions {
                weight: call.float("weight"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::binary_cross_entropy(input, target, &options),
                |g| reference::binary_cross_entropy_backward(input, target, &options, g),
            )
        }
        "binary_cross_entropy_with_logits" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::BinaryCrossEntropyWithLogitsOptions {
                weight: call.float("weight"),
                legacy: legacy(),
                reduction: call.str("reduction"),
                pos_weight: call.float("pos_weight"),
            };
            pass.run(
                || reference::binary_cross_entropy_with_logits(input, target, &options),
                |g| {
                    reference::binary_cross_entropy_with_logits_backward(input, target, &options, g)
                },
            )
        }
        "cosine_embedding_loss" => {
            let (input1, input2, target) = (float("input1"), float("input2"), float("target"));
            let options = reference::CosineEmbeddingLossOptions {
                margin: call.f64("margin"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::cosine_embedding_loss(input1, input2, target, &options),
                |g| reference::cosine_embedding_loss_backward(input1, input2, target, &options, g),
            )
        }
        "cross_entropy" => {
            let (input, target) = (float("input"), class_target(call, "target"));
            let options = reference::CrossEntropyOptions {
                weight: call.float("weight"),
                legacy: legacy(),
                ignore_index: int_param(call, "ignore_index"),
                reduction: call.str("reduction"),
                label_smoothing: call.f64("label_smoothing"),
            };
            pass.run(
                || reference::cross_entropy(input, target, &options),
                |g| reference::cross_entropy_backward(input, target, &options, g),
            )
        }
        "ctc_loss" => {
            let (log_probs, targets, input_lengths, target_lengths) = (
                float("log_probs"),
                int("targets"),
                int("input_lengths"),
                int("target_lengths"),
            );
            let options = reference::CtcLossOptions {
                blank: int_param(call, "blank"),
                reduction: call.str("reduction"),
                zero_infinity: call.bool("zero_infinity"),
            };
            pass.run(
                || reference::ctc_loss(log_probs, targets, input_lengths, target_lengths, &options),
                |g| {
                    reference::ctc_loss_backward(
                        log_probs,
                        targets,
                        input_lengths,
                        target_lengths,
                        &options,
                        g,
                    )
                },
            )
        }
        "gaussian_nll_loss" => {
            let (input, target, var) = (float("input"), float("target"), float("var"));
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
        "hinge_embedding_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::HingeEmbeddingLossOptions {
                margin: call.f64("margin"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::hinge_embedding_loss(input, target, &options),
                |g| reference::hinge_embedding_loss_backward(input, target, &options, g),
            )
        }
        "huber_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::HuberLossOptions {
                reduction: call.str("reduction"),
                delta: call.f64("delta"),
                weight: call.float("weight"),
            };
            pass.run(
                || reference::huber_loss(input, target, &options),
                |g| reference::huber_loss_backward(input, target, &options, g),
            )
        }
        "kl_div" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::KlDivOptions {
                legacy: legacy(),
                reduction: call.str("reduction"),
                log_target: call.bool("log_target"),
            };
            pass.run(
                || reference::kl_div(input, target, &options),
                |g| reference::kl_div_backward(input, target, &options, g),
            )
        }
        "l1_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::L1LossOptions {
                legacy: legacy(),
                reduction: call.str("reduction"),
                weight: call.float("weight"),
            };
            pass.run(
                || reference::l1_loss(input, target, &options),
                |g| reference::l1_loss_backward(input, target, &options, g),
            )
        }
        "linear_cross_entropy" => {
            let (input, linear_weight, target) = (
                float("input"),
                float("linear_weight"),
                class_target(call, "target"),
            );
            let options = reference::LinearCrossEntropyOptions {
                linear_bias: call.float("linear_bias"),
                weight: call.float("weight"),
                reduction: call.str("reduction"),
                ignore_index: call.param("ignore_index").as_i64(),
                label_smoothing: call.f64("label_smoothing"),
            };
            pass.run(
                || reference::linear_cross_entropy(input, linear_weight, target, &options),
                |g| {
                    reference::linear_cross_entropy_backward(
                        input,
                        linear_weight,
                        target,
                        &options,
                        g,
                    )
                },
            )
        }
        "margin_ranking_loss" => {
            let (input1, input2, target) = (float("input1"), float("input2"), float("target"));
            let options = reference::MarginRankingLossOptions {
                margin: call.f64("margin"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::margin_ranking_loss(input1, input2, target, &options),
                |g| reference::margin_ranking_loss_backward(input1, input2, target, &options, g),
            )
        }
        "mse_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::MseLossOptions {
                legacy: legacy(),
                reduction: call.str("reduction"),
                weight: call.float("weight"),
            };
            pass.run(
                || reference::mse_loss(input, target, &options),
                |g| reference::mse_loss_backward(input, target, &options, g),
            )
        }
        "multi_margin_loss" => {
            let (input, target) = (float("input"), int("target"));
            let options = reference::MultiMarginLossOptions {
                p: int_param(call, "p"),
                margin: call.f64("margin"),
                weight: call.float("weight"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::multi_margin_loss(input, target, &options),
                |g| reference::multi_margin_loss_backward(input, target, &options, g),
            )
        }
        "multilabel_margin_loss" => {
            let (input, target) = (float("input"), int("target"));
            let options = reference::MultilabelMarginLossOptions {
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::multilabel_margin_loss(input, target, &options),
                |g| reference::multilabel_margin_loss_backward(input, target, &options, g),
            )
        }
        "multilabel_soft_margin_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::MultilabelSoftMarginLossOptions {
                weight: call.float("weight"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::multilabel_soft_margin_loss(input, target, &options),
                |g| reference::multilabel_soft_margin_loss_backward(input, target, &options, g),
            )
        }
        "nll_loss" => {
            let (input, target) = (float("input"), int("target"));
            let options = reference::NllLossOptions {
                weight: call.float("weight"),
                legacy: legacy(),
                ignore_index: int_param(call, "ignore_index"),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::nll_loss(input, target, &options),
                |g| reference::nll_loss_backward(input, target, &options, g),
            )
        }
        "poisson_nll_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::PoissonNllLossOptions {
                log_input: call.bool("log_input"),
                full: call.bool("full"),
                legacy: legacy(),
                eps: call.f64("eps"),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::poisson_nll_loss(input, target, &options),
                |g| reference::poisson_nll_loss_backward(input, target, &options, g),
            )
        }
        "smooth_l1_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::SmoothL1LossOptions {
                legacy: legacy(),
                reduction: call.str("reduction"),
                beta: call.f64("beta"),
            };
            pass.run(
                || reference::smooth_l1_loss(input, target, &options),
                |g| reference::smooth_l1_loss_backward(input, target, &options, g),
            )
        }
        "soft_margin_loss" => {
            let (input, target) = (float("input"), float("target"));
            let options = reference::SoftMarginLossOptions {
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::soft_margin_loss(input, target, &options),
                |g| reference::soft_margin_loss_backward(input, target, &options, g),
            )
        }
        "triplet_margin_loss" => {
            let (anchor, positive, negative) =
                (float("anchor"), float("positive"), float("negative"));
            let options = reference::TripletMarginLossOptions {
                margin: call.f64("margin"),
                p: call.f64("p"),
                eps: call.f64("eps"),
                swap: call.bool("swap"),
                legacy: legacy(),
                reduction: call.str("reduction"),
            };
            pass.run(
                || reference::triplet_margin_loss(anchor, positive, negative, &options),
                |g| {
                    reference::triplet_margin_loss_backward(anchor, positive, negative, &options, g)
                },
            )
        }
        "triplet_margin_with_distance_loss" => {
            let (anchor, positive, negative) =
                (float("anchor"), float("positive"), float("negative"));
            let options = reference::TripletMarginWithDistanceLossOptions {
                distance_function: call.param("distance_function").as_str(),
                margin: call.f64("margin"),
                swap: call.bool("swap"),
                reduction: call.str("reduction"),
            };
            pass.run(
                || {
                    reference::triplet_margin_with_distance_loss(
                        anchor, positive, negative, &options,
                    )
                },
                |g| {
                    reference::triplet_margin_with_distance_loss_backward(
                        anchor, positive, negative, &options, g,
                    )
                },
            )
        }
        other => unreachable!("supports() admits only the reference's losses, not {other}"),
    }
}

/// An integer parameter such as `ignore_index` or `blank`.
fn int_param(call: &Call<'_, f64>, name: &str) -> i64 {
    call.param(name)
        .as_i64()
        .unwrap_or_else(|| panic!("{}: parameter '{name}' is not an integer", call.loss()))
}

/// A cross-entropy target: class indices (an integer tensor) or class probabilities.
fn class_target<'a>(call: &'a Call<'_, f64>, name: &str) -> reference::CrossEntropyTarget<'a> {
    match call.input(name) {
        Some(Input::Int(indices)) => reference::CrossEntropyTarget::Indices(indices),
        Some(Input::Float(probabilities)) => {
            reference::CrossEntropyTarget::Probabilities(probabilities)
        }
        None => panic!("{}: input '{name}' is required", call.loss()),
    }
}
