//! `torch.nn.functional.binary_cross_entropy_with_logits` —
//! spec/binary_cross_entropy_with_logits.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::primitives::log_sigmoid;
use crate::reduction::{ElementLoss, LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.binary_cross_entropy_with_logits`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinaryCrossEntropyWithLogitsOptions<'a> {
    /// Per-element weights, broadcast against the input; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// Weights of the positive term, broadcast against the input; default none.
    pub pos_weight: Option<&'a Tensor>,
}

impl Default for BinaryCrossEntropyWithLogitsOptions<'_> {
    fn default() -> Self {
        BinaryCrossEntropyWithLogitsOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
            pos_weight: None,
        }
    }
}

/// Binary cross entropy of `sigmoid(input)` against `target`, computed from the logits.
///
/// ```text
/// l = w·((1 - y)·x - ((pw - 1)·y + 1)·logsigmoid(x))
/// ```
/// which is `-w·(pw·y·logσ(x) + (1 - y)·logσ(-x))`. `target` must have `input`'s shape
/// (any values, no range check); `pos_weight` and `weight` broadcast against it but may not
/// enlarge it. `mean` divides by the element count.
pub fn binary_cross_entropy_with_logits(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyWithLogitsOptions,
) -> Result<Tensor, LossError> {
    let (reduction, weight, pos_weight) = validate(input, target, options)?;
    if weight.is_none() && pos_weight.is_none() {
        // The same formula over the two slices, which vectorises (`apply_zip`).
        let (x, y) = (input.data(), target.data());
        return reduction.apply_zip(input.shape().to_vec(), x, y, UnweightedElement);
    }
    // The loss of element i (summed as computed when reducing: no full-size buffer).
    let loss = |i: usize| {
        let (x, y) = (input.at(i), target.at(i));
        let log_sigmoid_x = match &pos_weight {
            Some(pw) => log_sigmoid(x) * ((pw.at(i) - 1.0) * y + 1.0),
            None => log_sigmoid(x),
        };
        // PyTorch's form: for x < 0 and y = 0 the subtraction cancels (x=-30 loses ~1% of
        // the 9.4e-14 result, x <= -33.3 gives 0); this mirrors it rather than repairing it.
        let l = (1.0 - y) * x - log_sigmoid_x;
        match &weight {
            Some(w) => l * w.at(i),
            None => l,
        }
    };
    reduction.apply_with(input.shape().to_vec(), loss)
}

/// The loss of one element without `weight` and `pos_weight`, `(1 - y)·x - logsigmoid(x)`
/// (an [`ElementLoss`], so that it is inlined into the vectorised loop).
struct UnweightedElement;

impl ElementLoss for UnweightedElement {
    #[inline(always)]
    fn of(&self, x: f64, y: f64) -> f64 {
        (1.0 - y) * x - log_sigmoid(x)
    }
}

/// The gradient of [`binary_cross_entropy_with_logits`] with respect to `input`:
///
/// ```text
/// ∂l/∂x = w·((pw·y + 1 - y)·σ(x) - pw·y)        (w·(σ(x) - y) without pos_weight)
/// ```
pub fn binary_cross_entropy_with_logits_backward(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyWithLogitsOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let (reduction, weight, pos_weight) = validate(input, target, options)?;
    let unscaled = match reduction {
        Reduction::Mean => Reduction::Sum,
        other => other,
    };
    let upstream = unscaled.backward(grad_output, input.shape())?;
    let mut grad = Vec::with_capacity(input.numel());
    for i in 0..input.numel() {
        let (x, y) = (input.at(i), target.at(i));
        let sigmoid = 1.0 / (1.0 + (-x).exp());
        let mut d = match &pos_weight {
            Some(pw) => {
                let pw_y = pw.at(i) * y;
                (pw_y + 1.0 - y) * sigmoid - pw_y
            }
            None => sigmoid - y,
        };
        d *= upstream.at(i);
        if let Some(w) = &weight {
            d *= w.at(i);
        }
        if reduction == Reduction::Mean {
            d /= input.numel() as f64;
        }
        grad.push(d);
    }
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// PyTorch's checks; the reduction, and `weight` and `pos_weight` expanded to the input.
fn validate(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyWithLogitsOptions,
) -> Result<(Reduction, Option<Tensor>, Option<Tensor>), LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    if input.shape() != target.shape() {
        return Err(LossError::invalid_shape(format!(
            "target size ({:?}) must be the same as input size ({:?})",
            target.shape(),
            input.shape()
        )));
    }
    let pos_weight = options
        .pos_weight
        .map(|pw| expand_in_place(pw, input))
        .transpose()?;
    let weight = options
        .weight
        .map(|w| expand_in_place(w, input))
        .transpose()?;
    Ok((reduction, weight, pos_weight))
}

/// `weight` broadcast to `input`'s shape; PyTorch multiplies in place, so a weight that would
/// enlarge the result is an error.
fn expand_in_place(weight: &Tensor, input: &Tensor) -> Result<Tensor, LossError> {
    let shape = broadcast_shapes(input.shape(), weight.shape())?;
    if shape != input.shape() {
        return Err(LossError::invalid_shape(format!(
            "output with shape {:?} doesn't match the broadcast shape {shape:?}",
            input.shape()
        )));
    }
    weight.expand(&shape)
}
