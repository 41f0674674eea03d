//! Mutants of `smooth_l1_loss` (spec/smooth_l1_loss.md).

use lossparity_reference::broadcast::{broadcast_shapes, sum_to};
use lossparity_reference::primitives::sgn;
use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_with, Mutant};
use lossparity::__private::Loss;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::SmoothL1Loss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "beta_zero_divides_by_zero",
            "beta = 0 is not routed to l1_loss: both branches are computed and blended as \
             m·0.5·d²/beta + (1 - m)·(|d| - 0.5·beta), so 0·inf gives NaN",
            beta_zero_divides_by_zero,
        ),
        Mutant::forward(
            LOSS,
            "linear_branch_ignores_beta",
            "the linear branch is |d| - 0.5 (the beta = 1 formula) instead of |d| - 0.5·beta",
            linear_branch_ignores_beta,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_not_divided_by_beta",
            "the quadratic branch's gradient is d instead of d / beta",
            gradient_not_divided_by_beta,
        ),
    ]
}

/// The loss with `per_element(d = x - y, beta)` in place of PyTorch's, after the reference has
/// checked the arguments (so the errors are the reference's).
fn pointwise(call: &Call<'_, f64>, per_element: fn(f64, f64) -> f64) -> Result<Tensor, LossError> {
    reference_with(call, |_| {})?;
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    let (x, y) = (input.expand(&shape)?, target.expand(&shape)?);
    let beta = call.f64("beta");
    let loss = (0..x.numel())
        .map(|i| per_element(x.at(i) - y.at(i), beta))
        .collect();
    Ok(Reduction::parse(call.reduction())?.apply(Tensor::new(shape, loss)?))
}

fn beta_zero_divides_by_zero(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    pointwise(call, |d, beta| {
        let z = d.abs();
        let m = if z < beta { 1.0 } else { 0.0 };
        m * (0.5 * z * z / beta) + (1.0 - m) * (z - 0.5 * beta)
    })
}

fn linear_branch_ignores_beta(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    pointwise(call, |d, beta| {
        let z = d.abs();
        if beta == 0.0 {
            z
        } else if z < beta {
            0.5 * z * z / beta
        } else {
            z - 0.5
        }
    })
}

fn gradient_not_divided_by_beta(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    let beta = call.f64("beta");
    pointwise_gradient(call, |d| {
        if beta == 0.0 {
            sgn(d)
        } else if d <= -beta {
            -1.0
        } else if d >= beta {
            1.0
        } else {
            d
        }
    })
}

/// The gradient of `output.sum()` for an elementwise loss of `d = x - y` (times an optional
/// `weight`) whose derivative in `d` is `derivative`, over the broadcast of input, target and
/// weight, summed back to the input's shape; the reference's errors first.
pub(super) fn pointwise_gradient(
    call: &Call<'_, f64>,
    derivative: impl Fn(f64) -> f64,
) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let weight = if call.has_input("weight") {
        call.float("weight")
    } else {
        None
    };
    let mut shape = broadcast_shapes(input.shape(), target.shape())?;
    if let Some(weight) = weight {
        shape = broadcast_shapes(&shape, weight.shape())?;
    }
    let (x, y) = (input.expand(&shape)?, target.expand(&shape)?);
    let w = weight.map(|w| w.expand(&shape)).transpose()?;
    let scale = match Reduction::parse(call.reduction())? {
        Reduction::Mean => 1.0 / x.numel() as f64,
        Reduction::None | Reduction::Sum => 1.0,
    };
    let grad = (0..x.numel())
        .map(|i| {
            let g = derivative(x.at(i) - y.at(i)) * scale;
            match &w {
                Some(w) => g * w.at(i),
                None => g,
            }
        })
        .collect();
    let grad = sum_to(&Tensor::new(shape, grad)?, input.shape())?;
    Ok(Gradients::from([("input".to_owned(), grad)]))
}
