//! `torch.nn.functional.binary_cross_entropy` — spec/binary_cross_entropy.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::reduction::LegacyReduction;
use crate::tensor::Tensor;

/// The keyword arguments of `F.binary_cross_entropy`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinaryCrossEntropyOptions<'a> {
    /// Per-element weights, broadcast against the trailing dimensions; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for BinaryCrossEntropyOptions<'_> {
    fn default() -> Self {
        BinaryCrossEntropyOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// PyTorch clamps each log term at -100, so an input of exactly 0 or 1 gives a finite loss.
const LOG_CLAMP: f64 = -100.0;

/// Binary cross entropy between probabilities `input` and `target`, optionally weighted.
///
/// ```text
/// l = w·((y - 1)·max(log1p(-x), -100) - y·max(log(x), -100))
/// ```
/// `target` must have `input`'s shape; `weight` broadcasts against it from the trailing
/// dimension but may not enlarge it. Input and target must lie in `[0, 1]` (NaN does not).
/// `mean` divides by the element count, not by the weight sum.
pub fn binary_cross_entropy(
    input: &Tensor,
    target: &Tensor,
    options: &BinaryCrossEntropyOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let weight = options.weight;
    if input.shape() != target.shape() {
        return Err(LossError::invalid_shape(format!(
            "using a target size ({:?}) that is different to the input size ({:?}) is deprecated",
            target.shape(),
            input.shape()
        )));
    }
    let weight = match weight {
        Some(weight) => {
            let shape = broadcast_shapes(target.shape(), weight.shape())?;
            if shape != input.shape() {
                return Err(LossError::invalid_shape(format!(
                    "output with shape {:?} doesn't match the broadcast shape {shape:?}",
                    input.shape()
                )));
            }
            Some(weight.expand(&shape)?)
        }
        None => None,
    };
    let in_unit_interval = |v: &f64| (0.0..=1.0).contains(v);
    if !input.data().iter().all(in_unit_interval) {
        return Err(LossError::invalid_value(
            "all elements of input should be between 0 and 1",
        ));
    }
    if !target.data().iter().all(in_unit_interval) {
        return Err(LossError::invalid_value(
            "all elements of target should be between 0 and 1",
        ));
    }
    let mut loss = Vec::with_capacity(input.numel());
    for i in 0..input.numel() {
        let (x, y) = (input.at(i), target.at(i));
        let log_x = x.ln().max(LOG_CLAMP);
        let log_one_minus_x = (-x).ln_1p().max(LOG_CLAMP);
        let l = (y - 1.0) * log_one_minus_x - y * log_x;
        loss.push(match &weight {
            Some(w) => l * w.at(i),
            None => l,
        });
    }
    Ok(reduction.apply(Tensor::new(input.shape().to_vec(), loss)?))
}
