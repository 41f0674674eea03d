//! `torch.nn.functional.gaussian_nll_loss` — spec/gaussian_nll_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels;
use crate::primitives::clamp_min;
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.gaussian_nll_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GaussianNllLossOptions<'a> {
    /// Whether to add the constant `0.5·log(2π)`; default false.
    pub full: bool,
    /// The lower bound `var` is clamped to; default 1e-6.
    pub eps: f64,
    /// `none`, `mean` or `sum` (not `elementwise_mean`); default `mean`.
    pub reduction: &'a str,
}

impl Default for GaussianNllLossOptions<'_> {
    fn default() -> Self {
        GaussianNllLossOptions {
            full: false,
            eps: 1e-6,
            reduction: "mean",
        }
    }
}

/// Negative log likelihood of `target` under Gaussians with means `input` and variances
/// `var`, without the constant unless `full`.
///
/// ```text
/// v = max(var, eps)                                (NaN stays NaN)
/// l = 0.5·(log(v) + (x - y)²/v)
/// l = l + 0.5·log(2π)                              (full = true)
/// ```
/// `var` must have no negative entry (NaN passes) and be `input`'s shape, `input`'s shape
/// without its last dimension (it is then unsqueezed there), or `input`'s number of dimensions
/// with the sizes in which it differs from `input` adding up to exactly 1. `input`, `target`
/// and `var` then broadcast. `mean` divides by the element count of the broadcast loss;
/// `elementwise_mean` is rejected.
pub fn gaussian_nll_loss(
    input: &Tensor,
    target: &Tensor,
    var: &Tensor,
    options: &GaussianNllLossOptions,
) -> Result<Tensor, LossError> {
    let call = GaussianCall::new(input, target, var, options)?;
    // `a = (x - y)²` is formed element by element of the broadcast shape (the same values as
    // squaring in the shape of `x - y` and broadcasting the squares).
    let (x, y) = (
        call.x.broadcast_to(&call.shape)?,
        call.y.broadcast_to(&call.shape)?,
    );
    let v = call.v.broadcast_to(&call.shape)?;
    let constant = 0.5 * (2.0 * std::f64::consts::PI).ln();
    let loss = |i: usize| {
        let d = x.at(i) - y.at(i);
        let (a, v) = (d * d, v.at(i));
        let l = 0.5 * (v.ln() + a / v);
        if options.full {
            l + constant
        } else {
            l
        }
    };
    kernels::elementwise_indexed(call.reduction, call.shape.clone(), loss)
}

/// The gradients of [`gaussian_nll_loss`] with respect to `input` and `var`, given the
/// gradient `grad_output` of its result, as autograd computes them through
/// `0.5·(log(v) + d²/v)` with `d = x - y`, `a = d²` and `v = max(var, eps)`:
///
/// ```text
/// h      = 0.5·g_e                                  g_e = g, or g / numel for mean
/// ∂l/∂x  = Σ(Σ(h / v)·(2·d))
/// ∂l/∂var = Σ(h) / v + Σ((-h)·((a / v) / v))
/// ```
/// Each `Σ` sums over the dimensions along which its operand was broadcast (autograd reduces
/// each branch to its operand's shape separately); `var`'s gradient is then reshaped back from
/// the unsqueezed shape. The clamp runs without autograd on a clone, so the gradient is the
/// derivative at the clamped `v`, passed straight through to `var` (not 0 where it clamps).
pub fn gaussian_nll_loss_backward(
    input: &Tensor,
    target: &Tensor,
    var: &Tensor,
    options: &GaussianNllLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = GaussianCall::new(input, target, var, options)?;
    let shape = &call.shape;
    let v = call.v.broadcast_to(shape)?;
    // The product `0.5·(…)`, then the sum of `log(v)` and `a / v`.
    let half = call
        .reduction
        .backward(grad_output, shape)?
        .map(|&g| g * 0.5);
    // `a / v` with respect to `a = d²` (of the shape of `x - y`), then `d²` and `x - y`.
    let quotient: Vec<f64> = half
        .data()
        .iter()
        .zip(v.data())
        .map(|(h, v)| h / v)
        .collect();
    let quotient = sum_to(&Tensor::new(shape.clone(), quotient)?, call.x.shape())?;
    let grad_input: Vec<f64> = quotient
        .data()
        .iter()
        .zip(call.x.data().iter().zip(call.y.data()))
        .map(|(q, (x, y))| q * (2.0 * (x - y)))
        .collect();
    let grad_input = sum_to(
        &Tensor::new(call.x.shape().to_vec(), grad_input)?,
        input.shape(),
    )?;
    // `log(v)` with respect to `v`, plus `a / v` with respect to `v`.
    let log_branch = sum_to(&half, call.v.shape())?;
    let a = call.squared_difference()?;
    let a = a.broadcast_to(shape)?;
    let quotient_branch: Vec<f64> = half
        .data()
        .iter()
        .zip(a.data())
        .zip(v.data())
        .map(|((h, a), v)| -h * (a / v / v))
        .collect();
    let quotient_branch = sum_to(
        &Tensor::new(shape.clone(), quotient_branch)?,
        call.v.shape(),
    )?;
    let grad_var: Vec<f64> = log_branch
        .data()
        .iter()
        .zip(call.v.data())
        .zip(quotient_branch.data())
        .map(|((l, v), q)| l / v + q)
        .collect();
    // Undo the unsqueeze: the data are var's, in var's own shape.
    let grad_var = Tensor::new(var.shape().to_vec(), grad_var)?;
    Ok(InputGradients::from([
        ("input", grad_input),
        ("var", grad_var),
    ]))
}

