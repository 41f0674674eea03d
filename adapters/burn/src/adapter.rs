//! The `lossparity::Adapter` implementation, generic over the scalar type.

use std::marker::PhantomData;

use lossparity::{Adapter, Call, Gradients, LossError, Support, Tensor};

use crate::dtype::BurnFloat;
use crate::losses;
use crate::session::Session;

/// burn's losses on the flex (pure-Rust CPU) backend in scalar type `T`, with gradients from
/// burn's autodiff over the same backend. Named `burn_f32` / `burn_f64`.
pub struct Burn<T> {
    dtype: PhantomData<fn() -> T>,
}

/// burn in `f32`: `burn_f32`.
pub type BurnF32 = Burn<f32>;

/// burn in `f64`: `burn_f64`.
pub type BurnF64 = Burn<f64>;

impl<T> Burn<T> {
    /// The adapter.
    pub const fn new() -> Self {
        Burn { dtype: PhantomData }
    }
}

impl<T> Default for Burn<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: BurnFloat> Adapter for Burn<T> {
    type Scalar = T;

    fn name(&self) -> &str {
        match T::NAME {
            "f32" => "burn_f32",
            _ => "burn_f64",
        }
    }

    fn supports(&self, call: &Call<'_, T>) -> Support {
        match losses::check(call) {
            Ok(()) => Support::Supported,
            Err(reason) => Support::Unsupported(reason),
        }
    }

    /// burn's losses return no errors: an argument burn rejects panics (an `assert!`), and the
    /// harness fails that case.
    fn forward(&self, call: &Call<'_, T>) -> Result<Tensor<T>, LossError> {
        let session = Session::new(call, false);
        Ok(losses::forward(&session).into_lossparity())
    }

    fn supports_gradient(&self, call: &Call<'_, T>) -> Support {
        self.supports(call)
    }

    /// The loss on burn's autodiff device, then `output.sum().backward()`.
    fn gradient(&self, call: &Call<'_, T>) -> Result<Gradients<T>, LossError> {
        let session = Session::new(call, true);
        let output = losses::forward(&session);
        Ok(session.gradients(output))
    }
}
