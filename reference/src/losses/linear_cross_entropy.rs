//! `torch.nn.functional.linear_cross_entropy` — spec/linear_cross_entropy.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::losses::cross_entropy::{
    cross_entropy, cross_entropy_grad, CrossEntropyOptions, CrossEntropyTarget,
};
use crate::reduction::LegacyReduction;
use crate::tensor::Tensor;
use crate::vector_dispatch::{with_widest_vectors, VectorKernel};

/// The keyword arguments of `F.linear_cross_entropy`, with PyTorch's defaults. PyTorch's
/// `options` (a chunking strategy) is not modelled: this is its `options=None` path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearCrossEntropyOptions<'a> {
    /// `b`, added to the linear map, shape `(C)` or `(C, d1, ..., dk)`; default none.
    pub linear_bias: Option<&'a Tensor>,
    /// One weight per class, shape `(C)`; default none.
    pub weight: Option<&'a Tensor>,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// A class index that contributes nothing; default `None`, which means -100 for class
    /// indices. Giving any value with probability targets is an error.
    pub ignore_index: Option<i64>,
    /// `ε` as in `cross_entropy`; default 0.
    pub label_smoothing: f64,
}

impl Default for LinearCrossEntropyOptions<'_> {
    fn default() -> Self {
        LinearCrossEntropyOptions {
            linear_bias: None,
            weight: None,
            reduction: "mean",
            ignore_index: None,
            label_smoothing: 0.0,
        }
    }
}

/// Cross entropy of the logits `input @ linear_weight.T + linear_bias`.
///
/// `input` is `(in_features)` or `(N, in_features)`; `linear_weight` is `(C, in_features)` or
/// `(C, d1, ..., dk, in_features)` (then `input` must be 2-D). The logits, shaped
/// `(N, C, d1, ..., dk)` (no `N` for a 1-D input), are
/// ```text
/// z[n, c, d] = Σ_k x[n, k]·W[c, d, k] + b[c, d]
/// ```
/// and the result is `cross_entropy(z, target, weight, reduction, ignore_index, ε)`, with
/// `ignore_index = -100` when it is `None`. A target with the logits' shape holds
/// probabilities.
pub fn linear_cross_entropy(
    input: &Tensor,
    linear_weight: &Tensor,
    target: CrossEntropyTarget,
    options: &LinearCrossEntropyOptions,
) -> Result<Tensor, LossError> {
    let call = LinearCall::new(input, linear_weight, target, options)?;
    cross_entropy(&call.logits, target, &call.cross_entropy_options(options))
}

/// The gradients of [`linear_cross_entropy`] with respect to `input`, `linear_weight` and
/// `linear_bias` (when given), given the gradient `grad_output` of its result. With `G` the
/// gradient of `cross_entropy` with respect to the logits, flattened to `(N, C·d1·…·dk)`:
/// ```text
/// grad_input = G @ W          grad_linear_weight = Gᵀ @ input          grad_linear_bias = Σ_n G[n]
/// ```
/// (`W` flattened to `(C·d1·…·dk, in_features)`; a 1-D input is one row).
pub fn linear_cross_entropy_backward(
    input: &Tensor,
    linear_weight: &Tensor,
    target: CrossEntropyTarget,
    options: &LinearCrossEntropyOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = LinearCall::new(input, linear_weight, target, options)?;
    let grad_logits = cross_entropy_grad(
        &call.logits,
        target,
        &call.cross_entropy_options(options),
        grad_output,
    )?;
    let (rows, outputs, in_features) = (call.rows, call.outputs, call.in_features);
    // Both products sum over their inner index in order from 0, as one dot product each:
    //     grad_input[n, k]  = ((0 + G[n, 0]·W[0, k]) + G[n, 1]·W[1, k]) + …
    //     grad_weight[j, k] = ((0 + G[0, j]·x[0, k]) + G[1, j]·x[1, k]) + …
    let grad_input = with_widest_vectors(MatrixProduct {
        a: grad_logits.data(),
        b: linear_weight.data(),
        rows,
        inner: outputs,
        columns: in_features,
    });
    let grad_weight = with_widest_vectors(MatrixProduct {
        a: &transpose(grad_logits.data(), rows, outputs),
        b: input.data(),
        rows: outputs,
        inner: rows,
        columns: in_features,
    });
    let g = |n: usize, j: usize| grad_logits.at(n * outputs + j);
    let mut gradients = InputGradients::from([
        ("input", Tensor::new(input.shape().to_vec(), grad_input)?),
        (
            "linear_weight",
            Tensor::new(linear_weight.shape().to_vec(), grad_weight)?,
        ),
    ]);
    if let Some(bias) = options.linear_bias {
        let grad_bias = (0..outputs).map(|j| (0..rows).fold(0.0, |sum, n| sum + g(n, j)));
        gradients.insert(
            "linear_bias",
            Tensor::new(bias.shape().to_vec(), grad_bias.collect())?,
        );
    }
    Ok(gradients)
}

