//! A case as an implementation computing in a dtype below f64 receives it: its float inputs and
//! float parameters rounded to that dtype, and its expected output and gradients recomputed by
//! the reference, in f64, on those rounded values (`spec/tolerances.md`, "Expected values in
//! each dtype").
//!
//! The rule for values a dtype cannot hold:
//! - an input or parameter that overflows when rounded (a finite value becoming infinite) makes
//!   the case not applicable to the dtype, with the value named;
//! - one that underflows (to a subnormal or to zero) or collapses onto a neighbour (`1 - 1e-16`
//!   becoming `1`) is what the implementation receives, and the expectation follows it;
//! - an expected value beyond the dtype's largest finite value is that dtype's infinity, which
//!   is what any implementation returning a tensor of that dtype must give.

use std::collections::BTreeMap;

use lossparity_reference::{LossError, Tensor};

use crate::adapter::{Adapter, Call, Dtype, Gradients};
use crate::case::{Case, Expected, Param, Tolerance, Value};
use crate::reference_adapter::Reference;
use crate::registry::Loss;
use crate::runner::guarded;
use crate::runner::Check;
use crate::spec::LossSpec;

/// Why a case cannot be run in a dtype.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplicable(pub String);

impl std::fmt::Display for NotApplicable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A case as an implementation in a dtype receives it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The case with its float inputs and parameters rounded to the dtype and the reference's
    /// results on them as its expectation.
    pub case: Case,
    /// How far the expected output moves when the inputs move by the dtype's rounding error
    /// (`spec/tolerances.md`), element by element; for an output check below f64.
    pub output_spread: Option<Tensor>,
    /// The same for each recorded gradient, for a gradient check below f64.
    pub gradient_spread: BTreeMap<String, Tensor>,
    /// The tolerance of outputs and gradients: derived by the model for this case in its
    /// dtype; [`Tolerance::F64`] for f64.
    pub tolerance: Tolerance,
}

/// `case` as an implementation in `dtype` receives it, with the reference's expectations for
/// those values; `case` itself for f64.
pub fn received(
    case: &Case,
    spec: &LossSpec,
    dtype: Dtype,
    check: Check,
) -> Result<Received, NotApplicable> {
    if dtype == Dtype::F64 {
        return Ok(Received {
            case: case.clone(),
            output_spread: None,
            gradient_spread: BTreeMap::new(),
            tolerance: Tolerance::F64,
        });
    }
    if let Some(reason) = case.not_applicable.get(&dtype) {
        return Err(NotApplicable(format!(
            "the case records that PyTorch cannot compute it in {dtype}: {reason}"
        )));
    }
    let mut rounded = case.clone();
    for (name, value) in &mut rounded.inputs {
        if let Value::Float(tensor) = value {
            if let Some(i) = overflows(tensor.data(), dtype) {
                return Err(NotApplicable(format!(
                    "input '{name}' holds {:e}, beyond {}'s range (largest finite value {:e})",
                    tensor.at(i),
                    dtype,
                    dtype.max_finite()
                )));
            }
            *tensor = tensor.map(|&v| dtype.round(v));
        }
    }
    // A float parameter left at its default receives the default rounded to the dtype too
    // (PyTorch's `eps=1e-8` is 0 in f16), kept apart from the parameters the case gives.
    for param in &spec.params {
        if let Param::Float(default) = param.default {
            if !rounded.params.contains_key(&param.name) && dtype.round(default) != default {
                let value = Param::Float(dtype.round(default));
                rounded.rounded_defaults.insert(param.name.clone(), value);
            }
        }
    }
    for (name, param) in &mut rounded.params {
        if let Param::Float(v) = param {
            if overflows(&[*v], dtype).is_some() {
                return Err(NotApplicable(format!(
                    "parameter '{name}' = {v:e} is beyond {}'s range (largest finite value {:e})",
                    dtype,
                    dtype.max_finite()
                )));
            }
            *v = dtype.round(*v);
        }
    }
    let recorded: Vec<&str> = match &case.expected {
        Expected::Output { grad, .. } => grad.keys().map(String::as_str).collect(),
        Expected::Error(_) => Vec::new(),
    };
    rounded.expected = expected_on(&rounded, spec, dtype, &recorded)?;
    let model = Model::of(&rounded, dtype);
    let (output_spread, gradient_spread) = match &rounded.expected {
        Expected::Error(_) => (None, BTreeMap::new()),
        Expected::Output { output, grad } => match check {
            Check::Output => {
                let (o, _) = spread(&rounded, spec, dtype, &model, output, &BTreeMap::new())?;
                (Some(o), BTreeMap::new())
            }
            Check::Gradient => {
                let (_, g) = spread(&rounded, spec, dtype, &model, output, grad)?;
                (None, g)
            }
        },
    };
    Ok(Received {
        case: rounded,
        output_spread,
        gradient_spread,
        tolerance: model.tolerance(),
    })
}

/// The index of the first finite value that rounds to an infinity in `dtype`.
fn overflows(values: &[f64], dtype: Dtype) -> Option<usize> {
    values
        .iter()
        .position(|&v| v.is_finite() && dtype.round(v).is_infinite())
}

