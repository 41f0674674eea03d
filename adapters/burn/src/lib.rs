//! lossparity adapters for [burn](https://burn.dev) 0.22.1: burn's `burn::nn::loss` losses
//! certified against PyTorch's `torch.nn.functional` losses, in `f32` and `f64`, forward and
//! backward (burn-autodiff), on burn's pure-Rust `flex` backend.
//!
//! ```no_run
//! lossparity::Harness::new()
//!     .adapter(lossparity_burn::BurnF32::new())
//!     .adapter(lossparity_burn::BurnF64::new())
//!     .known_differences(lossparity_burn::KNOWN_DIFFERENCES)
//!     .run()
//! ```
//!
//! Layout: [`Burn`] is the adapter; `losses` maps each PyTorch loss onto burn's (one module
//! per family, each with a `check` that says what burn cannot express and a `forward` that
//! calls burn); `reduction` maps PyTorch's reductions; `session` moves tensors in and out of
//! burn; [`KNOWN_DIFFERENCES`] lists where burn computes differently, and why.
//!
//! Dtypes: flex has one device whose default float dtype is process-wide, and both adapters
//! run in one test process, so the default stays f32 and `burn_f64` creates its tensors with an
//! explicit `DType::F64` (burn's documented way to use another dtype). burn losses that build
//! internal tensors in the device default (CrossEntropyLoss weights and smoothing, BCE targets,
//! CTC's mean) then mix f32 into f64 and panic; those are listed known differences.

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
