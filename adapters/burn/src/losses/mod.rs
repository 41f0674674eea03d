//! The mapping from PyTorch's losses to burn's: which burn loss computes each, and what it
//! cannot express.

mod classification;
mod ctc;
mod embedding;
mod margin;
mod probabilistic;
mod regression;

use burn::nn::loss::Reduction;
use burn::tensor::Tensor;
use lossparity::Call;

use crate::dtype::BurnFloat;
use crate::reduction::Mode;
use crate::session::{Output, Session};

/// `Ok` when burn can run a call, else the reason it cannot.
pub(crate) type Outcome = Result<(), String>;

/// The module of this crate that maps a loss onto burn's.
#[derive(Clone, Copy)]
enum Family {
    Regression,
    Probabilistic,
    Margin,
    Embedding,
    Classification,
    Ctc,
}

/// The burn loss a PyTorch loss maps onto and the module that maps it; `None` if burn has no
/// such loss. (`cross_entropy` with class probabilities uses
/// `burn::tensor::loss::cross_entropy_with_logits` instead.)
fn burn_loss(loss: &str) -> Option<(&'static str, Family)> {
    use Family::*;
    Some(match loss {
        "l1_loss" => ("LpLoss", Regression),
        "mse_loss" => ("MseLoss", Regression),
        "huber_loss" => ("HuberLoss", Regression),
        "smooth_l1_loss" => ("SmoothL1Loss", Regression),
        "kl_div" => ("KLDivLoss", Probabilistic),
        "poisson_nll_loss" => ("PoissonNllLoss", Probabilistic),
        "gaussian_nll_loss" => ("GaussianNLLLoss", Probabilistic),
        "hinge_embedding_loss" => ("HingeEmbeddingLoss", Margin),
        "soft_margin_loss" => ("SoftMarginLoss", Margin),
        "margin_ranking_loss" => ("MarginRankingLoss", Margin),
        "multi_margin_loss" => ("MultiMarginLoss", Margin),
        "cosine_embedding_loss" => ("CosineEmbeddingLoss", Embedding),
        "triplet_margin_loss" => ("TripletMarginLoss", Embedding),
        "cross_entropy" => ("CrossEntropyLoss", Classification),
        "binary_cross_entropy" => ("BinaryCrossEntropyLoss", Classification),
        "binary_cross_entropy_with_logits" => ("BinaryCrossEntropyLoss (logits)", Classification),
        "ctc_loss" => ("CTCLoss", Ctc),
        _ => return None,
    })
}

/// The name of the burn loss `loss` maps onto, for messages.
pub(crate) fn burn_name(loss: &str) -> &'static str {
    burn_loss(loss).map_or("loss", |(burn, _)| burn)
}

/// PyTorch losses burn does not provide, with what burn has instead.
const ABSENT: &[(&str, &str)] = &[
    (
        "nll_loss",
        "burn has no NLL loss on log-probabilities: CrossEntropyLoss with logits = false takes \
         probabilities and applies log itself",
    ),
    (
        "linear_cross_entropy",
        "burn has no fused linear + cross-entropy loss",
    ),
    (
        "multilabel_margin_loss",
        "burn has no multi-label margin loss",
    ),
    (
        "multilabel_soft_margin_loss",
        "burn has no multi-label soft margin loss",
    ),
    (
        "triplet_margin_with_distance_loss",
        "burn's TripletMarginLoss takes no distance function",
    ),
];

/// Whether burn can run `call`.
pub(crate) fn check<T: BurnFloat>(call: &Call<'_, T>) -> Outcome {
    let loss = call.loss();
    let Some((_, family)) = burn_loss(loss) else {
        return Err(match ABSENT.iter().find(|(absent, _)| *absent == loss) {
            Some((_, why)) => (*why).to_owned(),
            None => format!("burn has no {loss}"),
        });
    };
    match family {
        Family::Regression => regression::check(call),
        Family::Probabilistic => probabilistic::check(call),
        Family::Margin => margin::check(call),
        Family::Embedding => embedding::check(call),
        Family::Classification => classification::check(call),
        Family::Ctc => ctc::check(call),
    }
}

/// Computes a call `check` accepted, with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    let loss = s.call().loss();
    let (_, family) = burn_loss(loss).unwrap_or_else(|| unreachable!("{loss} passed check()"));
    match family {
        Family::Regression => regression::forward(s),
        Family::Probabilistic => probabilistic::forward(s),
        Family::Margin => margin::forward(s),
        Family::Embedding => embedding::forward(s),
        Family::Classification => classification::forward(s),
        Family::Ctc => ctc::forward(s),
    }
}

/// Whether parameter `name` of `call` has PyTorch's default value.
pub(crate) fn at_default<T>(call: &Call<'_, T>, name: &str) -> bool {
    call.default_param(name) == call.param(name)
}

/// Calls burn's unreduced loss (`Mode::None`) or its reduced one.
pub(crate) fn run<const D: usize>(
    mode: Mode,
    unreduced: impl FnOnce() -> Tensor<D>,
    reduced: impl FnOnce(Reduction) -> Tensor<1>,
) -> Output {
    match mode {
        Mode::None => Output::unreduced(unreduced()),
        Mode::Reduce(reduction) => Output::reduced(reduced(reduction)),
    }
}
