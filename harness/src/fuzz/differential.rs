//! One random case run on the adapter and on the reference (the oracle), forward and gradient,
//! compared under the adapter dtype's tolerance.

use lossparity_reference::{ErrorKind, LossError, Tensor};

use crate::adapter::{Adapter, Call, Gradients, Scalar, Support};
use crate::case::Case;
use crate::compare::compare;
use crate::reference_adapter::Reference;
use crate::runner::{guarded, to_f64, Check, Outcome};
use crate::spec::{LossSpec, Role};

/// How the adapter's results compare with the reference's on one case.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// They agree on everything the adapter computes.
    Agree,
    /// The adapter does not support the case's forward pass.
    Unsupported,
    /// They disagree: values outside the tolerance, an error on one side only, errors of
    /// different classes, a missing gradient, or a panic.
    Mismatch {
        /// The output or the gradient.
        check: Check,
        /// What differs.
        message: String,
    },
}

/// The outcome of one differential run.
#[derive(Clone, Debug, PartialEq)]
pub struct Differential {
    /// The error class the reference raised, when it rejects the case (an invalid case).
    pub reference_error: Option<ErrorKind>,
    /// How the adapter compares with the reference.
    pub verdict: Verdict,
}

impl Differential {
    /// Whether this is a mismatch in `check`.
    pub fn is_mismatch_in(&self, check: Check) -> bool {
        matches!(&self.verdict, Verdict::Mismatch { check: c, .. } if *c == check)
    }
}

/// Runs `case` on `adapter` and on the reference: the forward pass and, when `gradients` and
/// the adapter computes them and the reference accepts the case, the gradient.
pub fn run_case<A: Adapter>(
    adapter: &A,
    case: &Case,
    spec: &LossSpec,
    gradients: bool,
) -> Differential {
    let reference_call = Call::<f64>::new(case, spec);
    let expected = match guarded(|| Reference.forward(&reference_call)) {
        Ok(result) => result,
        Err(_) => Err(LossError::invalid_value("the reference panicked")),
    };
    let reference_error = expected.as_ref().err().map(|e| e.kind);
    let call = Call::<A::Scalar>::new(case, spec);
    let actual = match guarded(|| match adapter.supports(&call) {
        Support::Supported => Some(adapter.forward(&call)),
        Support::Unsupported(_) => None,
    }) {
        Ok(Some(actual)) => actual,
        Ok(None) => return Differential::new(reference_error, Verdict::Unsupported),
        Err(panic) => return Differential::new(reference_error, panicked(Check::Output, panic)),
    };
    if let Some(message) = output_difference(&expected, actual, A::Scalar::TOLERANCE) {
        let verdict = Verdict::Mismatch {
            check: Check::Output,
            message,
        };
        return Differential::new(reference_error, verdict);
    }
    if !gradients || reference_error.is_some() {
        return Differential::new(reference_error, Verdict::Agree);
    }
    let verdict = gradient_verdict(adapter, &reference_call, &call, spec);
    Differential::new(reference_error, verdict)
}

impl Differential {
    fn new(reference_error: Option<ErrorKind>, verdict: Verdict) -> Self {
        Differential {
            reference_error,
            verdict,
        }
    }
}

fn panicked(check: Check, panic: Outcome) -> Verdict {
    let message = match panic {
        Outcome::Failed(failure) => failure.message,
        other => format!("{other:?}"),
    };
    Verdict::Mismatch { check, message }
}

/// Why the adapter's output (or error) differs from the reference's, if it does.
fn output_difference<T: Scalar>(
    expected: &Result<Tensor, LossError>,
    actual: Result<Tensor<T>, LossError>,
    tolerance: crate::Tolerance,
) -> Option<String> {
    match (expected, actual) {
        (Ok(expected), Ok(actual)) => compare(expected, &to_f64(&actual), tolerance)
            .err()
            .map(|mismatch| format!("output: {}", mismatch.message)),
        (Err(expected), Err(actual)) if expected.kind == actual.kind => None,
        (Err(expected), Err(actual)) => Some(format!(
            "the reference raises {expected}, the adapter raises {actual}"
        )),
        (Err(expected), Ok(actual)) => Some(format!(
            "the reference raises {expected}, the adapter returns an output of shape {:?}",
            actual.shape()
        )),
        (Ok(_), Err(actual)) => Some(format!(
            "the reference returns an output, the adapter raises {actual}"
        )),
    }
}

/// Compares the gradients of every prediction input, when the adapter computes them.
fn gradient_verdict<A: Adapter>(
    adapter: &A,
    reference_call: &Call<'_, f64>,
    call: &Call<'_, A::Scalar>,
    spec: &LossSpec,
) -> Verdict {
    let actual = match guarded(|| match adapter.supports_gradient(call) {
        Support::Supported => Some(adapter.gradient(call)),
        Support::Unsupported(_) => None,
    }) {
        Ok(Some(actual)) => actual,
        Ok(None) => return Verdict::Agree,
        Err(panic) => return panicked(Check::Gradient, panic),
    };
    let expected = match guarded(|| Reference.gradient(reference_call)) {
        Ok(expected) => expected,
        Err(_) => Err(LossError::invalid_value(
            "the reference's backward panicked",
        )),
    };
    let mismatch = |message: String| Verdict::Mismatch {
        check: Check::Gradient,
        message,
    };
    let (expected, actual) = match (expected, actual) {
        (Ok(expected), Ok(actual)) => (expected, actual),
        (Err(e), Err(a)) if e.kind == a.kind => return Verdict::Agree,
        (Err(e), Err(a)) => {
            return mismatch(format!(
                "the reference's backward raises {e}, the adapter's {a}"
            ))
        }
        (Err(e), Ok(_)) => return mismatch(format!("the reference's backward raises {e}")),
        (Ok(_), Err(a)) => return mismatch(format!("the adapter's gradient raises {a}")),
    };
    compare_gradients(&expected, &actual, reference_call.case(), spec)
        .map_or(Verdict::Agree, mismatch)
}

/// The first prediction input whose gradient differs, described.
fn compare_gradients<T: Scalar>(
    expected: &Gradients<f64>,
    actual: &Gradients<T>,
    case: &Case,
    spec: &LossSpec,
) -> Option<String> {
    let predictions = spec
        .inputs
        .iter()
        .filter(|input| input.role == Role::Prediction && case.inputs.contains_key(&input.name));
    for input in predictions {
        let Some(expected) = expected.get(&input.name) else {
            continue;
        };
        let Some(actual) = actual.get(&input.name) else {
            return Some(format!("no gradient for '{}'", input.name));
        };
        if let Err(mismatch) = compare(expected, &to_f64(actual), T::GRADIENT_TOLERANCE) {
            return Some(format!("grad '{}': {}", input.name, mismatch.message));
        }
    }
    None
}