/// A validated call and its logits.
struct LinearCall {
    logits: Tensor,
    /// The number of input rows (1 for a 1-D input).
    rows: usize,
    /// `C·d1·…·dk`, the number of logits per row.
    outputs: usize,
    in_features: usize,
}

impl LinearCall {
    /// The Python-side checks, in their order, then `F.linear`. `reduction` is only checked
    /// later, by `cross_entropy`.
    fn new(
        input: &Tensor,
        linear_weight: &Tensor,
        target: CrossEntropyTarget,
        options: &LinearCrossEntropyOptions,
    ) -> Result<Self, LossError> {
        if !(1..=2).contains(&input.ndim()) {
            return Err(LossError::invalid_shape(format!(
                "expected input with dimensionality 1 or 2, got {}",
                input.ndim()
            )));
        }
        if linear_weight.ndim() < 2 {
            return Err(LossError::invalid_shape(format!(
                "expected linear_weight with dimensionality at least 2, got {}",
                linear_weight.ndim()
            )));
        }
        let (batch_dims, in_features) = input.shape().split_at(input.ndim() - 1);
        let in_features = in_features[0];
        let weight_shape = linear_weight.shape();
        if weight_shape[weight_shape.len() - 1] != in_features {
            return Err(LossError::invalid_shape(format!(
                "expected equal input and linear_weight last dimensions (in_features), got {} \
                 and {}, respectively",
                in_features,
                weight_shape[weight_shape.len() - 1]
            )));
        }
        // (C, d1, ..., dk): the classes and the K-dimensional "out features".
        let class_shape = &weight_shape[..weight_shape.len() - 1];
        if let Some(bias) = options.linear_bias {
            if bias.shape() != class_shape {
                return Err(LossError::invalid_shape(format!(
                    "expected linear_bias shape {class_shape:?}, got {:?}",
                    bias.shape()
                )));
            }
        }
        if class_shape.len() > 1 && batch_dims.is_empty() {
            return Err(LossError::invalid_shape(format!(
                "K-dimensional loss defined by linear_weight shape {weight_shape:?} requires \
                 batched input, (N, {in_features}), got unbatched input with shape {:?}",
                input.shape()
            )));
        }
        let logits_shape = [batch_dims, class_shape].concat();
        // Probabilities are recognised by shape alone, whatever the target's dtype.
        if target.shape() == logits_shape && options.ignore_index.is_some() {
            return Err(LossError::invalid_parameter(
                "ignore_index cannot be specified when target contains probabilities",
            ));
        }
        // F.linear with the weight flattened to (C·d1·…·dk, in_features): each logit is the
        // dot product of an input row with a weight row, summed over k in order, plus the bias:
        //     z[n, j] = ((0 + x[n, 0]·W[j, 0]) + x[n, 1]·W[j, 1]) + … + b[j]
        // Computed as `x @ Wᵀ` by `MatrixProduct`: each logit gets the same additions in the
        // same order (the same bits), in register tiles instead of one chain of dependent
        // additions (checked against the dot products in reference/tests/fast_paths.rs).
        let rows = batch_dims.first().copied().unwrap_or(1);
        let outputs: usize = class_shape.iter().product();
        let mut logits = with_widest_vectors(MatrixProduct {
            a: input.data(),
            b: &transpose(linear_weight.data(), outputs, in_features),
            rows,
            inner: in_features,
            columns: outputs,
        });
        if let (Some(bias), true) = (options.linear_bias, outputs > 0) {
            for z in logits.chunks_exact_mut(outputs) {
                for (z, &b) in z.iter_mut().zip(bias.data()) {
                    *z += b;
                }
            }
        }
        Ok(LinearCall {
            logits: Tensor::new(logits_shape, logits)?,
            rows,
            outputs,
            in_features,
        })
    }

