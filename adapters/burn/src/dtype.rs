//! The scalar types the adapters compute in, and how they meet burn's runtime dtypes.

use burn::tensor::{DType, Element, FloatDType};

/// A float type that is both a lossparity scalar and a burn element: `f32` or `f64`.
///
/// burn 0.22 tensors carry their dtype at run time, and a device has one default float dtype
/// for the tensors burn creates without an explicit one (inside its losses too). The adapter
/// sets the flex device's default to this type ([`Burn::new`](crate::Burn::new)) and also
/// creates every input tensor with this dtype explicitly.
pub trait BurnFloat: lossparity::Scalar + Element {
    /// The burn dtype of this scalar type.
    const DTYPE: DType;
    /// The same dtype as a device default float dtype.
    const FLOAT_DTYPE: FloatDType;
}

impl BurnFloat for f32 {
    const DTYPE: DType = DType::F32;
    const FLOAT_DTYPE: FloatDType = FloatDType::F32;
}

impl BurnFloat for f64 {
    const DTYPE: DType = DType::F64;
    const FLOAT_DTYPE: FloatDType = FloatDType::F64;
}
