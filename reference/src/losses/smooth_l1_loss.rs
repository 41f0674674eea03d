//! `torch.nn.functional.smooth_l1_loss` — spec/smooth_l1_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{self, formula};
use crate::primitives::sgn;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.smooth_l1_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SmoothL1LossOptions<'a> {
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// Where the quadratic part ends; `0` gives the L1 loss, negative values and NaN are
    /// rejected; default 1.0.
    pub beta: f64,
}

impl Default for SmoothL1LossOptions<'_> {
    fn default() -> Self {
        SmoothL1LossOptions {
            legacy: LegacyReduction::default(),
            reduction: "mean",
            beta: 1.0,
        }
    }
}

/// Smooth L1 loss between `input` and `target`.
///
/// ```text
/// z = |x - y|
/// l = z                                          (beta == 0: exactly l1_loss)
/// l = z < beta ? 0.5·z·z / beta : z - 0.5·beta   (beta > 0)
/// ```
/// `input` and `target` broadcast; `mean` divides by the broadcast element count.
pub fn smooth_l1_loss(
    input: &Tensor,
    target: &Tensor,
    options: &SmoothL1LossOptions,
) -> Result<Tensor, LossError> {
    let (x, y, reduction) = validate(input, target, options)?;
    let beta = options.beta;
    let (x, y, shape) = (x.data(), y.data(), x.shape().to_vec());
    if beta == 0.0 {
        return kernels::elementwise(reduction, shape, x, y, formula!(|x, y| (x - y).abs()));
    }
    let loss = |x: f64, y: f64| {
        let z = (x - y).abs();
        if z < beta {
            0.5 * z * z / beta
        } else {
            z - 0.5 * beta
        }
    };
    kernels::elementwise(reduction, shape, x, y, loss)
}

/// The gradient of [`smooth_l1_loss`] with respect to `input`, given the gradient `grad_output`
/// of its result, as PyTorch's `smooth_l1_loss_backward` kernel computes it:
///
/// ```text
/// d = x - y
/// ∂l/∂x = -norm·g if d <= -beta,  norm·g if d >= beta,  else norm·d·g / beta
/// norm  = 1 / numel for mean, else 1
/// ```
/// So `±1` at the kinks `|d| == beta`. For `beta == 0` it is `l1_loss`'s `g_e·sgn(d)` (0 at
/// `d == 0`). Summed over any dimension along which `input` was broadcast.
pub fn smooth_l1_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &SmoothL1LossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (x, y, reduction) = validate(input, target, options)?;
    let (shape, n, beta) = (x.shape(), x.numel(), options.beta);
    let grad: Vec<f64> = if beta == 0.0 {
        // `l1_loss`: autograd through the reduction and `abs`.
        let upstream = reduction.backward(grad_output, shape)?;
        (0..n)
            .map(|i| upstream.at(i) * sgn(x.at(i) - y.at(i)))
            .collect()
    } else {
        // One kernel: the incoming gradient unscaled, the mean's 1/numel folded into `norm`.
        let (norm, upstream) = match reduction {
            Reduction::Mean => (1.0 / n as f64, Reduction::Sum.backward(grad_output, shape)?),
            reduction => (1.0, reduction.backward(grad_output, shape)?),
        };
        (0..n)
            .map(|i| {
                let (d, g) = (x.at(i) - y.at(i), upstream.at(i));
                if d <= -beta {
                    -norm * g
                } else if d >= beta {
                    norm * g
                } else {
                    norm * d * g / beta
                }
            })
            .collect()
    };
    let grad = sum_to(&Tensor::new(shape.to_vec(), grad)?, input.shape())?;
    Ok(InputGradients::from([("input", grad)]))
}

/// PyTorch's checks, in its order; the broadcast operands and the reduction.
fn validate<'a>(
    input: &'a Tensor,
    target: &'a Tensor,
    options: &SmoothL1LossOptions,
) -> Result<(Cow<'a, Tensor>, Cow<'a, Tensor>, Reduction), LossError> {
    // PyTorch broadcasts the target (warning when the sizes differ) before it looks at
    // `reduction`, and converts `reduction` before the kernel checks `beta`.
    let shape = broadcast_shapes(input.shape(), target.shape())?;
    let reduction = options.legacy.resolve(options.reduction)?;
    let beta = options.beta;
    // `beta == 0` (also -0.0) is routed to `l1_loss` before the kernel's `beta >= 0` check,
    // which a NaN beta fails.
    if beta.is_nan() || beta < 0.0 {
        return Err(LossError::invalid_parameter(
            "smooth_l1_loss does not support negative values for beta.",
        ));
    }
    Ok((
        input.broadcast_to(&shape)?,
        target.broadcast_to(&shape)?,
        reduction,
    ))
}
