//! `torch.nn.functional.cosine_embedding_loss` — spec/cosine_embedding_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::pairwise_sum_of;
use crate::primitives::clamp_min;
use crate::reduction::{LegacyReduction, Reduction};
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
    let call = CosineCall::new(input1, input2, target, options)?;
    let margin = options.margin;
    let cos = call.cosines()?.cos.broadcast_to(&call.shape)?.into_owned();
    let loss = (0..cos.numel())
        .map(|i| {
            let (cos, y) = (cos.at(i), call.y.at(i));
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
    Ok(call.reduction.apply(Tensor::new(call.loss_shape(), loss)?))
}

/// The gradients of [`cosine_embedding_loss`] with respect to `input1` and `input2`, by
/// autograd's chain through ATen's composite, in its order. With `g_c` the gradient reaching
/// `cos` (`-g` where `y == 1`, `g·[cos - margin > 0]` where `y == -1`, else 0, summed over
/// any pair the target repeats) and `denom = sqrt(M1·M2)`:
/// ```text
/// ∂/∂P = g_c / denom        ∂/∂denom = -g_c·((P / denom) / denom)
/// ∂/∂(M1·M2) = ∂/∂denom / (2·denom)
/// ∂l/∂x1 = ∂/∂P·x2 + 2·(∂/∂(M1·M2)·M2)·x1       (and symmetrically for x2)
/// ```
/// summed back over the broadcast pairs and features to each input's shape.
pub fn cosine_embedding_loss_backward(
    input1: &Tensor,
    input2: &Tensor,
    target: &Tensor,
    options: &CosineEmbeddingLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = CosineCall::new(input1, input2, target, options)?;
    let upstream = call.reduction.backward(grad_output, &call.loss_shape())?;
    let upstream = Tensor::new(call.shape.clone(), upstream.into_data())?;
    let values = call.cosines()?;
    // The two `where`s, each summed back to the pairs' shape, then clamp_min's backward.
    let select = |label: f64| {
        let grad = (0..upstream.numel()).map(|i| {
            if call.y.at(i) == label {
                upstream.at(i)
            } else {
                0.0
            }
        });
        sum_to(
            &Tensor::new(call.shape.clone(), grad.collect())?,
            &call.pairs,
        )
    };
    let (from_positive, from_negative) = (select(1.0)?, select(-1.0)?);
    let pairs = call.pairs[0];
    let mut grad_products = Vec::with_capacity(pairs);
    let mut grad_magnitudes = Vec::with_capacity(pairs);
    for i in 0..pairs {
        let cos = values.cos.at(i);
        // clamp_min's backward passes the gradient only where cos - margin > 0.
        let negative = if cos - options.margin > 0.0 {
            from_negative.at(i)
        } else {
            0.0
        };
        let grad_cos = -from_positive.at(i) + negative;
        // cos = P / denom; denom = sqrt(M1·M2).
        let (product, denom) = (values.products[i], values.denom[i]);
        grad_products.push(grad_cos / denom);
        let grad_denom = -grad_cos * ((product / denom) / denom);
        grad_magnitudes.push(grad_denom / (2.0 * denom));
    }
    // M1·M2: each factor's gradient is the other factor's, summed to its own rows.
    let grad_m1: Vec<f64> = (0..pairs)
        .map(|i| grad_magnitudes[i] * values.m2.at(i))
        .collect();
    let grad_m2: Vec<f64> = (0..pairs)
        .map(|i| grad_magnitudes[i] * values.m1.at(i))
        .collect();
    let grad_m1 = sum_to(&Tensor::vector(grad_m1), &[call.x1.shape()[0]])?;
    let grad_m2 = sum_to(&Tensor::vector(grad_m2), &[call.x2.shape()[0]])?;
    let grad1 = call.input_grad(&call.x1, &call.x2_pairs, &grad_products, &grad_m1)?;
    let grad2 = call.input_grad(&call.x2, &call.x1_pairs, &grad_products, &grad_m2)?;
    Ok(InputGradients::from([
        (
            "input1",
            Tensor::new(input1.shape().to_vec(), grad1.into_data())?,
        ),
        (
            "input2",
            Tensor::new(input2.shape().to_vec(), grad2.into_data())?,
        ),
    ]))
}

/// A validated call: both inputs as matrices `(rows, D)`, their broadcast pairs, and the target
/// broadcast to the loss's shape.
///
/// The inputs are borrowed, and broadcast copies made only where the two inputs' rows differ.
struct CosineCall<'a> {
    x1: Cow<'a, Tensor>,
    x2: Cow<'a, Tensor>,
    x1_pairs: Cow<'a, Tensor>,
    x2_pairs: Cow<'a, Tensor>,
    /// The target, broadcast to `shape`.
    y: Cow<'a, Tensor>,
    /// `[pairs]`: the broadcast of the two inputs' rows.
    pairs: [usize; 1],
    /// The shape of the loss before reduction (`(1)` for a 0-d target, made 0-d at the end).
    shape: Vec<usize>,
    /// Whether the target is 0-d (one pair of 1-D inputs, a 0-d loss).
    single_pair: bool,
    reduction: Reduction,
}

/// The forward's intermediate values, one per pair.
struct Cosines {
    products: Vec<f64>,
    /// `M1` and `M2`, broadcast to the pairs.
    m1: Tensor,
    m2: Tensor,
    denom: Vec<f64>,
    cos: Tensor,
}

