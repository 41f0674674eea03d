//! A dense, row-major, n-dimensional array: the only data structure the suite needs.

use std::borrow::Cow;

use crate::error::LossError;

/// A dense row-major tensor of `T` (`f64` for values, `i64` for class indices).
///
/// A 0-d tensor has shape `[]` and one element; a tensor with a zero-size dimension has no
/// elements. Invariant: `data.len()` is the product of `shape`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor<T = f64> {
    shape: Vec<usize>,
    data: Vec<T>,
}

impl<T> Tensor<T> {
    /// A tensor of the given shape over row-major `data`.
    ///
    /// Fails with [`crate::ErrorKind::InvalidShape`] when `data.len()` is not the product of
    /// `shape` (or that product overflows `usize`).
    pub fn new(shape: Vec<usize>, data: Vec<T>) -> Result<Self, LossError> {
        match numel_of(&shape) {
            Some(n) if n == data.len() => Ok(Tensor { shape, data }),
            Some(n) => Err(LossError::invalid_shape(format!(
                "shape {shape:?} holds {n} elements but {} were given",
                data.len()
            ))),
            None => Err(LossError::invalid_shape(format!(
                "shape {shape:?} has more elements than fit in memory"
            ))),
        }
    }

    /// A 0-d tensor holding `value`.
    pub fn scalar(value: T) -> Self {
        Tensor {
            shape: Vec::new(),
            data: vec![value],
        }
    }

    /// A 1-d tensor holding `data`.
    pub fn vector(data: Vec<T>) -> Self {
        Tensor {
            shape: vec![data.len()],
            data,
        }
    }

    /// The size of each dimension.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The number of dimensions (0 for a scalar).
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The number of elements.
    pub fn numel(&self) -> usize {
        self.data.len()
    }

    /// The elements in row-major order.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// Consumes the tensor, returning its elements in row-major order.
    pub fn into_data(self) -> Vec<T> {
        self.data
    }

    /// A tensor of the same shape with `f` applied to each element.
    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> Tensor<U> {
        Tensor {
            shape: self.shape.clone(),
            data: self.data.iter().map(f).collect(),
        }
    }
}

impl<T: Copy> Tensor<T> {
    /// The element at row-major position `index`.
    ///
    /// # Panics
    /// If `index >= self.numel()`; losses index only within the shapes they have checked.
    pub fn at(&self, index: usize) -> T {
        self.data[index]
    }

    /// This tensor broadcast to `shape`, borrowed when it already has that shape (the common
    /// case, which then costs no copy), else materialised by [`Tensor::expand`].
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Cow<'_, Tensor<T>>, LossError> {
        if self.shape == shape {
            Ok(Cow::Borrowed(self))
        } else {
            self.expand(shape).map(Cow::Owned)
        }
    }

    /// This tensor broadcast to `shape` (NumPy/PyTorch rules, aligned at the trailing
    /// dimension), materialised. Fails with `invalid_shape` if it does not broadcast.
    pub fn expand(&self, shape: &[usize]) -> Result<Tensor<T>, LossError> {
        if crate::broadcast::broadcast_shapes(&self.shape, shape)? != shape {
            return Err(LossError::invalid_shape(format!(
                "cannot expand a tensor of shape {:?} to shape {shape:?}",
                self.shape
            )));
        }
        let offset = shape.len() - self.shape.len();
        // Row-major strides of `self`, with stride 0 along every broadcast dimension.
        let mut strides = vec![0usize; shape.len()];
        let mut stride = 1;
        for d in (0..self.shape.len()).rev() {
            strides[offset + d] = if self.shape[d] == 1 { 0 } else { stride };
            stride *= self.shape[d];
        }
        let numel = numel_of(shape).unwrap_or(0);
        let mut data = Vec::with_capacity(numel);
        let mut index = vec![0usize; shape.len()];
        for _ in 0..numel {
            let source: usize = index.iter().zip(&strides).map(|(i, s)| i * s).sum();
            data.push(self.data[source]);
            // Advance the multi-index in row-major order.
            for d in (0..shape.len()).rev() {
                index[d] += 1;
                if index[d] < shape[d] {
                    break;
                }
                index[d] = 0;
            }
        }
        Ok(Tensor {
            shape: shape.to_vec(),
            data,
        })
    }
}

/// The number of elements of a tensor of shape `shape`, or `None` on overflow.
pub fn numel_of(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d))
}
