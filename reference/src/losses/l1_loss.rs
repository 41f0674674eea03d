//! `torch.nn.functional.l1_loss` — spec/l1_loss.md.

use std::borrow::Cow;

use crate::broadcast::sum_to;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::pointwise::{
    reduce_weighted_backward, reduce_weighted_with, weighted_reduction, Pointwise,
};
use crate::primitives::sgn;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.l1_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct L1LossOptions<'a> {
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean` (the last not with `weight`); default `mean`.
    pub reduction: &'a str,
    /// Per-element weights of exactly `input`'s shape (functional form only); default none.
    pub weight: Option<&'a Tensor>,
}

impl Default for L1LossOptions<'_> {
    fn default() -> Self {
        L1LossOptions {
            legacy: LegacyReduction::default(),
            reduction: "mean",
            weight: None,
        }
    }
}

/// Mean absolute error between `input` and `target`, optionally weighted.
///
/// ```text
/// l = |x - y|                  (no weight)
/// l = |x - y|·w                (weight of input's shape, broadcast with the loss)
/// ```
/// `input` and `target` broadcast; `mean` divides by the broadcast element count, or, with a
/// weight, by `Σ w` over the weight itself. With a weight only `none`, `mean` and `sum` are
/// accepted (`elementwise_mean` is rejected).
pub fn l1_loss(
    input: &Tensor,
    target: &Tensor,
    options: &L1LossOptions,
) -> Result<Tensor, LossError> {
    let call = L1Call::new(input, target, options)?;
    let (x, y, weight) = (&*call.x, &*call.y, call.weight.as_deref());
    // The loss of element i (summed as computed when reducing: no full-size buffer).
    let loss = |i: usize| {
        let l = (x.at(i) - y.at(i)).abs();
        match weight {
            Some(w) => l * w.at(i),
            None => l,
        }
    };
    reduce_weighted_with(x.shape().to_vec(), call.reduction, options.weight, loss)
}

/// The gradient of [`l1_loss`] with respect to `input`, given the gradient `grad_output` of its
/// result, as autograd computes it through `abs` (`grad·sgn(x - y)`):
///
/// ```text
/// ∂l/∂x = g_e·sgn(x - y)              g_e = g, or g / numel for mean
/// ∂l/∂x = (g_e·w)·sgn(x - y)          g_e = g, or g / Σ w for mean (weighted)
/// ```
/// `sgn(0) = 0`, so the gradient is 0 where `x == y`; summed over any dimension along which
/// `input` was broadcast.
pub fn l1_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &L1LossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = L1Call::new(input, target, options)?;
    let shape = call.x.shape();
    let upstream = reduce_weighted_backward(grad_output, shape, call.reduction, options.weight)?;
    let mut grad = Vec::with_capacity(call.x.numel());
    for i in 0..call.x.numel() {
        let g = match &call.weight {
            Some(w) => upstream.at(i) * w.at(i),
            None => upstream.at(i),
        };
        grad.push(g * sgn(call.x.at(i) - call.y.at(i)));
    }
    let grad = sum_to(&Tensor::new(shape.to_vec(), grad)?, input.shape())?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call: the broadcast operands, the broadcast weight and how to reduce.
struct L1Call<'a> {
    x: Cow<'a, Tensor>,
    y: Cow<'a, Tensor>,
    weight: Option<Cow<'a, Tensor>>,
    reduction: Reduction,
}

impl<'a> L1Call<'a> {
    /// PyTorch's checks, in its order.
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        options: &L1LossOptions<'a>,
    ) -> Result<Self, LossError> {
        let Pointwise { x, y, weight } = Pointwise::new(input, target, options.weight)?;
        let reduction = weighted_reduction(weight.is_some(), options.legacy, options.reduction)?;
        Ok(L1Call {
            x,
            y,
            weight,
            reduction,
        })
    }
}