impl<'a> CosineCall<'a> {
    fn new(
        input1: &'a Tensor,
        input2: &'a Tensor,
        target: &'a Tensor,
        options: &CosineEmbeddingLossOptions,
    ) -> Result<Self, LossError> {
        let reduction = options.legacy.resolve(options.reduction)?;
        let (x1, x2, y) = match target.ndim() {
            1 if input1.ndim() == 2 && input2.ndim() == 2 => (
                Cow::Borrowed(input1),
                Cow::Borrowed(input2),
                Cow::Borrowed(target),
            ),
            1 => {
                return Err(LossError::invalid_shape(format!(
                    "1D target tensor expects 2D input tensors, but found inputs with sizes \
                     {:?} and {:?}",
                    input1.shape(),
                    input2.shape()
                )))
            }
            // A single pair: computed as a batch of one, returned as a 0-d result.
            0 if input1.ndim() == 1 && input2.ndim() == 1 => (
                Cow::Owned(as_row(input1)?),
                Cow::Owned(as_row(input2)?),
                Cow::Owned(Tensor::vector(vec![target.at(0)])),
            ),
            0 => {
                return Err(LossError::invalid_shape(format!(
                    "0D target tensor expects 1D input tensors, but found inputs with sizes \
                     {:?} and {:?}",
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
        let pairs = [pairs_shape[0]];
        let shape = broadcast_shapes(&pairs, y.shape())?;
        // `t` broadcast to `shape`: still a borrow of the caller's tensor when no broadcasting
        // is needed (a cloned `Cow::Borrowed` copies no data).
        let broadcast =
            |t: Cow<'a, Tensor>, shape: &[usize]| -> Result<Cow<'a, Tensor>, LossError> {
                Ok(match t {
                    Cow::Borrowed(t) => t.broadcast_to(shape)?,
                    Cow::Owned(t) => Cow::Owned(t.broadcast_to(shape)?.into_owned()),
                })
            };
        Ok(CosineCall {
            x1_pairs: broadcast(x1.clone(), &pairs_shape)?,
            x2_pairs: broadcast(x2.clone(), &pairs_shape)?,
            x1,
            x2,
            y: broadcast(y, &shape)?,
            pairs,
            shape,
            single_pair: target.ndim() == 0,
            reduction,
        })
    }

    /// `P`, `M1`, `M2`, `denom` and `cos` of every pair, as the forward computes them.
    fn cosines(&self) -> Result<Cosines, LossError> {
        // P over the broadcast pairs; M1 and M2 over each input's own rows (and feature sizes).
        let products = row_sums(&self.x1_pairs, &self.x2_pairs);
        let squares = |x: &Tensor| {
            let sums = row_sums(x, x).iter().map(|s| s + EPSILON).collect();
            Tensor::vector(sums).expand(&self.pairs)
        };
        let (m1, m2) = (squares(&self.x1)?, squares(&self.x2)?);
        let denom: Vec<f64> = (0..self.pairs[0])
            .map(|i| (m1.at(i) * m2.at(i)).sqrt())
            .collect();
        let cos = (0..self.pairs[0]).map(|i| products[i] / denom[i]).collect();
        Ok(Cosines {
            products,
            m1,
            m2,
            denom,
            cos: Tensor::vector(cos),
        })
    }

    /// The loss's shape: a 0-d target gives a 0-d loss.
    fn loss_shape(&self) -> Vec<usize> {
        if self.single_pair {
            Vec::new()
        } else {
            self.shape.clone()
        }
    }

    /// The gradient of one input `x` (as a matrix): `∂/∂P·other` over the broadcast pairs,
    /// summed back to `x`'s shape, plus `x·∂/∂M + x·∂/∂M` from `Σ x·x` (the product's two
    /// operands).
    fn input_grad(
        &self,
        x: &Tensor,
        other_pairs: &Tensor,
        grad_products: &[f64],
        grad_m: &Tensor,
    ) -> Result<Tensor, LossError> {
        let pairs_shape = other_pairs.shape();
        let features = pairs_shape[1];
        let from_products =
            (0..other_pairs.numel()).map(|i| grad_products[i / features] * other_pairs.at(i));
        let from_products = sum_to(
            &Tensor::new(pairs_shape.to_vec(), from_products.collect())?,
            x.shape(),
        )?;
        let own_features = x.shape()[1];
        let grad = (0..x.numel()).map(|i| {
            let from_square = grad_m.at(i / own_features) * x.at(i);
            from_products.at(i) + from_square + from_square
        });
        Tensor::new(x.shape().to_vec(), grad.collect())
    }
}

/// A 1-D tensor `(D)` as a one-row matrix `(1, D)`.
fn as_row(vector: &Tensor) -> Result<Tensor, LossError> {
    Tensor::new(vec![1, vector.numel()], vector.data().to_vec())
}

/// `Σ_k a[n, k]·b[n, k]` for each row `n` of two matrices of the same shape, each row added
/// pairwise, as every sum of the reference (ATen's row sums are vectorised cascades too, so no
/// order reproduces its last bit).
fn row_sums(a: &Tensor, b: &Tensor) -> Vec<f64> {
    let features = a.shape()[1];
    if features == 0 {
        return vec![pairwise_sum_of(0, |_| 0.0); a.shape()[0]];
    }
    a.data()
        .chunks_exact(features)
        .zip(b.data().chunks_exact(features))
        .map(|(a, b)| pairwise_sum_of(features, |k| a[k] * b[k]))
        .collect()
}
