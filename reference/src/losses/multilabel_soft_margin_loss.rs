//! `torch.nn.functional.multilabel_soft_margin_loss` — spec/multilabel_soft_margin_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{self, exp, formula};
use crate::primitives::log_sigmoid;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.multilabel_soft_margin_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MultilabelSoftMarginLossOptions<'a> {
    /// Elementwise weights, broadcast against the loss before the class sum; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean` or `sum` (not `elementwise_mean`); default `mean`.
    pub reduction: &'a str,
}

impl Default for MultilabelSoftMarginLossOptions<'_> {
    fn default() -> Self {
        MultilabelSoftMarginLossOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Multi-label one-versus-all logistic loss over logits `input`, averaged over its last
/// dimension (the classes).
///
/// ```text
/// e = -(y·logsigmoid(x) + (1 - y)·logsigmoid(-x)) · w        (w only if weight is given)
/// l = (Σ over dimension input.dim() - 1 of e) / input.size(-1)
/// ```
/// `target` and `weight` broadcast freely; the summed dimension is counted from the front of
/// the broadcast loss. `none` returns `l`; `mean` is its mean, `sum` its sum. Labels are not
/// checked. Unlike most losses, `reduction` is validated after the shapes, and
/// `elementwise_mean` is rejected.
pub fn multilabel_soft_margin_loss(
    input: &Tensor,
    target: &Tensor,
    options: &MultilabelSoftMarginLossOptions,
) -> Result<Tensor, LossError> {
    let call = MultilabelSoftMarginCall::new(input, target, options)?;
    // The elementwise loss `e` before the weight.
    let unweighted = formula!(|x, y| -(y * log_sigmoid(x) + (1.0 - y) * log_sigmoid(-x)));
    let (x, y, shape) = (call.x.data(), call.y.data(), call.x.shape().to_vec());
    let mut loss = kernels::elementwise(Reduction::None, shape, x, y, unweighted)?.into_data();
    if let Some(w) = &call.weight {
        let e = Tensor::new(call.x.shape().to_vec(), loss)?.expand(&call.shape)?;
        loss = e.data().iter().zip(w.data()).map(|(e, w)| e * w).collect();
    }
    // `class_dim` indexes the broadcast loss from the front: when target or weight added
    // leading dimensions, this is not the class dimension.
    let (per_sample_shape, sums) = sum_over_dim(&call.shape, &loss, call.class_dim);
    let per_sample: Vec<f64> = sums.iter().map(|s| s / call.classes).collect();
    let per_sample = Tensor::new(per_sample_shape, per_sample)?;
    Ok(call.reduction.apply(per_sample))
}

/// The gradient of [`multilabel_soft_margin_loss`] with respect to `input`, given the gradient
/// `grad_output` of its result, as autograd computes it through the composite:
///
/// ```text
/// h     = -((g_n / C)·w)                 g_n: the sample's g (none), g (sum), g / numel (mean)
/// ∂l/∂x = lsb(x, Σ(h·y)) - lsb(-x, Σ(h·(1 - y)))
/// lsb(z, c) = (m - s·(b / (1 + b)))·c    b = exp(-|z|); m, s = 1, 1 if z < 0 else 0, -1
/// ```
/// `lsb` is ATen's `log_sigmoid_backward` kernel, `(σ(x) - y)·w / C·g_n` in exact arithmetic
/// and finite for infinite `x`; each `Σ` sums over the dimensions along which `input` was
/// broadcast (the weight's product is first summed back to the unweighted loss's shape).
pub fn multilabel_soft_margin_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &MultilabelSoftMarginLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = MultilabelSoftMarginCall::new(input, target, options)?;
    let mut per_sample_shape = call.shape.clone();
    per_sample_shape.remove(call.class_dim);
    // The reduction, the division by C, then the class sum's backward (an expansion).
    let per_sample = call
        .reduction
        .backward(grad_output, &per_sample_shape)?
        .map(|&g| g / call.classes);
    let grad = expand_over_dim(&per_sample, call.class_dim, call.shape[call.class_dim])?;
    // The product with the weight, summed back to the unweighted loss's shape.
    let grad = match &call.weight {
        Some(w) => {
            let weighted = grad.data().iter().zip(w.data()).map(|(g, w)| g * w);
            sum_to(
                &Tensor::new(call.shape.clone(), weighted.collect())?,
                call.x.shape(),
            )?
        }
        None => grad,
    };
    // The negation, then each product with its target factor, summed to `input`'s shape.
    let h = grad.map(|&g| -g);
    let branch = |factor: &dyn Fn(f64) -> f64| -> Result<Tensor, LossError> {
        let product = h
            .data()
            .iter()
            .zip(call.y.data())
            .map(|(&h, &y)| h * factor(y))
            .collect();
        sum_to(
            &Tensor::new(call.x.shape().to_vec(), product)?,
            input.shape(),
        )
    };
    let positive = branch(&|y| y)?;
    let negative = branch(&|y| 1.0 - y)?;
    let grad = (0..input.numel())
        .map(|i| {
            let x = input.at(i);
            // logsigmoid(x), plus logsigmoid(-x) through the negation's backward.
            log_sigmoid_backward(x, positive.at(i)) + -log_sigmoid_backward(-x, negative.at(i))
        })
        .collect();
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// ATen's CPU `log_sigmoid_backward` for one element: the gradient `grad` of
/// `logsigmoid(z)` carried back to `z`, from the forward's buffer `b = exp(-|z|)`.
fn log_sigmoid_backward(z: f64, grad: f64) -> f64 {
    let b = exp(-z.abs());
    let (max_deriv, sign) = if z < 0.0 { (1.0, 1.0) } else { (0.0, -1.0) };
    (max_deriv - sign * (b / (1.0 + b))) * grad
}

/// A validated call: the operands broadcast together, the weight broadcast against the loss,
/// the dimension summed over and how to reduce.
struct MultilabelSoftMarginCall<'a> {
    /// `input`, broadcast with `target` (borrowed when no broadcasting is needed).
    x: Cow<'a, Tensor>,
    /// `target`, broadcast with `input`.
    y: Cow<'a, Tensor>,
    /// The weight, broadcast with the loss (to `shape`).
    weight: Option<Cow<'a, Tensor>>,
    /// The shape of the (weighted) elementwise loss.
    shape: Vec<usize>,
    /// `input.dim() - 1`, counted from the front of `shape`.
    class_dim: usize,
    /// `input.size(-1)`.
    classes: f64,
    reduction: Reduction,
}

