//! Building blocks of the generators: sizes, float tensors with edge values, class indices,
//! probabilities, ±1 targets, kinks, reductions and the legacy arguments.

use std::collections::BTreeMap;

use lossparity_reference::Tensor;
use rand::rngs::StdRng;
use rand::RngExt;

use super::generated::{is_fixed, Generated};
use crate::case::Param;

/// The sizes of a case's named dimensions, drawn once and used for every input's shape.
#[derive(Clone, Debug, Default)]
pub struct Dims {
    sizes: BTreeMap<&'static str, usize>,
}

impl Dims {
    /// No dimensions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Draws the size of `name` in `min..=max`.
    pub fn draw(&mut self, rng: &mut StdRng, name: &'static str, min: usize, max: usize) -> usize {
        let size = rng.random_range(min..=max);
        self.sizes.insert(name, size);
        size
    }

    /// The size of `name`.
    ///
    /// # Panics
    /// If `name` was never drawn.
    pub fn size(&self, name: &str) -> usize {
        self.sizes[name]
    }

    /// The shape whose axes are `axes`: drawn dimensions, or fixed sizes written as numbers.
    pub fn shape(&self, axes: &[&str]) -> Vec<usize> {
        axes.iter()
            .map(|&axis| {
                if is_fixed(axis) {
                    axis.parse().expect("a fixed axis is a number")
                } else {
                    self.size(axis)
                }
            })
            .collect()
    }
}

/// The axis names of the dimensions of an elementwise loss's input, by rank.
pub const ELEMENTWISE_AXES: [&str; 4] = ["D0", "D1", "D2", "D3"];

/// Draws a rank in `0..=max_rank` and the sizes (1 to 4, rarely 0 when `empty` allows) of the
/// elementwise dimensions `D0`, `D1`, …; returns their names.
pub fn elementwise_shape(
    rng: &mut StdRng,
    dims: &mut Dims,
    max_rank: usize,
    empty: bool,
) -> Vec<&'static str> {
    let rank = rng.random_range(0..=max_rank);
    let axes = ELEMENTWISE_AXES[..rank].to_vec();
    for &axis in &axes {
        let min = if empty && rng.random_bool(0.03) { 0 } else { 1 };
        dims.draw(rng, axis, min, 4.max(min));
    }
    axes
}

