//! The `reduction` argument, the legacy `size_average`/`reduce` arguments, and the generic
//! reductions (`torch.nn._reduction` and ATen's `apply_loss_reduction`). See `spec/reductions.md`.

use crate::error::LossError;
use crate::kernels::pairwise_sum;
use crate::tensor::Tensor;

/// How a loss reduces its per-element values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduction {
    /// Return the per-element loss.
    None,
    /// Divide the sum by a loss-specific count (the element count for most losses).
    Mean,
    /// Return the sum.
    Sum,
}

impl Reduction {
    /// `torch.nn._reduction.get_enum`: `none`, `mean`, `sum`, and the deprecated alias
    /// `elementwise_mean` for `mean`; anything else is `invalid_parameter`.
    pub fn parse(reduction: &str) -> Result<Self, LossError> {
        match reduction {
            "none" => Ok(Reduction::None),
            "mean" | "elementwise_mean" => Ok(Reduction::Mean),
            "sum" => Ok(Reduction::Sum),
            other => Err(LossError::invalid_parameter(format!(
                "{other} is not a valid value for reduction"
            ))),
        }
    }

    /// The Python-side check of the `weight=` paths of `F.l1_loss`, `F.mse_loss` and
    /// `F.huber_loss`: exactly `none`, `mean` or `sum`; anything else, the deprecated
    /// `elementwise_mean` included, is `invalid_parameter`.
    pub fn parse_strict(reduction: &str) -> Result<Self, LossError> {
        match reduction {
            "none" => Ok(Reduction::None),
            "mean" => Ok(Reduction::Mean),
            "sum" => Ok(Reduction::Sum),
            other => Err(LossError::invalid_parameter(format!(
                "Invalid reduction mode: {other}. Expected one of 'none', 'mean', 'sum'."
            ))),
        }
    }

    /// `torch.nn._reduction.legacy_get_string`: a missing argument counts as `true`;
    /// `reduce=false` gives `none` whatever `size_average` is, otherwise `size_average`
    /// chooses between `mean` and `sum`.
    pub fn from_legacy(size_average: Option<bool>, reduce: Option<bool>) -> Self {
        let size_average = size_average.unwrap_or(true);
        let reduce = reduce.unwrap_or(true);
        match (size_average, reduce) {
            (_, false) => Reduction::None,
            (true, true) => Reduction::Mean,
            (false, true) => Reduction::Sum,
        }
    }

    /// `apply_loss_reduction`: `none` returns `loss`; `sum` its sum; `mean` its sum divided by
    /// its element count (so an empty loss gives `0` for `sum` and NaN for `mean`).
    pub fn apply(self, loss: Tensor) -> Tensor {
        match self {
            Reduction::None => loss,
            Reduction::Sum => Tensor::scalar(sum(&loss)),
            Reduction::Mean => Tensor::scalar(sum(&loss) / loss.numel() as f64),
        }
    }

    /// The backward of [`Reduction::apply`]: the gradient flowing into each element of the
    /// unreduced loss of shape `shape`, given the gradient `grad_output` of the reduced result.
    /// `none` passes `grad_output` through (it must have `shape`); `sum` broadcasts it; `mean`
    /// broadcasts it divided by the element count.
    pub fn backward(self, grad_output: &Tensor, shape: &[usize]) -> Result<Tensor, LossError> {
        let numel = crate::tensor::numel_of(shape)
            .ok_or_else(|| LossError::invalid_shape(format!("shape {shape:?} is too large")))?;
        let fill = |value: f64| Tensor::new(shape.to_vec(), vec![value; numel]);
        match self {
            Reduction::None if grad_output.shape() == shape => Ok(grad_output.clone()),
            Reduction::None => Err(LossError::invalid_shape(format!(
                "grad_output has shape {:?}, the unreduced loss {shape:?}",
                grad_output.shape()
            ))),
            _ if grad_output.numel() != 1 => Err(LossError::invalid_shape(format!(
                "grad_output of a reduced loss must have one element, not shape {:?}",
                grad_output.shape()
            ))),
            Reduction::Sum => fill(grad_output.at(0)),
            Reduction::Mean => fill(grad_output.at(0) / numel as f64),
        }
    }
}

