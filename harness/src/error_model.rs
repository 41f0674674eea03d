//! The error model below f64 (`spec/tolerances.md`, "The tolerance model"): the tolerance a
//! case gets in a dtype, and the spread of its expected results when the inputs move by the
//! dtype's rounding error — which also says when a case is ill-conditioned in the dtype.

use std::collections::BTreeMap;

use lossparity_reference::Tensor;

use crate::adapter::Dtype;
use crate::case::{Case, Expected, Param, Tolerance, Value};
use crate::received::{expected_on, NotApplicable};
use crate::registry::Loss;
use crate::spec::LossSpec;

/// How many perturbed evaluations estimate the spread.
const PERTURBATIONS: u64 = 6;

/// The roundings the model allows one loss term's formula.
const ROUNDINGS_PER_TERM: f64 = 8.0;

/// The roundings each input is moved by to estimate the result's sensitivity.
const BACKWARD_ROUNDINGS: f64 = 2.0;

/// The error model of a case in a dtype.
pub(crate) struct Model {
    /// `(ROUNDINGS_PER_TERM + ⌈log2 n⌉)·u`: the relative error of one term and of a reduction
    /// of depth `⌈log2 n⌉` over the case's `n` elements.
    relative_error: f64,
    /// `BACKWARD_ROUNDINGS·u`: how far the inputs are moved to estimate the result's
    /// sensitivity to the roundings inside each term.
    backward_error: f64,
    /// The absolute error of results near zero: `relative_error` for a loss whose formulas
    /// subtract quantities of order one ([`subtracts_order_one`]), else `ROUNDINGS_PER_TERM`
    /// of the dtype's smallest steps (a subnormal result is rounded on that absolute grid).
    absolute_error: f64,
}

/// Whether the formulas of `loss` or of its gradient subtract quantities of order one, so
/// that a result near zero carries an absolute rounding error of order `u` however small it
/// is: `1 - cos` (cosine_embedding_loss, cosine distances), a softmax minus a one-hot target
/// (the cross entropies, ctc_loss), margins minus distances or scores (the margin and
/// triplet losses), PyTorch's `(1 - y)·x + log(1 + exp(-x))` (binary_cross_entropy_with_logits).
/// The exceptions compute each term from its inputs without such a subtraction (a
/// cancellation between inputs is covered by moving the inputs): `log1p(exp(-y·x))`,
/// `(x - y)²`, `|x - y|`.
fn subtracts_order_one(loss: &str) -> bool {
    !matches!(
        Loss::from_name(loss),
        Some(Loss::SoftMarginLoss | Loss::MseLoss | Loss::L1Loss)
    )
}

impl Model {
    /// The model of `case` (rounded to `dtype`) in `dtype`.
    pub(crate) fn of(case: &Case, dtype: Dtype) -> Model {
        let terms = case
            .inputs
            .values()
            .map(|v| v.shape().iter().product::<usize>())
            .max()
            .unwrap_or(1)
            .max(1);
        let depth = (terms as f64).log2().ceil();
        let relative_error = (ROUNDINGS_PER_TERM + depth) * dtype.unit_roundoff();
        Model {
            relative_error,
            backward_error: BACKWARD_ROUNDINGS * dtype.unit_roundoff(),
            absolute_error: if subtracts_order_one(&case.loss) {
                relative_error
            } else {
                ROUNDINGS_PER_TERM * dtype.smallest_step()
            },
        }
    }

    /// The tolerance: `rtol` the relative error, `atol` the absolute one.
    pub(crate) fn tolerance(&self) -> Tolerance {
        Tolerance {
            rtol: self.relative_error,
            atol: self.absolute_error,
        }
    }
}

/// The spread of the expected output under moves of the inputs by the dtype's rounding error,
/// element by element; not applicable when the case is ill-conditioned in the dtype.
pub(crate) fn output_spread(
    rounded: &Case,
    spec: &LossSpec,
    dtype: Dtype,
    model: &Model,
    output: &Tensor,
) -> Result<Tensor, NotApplicable> {
    let mut spread = output.map(|_| 0.0);
    for moved in moved_cases(rounded, dtype, model) {
        let (moved_output, _) = expected_after_move(&moved, spec, dtype, model, &[])?;
        widen(&mut spread, output, &moved_output, model.absolute_error)
            .map_err(|m| ill_conditioned(dtype, model, &format!("changes the output {m}")))?;
    }
    Ok(spread)
}