/// The axes of a target that broadcasts against `axes`: some axes replaced by a fixed size 1.
pub fn broadcast_axes(rng: &mut StdRng, axes: &[&'static str]) -> Vec<&'static str> {
    axes.iter()
        .map(|&axis| if rng.random_bool(0.3) { "1" } else { axis })
        .collect()
}

/// Whether to draw an edge value for one element (about one in four).
fn edge(rng: &mut StdRng) -> bool {
    rng.random_bool(0.25)
}

/// A value in `low..high`, often rounded to a few decimals so that ties and kinks happen.
pub fn uniform(rng: &mut StdRng, low: f64, high: f64) -> f64 {
    let value = rng.random_range(low..high);
    match rng.random_range(0..4) {
        0 => value.round(),
        1 => (value * 10.0).round() / 10.0,
        2 => (value * 1000.0).round() / 1000.0,
        _ => value,
    }
}

/// One of `values`.
pub fn pick<T: Copy>(rng: &mut StdRng, values: &[T]) -> T {
    values[rng.random_range(0..values.len())]
}

/// A signed value: mostly in [-3, 3], else zero, ±1, ±0.5, large (±1e3, ±1e4), tiny, and
/// rarely ±inf or NaN when `nonfinite`.
pub fn signed(rng: &mut StdRng, nonfinite: bool) -> f64 {
    if nonfinite && rng.random_bool(0.01) {
        return pick(rng, &[f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
    }
    if edge(rng) {
        return pick(
            rng,
            &[
                0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e3, -1e3, 1e4, -1e4, 1e-8, -1e-8, 1e-300,
            ],
        );
    }
    uniform(rng, -3.0, 3.0)
}

/// A large-magnitude logit now and then: ±30, ±100, ±800, ±1e4, else a signed value.
pub fn logit(rng: &mut StdRng, nonfinite: bool) -> f64 {
    if rng.random_bool(0.08) {
        return pick(rng, &[30.0, -30.0, 100.0, -100.0, 800.0, -800.0, 1e4, -1e4]);
    }
    signed(rng, nonfinite)
}

/// A value ≥ 0: mostly in [0, 4], else 0, 1, tiny, large, and rarely +inf or NaN.
pub fn non_negative(rng: &mut StdRng, nonfinite: bool) -> f64 {
    if nonfinite && rng.random_bool(0.01) {
        return pick(rng, &[f64::INFINITY, f64::NAN]);
    }
    if edge(rng) {
        return pick(rng, &[0.0, 1.0, 0.5, 2.0, 1e-12, 1e-300, 1e3, 1e6]);
    }
    uniform(rng, 0.0, 4.0)
}

/// A probability in [0, 1]: mostly uniform, else exactly 0, 1, ½, tiny or nearly 1.
pub fn probability(rng: &mut StdRng) -> f64 {
    if edge(rng) {
        return pick(rng, &[0.0, 1.0, 0.5, 1e-12, 1e-300, 1.0 - 1e-12]);
    }
    uniform(rng, 0.0, 1.0)
}

/// A log-probability ≤ 0: mostly in [-5, 0], else 0, a very negative value or -inf (when
/// `nonfinite`).
pub fn log_probability(rng: &mut StdRng, nonfinite: bool) -> f64 {
    if nonfinite && rng.random_bool(0.02) {
        return f64::NEG_INFINITY;
    }
    if edge(rng) {
        return pick(rng, &[0.0, -1.0, -1e-12, -50.0, -800.0]);
    }
    uniform(rng, -5.0, 0.0)
}

/// ±1, and now and then another value the loss uses as given (0, ½, 2) when `other`.
pub fn plus_minus_one(rng: &mut StdRng, other: bool) -> f64 {
    if other && rng.random_bool(0.05) {
        return pick(rng, &[0.0, 0.5, 2.0, -0.5]);
    }
    if rng.random_bool(0.5) {
        1.0
    } else {
        -1.0
    }
}

/// A float tensor of `shape` whose elements `element` draws.
pub fn tensor(
    rng: &mut StdRng,
    shape: &[usize],
    mut element: impl FnMut(&mut StdRng) -> f64,
) -> Tensor<f64> {
    let numel = shape.iter().product();
    let data = (0..numel).map(|_| element(rng)).collect();
    Tensor::new(shape.to_vec(), data).expect("numel matches the shape")
}

/// An integer tensor of `shape` whose elements `element` draws.
pub fn int_tensor(
    rng: &mut StdRng,
    shape: &[usize],
    mut element: impl FnMut(&mut StdRng) -> i64,
) -> Tensor<i64> {
    let numel = shape.iter().product();
    let data = (0..numel).map(|_| element(rng)).collect();
    Tensor::new(shape.to_vec(), data).expect("numel matches the shape")
}

/// Class indices in `0..classes` of `shape`, a few of them `ignore_index` when given.
pub fn class_indices(
    rng: &mut StdRng,
    shape: &[usize],
    classes: usize,
    ignore_index: Option<i64>,
) -> Tensor<i64> {
    int_tensor(rng, shape, |rng| match ignore_index {
        Some(ignored) if rng.random_bool(0.15) => ignored,
        _ => rng.random_range(0..classes.max(1)) as i64,
    })
}

/// Each row (over the last axis) of `logits` turned into log-probabilities by log-softmax.
pub fn log_softmax_rows(logits: &Tensor<f64>) -> Tensor<f64> {
    let width = logits.shape().last().copied().unwrap_or(1).max(1);
    let mut data = logits.data().to_vec();
    for row in data.chunks_mut(width) {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !max.is_finite() {
            continue;
        }
        let log_sum = row.iter().map(|&x| (x - max).exp()).sum::<f64>().ln() + max;
        for x in row.iter_mut() {
            *x -= log_sum;
        }
    }
    Tensor::new(logits.shape().to_vec(), data).expect("same shape")
}

/// `target` with about one element in six moved to `input + offset` for an offset drawn from
/// `offsets`: the kinks of a loss of `input - target` (`x == y`, `|x - y| == beta`, …).
/// Only for a target of the input's shape.
pub fn with_kinks(
    rng: &mut StdRng,
    input: &Tensor<f64>,
    target: Tensor<f64>,
    offsets: &[f64],
) -> Tensor<f64> {
    if input.shape() != target.shape() {
        return target;
    }
    let data = input
        .data()
        .iter()
        .zip(target.data())
        .map(|(&x, &y)| {
            if rng.random_bool(0.17) {
                x + pick(rng, offsets)
            } else {
                y
            }
        })
        .collect();
    Tensor::new(target.shape().to_vec(), data).expect("same shape")
}

/// Sets the reduction: one of `allowed` (or left at its default), and, for a loss with the
/// legacy arguments when `legacy`, now and then `size_average`/`reduce` instead (which make
/// PyTorch ignore `reduction`).
pub fn reduction(rng: &mut StdRng, case: &mut Generated, allowed: &[&str], legacy: bool) {
    if legacy && rng.random_bool(0.1) {
        let legacy_value = |rng: &mut StdRng| match rng.random_range(0..3) {
            0 => Param::Null,
            1 => Param::Bool(true),
            _ => Param::Bool(false),
        };
        let (size_average, reduce) = (legacy_value(rng), legacy_value(rng));
        if !size_average.is_null() {
            case.param("size_average", size_average);
        }
        if !reduce.is_null() {
            case.param("reduce", reduce);
        }
        if rng.random_bool(0.5) {
            case.param("reduction", Param::String(pick(rng, allowed).to_owned()));
        }
        return;
    }
    if rng.random_bool(0.8) {
        case.param("reduction", Param::String(pick(rng, allowed).to_owned()));
    }
}

/// Sets the float parameter `name` to one of `values`, or leaves it at its default (one time in
/// four).
pub fn float_param(rng: &mut StdRng, case: &mut Generated, name: &str, values: &[f64]) {
    if rng.random_bool(0.75) {
        case.param(name, Param::Float(pick(rng, values)));
    }
}

/// Sets the boolean parameter `name` at random, or leaves it at its default.
pub fn bool_param(rng: &mut StdRng, case: &mut Generated, name: &str) {
    if rng.random_bool(0.7) {
        case.param(name, Param::Bool(rng.random_bool(0.5)));
    }
}

/// The axes of a weight that broadcasts from the trailing dimensions: a random suffix of `axes`,
/// some of its axes of size 1.
pub fn trailing_axes(rng: &mut StdRng, axes: &[&'static str]) -> Vec<&'static str> {
    let start = rng.random_range(0..=axes.len());
    broadcast_axes(rng, &axes[start..])
}

/// The axes of a classification input and of its class-index target: `(C)` and `()`,
/// `(N, C)` and `(N)`, or with `spatial` allowing it, `(N, C, d1[, d2])` and `(N, d1[, d2])`.
/// Draws `N` (1 to 4, rarely 0), `C` (1 to 5), `d1` and `d2` (1 to 3).
pub fn class_axes(
    rng: &mut StdRng,
    dims: &mut Dims,
    spatial: bool,
) -> (Vec<&'static str>, Vec<&'static str>) {
    let min_batch = if rng.random_bool(0.02) { 0 } else { 1 };
    dims.draw(rng, "N", min_batch, 4);
    dims.draw(rng, "C", 1, 5);
    dims.draw(rng, "d1", 1, 3);
    dims.draw(rng, "d2", 1, 3);
    match rng.random_range(0..10) {
        0 | 1 => (vec!["C"], vec![]),
        2 if spatial => (vec!["N", "C", "d1"], vec!["N", "d1"]),
        3 if spatial => (vec!["N", "C", "d1", "d2"], vec!["N", "d1", "d2"]),
        _ => (vec!["N", "C"], vec!["N"]),
    }
}

/// Sets `ignore_index` (an in-range class, -1, -100 or the default -100) and returns it, for the
/// targets to use now and then.
pub fn ignore_index(rng: &mut StdRng, case: &mut Generated, classes: usize) -> i64 {
    let ignored = match rng.random_range(0..5) {
        0 => -1,
        1 => rng.random_range(0..classes.max(1)) as i64,
        2 => -100,
        _ => return -100,
    };
    case.param("ignore_index", Param::Int(ignored));
    ignored
}

/// A random `l1_loss` or `mse_loss` case (the two take the same arguments): an input of up to
/// three dimensions, a target of its shape or broadcast against it, with `x == y` kinks, a
/// weight of the input's shape now and then (which rules out `elementwise_mean`), and a
/// reduction, legacy ones included.
pub fn weighted_regression_case(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let weighted = rng.random_bool(0.3);
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| signed(r, true));
    case.float(
        "target",
        with_kinks(rng, &input, target, &[0.0]),
        &target_axes,
    );
    if weighted {
        let weight = tensor(rng, &dims.shape(&axes), |r| non_negative(r, true));
        case.float("weight", weight, &axes);
    }
    case.float("input", input, &axes);
    let reductions: &[&str] = if weighted {
        &["none", "mean", "sum"]
    } else {
        &["none", "mean", "sum", "elementwise_mean"]
    };
    reduction(rng, &mut case, reductions, true);
    case
}
