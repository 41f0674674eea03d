//! `torch.nn.functional.linear_cross_entropy` — spec/linear_cross_entropy.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{matmul, transpose};
use crate::losses::cross_entropy::{
    cross_entropy, cross_entropy_grad, CrossEntropyOptions, CrossEntropyTarget,
};
use crate::reduction::LegacyReduction;
use crate::tensor::Tensor;

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
    // G @ W and Gᵀ @ input, each element summed over the inner index in order from 0:
    //     grad_input[n, k]  = ((0 + G[n, 0]·W[0, k]) + G[n, 1]·W[1, k]) + …
    //     grad_weight[j, k] = ((0 + G[0, j]·x[0, k]) + G[1, j]·x[1, k]) + …
    let (w, x) = (linear_weight.data(), input.data());
    let grad_input = matmul(grad_logits.data(), w, rows, outputs, in_features);
    let grad_logits_t = transpose(grad_logits.data(), rows, outputs);
    let grad_weight = matmul(&grad_logits_t, x, outputs, rows, in_features);
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
        // that is, `x @ Wᵀ`, then the bias.
        let rows = batch_dims.first().copied().unwrap_or(1);
        let outputs: usize = class_shape.iter().product();
        let weight_t = transpose(linear_weight.data(), outputs, in_features);
        let mut logits = matmul(input.data(), &weight_t, rows, in_features, outputs);
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
