//! An independent check of every analytic backward beside PyTorch's gradients: central finite
//! differences of `Σ grad_output · loss` at seeded random points chosen away from kinks, one
//! module per loss.

mod support;

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