/// The spread of each expected gradient, as [`output_spread`] that of the output.
pub(crate) fn gradient_spread(
    rounded: &Case,
    spec: &LossSpec,
    dtype: Dtype,
    model: &Model,
    grad: &BTreeMap<String, Tensor>,
) -> Result<BTreeMap<String, Tensor>, NotApplicable> {
    let names: Vec<&str> = grad.keys().map(String::as_str).collect();
    let mut spread: BTreeMap<String, Tensor> = grad
        .iter()
        .map(|(name, g)| (name.clone(), g.map(|_| 0.0)))
        .collect();
    for moved in moved_cases(rounded, dtype, model) {
        let (_, moved_grad) = expected_after_move(&moved, spec, dtype, model, &names)?;
        for (name, g) in grad {
            let spread = spread.get_mut(name).expect("one spread per gradient");
            widen(spread, g, &moved_grad[name], model.absolute_error).map_err(|m| {
                let what = format!("changes the gradient of '{name}' {m}");
                ill_conditioned(dtype, model, &what)
            })?;
        }
    }
    Ok(spread)
}

/// The reference's output and gradients on a moved case; a move that makes the loss raise is
/// ill-conditioning too.
fn expected_after_move(
    moved: &Case,
    spec: &LossSpec,
    dtype: Dtype,
    model: &Model,
    gradients: &[&str],
) -> Result<(Tensor, BTreeMap<String, Tensor>), NotApplicable> {
    match expected_on(moved, spec, dtype, gradients)? {
        Expected::Output { output, grad } => Ok((output, grad)),
        Expected::Error(_) => Err(ill_conditioned(dtype, model, "makes the loss raise")),
    }
}

fn ill_conditioned(dtype: Dtype, model: &Model, what: &str) -> NotApplicable {
    NotApplicable(format!(
        "ill-conditioned in {dtype}: moving the inputs by their rounding error ({:.1e} \
         relative) {what}",
        model.backward_error
    ))
}

/// The `PERTURBATIONS` moves of `rounded`'s float inputs and parameters ([`perturb`]).
fn moved_cases<'a>(
    rounded: &'a Case,
    dtype: Dtype,
    model: &'a Model,
) -> impl Iterator<Item = Case> + 'a {
    let scale = rounded
        .inputs
        .values()
        .flat_map(|v| match v {
            Value::Float(t) => t.data().to_vec(),
            Value::Int(_) => Vec::new(),
        })
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let short_bits = dtype.significand_bits() / 2;
    let delta = model.backward_error;
    (0..PERTURBATIONS).map(move |p| {
        let mut moved = rounded.clone();
        for value in moved.inputs.values_mut() {
            if let Value::Float(t) = value {
                *t = t.map(|&v| perturb(v, p, delta, short_bits, scale));
            }
        }
        for param in moved.params.values_mut() {
            if let Param::Float(v) = param {
                *v = perturb(*v, p, delta, short_bits, 0.0);
            }
        }
        moved
    })
}

/// How ill-conditioned a result may be before a case is not applicable: the spread relative
/// to the largest magnitude of the result.
const ILL_CONDITIONED: f64 = 0.5;

/// Widens `spread` to cover `moved` around `expected`; an error when the move is
/// comparable with the result itself.
fn widen(spread: &mut Tensor, expected: &Tensor, moved: &Tensor, floor: f64) -> Result<(), String> {
    let scale = expected
        .data()
        .iter()
        .filter(|v| v.is_finite())
        .fold(floor, |m, v| m.max(v.abs()));
    let mut data = spread.data().to_vec();
    for (i, (&e, &m)) in expected.data().iter().zip(moved.data()).enumerate() {
        let d = if e.is_finite() && m.is_finite() {
            (m - e).abs()
        } else if e == m || e.is_nan() && m.is_nan() {
            0.0
        } else {
            return Err(format!("at {i} from {e:e} to {m:e}"));
        };
        if d > ILL_CONDITIONED * scale {
            return Err(format!("at {i} from {e:e} to {m:e}"));
        }
        data[i] = data[i].max(d);
    }
    *spread = Tensor::new(spread.shape().to_vec(), data).expect("same shape");
    Ok(())
}

/// `value` moved away from zero or towards it by `delta` times the larger of its magnitude
/// and `scale` (the largest magnitude among the case's inputs: an operand is rounded at the
/// scale of what it is added to, `1000 - 2.4` on the grid of 1000), in the direction
/// perturbation `p` gives its bits: all away, all towards, then pseudo-random signs, the same
/// for equal values (so equal inputs stay equal, as rounding keeps them). Short values stay:
/// those whose significand has at most half the dtype's bits (0, ±1, 2, 0.5, 0.25, 1.5, …:
/// labels, one-hot targets, margins, the dyadic inputs of kink cases), because sums,
/// differences and products of two of them are exact in the dtype, so no rounding moves them.
fn perturb(value: f64, p: u64, delta: f64, short_bits: u32, scale: f64) -> f64 {
    if !value.is_finite() || significant_bits(value) <= short_bits {
        return value;
    }
    let up = match p {
        0 => true,
        1 => false,
        _ => {
            let mut h = value.to_bits() ^ p.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            h & 1 == 1
        }
    };
    let step = delta * value.abs().max(scale) * value.signum();
    if up {
        value + step
    } else {
        value - step
    }
}

