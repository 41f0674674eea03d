//! Pairwise summation (NumPy's `pairwise_sum`), the order in which every `sum` and `mean` of
//! the reference adds.
//!
//! A run of at most [`BLOCK`] values is added in eight interleaved partial sums
//! (`s[k] = v[k] + v[k+8] + …`, left to right), which are then added pairwise, and the
//! remainder left to right; a longer run is split in two halves (the first a multiple of eight
//! long) whose sums are added.
//!
//! Why not one left-to-right loop: that is a chain of `n` dependent additions, about 1 ms per
//! million values, which alone is slower than PyTorch's whole loss; the eight independent sums
//! vectorise. It is also more accurate: the rounding error is at most about
//! `(log2(n / BLOCK) + BLOCK / 8 + 10)·ε·Σ|v|` instead of `(n - 1)·ε·Σ|v|`. PyTorch's own
//! `sum` is a cascade of the same kind, so neither order reproduces its last bit; both agree
//! with it far inside the f64 tolerance. `reference/tests/fast_paths.rs` checks the bound
//! against an exactly rounded sum.

use super::dispatch::{with_widest_vectors, VectorKernel};

/// The longest run added in one block (NumPy's `PW_BLOCKSIZE`).
pub(super) const BLOCK: usize = 128;

/// The sum of `values` by pairwise summation (see the module documentation).
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
/// `pairwise_sum(&(0..n).map(value).collect::<Vec<_>>())` (`reference/tests/fast_paths.rs`),
/// without a buffer for the values.
pub fn pairwise_sum_of(n: usize, value: impl Fn(usize) -> f64) -> f64 {
    pairwise_sum_range(0, n, &value)
}

/// The pairwise sum of `value(start..start + n)`.
fn pairwise_sum_range(start: usize, n: usize, value: &impl Fn(usize) -> f64) -> f64 {
    if n <= BLOCK {
        with_widest_vectors(BlockSumOf { start, n, value })
    } else {
        let half = (n / 2) - (n / 2) % 8;
        pairwise_sum_range(start, half, value) + pairwise_sum_range(start + half, n - half, value)
    }
}

/// The sum of one block of at most `BLOCK` values, as NumPy adds it: fewer than eight left to
/// right; otherwise eight interleaved partial sums (`s[k] = v[k] + v[k+8] + …`), added
/// pairwise, then the remainder left to right.
#[inline(always)]
pub(super) fn block_sum(values: &[f64]) -> f64 {
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

/// [`block_sum`] of `values`, at most `BLOCK` of them.
struct BlockSum<'a>(&'a [f64]);

impl VectorKernel for BlockSum<'_> {
    type Output = f64;
    #[inline(always)]
    fn run(self) -> f64 {
        block_sum(self.0)
    }
}

/// [`block_sum`] of `value(start..start + n)`, `n <= BLOCK`, each value added as it is
/// computed. (Not through a stack buffer, as `elementwise`'s slice form does: for a closure
/// that indexes tensors, as l1's, mse's and the norms' do, adding directly is faster.)
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
