//! PyTorch's broadcasting rule for the shapes of two tensors.

use crate::error::LossError;
use crate::tensor::Tensor;

/// The shape that tensors of shapes `a` and `b` broadcast to, as `torch.broadcast_shapes`:
/// dimensions are aligned at the right; each pair must be equal or contain a 1.
///
/// Fails with `invalid_shape` naming the first dimension that does not fit.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>, LossError> {
    let ndim = a.len().max(b.len());
    let mut shape = Vec::with_capacity(ndim);
    for d in 0..ndim {
        let size_a = dim_from_right(a, ndim - 1 - d);
        let size_b = dim_from_right(b, ndim - 1 - d);
        let size = match (size_a, size_b) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            (x, y) => {
                return Err(LossError::invalid_shape(format!(
                    "the size of tensor a ({x}) must match the size of tensor b ({y}) at \
                     non-singleton dimension {d} (shapes {a:?} and {b:?})"
                )))
            }
        };
        shape.push(size);
    }
    Ok(shape)
}

/// The backward of broadcasting: `grad`, of a shape that `shape` broadcasts to, summed over
/// the broadcast dimensions back to `shape` (as autograd does for a broadcast argument).
pub fn sum_to(grad: &Tensor, shape: &[usize]) -> Result<Tensor, LossError> {
    if broadcast_shapes(shape, grad.shape())? != grad.shape() {
        return Err(LossError::invalid_shape(format!(
            "cannot sum a gradient of shape {:?} to shape {shape:?}",
            grad.shape()
        )));
    }
    if grad.shape() == shape {
        return Ok(grad.clone());
    }
    let offset = grad.ndim() - shape.len();
    // Row-major strides of the target shape, 0 along every dimension that was broadcast.
    let mut strides = vec![0usize; grad.ndim()];
    let mut stride = 1;
    for d in (0..shape.len()).rev() {
        strides[offset + d] = if shape[d] == 1 { 0 } else { stride };
        stride *= shape[d];
    }
    let mut sums = vec![0.0; crate::tensor::numel_of(shape).unwrap_or(0)];
    let mut index = vec![0usize; grad.ndim()];
    for &value in grad.data() {
        let target: usize = index.iter().zip(&strides).map(|(i, s)| i * s).sum();
        sums[target] += value;
        for d in (0..grad.ndim()).rev() {
            index[d] += 1;
            if index[d] < grad.shape()[d] {
                break;
            }
            index[d] = 0;
        }
    }
    Tensor::new(shape.to_vec(), sums)
}

/// The size of dimension `k` counted from the right (0 = last), or 1 past the leading one.
fn dim_from_right(shape: &[usize], k: usize) -> usize {
    if k < shape.len() {
        shape[shape.len() - 1 - k]
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_at_the_trailing_dimension() {
        assert_eq!(broadcast_shapes(&[2, 3], &[3]).unwrap(), vec![2, 3]);
        assert_eq!(broadcast_shapes(&[2, 1], &[1, 4]).unwrap(), vec![2, 4]);
        assert_eq!(broadcast_shapes(&[], &[0, 3]).unwrap(), vec![0, 3]);
        assert_eq!(broadcast_shapes(&[1], &[0]).unwrap(), vec![0]);
    }

    #[test]
    fn sum_to_adds_over_broadcast_dimensions() {
        let grad = Tensor::new(vec![2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        assert_eq!(sum_to(&grad, &[3]).unwrap().data(), &[5.0, 7.0, 9.0]);
        assert_eq!(sum_to(&grad, &[2, 1]).unwrap().data(), &[6.0, 15.0]);
        assert_eq!(sum_to(&grad, &[]).unwrap().data(), &[21.0]);
        assert!(sum_to(&grad, &[2]).is_err());
    }

    #[test]
    fn rejects_mismatched_non_singleton_dimensions() {
        let error = broadcast_shapes(&[2, 3], &[2]).unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::InvalidShape);
        assert!(broadcast_shapes(&[0], &[2]).is_err());
    }
}
