//! The `lossparity::Adapter` implementation, generic over the scalar type.

use std::marker::PhantomData;

use burn::tensor::Device;
use lossparity::{Adapter, Call, Gradients, KnownDifference, LossError, Support, Tensor};

use crate::dtype::BurnFloat;
use crate::known::KNOWN_DIFFERENCES;
use crate::losses;
use crate::session::Session;

/// burn's losses on the flex (pure-Rust CPU) backend in scalar type `T`, with gradients from
/// burn's autodiff over the same backend. Named `burn_f32`, `burn_f64`, `burn_f16` and
/// `burn_bf16` after `T`.
///
/// flex has one device, and its default float dtype (the dtype of the tensors burn's losses
/// create internally: class weights, converted targets, ...) holds for the whole process and is
/// fixed once set or once the first tensor is created. [`Burn::new`] sets it to `T`, as a user
/// running burn in `T` would, so a process runs one of `BurnF32`, `BurnF64`, `BurnF16` and
/// `BurnBF16`: run each in its own test target.
pub struct Burn<T> {
    dtype: PhantomData<fn() -> T>,
}

/// burn in `f32`: `burn_f32`.
pub type BurnF32 = Burn<f32>;

/// burn in `f64`: `burn_f64`.
pub type BurnF64 = Burn<f64>;

/// burn in IEEE half precision ([`half::f16`](lossparity::half::f16)): `burn_f16`.
pub type BurnF16 = Burn<lossparity::half::f16>;

/// burn in bfloat16 ([`half::bf16`](lossparity::half::bf16)): `burn_bf16`.
pub type BurnBF16 = Burn<lossparity::half::bf16>;

impl<T: BurnFloat> Burn<T> {
    /// The adapter, after setting the flex device's default float dtype to `T`
    /// (`Device::configure`, burn's way to compute in another dtype).
    ///
    /// # Panics
    ///
    /// If this process's flex device already has another default float dtype: another `Burn`
    /// adapter set it, or a tensor was created on it first (which fixes the default to f32).
    pub fn new() -> Self {
        let mut device = Device::flex();
        if let Err(error) = device.configure(T::FLOAT_DTYPE) {
            let current = device.settings().float_dtype;
            assert!(
                current == T::FLOAT_DTYPE,
                "{} needs the flex device's default float dtype to be {:?}, and this process \
                 already fixed it to {current:?} ({error}): run each of burn_f32, burn_f64, burn_f16 \
                 and burn_bf16 in a process of its own",
                T::ADAPTER_NAME,
                T::FLOAT_DTYPE,
            );
        }
        Burn { dtype: PhantomData }
    }

    /// The entries of [`KNOWN_DIFFERENCES`] that can list this adapter's trials: the harness
    /// fails an entry that lists no trial of its run, and each dtype runs in its own process.
    pub fn known_differences(&self) -> Vec<KnownDifference> {
        let name = self.name();
        KNOWN_DIFFERENCES
            .iter()
            .filter(|known| known.concerns_adapter(name))
            .copied()
            .collect()
    }
}

impl<T: BurnFloat> Default for Burn<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: BurnFloat> Adapter for Burn<T> {
    type Scalar = T;

    fn name(&self) -> &str {
        T::ADAPTER_NAME
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
