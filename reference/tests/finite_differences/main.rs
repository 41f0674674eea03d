//! An independent check of every analytic backward beside PyTorch's gradients: central finite
//! differences of `Σ grad_output · loss` at seeded random points chosen away from kinks, one
//! module per loss.

mod support;

mod binary_cross_entropy;
mod binary_cross_entropy_with_logits;
mod hinge_embedding_loss;
mod kl_div;
mod margin_ranking_loss;
mod multilabel_margin_loss;
