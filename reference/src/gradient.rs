//! Gradients of a loss with respect to its prediction inputs.

use std::collections::BTreeMap;

use crate::tensor::Tensor;

/// What a loss's `_backward` returns: the gradient with respect to each of its prediction
/// inputs, keyed by PyTorch's argument name (`input`, `input1`, `var`, …), each with its
/// input's shape.
pub type InputGradients = BTreeMap<&'static str, Tensor>;
