//! `torch.nn.functional.margin_ranking_loss` — spec/margin_ranking_loss.md.

use std::borrow::Cow;

use crate::broadcast::{broadcast_shapes, sum_to};
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::primitives::clamp_min;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.margin_ranking_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarginRankingLossOptions<'a> {
    /// The margin; default 0.
    pub margin: f64,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for MarginRankingLossOptions<'_> {
    fn default() -> Self {
        MarginRankingLossOptions {
            margin: 0.0,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Ranking loss for pairs `input1`, `input2` ordered by `target` (1: first ranks higher).
///
/// ```text
/// l = max(0, -y·(x1 - x2) + margin)
/// ```
/// All three must have the same number of dimensions, then they broadcast. Any `y` is used as
/// a multiplier (not only ±1).
pub fn margin_ranking_loss(
    input1: &Tensor,
    input2: &Tensor,
    target: &Tensor,
    options: &MarginRankingLossOptions,
) -> Result<Tensor, LossError> {
    let call = MarginRankingCall::new(input1, input2, target, options)?;
    let loss = (0..call.y.numel())
        .map(|i| clamp_min(call.z(i, options.margin), 0.0))
        .collect();
    Ok(call
        .reduction
        .apply(Tensor::new(call.y.shape().to_vec(), loss)?))
}

/// The gradients of [`margin_ranking_loss`] with respect to `input1` and `input2`:
/// `∂l/∂x1 = -y`, `∂l/∂x2 = y` where `z = -y·(x1 - x2) + margin > 0`, else 0 (also at the kink;
/// a zero still times an infinite or NaN `y` gives NaN, as in PyTorch), summed back over any
/// broadcast dimension.
pub fn margin_ranking_loss_backward(
    input1: &Tensor,
    input2: &Tensor,
    target: &Tensor,
    options: &MarginRankingLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let call = MarginRankingCall::new(input1, input2, target, options)?;
    let shape = call.y.shape().to_vec();
    let upstream = call.reduction.backward(grad_output, &shape)?;
    let mut grad1 = Vec::with_capacity(call.y.numel());
    let mut grad2 = Vec::with_capacity(call.y.numel());
    for i in 0..call.y.numel() {
        // clamp_min's backward passes the gradient only where z > 0.
        let g = if call.z(i, options.margin) > 0.0 {
            upstream.at(i)
        } else {
            0.0
        };
        let d = g * -call.y.at(i);
        grad1.push(d);
        grad2.push(-d);
    }
    Ok(InputGradients::from([
        (
            "input1",
            sum_to(&Tensor::new(shape.clone(), grad1)?, input1.shape())?,
        ),
        (
            "input2",
            sum_to(&Tensor::new(shape, grad2)?, input2.shape())?,
        ),
    ]))
}

/// A validated call: the three operands broadcast together, and the reduction.
struct MarginRankingCall<'a> {
    x1: Cow<'a, Tensor>,
    x2: Cow<'a, Tensor>,
    y: Cow<'a, Tensor>,
    reduction: Reduction,
}

impl<'a> MarginRankingCall<'a> {
    fn new(
        input1: &'a Tensor,
        input2: &'a Tensor,
        target: &'a Tensor,
        options: &MarginRankingLossOptions,
    ) -> Result<Self, LossError> {
        let reduction = options.legacy.resolve(options.reduction)?;
        if input1.ndim() != input2.ndim() || input1.ndim() != target.ndim() {
            return Err(LossError::invalid_shape(format!(
                "all input tensors should have same dimension but got sizes: input1: {:?}, \
                 input2: {:?}, target: {:?}",
                input1.shape(),
                input2.shape(),
                target.shape()
            )));
        }
        let shape = broadcast_shapes(
            &broadcast_shapes(input1.shape(), input2.shape())?,
            target.shape(),
        )?;
        Ok(MarginRankingCall {
            x1: input1.broadcast_to(&shape)?,
            x2: input2.broadcast_to(&shape)?,
            y: target.broadcast_to(&shape)?,
            reduction,
        })
    }

    /// The hinge argument `-y·(x1 - x2) + margin` of element `i`.
    fn z(&self, i: usize, margin: f64) -> f64 {
        -self.y.at(i) * (self.x1.at(i) - self.x2.at(i)) + margin
    }
}
