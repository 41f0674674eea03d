//! `torch.nn.functional.gaussian_nll_loss` — spec/gaussian_nll_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
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
    // PyTorch's order: the sign of var, its size, then the reduction string, then broadcasting.
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
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    let shape = broadcast_shapes(&shape, &var_shape)?;
    let x = input.expand(&shape)?;
    let y = target.expand(&shape)?;
    let v = Tensor::new(var_shape, var.data().to_vec())?.expand(&shape)?;
    let constant = 0.5 * (2.0 * std::f64::consts::PI).ln();
    let mut loss = Vec::with_capacity(x.numel());
    for ((&x, &y), &v) in x.data().iter().zip(y.data()).zip(v.data()) {
        // Clamped without autograd: the gradient passes straight through the clamp.
        let v = clamp_min(v, options.eps);
        let d = x - y;
        let mut l = 0.5 * (v.ln() + d * d / v);
        if options.full {
            l += constant;
        }
        loss.push(l);
    }
    Ok(reduction.apply(Tensor::new(shape, loss)?))
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