/// The bits of `value`'s significand up to its last 1 (0 for zero, 1 for a power of two).
fn significant_bits(value: f64) -> u32 {
    if value == 0.0 {
        return 0;
    }
    let fraction = value.to_bits() & ((1u64 << 52) - 1);
    53 - fraction.trailing_zeros().min(52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_those_with_at_most_half_the_bits() {
        assert_eq!(significant_bits(0.0), 0);
        assert_eq!(significant_bits(1.0), 1);
        assert_eq!(significant_bits(-2.0), 1);
        assert_eq!(significant_bits(1.5), 2);
        assert_eq!(significant_bits(150.0), 7);
        assert_eq!(significant_bits(0.1), 52);
        // 0.5 and 1.5 stay in f32 (12 of 24 bits), 0.1 moves.
        let short = Dtype::F32.significand_bits() / 2;
        assert_eq!(perturb(1.5, 0, 1e-3, short, 0.0), 1.5);
        assert_eq!(perturb(0.1, 0, 1e-3, short, 0.0), 0.1 + 0.1 * 1e-3);
        assert_eq!(perturb(0.1, 1, 1e-3, short, 0.0), 0.1 - 0.1 * 1e-3);
        // Beside a 1000, 0.1 moves on the grid of 1000.
        assert_eq!(perturb(-0.1, 0, 1e-3, short, 1000.0), -0.1 - 1.0);
    }

    #[test]
    fn equal_values_move_together_and_patterns_differ() {
        let moved: Vec<f64> = (0..PERTURBATIONS)
            .map(|p| perturb(0.3, p, 1e-3, 12, 0.0))
            .collect();
        for p in 0..PERTURBATIONS {
            assert_eq!(perturb(0.3, p, 1e-3, 12, 0.0), moved[p as usize]);
        }
        // Over the random patterns, 0.3 and 0.7 do not always move the same way.
        assert!((2..PERTURBATIONS).any(|p| {
            (perturb(0.3, p, 1e-3, 12, 0.0) > 0.3) != (perturb(0.7, p, 1e-3, 12, 0.0) > 0.7)
        }));
    }

    #[test]
    fn a_move_comparable_with_the_result_is_ill_conditioned() {
        let expected = Tensor::vector(vec![-1.0, 0.5]);
        let mut spread = expected.map(|_| 0.0);
        widen(
            &mut spread,
            &expected,
            &Tensor::vector(vec![-1.0 + 1e-7, 0.5]),
            0.0,
        )
        .unwrap();
        assert!((spread.at(0) - 1e-7).abs() < 1e-15 && spread.at(1) == 0.0);
        // A kink: the gradient flips from -1 to 0.
        assert!(widen(&mut spread, &expected, &Tensor::vector(vec![0.0, 0.5]), 0.0).is_err());
        // NaN against a number is a flip too.
        assert!(widen(
            &mut spread,
            &expected,
            &Tensor::vector(vec![f64::NAN, 0.5]),
            0.0
        )
        .is_err());
    }

    #[test]
    fn the_tolerance_grows_with_the_reduction_and_the_unit_roundoff() {
        let spec = crate::spec::Spec::bundled();
        let cases = crate::loader::load_bundled(spec).cases;
        let case = |loss: &str, name: &str| {
            cases
                .iter()
                .find(|c| c.loss == loss && c.name == name)
                .expect("bundled case")
                .clone()
        };
        let mse = case("mse_loss", "three_dim_mean");
        let n = mse.inputs["input"].shape().iter().product::<usize>() as f64;
        let f32_model = Model::of(&mse, Dtype::F32).tolerance();
        assert_eq!(
            f32_model.rtol,
            (ROUNDINGS_PER_TERM + n.log2().ceil()) * Dtype::F32.unit_roundoff()
        );
        // mse_loss does not subtract quantities of order one: near zero it is judged relatively.
        assert_eq!(
            f32_model.atol,
            ROUNDINGS_PER_TERM * Dtype::F32.smallest_step()
        );
        let bf16_model = Model::of(&mse, Dtype::BF16).tolerance();
        assert_eq!(bf16_model.rtol / f32_model.rtol, 65536.0);
        let cosine = case("cosine_embedding_loss", "default_mean");
        let cosine_model = Model::of(&cosine, Dtype::F32).tolerance();
        assert_eq!(cosine_model.atol, cosine_model.rtol);
    }
}
