//! The `reduction` argument, the legacy `size_average`/`reduce` arguments, and the generic
//! reductions (`torch.nn._reduction` and ATen's `apply_loss_reduction`). See `spec/reductions.md`.

use crate::error::LossError;
use crate::tensor::Tensor;
use crate::vector_dispatch::{with_widest_vectors, VectorKernel};

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
}

impl Reduction {
    /// [`Reduction::apply`] of the loss of shape `shape` whose element `i` is `loss(i)`:
    /// exactly `self.apply(Tensor::new(shape, (0..numel).map(loss).collect())?)`, but `sum` and
    /// `mean` add the values as they are computed ([`pairwise_sum_of`], the same order and
    /// bits) instead of writing them to a fresh full-size tensor first. Checked against
    /// `apply` in `reference/tests/fast_paths.rs`.
    pub fn apply_with(
        self,
        shape: Vec<usize>,
        loss: impl Fn(usize) -> f64,
    ) -> Result<Tensor, LossError> {
        let numel = crate::tensor::numel_of(&shape)
            .ok_or_else(|| LossError::invalid_shape(format!("shape {shape:?} is too large")))?;
        match self {
            Reduction::None => {
                let values = with_widest_vectors(ValuesOf {
                    n: numel,
                    loss: &loss,
                });
                Tensor::new(shape, values)
            }
            Reduction::Sum => Ok(Tensor::scalar(pairwise_sum_of(numel, loss))),
            Reduction::Mean => Ok(Tensor::scalar(pairwise_sum_of(numel, loss) / numel as f64)),
        }
    }

    /// [`Reduction::apply_with`] for a loss whose element `i` is `loss(x[i], y[i])`, given the
    /// two operands as plain slices of the same length (already broadcast to `shape`): the same
    /// values, the same additions in the same order, so the same bits
    /// (`reference/tests/fast_paths.rs`). Iterating slices instead of indexing through a closure
    /// drops the bounds checks, so the per-element arithmetic vectorises ([`pairwise_sum_zip`]).
    pub fn apply_zip(
        self,
        shape: Vec<usize>,
        x: &[f64],
        y: &[f64],
        loss: impl ElementLoss,
    ) -> Result<Tensor, LossError> {
        assert_eq!(x.len(), y.len(), "apply_zip: operands of different lengths");
        match self {
            Reduction::None => {
                let values = with_widest_vectors(ValuesZip { x, y, loss: &loss });
                Tensor::new(shape, values)
            }
            Reduction::Sum => Ok(Tensor::scalar(pairwise_sum_zip(x, y, &loss))),
            Reduction::Mean => Ok(Tensor::scalar(
                pairwise_sum_zip(x, y, &loss) / x.len() as f64,
            )),
        }
    }
}

/// The loss of one element from its two operands, for [`Reduction::apply_zip`].
///
/// Every closure `Fn(f64, f64) -> f64` is one. A formula too large for LLVM to inline as a
/// closure into the vectorised loop (one with two `elementary` calls, say: LLVM weighs a
/// closure's size against a fixed budget) is written as a unit struct implementing this
/// trait instead, whose `#[inline(always)]` method is always inlined.
pub trait ElementLoss {
    /// The loss of the element whose operands are `x` and `y`.
    fn of(&self, x: f64, y: f64) -> f64;
}

impl<F: Fn(f64, f64) -> f64> ElementLoss for F {
    #[inline(always)]
    fn of(&self, x: f64, y: f64) -> f64 {
        self(x, y)
    }
}

impl Reduction {
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

/// The sum of all elements, by pairwise summation ([`pairwise_sum`]).
pub fn sum(tensor: &Tensor) -> f64 {
    pairwise_sum(tensor.data())
}

/// The sum of `values` by pairwise summation, NumPy's `pairwise_sum`: a run of at most
/// `BLOCK` values is added in eight interleaved partial sums (`s[k] = v[k] + v[k+8] + …`, left to
/// right), which are then added pairwise, and the remainder left to right; a longer run is split
/// in two halves (the first a multiple of eight long) whose sums are added.
///
/// Why not one left-to-right loop: that is a chain of `n` dependent additions, about 1 ms per
/// million values, which alone is slower than PyTorch's whole loss; the eight independent sums
/// vectorise. It is also more accurate: the rounding error is at most about
/// `(log2(n / BLOCK) + BLOCK / 8 + 10)·ε·Σ|v|` instead of `(n - 1)·ε·Σ|v|`. PyTorch's own
/// `sum` is a cascade of the same kind, so neither order reproduces its last bit; both agree
/// with it far inside the f64 tolerance. `reference/tests/fast_paths.rs` checks the bound
/// against an exactly rounded sum.
pub fn pairwise_sum(values: &[f64]) -> f64 {
    let n = values.len();
    if n <= BLOCK {
        with_widest_vectors(BlockSum(values))
    } else {
        let half = (n / 2) - (n / 2) % 8;
        pairwise_sum(&values[..half]) + pairwise_sum(&values[half..])
    }
}

/// [`pairwise_sum`] of the `n` values `value(0), …, value(n - 1)`, computed as they are
/// added instead of collected first: the same additions in the same order, so the same bits as
/// `pairwise_sum(&(0..n).map(value).collect::<Vec<_>>())` (`reference/tests/fast_paths.rs`).
/// It lets a reduced loss skip writing its per-element values to a fresh buffer.
pub fn pairwise_sum_of(n: usize, value: impl Fn(usize) -> f64) -> f64 {
    pairwise_sum_range(0, n, &value)
}

/// [`pairwise_sum_of`] of `loss(x[i], y[i])` over two slices of the same length: the same split
/// into halves, and each block of at most `BLOCK` values is first computed into a small stack
/// buffer by a plain zip loop (no bounds checks, so it vectorises) and then added exactly as
/// [`pairwise_sum`] adds a block. Same additions in the same order, so the same bits.
pub fn pairwise_sum_zip(x: &[f64], y: &[f64], loss: &impl ElementLoss) -> f64 {
    let n = x.len().min(y.len());
    if n <= BLOCK {
        with_widest_vectors(BlockSumZip {
            x: &x[..n],
            y: &y[..n],
            loss,
        })
    } else {
        let half = (n / 2) - (n / 2) % 8;
        pairwise_sum_zip(&x[..half], &y[..half], loss)
            + pairwise_sum_zip(&x[half..n], &y[half..n], loss)
    }
}

/// The longest run that [`pairwise_sum`] adds in one block (NumPy's `PW_BLOCKSIZE`).
const BLOCK: usize = 128;

/// The pairwise sum of `value(start..start + n)`.
fn pairwise_sum_range(start: usize, n: usize, value: &impl Fn(usize) -> f64) -> f64 {
    if n <= BLOCK {
        with_widest_vectors(BlockSumOf { start, n, value })
    } else {
        let half = (n / 2) - (n / 2) % 8;
        pairwise_sum_range(start, half, value) + pairwise_sum_range(start + half, n - half, value)
    }
}

// The loops run through `with_widest_vectors`, each a `VectorKernel`.

/// [`block_sum`] of `values`, at most `BLOCK` of them.
struct BlockSum<'a>(&'a [f64]);

