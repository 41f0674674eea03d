//! A readable f64 reference implementation of PyTorch's `torch.nn` loss functions.
//!
//! Each loss is one function named after its `torch.nn.functional` counterpart, in a module of
//! the same name. It takes the required tensors positionally and every keyword argument in an
//! options struct whose `Default` is PyTorch's defaults, and mirrors PyTorch 2.15's CPU semantics
//! exactly: its clamps, its reductions, its
//! treatment of NaN, infinities and empty tensors, its errors (as typed [`LossError`]s, never
//! panics). The formulas are stated in `spec/<loss>.md`; the cases in `cases/` prove agreement.
//!
//! ```
//! use lossparity_reference::{kl_div, KlDivOptions, Tensor};
//!
//! // F.kl_div(input, target, reduction='batchmean')
//! let input = Tensor::vector(vec![-1.2, -0.3]);
//! let target = Tensor::vector(vec![0.3, 0.7]);
//! let options = KlDivOptions { reduction: "batchmean", ..Default::default() };
//! let loss = kl_div(&input, &target, &options).unwrap();
//! assert_eq!(loss.shape(), &[] as &[usize]);
//! ```

#![deny(missing_docs)]

pub mod broadcast;
pub mod error;
pub mod gradient;
mod kernels;
pub mod losses;
mod pointwise;
pub mod primitives;
pub mod reduction;
pub mod tensor;

pub use error::{ErrorKind, LossError};
pub use gradient::InputGradients;
pub use losses::binary_cross_entropy::{
    binary_cross_entropy, binary_cross_entropy_backward, BinaryCrossEntropyOptions,
};
pub use losses::binary_cross_entropy_with_logits::{
    binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_backward,
    BinaryCrossEntropyWithLogitsOptions,
};
pub use losses::cosine_embedding_loss::{
    cosine_embedding_loss, cosine_embedding_loss_backward, CosineEmbeddingLossOptions,
};
pub use losses::cross_entropy::{
    cross_entropy, cross_entropy_backward, CrossEntropyOptions, CrossEntropyTarget,
};
pub use losses::ctc_loss::{ctc_loss, ctc_loss_backward, CtcLossOptions};
pub use losses::gaussian_nll_loss::{
    gaussian_nll_loss, gaussian_nll_loss_backward, GaussianNllLossOptions,
};
pub use losses::hinge_embedding_loss::{
    hinge_embedding_loss, hinge_embedding_loss_backward, HingeEmbeddingLossOptions,
};
pub use losses::huber_loss::{huber_loss, huber_loss_backward, HuberLossOptions};
pub use losses::kl_div::{kl_div, kl_div_backward, KlDivOptions};
pub use losses::l1_loss::{l1_loss, l1_loss_backward, L1LossOptions};
pub use losses::linear_cross_entropy::{
    linear_cross_entropy, linear_cross_entropy_backward, LinearCrossEntropyOptions,
};
pub use losses::margin_ranking_loss::{
    margin_ranking_loss, margin_ranking_loss_backward, MarginRankingLossOptions,
};
pub use losses::mse_loss::{mse_loss, mse_loss_backward, MseLossOptions};
pub use losses::multi_margin_loss::{
    multi_margin_loss, multi_margin_loss_backward, MultiMarginLossOptions,
};
pub use losses::multilabel_margin_loss::{
    multilabel_margin_loss, multilabel_margin_loss_backward, MultilabelMarginLossOptions,
};
pub use losses::multilabel_soft_margin_loss::{
    multilabel_soft_margin_loss, multilabel_soft_margin_loss_backward,
    MultilabelSoftMarginLossOptions,
};
pub use losses::nll_loss::{nll_loss, nll_loss_backward, NllLossOptions};
pub use losses::poisson_nll_loss::{
    poisson_nll_loss, poisson_nll_loss_backward, PoissonNllLossOptions,
};
pub use losses::smooth_l1_loss::{smooth_l1_loss, smooth_l1_loss_backward, SmoothL1LossOptions};
pub use losses::soft_margin_loss::{
    soft_margin_loss, soft_margin_loss_backward, SoftMarginLossOptions,
};
pub use losses::triplet_margin_loss::{
    triplet_margin_loss, triplet_margin_loss_backward, TripletMarginLossOptions,
};
pub use losses::triplet_margin_with_distance_loss::{
    triplet_margin_with_distance_loss, triplet_margin_with_distance_loss_backward,
    DistanceFunction, TripletMarginWithDistanceLossOptions,
};
pub use reduction::{LegacyReduction, Reduction};
pub use tensor::Tensor;

/// Hooks into the private kernels for this repository's own tests and benchmark
/// (`reference/tests`, `reference/benches`, `harness/tests/vector_dispatch.rs`): not part of
/// the API, and may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::kernels::elementary;
    pub use crate::kernels::{
        elementwise, elementwise_indexed, pairwise_sum, pairwise_sum_of, pairwise_sum_zip,
        portable_only, with_widest_vectors, VectorKernel,
    };
}
