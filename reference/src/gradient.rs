//! Gradients of a loss with respect to its prediction inputs.

use std::collections::BTreeMap;

use crate::tensor::Tensor;

/// The gradient of a loss with respect to each of its prediction inputs, keyed by PyTorch's
/// argument name (`input`, `input1`, `var`, …), each with its input's shape.
pub type Gradients = BTreeMap<&'static str, Tensor>;
