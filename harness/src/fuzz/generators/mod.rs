//! One random-case generator per loss, each in the module named after the loss: valid inputs
//! across shapes, every parameter of the loss's signature, and edge values. The loss registry
//! ([`Loss`](crate::registry::Loss)) ties each loss to its generator.

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

use rand::rngs::StdRng;

use super::generated::Generated;

/// A generator: one random, valid case of its loss from the RNG.
pub(crate) type GenerateFn = fn(&mut StdRng) -> Generated;
