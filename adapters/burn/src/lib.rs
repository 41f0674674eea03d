//! lossparity adapters for [burn](https://burn.dev) 0.22.1: burn's `burn::nn::loss` losses
//! certified against PyTorch's `torch.nn.functional` losses, in `f32` and `f64`, forward and
//! backward (burn-autodiff), on burn's pure-Rust `flex` backend.
//!
//! ```no_run
//! // tests/conformance_f64.rs (harness = false); tests/conformance_f32.rs likewise with BurnF32
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
//! default to the adapter's dtype (`Device::configure`), so `BurnF64` needs a process of its
//! own (a process whose default float dtype is, or can still be set to, F64): `BurnF32` and
//! `BurnF64` run in separate test targets, and constructing both in one process panics.

mod adapter;
mod dtype;
mod known;
mod losses;
mod reduction;
mod session;
mod shapes;

pub use adapter::{Burn, BurnF32, BurnF64};
pub use dtype::BurnFloat;
pub use known::KNOWN_DIFFERENCES;
