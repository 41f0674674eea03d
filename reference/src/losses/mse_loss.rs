//! `torch.nn.functional.mse_loss` — spec/mse_loss.md.

use std::borrow::Cow;

use crate::broadcast::sum_to;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::pointwise::{
    reduce_weighted_backward, reduce_weighted_with, weighted_reduction, Pointwise,
};
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.mse_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MseLossOptions<'a> {
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean` (the last not with `weight`); default `mean`.
    pub reduction: &'a str,
    /// Per-element weights of exactly `input`'s shape (functional form only); default none.
    pub weight: Option<&'a Tensor>,
}

impl Default for MseLossOptions<'_> {
    fn default() -> Self {
        MseLossOptions {
            legacy: LegacyReduction::default(),
            reduction: "mean",
            weight: None,
        }
    }
}

/// Mean squared error between `input` and `target`, optionally weighted.
///
/// ```text
/// d = x - y
/// l = d·d                      (no weight)
/// l = (d·d)·w                  (weight of input's shape, broadcast with the loss)
/// ```
/// `input` and `target` broadcast; `mean` divides by the broadcast element count, or, with a
/// weight, by `Σ w` over the weight itself. With a weight only `none`, `mean` and `sum` are
/// accepted (`elementwise_mean` is rejected).
pub fn mse_loss(
    input: &Tensor,
    target: &Tensor,
    options: &MseLossOptions,
) -> Result<Tensor, LossError> {
    let call = MseCall::new(input, target, options)?;
    let (x, y, weight) = (&*call.x, &*call.y, call.weight.as_deref());
    // The loss of element i (summed as computed when reducing: no full-size buffer).
    let loss = |i: usize| {
        let d = x.at(i) - y.at(i);
        let l = d * d;
        match weight {
            Some(w) => l * w.at(i),
            None => l,
        }
    };
    reduce_weighted_with(x.shape().to_vec(), call.reduction, options.weight, loss)
}

/// The gradient of [`mse_loss`] with respect to `input`, given the gradient `grad_output` of its
/// result:
///
/// ```text
/// ∂l/∂x = (norm·(x - y))·g       norm = 2 / numel for mean, else 2   (PyTorch's kernel)
/// ∂l/∂x = (g_e·w)·(2·(x - y))    g_e = g, or g / Σ w for mean        (weighted, autograd)
/// ```
/// summed over any dimension along which `input` was broadcast.
pub fn mse_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &MseLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = MseCall::new(input, target, options)?;
    let shape = call.x.shape();
    let n = call.x.numel();
    let mut grad = Vec::with_capacity(n);
    match (options.weight, &call.weight) {
        (Some(weight), Some(w)) => {
            // Autograd through pow(d, 2), the product with the weight and the reduction.
            let upstream =
                reduce_weighted_backward(grad_output, shape, call.reduction, Some(weight))?;
            for i in 0..n {
                let d = call.x.at(i) - call.y.at(i);
                grad.push(upstream.at(i) * w.at(i) * (2.0 * d));
            }
        }
        _ => {
            // `mse_loss_backward` takes the incoming gradient unscaled and folds the mean's
            // 1/numel into `norm`.
            let norm = match call.reduction {
                Reduction::Mean => 2.0 / n as f64,
                _ => 2.0,
            };
            let unscaled = match call.reduction {
                Reduction::Mean => Reduction::Sum,
                other => other,
            };
            let upstream = unscaled.backward(grad_output, shape)?;
            for i in 0..n {
                let d = call.x.at(i) - call.y.at(i);
                grad.push(norm * d * upstream.at(i));
            }
        }
    }
    let grad = sum_to(&Tensor::new(shape.to_vec(), grad)?, input.shape())?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call: the broadcast operands, the broadcast weight and how to reduce.
struct MseCall<'a> {
    x: Cow<'a, Tensor>,
    y: Cow<'a, Tensor>,
    weight: Option<Cow<'a, Tensor>>,
    reduction: Reduction,
}

impl<'a> MseCall<'a> {
    /// PyTorch's checks, in its order.
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        options: &MseLossOptions<'a>,
    ) -> Result<Self, LossError> {
        let Pointwise { x, y, weight } = Pointwise::new(input, target, options.weight)?;
        let reduction = weighted_reduction(weight.is_some(), options.legacy, options.reduction)?;
        Ok(MseCall {
            x,
            y,
            weight,
            reduction,
        })
    }
}
