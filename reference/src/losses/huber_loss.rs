//! `torch.nn.functional.huber_loss` — spec/huber_loss.md.

use std::borrow::Cow;

use crate::broadcast::sum_to;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels;
use crate::pointwise::Pointwise;
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.huber_loss`, with PyTorch's defaults. There are no legacy
/// `size_average` / `reduce` arguments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HuberLossOptions<'a> {
    /// `none`, `mean`, `sum` or `elementwise_mean` (the last not with `weight`); default `mean`.
    pub reduction: &'a str,
    /// Where the quadratic part ends; must be `> 0` (NaN is rejected); default 1.0.
    pub delta: f64,
    /// Per-element weights of exactly `input`'s shape (functional form only); default none.
    pub weight: Option<&'a Tensor>,
}

impl Default for HuberLossOptions<'_> {
    fn default() -> Self {
        HuberLossOptions {
            reduction: "mean",
            delta: 1.0,
            weight: None,
        }
    }
}

/// Huber loss between `input` and `target`, optionally weighted.
///
/// ```text
/// z = |x - y|
/// l = z < delta ? 0.5·z·z : delta·(z - 0.5·delta)
/// l = l·w                      (weight of input's shape, broadcast with the loss)
/// ```
/// `input` and `target` broadcast. `mean` divides by the broadcast element count, with or
/// without a weight (unlike `l1_loss` and `mse_loss`, never by `Σ w`). With a weight only
/// `none`, `mean` and `sum` are accepted.
pub fn huber_loss(
    input: &Tensor,
    target: &Tensor,
    options: &HuberLossOptions,
) -> Result<Tensor, LossError> {
    let call = HuberCall::new(input, target, options)?;
    let delta = options.delta;
    let (x, y, weight) = (&*call.x, &*call.y, call.weight.as_deref());
    let shape = x.shape().to_vec();
    let unweighted = |x: f64, y: f64| {
        let z = (x - y).abs();
        if z < delta {
            0.5 * z * z
        } else {
            delta * (z - 0.5 * delta)
        }
    };
    match weight {
        Some(w) => kernels::elementwise_indexed(call.reduction, shape, |i| {
            unweighted(x.at(i), y.at(i)) * w.at(i)
        }),
        None => kernels::elementwise(call.reduction, shape, x.data(), y.data(), unweighted),
    }
}

/// The gradient of [`huber_loss`] with respect to `input`, given the gradient `grad_output` of
/// its result, as PyTorch's `huber_loss_backward` kernel computes it:
///
/// ```text
/// d = x - y
/// ∂l/∂x = -norm·g·delta if d <= -delta,  norm·g·delta if d >= delta,  else norm·d·g
/// norm  = 1 / numel for mean, else 1
/// ```
/// So `±delta` at the kinks `|d| == delta`. With a weight the kernel runs unreduced (`norm = 1`)
/// on the incoming gradient `g_e·w` (`g_e = g / numel` for mean). Summed over any dimension
/// along which `input` was broadcast.
pub fn huber_loss_backward(
    input: &Tensor,
    target: &Tensor,
    options: &HuberLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = HuberCall::new(input, target, options)?;
    let shape = call.x.shape();
    let n = call.x.numel();
    let (norm, upstream) = match &call.weight {
        // Autograd: the reduction's backward, then the product with the weight, then the
        // kernel with reduction 'none'.
        Some(w) => {
            let upstream = call.reduction.backward(grad_output, shape)?;
            let weighted = (0..n).map(|i| upstream.at(i) * w.at(i)).collect();
            (1.0, Tensor::new(shape.to_vec(), weighted)?)
        }
        // One kernel: the incoming gradient unscaled, the mean's 1/numel folded into `norm`.
        None => match call.reduction {
            Reduction::Mean => (1.0 / n as f64, Reduction::Sum.backward(grad_output, shape)?),
            reduction => (1.0, reduction.backward(grad_output, shape)?),
        },
    };
    let delta = options.delta;
    let grad = (0..n)
        .map(|i| {
            let (d, g) = (call.x.at(i) - call.y.at(i), upstream.at(i));
            if d <= -delta {
                -norm * g * delta
            } else if d >= delta {
                norm * g * delta
            } else {
                norm * d * g
            }
        })
        .collect();
    let grad = sum_to(&Tensor::new(shape.to_vec(), grad)?, input.shape())?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A validated call: the broadcast operands, the broadcast weight and how to reduce.
struct HuberCall<'a> {
    x: Cow<'a, Tensor>,
    y: Cow<'a, Tensor>,
    weight: Option<Cow<'a, Tensor>>,
    reduction: Reduction,
}

impl<'a> HuberCall<'a> {
    /// PyTorch's checks, in its order.
    fn new(
        input: &'a Tensor,
        target: &'a Tensor,
        options: &HuberLossOptions<'a>,
    ) -> Result<Self, LossError> {
        let Pointwise { x, y, weight } = Pointwise::new(input, target, options.weight)?;
        // Without a weight, Python converts `reduction` before the kernel checks `delta`; with
        // one, the kernel runs first (with reduction 'none') and the string is compared after.
        let reduction = match weight {
            None => Ok(Reduction::parse(options.reduction)?),
            Some(_) => Reduction::parse_strict(options.reduction),
        };
        // PyTorch checks `delta > 0`, which NaN fails too.
        if options.delta.is_nan() || options.delta <= 0.0 {
            return Err(LossError::invalid_parameter(
                "huber_loss does not support non-positive values for delta.",
            ));
        }
        Ok(HuberCall {
            x,
            y,
            weight,
            reduction: reduction?,
        })
    }
}
