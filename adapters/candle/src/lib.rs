//! lossparity adapters for [candle-nn] 0.11.1's losses in four dtypes: `candle_f32`,
//! `candle_f64`, `candle_f16` ([`half::f16`]) and `candle_bf16` ([`half::bf16`]), all on the
//! CPU.
//!
//! candle-nn offers five losses in `candle_nn::loss`, each computing the mean over the batch
//! (or over every element) and nothing else:
//!
//! | PyTorch (`torch.nn.functional`)    | candle-nn                                   |
//! |------------------------------------|---------------------------------------------|
//! | `nll_loss`                         | `loss::nll(input, target)`                  |
//! | `cross_entropy`                    | `loss::cross_entropy(input, target)`        |
//! | `mse_loss`                         | `loss::mse(input, target)`                  |
//! | `binary_cross_entropy_with_logits` | `loss::binary_cross_entropy_with_logit(..)` |
//! | `huber_loss`                       | `loss::huber(input, target, delta)`         |
//!
//! [`losses`] holds the mapping (what each function can express, and the call); every other
//! loss, reduction, optional input, parameter value and shape is reported unsupported with its
//! reason. Gradients come from candle's own autograd: the prediction becomes a
//! [`candle_core::Var`], and `Tensor::backward()` differentiates `output.sum()`.
//!
//! The half-precision adapters hand candle the case's values as `half::f16` / `half::bf16`
//! (the `half` crate candle-core uses is the one lossparity re-exports), and candle computes in
//! that dtype: its CPU reductions (`sum_all`, hence `mean_all`) accumulate in the 16-bit type
//! itself, `affine` rounds its factors (such as the mean's `1/n`) to it, and its unary ops
//! (`exp`, `log`, ...) round through `f32` element by element. Every op these five losses use,
//! forward and backward, has a CPU kernel for both half types in candle-core 0.11.1; an op
//! without one would fail its case with candle's message (`UnsupportedDTypeForOp`), never
//! silently change dtype.
//!
//! [`KNOWN_DIFFERENCES`] lists where candle-nn computes something other than PyTorch, each with
//! its cause in candle-nn's source.
//!
//! ```no_run
//! lossparity::Harness::new()
//!     .adapter(lossparity_candle::CandleF32::new())
//!     .adapter(lossparity_candle::CandleF64::new())
//!     .adapter(lossparity_candle::CandleF16::new())
//!     .adapter(lossparity_candle::CandleBF16::new())
//!     .known_differences(lossparity_candle::KNOWN_DIFFERENCES)
//!     .run()
//! ```
//!
//! [candle-nn]: https://docs.rs/candle-nn/0.11.1/candle_nn/loss/index.html

mod convert;
mod known;
pub mod losses;

use std::marker::PhantomData;

use candle_core::{Device, Var};
use lossparity::{half, Adapter, Call, Gradients, LossError, Support, Tensor};

pub use known::KNOWN_DIFFERENCES;
use losses::CandleLoss;

/// A dtype candle computes the losses in: `f32`, `f64`, [`half::f16`] or [`half::bf16`].
pub trait CandleScalar: lossparity::Scalar + candle_core::WithDType {
    /// The adapter's name in trial names: `candle_f32`, `candle_f64`, `candle_f16`,
    /// `candle_bf16`.
    const ADAPTER_NAME: &'static str;
}

impl CandleScalar for f32 {
    const ADAPTER_NAME: &'static str = "candle_f32";
}

impl CandleScalar for f64 {
    const ADAPTER_NAME: &'static str = "candle_f64";
}

/// candle-core's `half::f16` (its `DType::F16`), the same type as lossparity's.
impl CandleScalar for half::f16 {
    const ADAPTER_NAME: &'static str = "candle_f16";
}

/// candle-core's `half::bf16` (its `DType::BF16`), the same type as lossparity's.
impl CandleScalar for half::bf16 {
    const ADAPTER_NAME: &'static str = "candle_bf16";
}

/// candle-nn's losses computed in the dtype `T`, on the CPU.
#[derive(Clone, Copy, Debug, Default)]
pub struct Candle<T> {
    dtype: PhantomData<fn() -> T>,
}

/// candle-nn's losses in `f32`: the adapter `candle_f32`.
pub type CandleF32 = Candle<f32>;

/// candle-nn's losses in `f64`: the adapter `candle_f64`.
pub type CandleF64 = Candle<f64>;

/// candle-nn's losses in IEEE binary16 ([`half::f16`], candle's `DType::F16`): the adapter
/// `candle_f16`.
pub type CandleF16 = Candle<half::f16>;

/// candle-nn's losses in bfloat16 ([`half::bf16`], candle's `DType::BF16`): the adapter
/// `candle_bf16`.
pub type CandleBF16 = Candle<half::bf16>;

impl<T> Candle<T> {
    /// The adapter.
    pub const fn new() -> Self {
        Candle { dtype: PhantomData }
    }
}

impl<T: CandleScalar> Adapter for Candle<T> {
    type Scalar = T;

    fn name(&self) -> &str {
        T::ADAPTER_NAME
    }

    fn supports(&self, call: &Call<'_, T>) -> Support {
        match CandleLoss::for_call(call) {
            Some(loss) => loss.supports(call),
            None => Support::Unsupported(format!("candle-nn has no {}", call.loss())),
        }
    }

    fn forward(&self, call: &Call<'_, T>) -> Result<Tensor<T>, LossError> {
        let loss = CandleLoss::for_call(call).expect("supports() admitted the loss");
        let input = convert::to_candle(call.required_float("input"), &Device::Cpu)
            .expect("a host tensor converts");
        let output = loss.compute(call, &input).map_err(convert::classify)?;
        Ok(convert::from_candle(&output))
    }

    /// Candle's autograd covers every supported case.
    fn supports_gradient(&self, call: &Call<'_, T>) -> Support {
        self.supports(call)
    }

    fn gradient(&self, call: &Call<'_, T>) -> Result<Gradients<T>, LossError> {
        let loss = CandleLoss::for_call(call).expect("supports() admitted the loss");
        let input = convert::to_candle(call.required_float("input"), &Device::Cpu)
            .and_then(|t| Var::from_tensor(&t))
            .expect("a host tensor converts");
        let output = loss
            .compute(call, input.as_tensor())
            .map_err(convert::classify)?;
        // The cases record d(output.sum())/d(input); every candle-nn loss returns a 0-d tensor,
        // for which the sum is the output itself.
        let grads = output
            .sum_all()
            .and_then(|sum| sum.backward())
            .map_err(convert::classify)?;
        // A missing gradient is left missing, so the harness reports it.
        Ok(grads
            .get(input.as_tensor())
            .map(|grad| ("input".to_owned(), convert::from_candle(grad)))
            .into_iter()
            .collect())
    }
}
