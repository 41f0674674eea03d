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

pub mod broadcast;
pub mod error;
pub mod losses;
pub mod primitives;
pub mod reduction;
pub mod tensor;

pub use error::{ErrorKind, LossError};
pub use losses::binary_cross_entropy::{binary_cross_entropy, BinaryCrossEntropyOptions};
pub use losses::binary_cross_entropy_with_logits::{
    binary_cross_entropy_with_logits, BinaryCrossEntropyWithLogitsOptions,
};
pub use losses::hinge_embedding_loss::{hinge_embedding_loss, HingeEmbeddingLossOptions};
pub use losses::kl_div::{kl_div, KlDivOptions};
pub use losses::margin_ranking_loss::{margin_ranking_loss, MarginRankingLossOptions};
pub use losses::multilabel_margin_loss::{multilabel_margin_loss, MultilabelMarginLossOptions};
pub use reduction::{LegacyReduction, Reduction};
pub use tensor::Tensor;