/// A validated call: `input` and `target` broadcast together, the clamped variance in the
/// shape it takes part with, the shape of the loss and how to reduce.
struct GaussianCall<'a> {
    /// `input`, broadcast with `target`.
    x: Cow<'a, Tensor>,
    /// `target`, broadcast with `input`.
    y: Cow<'a, Tensor>,
    /// `max(var, eps)`, unsqueezed if `var` is one dimension short (not broadcast).
    v: Tensor,
    /// The shape of the unreduced loss.
    shape: Vec<usize>,
    reduction: Reduction,
}

impl<'a> GaussianCall<'a> {
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        var: &'a Tensor,
        options: &GaussianNllLossOptions,
    ) -> Result<Self, LossError> {
        // PyTorch's order: the sign of var, its size, then the reduction string, then
        // broadcasting.
        if var.data().iter().any(|&v| v < 0.0) {
            return Err(LossError::invalid_value("var has negative entry/entries"));
        }
        let var_shape = var_shape(input.shape(), var.shape())?;
        let reduction = match options.reduction {
            "none" => Reduction::None,
            "mean" => Reduction::Mean,
            "sum" => Reduction::Sum,
            other => {
                return Err(LossError::invalid_parameter(format!(
                    "{other} is not valid"
                )));
            }
        };
        let pair = broadcast_shapes(input.shape(), target.shape())?;
        let shape = broadcast_shapes(&pair, &var_shape)?;
        // Clamped without autograd: the gradient passes straight through the clamp.
        let v = var
            .data()
            .iter()
            .map(|&v| clamp_min(v, options.eps))
            .collect();
        Ok(GaussianCall {
            x: input.broadcast_to(&pair)?,
            y: target.broadcast_to(&pair)?,
            v: Tensor::new(var_shape, v)?,
            shape,
            reduction,
        })
    }

    /// `(x - y)²`, in the shape of `x - y`.
    fn squared_difference(&self) -> Result<Tensor, LossError> {
        let a = self
            .x
            .data()
            .iter()
            .zip(self.y.data())
            .map(|(x, y)| {
                let d = x - y;
                d * d
            })
            .collect();
        Tensor::new(self.x.shape().to_vec(), a)
    }
}

/// The shape `var` takes part in the loss with, or `invalid_shape` ("var is of incorrect
/// size"), by `F.gaussian_nll_loss`'s rules.
fn var_shape(input: &[usize], var: &[usize]) -> Result<Vec<usize>, LossError> {
    if var == input {
        return Ok(var.to_vec());
    }
    // One dimension short of input: homoscedastic over the last dimension. Note that for a
    // square input a var of shape (n,) is thus one variance per *row*, not per column.
    if !input.is_empty() && var == &input[..input.len() - 1] {
        let mut shape = var.to_vec();
        shape.push(1);
        return Ok(shape);
    }
    // Same rank, and var's sizes where it differs from input add up to 1: one mismatched
    // dimension where var has size 1, plus any where var has size 0.
    if input.len() == var.len() {
        let mismatched: usize = input
            .iter()
            .zip(var)
            .filter(|(i, v)| i != v)
            .fold(0usize, |sum, (_, &v)| sum.saturating_add(v));
        if mismatched == 1 {
            return Ok(var.to_vec());
        }
    }
    Err(LossError::invalid_shape(format!(
        "var is of incorrect size: {var:?} for input of size {input:?}"
    )))
}