/// The deprecated `size_average` and `reduce` arguments of most losses; `None` is "not given".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LegacyReduction {
    /// `size_average`: `mean` (true) or `sum` (false) when reducing.
    pub size_average: Option<bool>,
    /// `reduce`: whether to reduce at all.
    pub reduce: Option<bool>,
}

impl LegacyReduction {
    /// Whether either legacy argument is given.
    pub fn is_given(self) -> bool {
        self.size_average.is_some() || self.reduce.is_some()
    }

    /// The reduction a loss uses, as every `torch.nn.functional` loss that still takes the
    /// legacy arguments resolves them: if either is given, `reduction` is ignored completely,
    /// even when it is not a valid string; otherwise `reduction` is parsed.
    pub fn resolve(self, reduction: &str) -> Result<Reduction, LossError> {
        if self.is_given() {
            Ok(Reduction::from_legacy(self.size_average, self.reduce))
        } else {
            Reduction::parse(reduction)
        }
    }
}

/// The sum of all elements, by pairwise summation (NumPy's `pairwise_sum`: blocks of 128 values
/// in eight interleaved partial sums, halves above that), the order in which every `sum` and
/// `mean` of the reference adds. It differs from a left-to-right sum in the last bits, as
/// PyTorch's own cascaded sum does.
pub fn sum(tensor: &Tensor) -> f64 {
    pairwise_sum(tensor.data())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_table_matches_torch() {
        // The table of `_Reduction.legacy_get_string` (spec/reductions.md).
        let (mean, sum, none) = (Reduction::Mean, Reduction::Sum, Reduction::None);
        let table = [
            (None, None, mean),
            (None, Some(true), mean),
            (None, Some(false), none),
            (Some(true), None, mean),
            (Some(true), Some(true), mean),
            (Some(true), Some(false), none),
            (Some(false), None, sum),
            (Some(false), Some(true), sum),
            (Some(false), Some(false), none),
        ];
        for (size_average, reduce, expected) in table {
            assert_eq!(Reduction::from_legacy(size_average, reduce), expected);
        }
    }

    #[test]
    fn legacy_arguments_override_even_an_invalid_reduction() {
        let legacy = |size_average, reduce| LegacyReduction {
            size_average,
            reduce,
        };
        assert_eq!(
            legacy(None, Some(true)).resolve("bogus"),
            Ok(Reduction::Mean)
        );
        assert_eq!(
            legacy(Some(false), None).resolve("none"),
            Ok(Reduction::Sum)
        );
        assert!(legacy(None, None).resolve("bogus").is_err());
        assert!(legacy(None, None).resolve("batchmean").is_err());
    }

    /// A `grad_output` of the wrong shape is an error, not a silently broadcast gradient (the
    /// harness always passes the output's shape, so only this test reaches these checks).
    #[test]
    fn backward_refuses_a_grad_output_of_the_wrong_shape() {
        let ones = |shape: &[usize]| Tensor::new(shape.to_vec(), vec![1.0; shape.iter().product()]);
        let unreduced = [2, 3];
        assert!(Reduction::None
            .backward(&ones(&[2, 3]).unwrap(), &unreduced)
            .is_ok());
        let wrong = Reduction::None.backward(&ones(&[3, 2]).unwrap(), &unreduced);
        assert_eq!(wrong.unwrap_err().kind, crate::ErrorKind::InvalidShape);
        for reduction in [Reduction::Mean, Reduction::Sum] {
            assert!(reduction.backward(&Tensor::scalar(1.0), &unreduced).is_ok());
            let wrong = reduction.backward(&ones(&[2]).unwrap(), &unreduced);
            assert_eq!(wrong.unwrap_err().kind, crate::ErrorKind::InvalidShape);
        }
    }

    #[test]
    fn mean_of_empty_is_nan_and_sum_is_zero() {
        let empty = Tensor::new(vec![0, 3], vec![]).unwrap();
        assert!(Reduction::Mean.apply(empty.clone()).at(0).is_nan());
        assert_eq!(Reduction::Sum.apply(empty).at(0), 0.0);
    }
}
