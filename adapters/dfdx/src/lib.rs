//! lossparity adapters for [dfdx](https://docs.rs/dfdx/0.13.0) 0.13.0, on its CPU device:
//! [`DfdxF32`] (`dfdx_f32`) and [`DfdxF64`] (`dfdx_f64`).
//!
//! dfdx's losses (`dfdx::losses`) each return the mean over a prediction and a target of one
//! shape; [`mapping`] says which `torch.nn.functional` loss each one computes and which cases are
//! unsupported, and why. Gradients come from dfdx's own autograd: the prediction is traced with
//! `leaky_trace()` and the 0-d loss's `backward()` gives its gradient. [`KNOWN_DIFFERENCES`] lists
//! where dfdx computes something else than PyTorch.
//!
//! ```no_run
//! use lossparity_dfdx::{DfdxF32, DfdxF64, KNOWN_DIFFERENCES};
//!
//! lossparity::Harness::new()
//!     .adapter(DfdxF32::new())
//!     .adapter(DfdxF64::new())
//!     .known_differences(KNOWN_DIFFERENCES)
//!     .run()
//! ```

use std::collections::BTreeMap;
use std::marker::PhantomData;

use dfdx::shapes::Dtype;
use dfdx::tensor::Cpu;
use dfdx::tensor_ops::Device;
use lossparity::{Adapter, Call, Gradients, LossError, Scalar, Support, Tensor};
use mapping::DfdxLoss;

mod known;
pub mod mapping;
mod run;

pub use known::KNOWN_DIFFERENCES;

/// A scalar type dfdx computes in on the CPU, with the adapter's name for it.
pub trait DfdxScalar: Scalar + Dtype {
    /// The adapter's name: `dfdx_f32` or `dfdx_f64`.
    const ADAPTER_NAME: &'static str;
}

impl DfdxScalar for f32 {
    const ADAPTER_NAME: &'static str = "dfdx_f32";
}

impl DfdxScalar for f64 {
    const ADAPTER_NAME: &'static str = "dfdx_f64";
}

/// The dfdx adapter computing in `E` on dfdx's `Cpu` device.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dfdx<E> {
    dtype: PhantomData<fn() -> E>,
}

impl<E> Dfdx<E> {
    /// The adapter.
    pub const fn new() -> Self {
        Dfdx { dtype: PhantomData }
    }
}

/// dfdx in `f32`: trials named `dfdx_f32::<loss>::<case>`.
pub type DfdxF32 = Dfdx<f32>;

/// dfdx in `f64`: trials named `dfdx_f64::<loss>::<case>`.
pub type DfdxF64 = Dfdx<f64>;

/// The dfdx loss a supported call maps onto.
///
/// # Panics
/// If the call is unsupported: the harness asks [`Adapter::supports`] first.
fn supported_loss<E>(call: &Call<'_, E>) -> DfdxLoss {
    mapping::map(call).unwrap_or_else(|reason| panic!("unsupported call: {reason}"))
}

/// The case's prediction and target: `input` and `target`, float and of one shape (checked by
/// [`mapping::map`]).
fn operands<'c, E>(call: &'c Call<'_, E>) -> (&'c Tensor<E>, &'c Tensor<E>) {
    (call.required_float("input"), call.required_float("target"))
}

impl<E: DfdxScalar> Adapter for Dfdx<E>
where
    Cpu: Device<E>,
{
    type Scalar = E;

    fn name(&self) -> &str {
        E::ADAPTER_NAME
    }

    fn supports(&self, call: &Call<'_, E>) -> Support {
        match mapping::map(call) {
            Ok(_) => Support::Supported,
            Err(reason) => Support::Unsupported(reason),
        }
    }

    /// dfdx's losses return no errors (a rejected argument panics), so every result is a value.
    fn forward(&self, call: &Call<'_, E>) -> Result<Tensor<E>, LossError> {
        let (input, target) = operands(call);
        let value = run::forward(supported_loss(call), input, target);
        Ok(Tensor::scalar(value))
    }

    /// Every mapped loss is differentiable through dfdx's tape.
    fn supports_gradient(&self, call: &Call<'_, E>) -> Support {
        self.supports(call)
    }

    fn gradient(&self, call: &Call<'_, E>) -> Result<Gradients<E>, LossError> {
        let (input, target) = operands(call);
        let grad = run::gradient(supported_loss(call), input, target);
        let grad = Tensor::new(input.shape().to_vec(), grad)?;
        Ok(BTreeMap::from([("input".to_owned(), grad)]))
    }
}
