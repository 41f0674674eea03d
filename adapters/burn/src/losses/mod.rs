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

/// The burn loss each PyTorch loss maps onto (`cross_entropy` with class probabilities uses
/// `burn::tensor::loss::cross_entropy_with_logits` instead).
const BURN_LOSSES: &[(&str, &str)] = &[
    ("l1_loss", "LpLoss"),
    ("mse_loss", "MseLoss"),
    ("huber_loss", "HuberLoss"),
    ("smooth_l1_loss", "SmoothL1Loss"),
    ("kl_div", "KLDivLoss"),
    ("poisson_nll_loss", "PoissonNllLoss"),
    ("gaussian_nll_loss", "GaussianNLLLoss"),
    ("hinge_embedding_loss", "HingeEmbeddingLoss"),
    ("soft_margin_loss", "SoftMarginLoss"),
    ("margin_ranking_loss", "MarginRankingLoss"),
    ("multi_margin_loss", "MultiMarginLoss"),
    ("cosine_embedding_loss", "CosineEmbeddingLoss"),
    ("triplet_margin_loss", "TripletMarginLoss"),
    ("cross_entropy", "CrossEntropyLoss"),
    ("binary_cross_entropy", "BinaryCrossEntropyLoss"),
    (
        "binary_cross_entropy_with_logits",
        "BinaryCrossEntropyLoss (logits)",
    ),
    ("ctc_loss", "CTCLoss"),
];

/// The name of the burn loss `loss` maps onto, for messages.
pub(crate) fn burn_name(loss: &str) -> &'static str {
    BURN_LOSSES
        .iter()
        .find(|(pytorch, _)| *pytorch == loss)
        .map_or("loss", |(_, burn)| burn)
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
    match call.loss() {
        "l1_loss" | "mse_loss" | "huber_loss" | "smooth_l1_loss" => regression::check(call),
        "kl_div" | "poisson_nll_loss" | "gaussian_nll_loss" => probabilistic::check(call),
        "hinge_embedding_loss"
        | "soft_margin_loss"
        | "margin_ranking_loss"
        | "multi_margin_loss" => margin::check(call),
        "cosine_embedding_loss" | "triplet_margin_loss" => embedding::check(call),
        "cross_entropy" | "binary_cross_entropy" | "binary_cross_entropy_with_logits" => {
            classification::check(call)
        }
        "ctc_loss" => ctc::check(call),
        other => Err(ABSENT.iter().find(|(loss, _)| *loss == other).map_or_else(
            || format!("burn has no {other}"),
            |(_, why)| (*why).to_owned(),
        )),
    }
}

/// Computes a call `check` accepted, with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    match s.call().loss() {
        "l1_loss" | "mse_loss" | "huber_loss" | "smooth_l1_loss" => regression::forward(s),
        "kl_div" | "poisson_nll_loss" | "gaussian_nll_loss" => probabilistic::forward(s),
        "hinge_embedding_loss"
        | "soft_margin_loss"
        | "margin_ranking_loss"
        | "multi_margin_loss" => margin::forward(s),
        "cosine_embedding_loss" | "triplet_margin_loss" => embedding::forward(s),
        "cross_entropy" | "binary_cross_entropy" | "binary_cross_entropy_with_logits" => {
            classification::forward(s)
        }
        "ctc_loss" => ctc::forward(s),
        other => unreachable!("{other} passed check()"),
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
