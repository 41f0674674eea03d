//! PyTorch's broadcasting rule for the shapes of two tensors.

use crate::error::LossError;

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
    fn rejects_mismatched_non_singleton_dimensions() {
        let error = broadcast_shapes(&[2, 3], &[2]).unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::InvalidShape);
        assert!(broadcast_shapes(&[0], &[2]).is_err());
    }
}