impl VectorKernel for BlockSum<'_> {
    type Output = f64;
    #[inline(always)]
    fn run(self) -> f64 {
        block_sum(self.0)
    }
}

/// [`block_sum`] of `loss(x[i], y[i])` for one block of at most `BLOCK` pairs, computed into
/// a stack buffer by a plain zip loop (no bounds checks, so it vectorises), then added.
struct BlockSumZip<'a, F> {
    x: &'a [f64],
    y: &'a [f64],
    loss: &'a F,
}

impl<F: ElementLoss> VectorKernel for BlockSumZip<'_, F> {
    type Output = f64;
    #[inline(always)]
    fn run(self) -> f64 {
        let mut block = [0.0; BLOCK];
        for ((value, &a), &b) in block.iter_mut().zip(self.x).zip(self.y) {
            *value = self.loss.of(a, b);
        }
        block_sum(&block[..self.x.len()])
    }
}

/// [`block_sum`] of `value(start..start + n)`, `n <= BLOCK`, each value added as it is
/// computed (through a stack buffer, as `BlockSumZip` does, this was twice as slow for the
/// index-based closures of l1, mse and the norms: measured, fourth round).
struct BlockSumOf<'a, F> {
    start: usize,
    n: usize,
    value: &'a F,
}

impl<F: Fn(usize) -> f64> VectorKernel for BlockSumOf<'_, F> {
    type Output = f64;
    #[inline(always)]
    fn run(self) -> f64 {
        let (start, n, value) = (self.start, self.n, self.value);
        if n < 8 {
            return (start..start + n).map(value).sum();
        }
        // As `block_sum`, adding each value as it is computed.
        let mut s = [0.0; 8];
        let whole = n - n % 8;
        for chunk in (start..start + whole).step_by(8) {
            for (k, partial) in s.iter_mut().enumerate() {
                *partial += value(chunk + k);
            }
        }
        let mut total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        for i in start + whole..start + n {
            total += value(i);
        }
        total
    }
}

/// `loss(0), …, loss(n - 1)`, the values of an unreduced loss.
struct ValuesOf<'a, F> {
    n: usize,
    loss: &'a F,
}

impl<F: Fn(usize) -> f64> VectorKernel for ValuesOf<'_, F> {
    type Output = Vec<f64>;
    #[inline(always)]
    fn run(self) -> Vec<f64> {
        let mut values = vec![0.0; self.n];
        for (i, value) in values.iter_mut().enumerate() {
            *value = (self.loss)(i);
        }
        values
    }
}

/// `loss(x[i], y[i])` for every `i`, the values of an unreduced loss.
struct ValuesZip<'a, F> {
    x: &'a [f64],
    y: &'a [f64],
    loss: &'a F,
}

impl<F: ElementLoss> VectorKernel for ValuesZip<'_, F> {
    type Output = Vec<f64>;
    #[inline(always)]
    fn run(self) -> Vec<f64> {
        let mut values = vec![0.0; self.x.len()];
        for ((value, &a), &b) in values.iter_mut().zip(self.x).zip(self.y) {
            *value = self.loss.of(a, b);
        }
        values
    }
}

/// The sum of one block of at most `BLOCK` values, as NumPy adds it: fewer than eight left to
/// right; otherwise eight interleaved partial sums (`s[k] = v[k] + v[k+8] + …`), added
/// pairwise, then the remainder left to right.
#[inline(always)]
fn block_sum(values: &[f64]) -> f64 {
    if values.len() < 8 {
        return values.iter().sum();
    }
    let mut s = [0.0; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (partial, &v) in s.iter_mut().zip(chunk) {
            *partial += v;
        }
    }
    let mut total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for &v in rest {
        total += v;
    }
    total
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
