//! The scalar types the adapters compute in, and how they meet burn's runtime dtypes.

use burn::tensor::{DType, Element, FloatDType};
use lossparity::half::{bf16, f16};

/// A float type that is both a lossparity scalar and a burn element: `f32`, `f64`,
/// [`half::f16`](lossparity::half::f16) or [`half::bf16`](lossparity::half::bf16).
///
/// burn 0.22 tensors carry their dtype at run time, and a device has one default float dtype
/// for the tensors burn creates without an explicit one (inside its losses too). The adapter
/// sets the flex device's default to this type ([`Burn::new`](crate::Burn::new)) and also
/// creates every input tensor with this dtype explicitly.
///
/// flex stores and computes all four (`Flex::dtype_usage` in burn-flex's `backend.rs` gives
/// F16 and BF16 storage and arithmetic): its half-precision elementwise ops convert each
/// element to f32, apply the f32 operation and round the result back, and its sums and means
/// accumulate in f32 before one final rounding.
pub trait BurnFloat: lossparity::Scalar + Element {
    /// The burn dtype of this scalar type.
    const DTYPE: DType;
    /// The same dtype as a device default float dtype.
    const FLOAT_DTYPE: FloatDType;
    /// The name of the adapter computing in this type: `burn_` and the dtype's name.
    const ADAPTER_NAME: &'static str;
}

impl BurnFloat for f32 {
    const DTYPE: DType = DType::F32;
    const FLOAT_DTYPE: FloatDType = FloatDType::F32;
    const ADAPTER_NAME: &'static str = "burn_f32";
}

impl BurnFloat for f64 {
    const DTYPE: DType = DType::F64;
    const FLOAT_DTYPE: FloatDType = FloatDType::F64;
    const ADAPTER_NAME: &'static str = "burn_f64";
}

impl BurnFloat for f16 {
    const DTYPE: DType = DType::F16;
    const FLOAT_DTYPE: FloatDType = FloatDType::F16;
    const ADAPTER_NAME: &'static str = "burn_f16";
}

impl BurnFloat for bf16 {
    const DTYPE: DType = DType::BF16;
    const FLOAT_DTYPE: FloatDType = FloatDType::BF16;
    const ADAPTER_NAME: &'static str = "burn_bf16";
}
