//! The reference's speed machinery, kept apart from the losses so that each loss module reads
//! like its formulas: a loss states the loss of one element (or the matrix it multiplies) and
//! hands it to one entry point per pattern, which computes it fast and with the same bits as
//! the plain loop it stands for.
//!
//! | pattern | entry point |
//! |---|---|
//! | a loss of two operand slices, `l[i] = f(x[i], y[i])`, reduced | [`elementwise()`], with a [`formula!`] or a closure |
//! | a loss by index, `l[i] = loss(i)`, reduced | [`elementwise_indexed`] |
//! | a gradient by index, `g[i] = value(i)`, unreduced | [`map_indexed`] |
//! | the sum of a slice, or of `value(0..n)` | [`pairwise_sum`], [`pairwise_sum_of`] |
//! | `log_softmax` of one row, or along a tensor's class dimension | [`log_softmax_append`], [`log_softmax_along`] |
//! | a matrix product | [`matmul()`] (and [`transpose`]) |
//! | `exp`, `ln`, `ln_1p` | [`exp`], [`ln`], [`ln_1p`] |
//!
//! Where the speed comes from:
//!
//! * [`dispatch`]: each loop is compiled three times, for AVX-512, AVX2 and the baseline
//!   target, and run in the widest build this CPU supports; the same bits in every build.
//! * [`sum`]: pairwise summation in blocks of 128 (eight independent partial sums instead of
//!   one chain of dependent additions); `sum` and `mean` add the values as they are computed,
//!   without a full-size buffer.
//! * [`elementary`]: branch-free `exp`, `ln` and `ln_1p` that vectorise, within 1 ulp of glibc.
//! * [`matmul`](mod@matmul): register tiles of 4 × 16 sums.
//!
//! Each entry point's documentation states the plain computation it gives the bits of;
//! `reference/tests/fast_paths.rs` checks each against it, and `harness/tests/vector_dispatch.rs`
//! checks every bundled case in the dispatched and the portable builds.

pub mod dispatch;
pub mod elementary;
mod elementwise;
mod matmul;
mod softmax;
mod sum;

pub use dispatch::{portable_only, with_widest_vectors, VectorKernel};
pub use elementary::{exp, ln, ln_1p};
pub(crate) use elementwise::formula;
pub use elementwise::{elementwise, elementwise_indexed, map_indexed, pairwise_sum_zip, Formula};
pub use matmul::{matmul, transpose};
pub use softmax::{log_softmax_along, log_softmax_append};
pub use sum::{pairwise_sum, pairwise_sum_of};