/// The reference's result on the rounded case, with values beyond the dtype's range made the
/// dtype's infinities.
fn expected_on(
    rounded: &Case,
    spec: &LossSpec,
    dtype: Dtype,
    recorded_gradients: &[&str],
) -> Result<Expected, NotApplicable> {
    let call = Call::<f64>::new(rounded, spec);
    let panicked = |_| NotApplicable("the reference panicked on the rounded inputs".to_owned());
    let output = match guarded(|| Reference.forward(&call)).map_err(panicked)? {
        Ok(output) => output,
        Err(LossError { kind, .. }) => return Ok(Expected::Error(kind)),
    };
    let grad = if recorded_gradients.is_empty() {
        Gradients::new()
    } else {
        match guarded(|| Reference.gradient(&call)).map_err(panicked)? {
            Ok(mut grad) => {
                grad.retain(|name, _| recorded_gradients.contains(&name.as_str()));
                grad
            }
            Err(error) => {
                return Err(NotApplicable(format!(
                    "the reference's backward rejects the rounded inputs: {error}"
                )))
            }
        }
    };
    let in_range = |t: &Tensor| t.map(|&v| dtype.overflowed(v));
    Ok(Expected::Output {
        output: in_range(&output),
        grad: grad.iter().map(|(k, v)| (k.clone(), in_range(v))).collect(),
    })
}

/// How many perturbed evaluations estimate the spread.
const PERTURBATIONS: u64 = 6;

/// The roundings the model allows one loss term's formula.
const ROUNDINGS_PER_TERM: f64 = 8.0;

/// The roundings each input is moved by to estimate the result's sensitivity.
const BACKWARD_ROUNDINGS: f64 = 2.0;

/// The error model of a case in a dtype.
struct Model {
    /// `(ROUNDINGS_PER_TERM + ⌈log2 n⌉)·u`: the relative error of one term and of a reduction
    /// of depth `⌈log2 n⌉` over the case's `n` elements.
    relative_error: f64,
    /// `BACKWARD_ROUNDINGS·u`: how far the inputs are moved to estimate the result's
    /// sensitivity to the roundings inside each term.
    backward_error: f64,
    /// The absolute error of results near zero: `relative_error` for a loss whose formulas
    /// subtract quantities of order one ([`subtracts_order_one`]), else the dtype's smallest
    /// step.
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
    fn of(case: &Case, dtype: Dtype) -> Model {
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
                dtype.smallest_step()
            },
        }
    }

    fn tolerance(&self) -> Tolerance {
        Tolerance {
            rtol: self.relative_error,
            atol: self.absolute_error,
        }
    }
}

/// The spread of the expectation under perturbations of the inputs by their dtype's rounding
/// error, and the ill-conditioned case.
fn spread(
    rounded: &Case,
    spec: &LossSpec,
    dtype: Dtype,
    model: &Model,
    output: &Tensor,
    grad: &BTreeMap<String, Tensor>,
) -> Result<(Tensor, BTreeMap<String, Tensor>), NotApplicable> {
    let delta = model.backward_error;
    let short_bits = dtype.significand_bits() / 2;
    let mut output_spread = output.map(|_| 0.0);
    let mut gradient_spread: BTreeMap<String, Tensor> = grad
        .iter()
        .map(|(k, g)| (k.clone(), g.map(|_| 0.0)))
        .collect();
    let recorded: Vec<&str> = grad.keys().map(String::as_str).collect();
    for p in 0..PERTURBATIONS {
        let mut moved = rounded.clone();
        for value in moved.inputs.values_mut() {
            if let Value::Float(t) = value {
                *t = t.map(|&v| perturb(v, p, delta, short_bits));
            }
        }
        for param in moved.params.values_mut() {
            if let Param::Float(v) = param {
                *v = perturb(*v, p, delta, short_bits);
            }
        }
        let ill = |what: &str| {
            NotApplicable(format!(
                "ill-conditioned in {dtype}: moving the inputs by their rounding error \
                 ({delta:.1e} relative) {what}"
            ))
        };
        let Expected::Output {
            output: moved_output,
            grad: moved_grad,
        } = expected_on(&moved, spec, dtype, &recorded)?
        else {
            return Err(ill("makes the loss raise"));
        };
        let floor = model.absolute_error;
        if grad.is_empty() {
            widen(&mut output_spread, output, &moved_output, floor)
                .map_err(|m| ill(&format!("changes the output {m}")))?;
        }
        for (name, g) in grad {
            let moved_g = &moved_grad[name];
            widen(
                gradient_spread.get_mut(name).expect("same names"),
                g,
                moved_g,
                floor,
            )
            .map_err(|m| ill(&format!("changes the gradient of '{name}' {m}")))?;
        }
    }
    Ok((output_spread, gradient_spread))
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

/// `value` moved by `delta` relative, in the direction perturbation `p` gives its bits: all
/// up, all down, then pseudo-random signs, the same for equal values (so equal inputs stay
/// equal, as rounding keeps them). Short values stay: those whose significand has at most
/// half the dtype's bits (0, ±1, 2, 0.5, 0.25, 1.5, …: labels, one-hot targets, margins, the
/// dyadic inputs of kink cases), because sums, differences and products of two of them are
/// exact in the dtype, so no rounding moves them.
fn perturb(value: f64, p: u64, delta: f64, short_bits: u32) -> f64 {
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
    if up {
        value * (1.0 + delta)
    } else {
        value * (1.0 - delta)
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
