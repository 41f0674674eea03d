//! One module per loss, named after its `torch.nn.functional` function.

pub mod binary_cross_entropy;
pub mod binary_cross_entropy_with_logits;
pub mod hinge_embedding_loss;
pub mod kl_div;
pub mod margin_ranking_loss;
pub mod multilabel_margin_loss;
