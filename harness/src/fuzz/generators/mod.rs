//! One random-case generator per loss, each in the module named after the loss: valid inputs
//! across shapes, every parameter of the loss's signature, and edge values.

mod binary_cross_entropy;
mod binary_cross_entropy_with_logits;
mod cosine_embedding_loss;
mod cross_entropy;
mod ctc_loss;
mod gaussian_nll_loss;
mod hinge_embedding_loss;
mod huber_loss;
mod kl_div;
mod l1_loss;
mod linear_cross_entropy;
mod margin_ranking_loss;
mod mse_loss;
mod multi_margin_loss;
mod multilabel_margin_loss;
mod multilabel_soft_margin_loss;
mod nll_loss;
mod poisson_nll_loss;
mod smooth_l1_loss;
mod soft_margin_loss;
mod triplet_margin_loss;
mod triplet_margin_with_distance_loss;

use rand::rngs::StdRng;

use super::generated::Generated;

/// A generator: one random, valid case of its loss from the RNG.
pub type GenerateFn = fn(&mut StdRng) -> Generated;

/// Every loss with a generator, in alphabetical order, and its generator.
pub const GENERATORS: &[(&str, GenerateFn)] = &[
    ("binary_cross_entropy", binary_cross_entropy::generate),
    (
        "binary_cross_entropy_with_logits",
        binary_cross_entropy_with_logits::generate,
    ),
    ("cosine_embedding_loss", cosine_embedding_loss::generate),
    ("cross_entropy", cross_entropy::generate),
    ("ctc_loss", ctc_loss::generate),
    ("gaussian_nll_loss", gaussian_nll_loss::generate),
    ("hinge_embedding_loss", hinge_embedding_loss::generate),
    ("huber_loss", huber_loss::generate),
    ("kl_div", kl_div::generate),
    ("l1_loss", l1_loss::generate),
    ("linear_cross_entropy", linear_cross_entropy::generate),
    ("margin_ranking_loss", margin_ranking_loss::generate),
    ("mse_loss", mse_loss::generate),
    ("multi_margin_loss", multi_margin_loss::generate),
    ("multilabel_margin_loss", multilabel_margin_loss::generate),
    (
        "multilabel_soft_margin_loss",
        multilabel_soft_margin_loss::generate,
    ),
    ("nll_loss", nll_loss::generate),
    ("poisson_nll_loss", poisson_nll_loss::generate),
    ("smooth_l1_loss", smooth_l1_loss::generate),
    ("soft_margin_loss", soft_margin_loss::generate),
    ("triplet_margin_loss", triplet_margin_loss::generate),
    (
        "triplet_margin_with_distance_loss",
        triplet_margin_with_distance_loss::generate,
    ),
];

/// The generator of `loss`, if it has one.
pub fn generator(loss: &str) -> Option<GenerateFn> {
    GENERATORS
        .iter()
        .find(|(name, _)| *name == loss)
        .map(|&(_, generate)| generate)
}