    /// The `cross_entropy` arguments: `ignore_index` `None` becomes -100.
    fn cross_entropy_options<'a>(
        &self,
        options: &LinearCrossEntropyOptions<'a>,
    ) -> CrossEntropyOptions<'a> {
        CrossEntropyOptions {
            weight: options.weight,
            legacy: LegacyReduction::default(),
            ignore_index: options.ignore_index.unwrap_or(-100),
            reduction: options.reduction,
            label_smoothing: options.label_smoothing,
        }
    }
}

/// The matrix product `c = a @ b` of a row-major `(rows, inner)` matrix `a` and a row-major
/// `(inner, columns)` matrix `b`, each element summed over the inner index in order from 0:
/// `c[r, j] = ((0 + a[r, 0]·b[0, j]) + a[r, 1]·b[1, j]) + …`, the same bits as one dot
/// product per element. Run through [`with_widest_vectors`]; used for `F.linear` and both of
/// its gradients.
struct MatrixProduct<'a> {
    a: &'a [f64],
    b: &'a [f64],
    rows: usize,
    inner: usize,
    columns: usize,
}

/// The rows of a full tile of [`MatrixProduct`].
const TILE_ROWS: usize = 4;
/// The columns of a full tile: 4 × 16 sums fill 8 AVX-512 or 16 AVX2 registers.
const TILE_COLUMNS: usize = 16;

impl VectorKernel for MatrixProduct<'_> {
    type Output = Vec<f64>;
    #[inline(always)]
    fn run(self) -> Vec<f64> {
        let (rows, columns) = (self.rows, self.columns);
        let mut c = vec![0.0; rows * columns];
        // Tiles of TILE_ROWS × TILE_COLUMNS: the tile's sums stay in registers for the whole
        // inner loop, and each loaded row of `b` serves TILE_ROWS rows of `a`.
        for r0 in (0..rows).step_by(TILE_ROWS) {
            for j0 in (0..columns).step_by(TILE_COLUMNS) {
                if r0 + TILE_ROWS <= rows && j0 + TILE_COLUMNS <= columns {
                    let tile = self.tile(r0, j0);
                    for (r, sums) in tile.iter().enumerate() {
                        c[(r0 + r) * columns + j0..][..TILE_COLUMNS].copy_from_slice(sums);
                    }
                } else {
                    // An edge tile: the same sums, a row at a time.
                    let width = TILE_COLUMNS.min(columns - j0);
                    for r in r0..rows.min(r0 + TILE_ROWS) {
                        let sums = &mut c[r * columns + j0..][..width];
                        for k in 0..self.inner {
                            let a = self.a[r * self.inner + k];
                            let b = &self.b[k * columns + j0..][..width];
                            for (sum, &b) in sums.iter_mut().zip(b) {
                                *sum += a * b;
                            }
                        }
                    }
                }
            }
        }
        c
    }
}

impl MatrixProduct<'_> {
    /// The full tile at rows `r0..r0 + TILE_ROWS`, columns `j0..j0 + TILE_COLUMNS`.
    #[inline(always)]
    fn tile(&self, r0: usize, j0: usize) -> [[f64; TILE_COLUMNS]; TILE_ROWS] {
        let mut sums = [[0.0; TILE_COLUMNS]; TILE_ROWS];
        for k in 0..self.inner {
            let b: &[f64; TILE_COLUMNS] = self.b[k * self.columns + j0..][..TILE_COLUMNS]
                .try_into()
                .expect("a full tile");
            for (r, sums) in sums.iter_mut().enumerate() {
                let a = self.a[(r0 + r) * self.inner + k];
                for (sum, &b) in sums.iter_mut().zip(b) {
                    *sum += a * b;
                }
            }
        }
        sums
    }
}

/// The `(columns, rows)` transpose of a row-major `(rows, columns)` matrix.
fn transpose(matrix: &[f64], rows: usize, columns: usize) -> Vec<f64> {
    let mut transposed = vec![0.0; matrix.len()];
    for r in 0..rows {
        for c in 0..columns {
            transposed[c * rows + r] = matrix[r * columns + c];
        }
    }
    transposed
}
