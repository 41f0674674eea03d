//! Tensors between lossparity and candle, and candle's errors as PyTorch's error classes.

use candle_core::{Device, Error, WithDType};
use lossparity::{LossError, Tensor};

/// A lossparity tensor (row-major) as a candle tensor of the same shape and dtype.
pub(crate) fn to_candle<T: WithDType>(
    tensor: &Tensor<T>,
    device: &Device,
) -> candle_core::Result<candle_core::Tensor> {
    candle_core::Tensor::from_vec(tensor.data().to_vec(), tensor.shape(), device)
}

/// A candle tensor as a lossparity tensor of the same shape (0-d stays 0-d).
///
/// # Panics
/// If the tensor is not of dtype `T` (an adapter bug).
pub(crate) fn from_candle<T: WithDType>(tensor: &candle_core::Tensor) -> Tensor<T> {
    let data = tensor
        .flatten_all()
        .and_then(|flat| flat.to_vec1::<T>())
        .expect("a candle tensor of the adapter's dtype reads back");
    Tensor::new(tensor.dims().to_vec(), data).expect("the data fills the shape")
}

/// The error class PyTorch raises for the fault candle reports.
///
/// Only errors whose meaning is unambiguous are classified: every `bail!` in
/// `candle_nn::loss` is a shape check (target rank, input rank, batch size, equal shapes), the
/// binary ops reject unequal shapes, a reduction refusing an empty tensor is a refused empty
/// tensor (`invalid_shape` in `spec/errors.md`), and `gather` rejects an index outside the class
/// dimension (PyTorch's "Target out of bounds", `invalid_value`).
///
/// # Panics
/// On any other error: candle failed for a reason this adapter cannot match to a PyTorch error
/// class, which fails the case with candle's message.
pub(crate) fn classify(error: Error) -> LossError {
    // The innermost error's message: without the backtrace candle attaches under RUST_BACKTRACE.
    let error = innermost(&error);
    let message = error.to_string();
    match error {
        Error::Msg(_) | Error::ShapeMismatchBinaryOp { .. } | Error::EmptyTensor { .. } => {
            LossError::invalid_shape(message)
        }
        Error::InvalidIndex { .. } => LossError::invalid_value(message),
        _ => panic!("candle-nn failed: {message}"),
    }
}

/// The error under candle's backtrace, context and path wrappers.
fn innermost(error: &Error) -> &Error {
    match error {
        Error::WithBacktrace { inner, .. }
        | Error::Context { inner, .. }
        | Error::WithPath { inner, .. } => innermost(inner),
        other => other,
    }
}
