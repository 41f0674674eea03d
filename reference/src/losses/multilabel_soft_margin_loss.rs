//! `torch.nn.functional.multilabel_soft_margin_loss` — spec/multilabel_soft_margin_loss.md.

use crate::broadcast::broadcast_shapes;
use crate::error::LossError;
use crate::primitives::log_sigmoid;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.multilabel_soft_margin_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MultilabelSoftMarginLossOptions<'a> {
    /// Elementwise weights, broadcast against the loss before the class sum; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// `none`, `mean` or `sum` (not `elementwise_mean`); default `mean`.
    pub reduction: &'a str,
}

impl Default for MultilabelSoftMarginLossOptions<'_> {
    fn default() -> Self {
        MultilabelSoftMarginLossOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            reduction: "mean",
        }
    }
}

/// Multi-label one-versus-all logistic loss over logits `input`, averaged over its last
/// dimension (the classes).
///
/// ```text
/// e = -(y·logsigmoid(x) + (1 - y)·logsigmoid(-x)) · w        (w only if weight is given)
/// l = (Σ over dimension input.dim() - 1 of e) / input.size(-1)
/// ```
/// `target` and `weight` broadcast freely; the summed dimension is counted from the front of
/// the broadcast loss. `none` returns `l`; `mean` is its mean, `sum` its sum. Labels are not
/// checked. Unlike most losses, `reduction` is validated after the shapes, and
/// `elementwise_mean` is rejected.
pub fn multilabel_soft_margin_loss(
    input: &Tensor,
    target: &Tensor,
    options: &MultilabelSoftMarginLossOptions,
) -> Result<Tensor, LossError> {
    // The loss is computed first; only then is the reduction string looked at.
    let shape = broadcast_shapes(target.shape(), input.shape())?;
    let y = target.expand(&shape)?;
    let x = input.expand(&shape)?;
    let mut loss: Vec<f64> = x
        .data()
        .iter()
        .zip(y.data())
        .map(|(&x, &y)| -(y * log_sigmoid(x) + (1.0 - y) * log_sigmoid(-x)))
        .collect();
    let mut shape = shape;
    if let Some(weight) = options.weight {
        let weighted = broadcast_shapes(&shape, weight.shape())?;
        let e = Tensor::new(shape, loss)?.expand(&weighted)?;
        let w = weight.expand(&weighted)?;
        loss = e.data().iter().zip(w.data()).map(|(e, w)| e * w).collect();
        shape = weighted;
    }
    let Some(class_dim) = input.ndim().checked_sub(1) else {
        return Err(LossError::invalid_shape(
            "dimension specified as -1 but tensor has no dimensions",
        ));
    };
    let classes = input.shape()[class_dim] as f64;
    // `class_dim` indexes the broadcast loss from the front: when target or weight added
    // leading dimensions, this is not the class dimension.
    let (per_sample_shape, sums) = sum_over_dim(&shape, &loss, class_dim);
    let per_sample: Vec<f64> = sums.iter().map(|s| s / classes).collect();
    let per_sample = Tensor::new(per_sample_shape, per_sample)?;
    let reduction = if options.legacy.is_given() {
        Reduction::from_legacy(options.legacy.size_average, options.legacy.reduce)
    } else {
        match options.reduction {
            "none" => Reduction::None,
            "mean" => Reduction::Mean,
            "sum" => Reduction::Sum,
            other => {
                return Err(LossError::invalid_parameter(format!(
                    "{other} is not valid"
                )))
            }
        }
    };
    Ok(reduction.apply(per_sample))
}

/// Sums the row-major `values` of shape `shape` over dimension `dim`, which is removed.
fn sum_over_dim(shape: &[usize], values: &[f64], dim: usize) -> (Vec<usize>, Vec<f64>) {
    let outer: usize = shape[..dim].iter().product();
    let len = shape[dim];
    let inner: usize = shape[dim + 1..].iter().product();
    let mut sums = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for i in 0..inner {
            sums.push((0..len).map(|j| values[(o * len + j) * inner + i]).sum());
        }
    }
    let mut reduced = shape.to_vec();
    reduced.remove(dim);
    (reduced, sums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    // A case file cannot express these: it admits a reduction outside `allowed` only in a case
    // that expects `invalid_parameter`.
    #[test]
    fn shape_errors_win_over_an_invalid_reduction() {
        let options = MultilabelSoftMarginLossOptions {
            reduction: "elementwise_mean",
            ..Default::default()
        };
        let input = Tensor::new(vec![2, 3], vec![0.0; 6]).unwrap();
        let target = Tensor::vector(vec![1.0, 0.0]);
        let error = multilabel_soft_margin_loss(&input, &target, &options).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidShape);
        let scalar = Tensor::scalar(0.5);
        let error = multilabel_soft_margin_loss(&scalar, &scalar, &options).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidShape);
        let error = multilabel_soft_margin_loss(&input, &input, &options).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidParameter);
    }
}