impl<'a> MultilabelSoftMarginCall<'a> {
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        options: &MultilabelSoftMarginLossOptions<'a>,
    ) -> Result<Self, LossError> {
        // The loss is computed first; only then is the reduction string looked at.
        let unweighted = broadcast_shapes(target.shape(), input.shape())?;
        let y = target.broadcast_to(&unweighted)?;
        let x = input.broadcast_to(&unweighted)?;
        let (shape, weight) = match options.weight {
            Some(weight) => {
                let weighted = broadcast_shapes(&unweighted, weight.shape())?;
                let w = weight.broadcast_to(&weighted)?;
                (weighted, Some(w))
            }
            None => (unweighted, None),
        };
        let Some(class_dim) = input.ndim().checked_sub(1) else {
            return Err(LossError::invalid_shape(
                "dimension specified as -1 but tensor has no dimensions",
            ));
        };
        let classes = input.shape()[class_dim] as f64;
        let reduction = if options.legacy.is_given() {
            Reduction::from_legacy(options.legacy.size_average, options.legacy.reduce)
        } else {
            match options.reduction {
                "none" => Reduction::None,
                "mean" => Reduction::Mean,
                "sum" => Reduction::Sum,
                other => {
                    return Err(LossError::invalid_parameter(format!(
                        "{other} is not valid"
                    )))
                }
            }
        };
        Ok(MultilabelSoftMarginCall {
            x,
            y,
            weight,
            shape,
            class_dim,
            classes,
            reduction,
        })
    }
}

/// The backward of [`sum_over_dim`]: `grad` (the shape without dimension `dim`) repeated `len`
/// times along a new dimension `dim`.
fn expand_over_dim(grad: &Tensor, dim: usize, len: usize) -> Result<Tensor, LossError> {
    let outer: usize = grad.shape()[..dim].iter().product();
    let inner: usize = grad.shape()[dim..].iter().product();
    let mut data = Vec::with_capacity(outer * len * inner);
    for o in 0..outer {
        for _ in 0..len {
            data.extend_from_slice(&grad.data()[o * inner..(o + 1) * inner]);
        }
    }
    let mut shape = grad.shape().to_vec();
    shape.insert(dim, len);
    Tensor::new(shape, data)
}

/// Sums the row-major `values` of shape `shape` over dimension `dim`, which is removed.
fn sum_over_dim(shape: &[usize], values: &[f64], dim: usize) -> (Vec<usize>, Vec<f64>) {
    let outer: usize = shape[..dim].iter().product();
    let len = shape[dim];
    let inner: usize = shape[dim + 1..].iter().product();
    let mut sums = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for i in 0..inner {
            sums.push((0..len).map(|j| values[(o * len + j) * inner + i]).sum());
        }
    }
    let mut reduced = shape.to_vec();
    reduced.remove(dim);
    (reduced, sums)
}
