//! Element-wise losses, reduced: a loss module states the loss of one element and
//! [`elementwise`] (two operand slices) or [`elementwise_indexed`] (a loss by index) computes the
//! unreduced values or adds them, in vectorised loops, with the bits of the plain computation.

use super::dispatch::{with_widest_vectors, VectorKernel};
use super::sum::{block_sum, pairwise_sum_of, BLOCK};
use crate::error::LossError;
use crate::reduction::Reduction;
use crate::tensor::Tensor;

/// A per-element formula of two operands, `l = f(x, y)`: a [`formula!`] or a closure
/// `Fn(f64, f64) -> f64`.
///
/// Why both: a loop vectorises only if the formula is inlined into it, and LLVM inlines a
/// closure only when it is small (it weighs the closure's size against a fixed budget; one
/// with two elementary calls, say, is over it). A `formula!` is a unit struct whose
/// `#[inline(always)]` method is the formula, so it is always inlined; but it cannot capture
/// variables. So a formula without parameters is written with `formula!`, and one with
/// parameters (huber's `delta`, smooth_l1's `beta`) as a closure, which must stay small.
pub trait Formula {
    /// The value of the formula at `(x, y)`.
    fn eval(&self, x: f64, y: f64) -> f64;
}

impl<F: Fn(f64, f64) -> f64> Formula for F {
    #[inline(always)]
    fn eval(&self, x: f64, y: f64) -> f64 {
        self(x, y)
    }
}

/// `formula!(|x, y| expression)`: a per-element formula as a [`Formula`] that is always
/// inlined into the vectorised loop. It reads like a closure, and may use constants and
/// functions (the elementary `exp`, `ln`, `ln_1p`, say) but not capture variables.
///
/// ```ignore
/// let loss = formula!(|x, y| ln_1p(exp(-x * y)));
/// kernels::elementwise(reduction, shape, x, y, loss)
/// ```
macro_rules! formula {
    (|$x:ident, $y:ident| $body:expr) => {{
        #[derive(Clone, Copy)]
        struct Inlined;
        impl $crate::kernels::Formula for Inlined {
            #[inline(always)]
            fn eval(&self, $x: f64, $y: f64) -> f64 {
                $body
            }
        }
        Inlined
    }};
}
pub(crate) use formula;

/// The loss of shape `shape` whose element `i` is `formula(x[i], y[i])` (`x` and `y` hold its
/// operands, already broadcast to `shape`), reduced by `reduction`: exactly
/// `reduction.apply(Tensor::new(shape, values)?)` with `values[i] = formula(x[i], y[i])`, the
/// same values and, for `sum` and `mean`, the same additions in the same order, so the same
/// bits (`reference/tests/fast_paths.rs`). Faster: the loop runs over plain slices (no bounds
/// checks, so it vectorises), and `sum` and `mean` add the values block by block as they are
/// computed ([`pairwise_sum_zip`]) instead of writing them to a full-size tensor first.
pub fn elementwise(
    reduction: Reduction,
    shape: Vec<usize>,
    x: &[f64],
    y: &[f64],
    formula: impl Formula,
) -> Result<Tensor, LossError> {
    assert_eq!(
        x.len(),
        y.len(),
        "elementwise: operands of different lengths"
    );
    match reduction {
        Reduction::None => {
            let values = with_widest_vectors(ValuesZip {
                x,
                y,
                formula: &formula,
            });
            Tensor::new(shape, values)
        }
        Reduction::Sum => Ok(Tensor::scalar(pairwise_sum_zip(x, y, &formula))),
        Reduction::Mean => Ok(Tensor::scalar(
            pairwise_sum_zip(x, y, &formula) / x.len() as f64,
        )),
    }
}

/// The loss of shape `shape` whose element `i` is `loss(i)`, reduced by `reduction`: exactly
/// `reduction.apply(Tensor::new(shape, (0..numel).map(loss).collect())?)`, but `sum` and `mean`
/// add the values as they are computed ([`pairwise_sum_of`], the same order and bits) instead
/// of writing them to a full-size tensor first. For losses whose operands are not two slices
/// of the loss's shape (a weight, a third operand).
pub fn elementwise_indexed(
    reduction: Reduction,
    shape: Vec<usize>,
    loss: impl Fn(usize) -> f64,
) -> Result<Tensor, LossError> {
    let numel = crate::tensor::numel_of(&shape)
        .ok_or_else(|| LossError::invalid_shape(format!("shape {shape:?} is too large")))?;
    match reduction {
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

/// `value(0), …, value(n - 1)`: an element-wise gradient (or any values by index), computed in
/// a loop that runs in the widest vector build, so that a formula with an elementary function
/// (`exp(-x)`, say) costs what it costs in the forward.
pub fn map_indexed(n: usize, value: impl Fn(usize) -> f64) -> Vec<f64> {
    with_widest_vectors(ValuesOf { n, loss: &value })
}

/// [`pairwise_sum_of`] of `formula(x[i], y[i])` over two slices of the same length: the same
/// split into halves, and each block of at most `BLOCK` values is first computed into a small
/// stack buffer by a plain zip loop (no bounds checks, so it vectorises) and then added exactly
/// as `pairwise_sum` adds a block. Same additions in the same order, so the same bits.
pub fn pairwise_sum_zip(x: &[f64], y: &[f64], formula: &impl Formula) -> f64 {
    let n = x.len().min(y.len());
    if n <= BLOCK {
        with_widest_vectors(BlockSumZip {
            x: &x[..n],
            y: &y[..n],
            formula,
        })
    } else {
        let half = (n / 2) - (n / 2) % 8;
        pairwise_sum_zip(&x[..half], &y[..half], formula)
            + pairwise_sum_zip(&x[half..n], &y[half..n], formula)
    }
}

/// `block_sum` of `formula(x[i], y[i])` for one block of at most `BLOCK` pairs, computed into
/// a stack buffer by a plain zip loop, then added.
struct BlockSumZip<'a, F> {
    x: &'a [f64],
    y: &'a [f64],
    formula: &'a F,
}

impl<F: Formula> VectorKernel for BlockSumZip<'_, F> {
    type Output = f64;
    #[inline(always)]
    fn run(self) -> f64 {
        let mut block = [0.0; BLOCK];
        for ((value, &a), &b) in block.iter_mut().zip(self.x).zip(self.y) {
            *value = self.formula.eval(a, b);
        }
        block_sum(&block[..self.x.len()])
    }
}

/// `formula(x[i], y[i])` for every `i`, the values of an unreduced loss.
struct ValuesZip<'a, F> {
    x: &'a [f64],
    y: &'a [f64],
    formula: &'a F,
}

impl<F: Formula> VectorKernel for ValuesZip<'_, F> {
    type Output = Vec<f64>;
    #[inline(always)]
    fn run(self) -> Vec<f64> {
        let mut values = vec![0.0; self.x.len()];
        for ((value, &a), &b) in values.iter_mut().zip(self.x).zip(self.y) {
            *value = self.formula.eval(a, b);
        }
        values
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
