//! `log_softmax`, as ATen's vectorised CPU kernel computes it: of one row, and along the class
//! dimension of a tensor.

use super::dispatch::{with_widest_vectors, VectorKernel};
use super::elementary::exp;
use super::sum::pairwise_sum;

/// `log_softmax(x)` appended to `out`: `m = max(x)` (NaN if any element is NaN),
/// `s = Σ exp(x_c - m)` (the elementary `exp`, added pairwise), and `out_c = (x_c - m) - log(s)`,
/// subtracted in that order. The formula and its special values are documented at
/// `primitives::log_softmax`.
pub fn log_softmax_append(x: &[f64], out: &mut Vec<f64>) {
    with_widest_vectors(LogSoftmaxAppend { x, out })
}

/// `log_softmax` along the class dimension of a tensor laid out as `(outer, classes, inner)`:
/// each position `(o, i)` is the vector of its `classes` values at `(o·classes + c)·inner + i`,
/// and its log-probabilities are [`log_softmax_append`]'s, stored at the same indices.
///
/// Why two loops: with classes last (`inner == 1`, the usual `(N, C)`), each position's values
/// are one contiguous row, taken as a slice (no gather or scatter by index, and no buffer per
/// row); otherwise they are gathered into a row first. The same values either way.
pub fn log_softmax_along(values: &[f64], classes: usize, inner: usize) -> Vec<f64> {
    if classes == 0 {
        return Vec::new();
    }
    if inner == 1 {
        let mut out = Vec::with_capacity(values.len());
        for row in values.chunks_exact(classes) {
            log_softmax_append(row, &mut out);
        }
        return out;
    }
    let mut out = values.to_vec();
    let (mut row, mut log_probs) = (Vec::with_capacity(classes), Vec::with_capacity(classes));
    for (o, block) in values.chunks_exact(classes * inner).enumerate() {
        for i in 0..inner {
            row.clear();
            row.extend((0..classes).map(|c| block[c * inner + i]));
            log_probs.clear();
            log_softmax_append(&row, &mut log_probs);
            for (c, &v) in log_probs.iter().enumerate() {
                out[(o * classes + c) * inner + i] = v;
            }
        }
    }
    out
}

/// The operands of [`log_softmax_append`].
struct LogSoftmaxAppend<'a> {
    x: &'a [f64],
    out: &'a mut Vec<f64>,
}

impl VectorKernel for LogSoftmaxAppend<'_> {
    type Output = ();
    #[inline(always)]
    fn run(self) {
        let (x, out) = (self.x, self.out);
        // The maximum in eight independent running maxima (one pass, no chain of dependent
        // comparisons; the maximum of the same values, in another order, which can only change
        // which zero is picked among +0 and -0), and whether any is NaN.
        let (mut lanes, mut nan) = ([f64::NEG_INFINITY; 8], false);
        let chunks = x.chunks_exact(8);
        let rest = chunks.remainder();
        for chunk in chunks {
            for (lane, &v) in lanes.iter_mut().zip(chunk) {
                *lane = lane.max(v);
                nan |= v.is_nan();
            }
        }
        let mut max = lanes.into_iter().fold(f64::NEG_INFINITY, f64::max);
        for &v in rest {
            max = max.max(v);
            nan |= v.is_nan();
        }
        if nan {
            max = f64::NAN;
        }
        // The exponentials into the output first (a plain loop, which vectorises), added
        // pairwise (as ATen's vectorised sum), then overwritten with the log-probabilities.
        let start = out.len();
        out.resize(start + x.len(), 0.0);
        for (o, &v) in out[start..].iter_mut().zip(x) {
            *o = exp(v - max);
        }
        let log_sum = pairwise_sum(&out[start..]).ln();
        for (o, &v) in out[start..].iter_mut().zip(x) {
            *o = v - max - log_sum;
        }
    }
}
