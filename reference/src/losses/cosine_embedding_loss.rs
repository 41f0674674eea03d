//! `torch.nn.functional.cosine_embedding_loss` — spec/cosine_embedding_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::clamp_min;
use crate::reduction::LegacyReduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.cosine_embedding_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CosineEmbeddingLossOptions<'a> {
    /// The cosine above which a dissimilar pair (`y = -1`) is penalised; default 0.
    pub margin: f64,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for CosineEmbeddingLossOptions<'_> {
    fn default() -> Self {
        CosineEmbeddingLossOptions {
            margin: 0.0,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// ATen's `constexpr float EPSILON = 1e-12`, widened to double where it is added to the
/// squared norms: 9.999999960041972e-13.
const EPSILON: f64 = 1e-12_f32 as f64;

/// Cosine embedding loss of the pairs (`input1`, `input2`) labelled by `target`.
///
/// ```text
/// cos = Σ x1·x2 / sqrt((Σ x1² + EPS)·(Σ x2² + EPS))       over the feature dimension
/// l   = 1 - cos                  if y == 1
///     = max(0, cos - margin)     if y == -1
///     = 0                        otherwise
/// ```
/// A 1-D target `(N)` takes 2-D inputs `(N, D)`; a 0-d target takes 1-D inputs `(D)` and gives
/// a 0-d result. The inputs then broadcast with each other, and the cosines with the target.
pub fn cosine_embedding_loss(
    input1: &Tensor,
    input2: &Tensor,
    target: &Tensor,
    options: &CosineEmbeddingLossOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let margin = options.margin;
    let (x1, x2, y) = match target.ndim() {
        1 if input1.ndim() == 2 && input2.ndim() == 2 => {
            (input1.clone(), input2.clone(), target.clone())
        }
        1 => {
            return Err(LossError::invalid_shape(format!(
                "1D target tensor expects 2D input tensors, but found inputs with sizes {:?} \
                 and {:?}",
                input1.shape(),
                input2.shape()
            )))
        }
        // A single pair: computed as a batch of one, returned as a 0-d result.
        0 if input1.ndim() == 1 && input2.ndim() == 1 => (
            as_row(input1)?,
            as_row(input2)?,
            Tensor::vector(vec![target.at(0)]),
        ),
        0 => {
            return Err(LossError::invalid_shape(format!(
                "0D target tensor expects 1D input tensors, but found inputs with sizes {:?} \
                 and {:?}",
                input1.shape(),
                input2.shape()
            )))
        }
        _ => {
            return Err(LossError::invalid_shape(
                "0D or 1D target tensor expected, multi-target not supported",
            ))
        }
    };
    let pairs_shape = broadcast_shapes(x1.shape(), x2.shape())?;
    let (x1_pairs, x2_pairs) = (x1.expand(&pairs_shape)?, x2.expand(&pairs_shape)?);
    // P over the broadcast pairs; M1 and M2 over each input's own rows (and feature sizes).
    let products = row_sums(&x1_pairs, &x2_pairs);
    let squares1 = Tensor::vector(row_sums(&x1, &x1).iter().map(|s| s + EPSILON).collect());
    let squares2 = Tensor::vector(row_sums(&x2, &x2).iter().map(|s| s + EPSILON).collect());
    let pairs = [pairs_shape[0]];
    let (squares1, squares2) = (squares1.expand(&pairs)?, squares2.expand(&pairs)?);
    let cos: Vec<f64> = (0..pairs[0])
        .map(|i| products[i] / (squares1.at(i) * squares2.at(i)).sqrt())
        .collect();
    let shape = broadcast_shapes(&pairs, y.shape())?;
    let cos = Tensor::vector(cos).expand(&shape)?;
    let y = y.expand(&shape)?;
    let loss = (0..cos.numel())
        .map(|i| {
            let (cos, y) = (cos.at(i), y.at(i));
            // Both `where`s are evaluated and added; a target other than ±1 gives 0 + 0.
            let positive = if y == 1.0 { 1.0 - cos } else { 0.0 };
            let negative = if y == -1.0 {
                clamp_min(cos - margin, 0.0)
            } else {
                0.0
            };
            positive + negative
        })
        .collect();
    let loss = Tensor::new(shape, loss)?;
    let loss = if target.ndim() == 0 {
        Tensor::scalar(loss.at(0))
    } else {
        loss
    };
    Ok(reduction.apply(loss))
}

/// A 1-D tensor `(D)` as a one-row matrix `(1, D)`.
fn as_row(vector: &Tensor) -> Result<Tensor, LossError> {
    Tensor::new(vec![1, vector.numel()], vector.data().to_vec())
}

/// `Σ_k a[n, k]·b[n, k]` for each row `n` of two matrices of the same shape.
fn row_sums(a: &Tensor, b: &Tensor) -> Vec<f64> {
    let (rows, features) = (a.shape()[0], a.shape()[1]);
    (0..rows)
        .map(|n| {
            (0..features)
                .map(|k| a.at(n * features + k) * b.at(n * features + k))
                .sum()
        })
        .collect()
}
