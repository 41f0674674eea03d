//! lossparity adapters for [burn](https://burn.dev) 0.22.1: burn's `burn::nn::loss` losses
//! certified against PyTorch's `torch.nn.functional` losses, in `f32`, `f64`, `f16` and `bf16`
//! (the [`half`](lossparity::half) types), forward and backward (burn-autodiff), on burn's
//! pure-Rust `flex` backend.
//!
//! ```no_run
//! // tests/conformance_f64.rs (harness = false); conformance_f32.rs, conformance_f16.rs and
//! // conformance_bf16.rs likewise with BurnF32, BurnF16 and BurnBF16
//! let burn = lossparity_burn::BurnF64::new();
//! let known = burn.known_differences();
//! lossparity::Harness::new()
//!     .adapter(burn)
//!     .known_differences(&known)
//!     .run()
//! ```
//!
//! Layout: [`Burn`] is the adapter; `losses` maps each PyTorch loss onto burn's (one module
//! per family, each with a `check` that says what burn cannot express and a `forward` that
//! calls burn); `reduction` maps PyTorch's reductions; `session` moves tensors in and out of
//! burn; [`KNOWN_DIFFERENCES`] lists where burn computes differently, and why.
//!
//! Dtypes: flex has one device whose default float dtype is process-wide, and burn's losses
//! build some internal tensors in it (CrossEntropyLoss weights and smoothed targets, BCE's
//! converted targets, CTC's mean). As a user computing in f64 would, [`Burn::new`] sets that
//! default to the adapter's dtype (`Device::configure`), so each adapter needs a process of its
//! own (a process whose default float dtype is, or can still be set to, its dtype): `BurnF32`,
//! `BurnF64`, `BurnF16` and `BurnBF16` run in separate test targets, and constructing two of
//! them in one process panics.
//!
//! Half precision: flex supports F16 and BF16 as storage and arithmetic dtypes, and runs every
//! op the losses use in them. Its elementwise ops compute each element in f32 and round the
//! result back to the half type (so every intermediate tensor of a loss is rounded), scalars
//! are rounded to the half type before use, and its sums and means accumulate in f32 and round
//! once.

mod adapter;
mod dtype;
mod known;
mod losses;
mod reduction;
mod session;
mod shapes;

pub use adapter::{Burn, BurnBF16, BurnF16, BurnF32, BurnF64};
pub use dtype::BurnFloat;
pub use known::KNOWN_DIFFERENCES;
