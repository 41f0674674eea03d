//! The scalar types the adapters compute in, and how they meet burn's runtime dtypes.

use burn::tensor::{DType, Element};

/// A float type that is both a lossparity scalar and a burn element: `f32` or `f64`.
///
/// burn 0.22 tensors carry their dtype at run time; the adapters create every input tensor
/// with an explicit dtype (`Tensor::from_data(data, (&device, DType::F64))`), as burn documents
/// for tensors whose dtype differs from the device default.
pub trait BurnFloat: lossparity::Scalar + Element {
    /// The burn dtype of this scalar type.
    const DTYPE: DType;
}

impl BurnFloat for f32 {
    const DTYPE: DType = DType::F32;
}

impl BurnFloat for f64 {
    const DTYPE: DType = DType::F64;
}
