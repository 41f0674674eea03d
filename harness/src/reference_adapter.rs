//! The f64 reference implementation as an adapter: what `cargo test` and `lossparity run`
//! check against PyTorch. Each loss's module, named after it, passes the case's arguments to
//! the reference function of the same name (and to its `_backward` for gradients), exactly as a
//! Python caller passes keyword arguments to `torch.nn.functional`; the loss registry
//! ([`Loss`]) dispatches to it.

pub(crate) mod binary_cross_entropy;
pub(crate) mod binary_cross_entropy_with_logits;
pub(crate) mod cosine_embedding_loss;
pub(crate) mod cross_entropy;
pub(crate) mod ctc_loss;
pub(crate) mod gaussian_nll_loss;
pub(crate) mod hinge_embedding_loss;
pub(crate) mod huber_loss;
pub(crate) mod kl_div;
pub(crate) mod l1_loss;
pub(crate) mod linear_cross_entropy;
pub(crate) mod margin_ranking_loss;
pub(crate) mod mse_loss;
pub(crate) mod multi_margin_loss;
pub(crate) mod multilabel_margin_loss;
pub(crate) mod multilabel_soft_margin_loss;
pub(crate) mod nll_loss;
pub(crate) mod poisson_nll_loss;
pub(crate) mod smooth_l1_loss;
pub(crate) mod soft_margin_loss;
pub(crate) mod triplet_margin_loss;
pub(crate) mod triplet_margin_with_distance_loss;

use lossparity_reference::{self as reference, InputGradients, LegacyReduction, LossError, Tensor};

use crate::adapter::{Adapter, Call, Input, Support};
use crate::registry::Loss;

/// A loss's mapping onto the reference: runs its forward or its backward, whichever `pass`
/// asks for, with the case's arguments.
pub(crate) type RunFn = fn(&Call<'_, f64>, Pass<'_>) -> Result<Computed, LossError>;

/// [`lossparity_reference`] behind the [`Adapter`] trait.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reference;

impl Adapter for Reference {
    type Scalar = f64;

    fn name(&self) -> &str {
        "reference"
    }

    fn supports(&self, call: &Call<'_, f64>) -> Support {
        if Loss::from_name(call.loss()).is_some() {
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
pub(crate) enum Pass<'a> {
    /// The loss itself.
    Forward,
    /// Its gradients, given the gradient of its result.
    Backward(&'a Tensor),
}

/// What a pass computed.
pub(crate) enum Computed {
    Output(Tensor),
    Gradients(InputGradients),
}

impl Pass<'_> {
    /// Runs `forward` or `backward`, whichever this pass is.
    pub(crate) fn run(
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

/// Runs one pass of the case's loss with the case's arguments, through the loss's registry
/// entry.
fn run(call: &Call<'_, f64>, pass: Pass) -> Result<Computed, LossError> {
    let loss = Loss::from_name(call.loss()).unwrap_or_else(|| {
        unreachable!(
            "supports() admits only the reference's losses, not {}",
            call.loss()
        )
    });
    (loss.reference())(call, pass)
}

/// The legacy `size_average` and `reduce` arguments, which override `reduction` when given.
fn legacy(call: &Call<'_, f64>) -> LegacyReduction {
    LegacyReduction {
        size_average: call.optional_bool("size_average"),
        reduce: call.optional_bool("reduce"),
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
