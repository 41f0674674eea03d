//! One random case run on the adapter and on the reference (the oracle), forward and gradient,
//! judged as the runner judges a case, with the reference's results as the expectation.

use lossparity_reference::{ErrorKind, LossError};

use crate::adapter::{Adapter, Call, Gradients, Scalar};
use crate::case::{Case, Expected};
use crate::received::received;
use crate::reference_adapter::Reference;
use crate::runner::{check_gradient, check_output, guarded, Check, Outcome};
use crate::spec::LossSpec;

/// How the adapter's results compare with the reference's on one case.
#[derive(Clone, Debug, PartialEq)]
pub enum ReferenceComparison {
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
    pub comparison: ReferenceComparison,
}

impl Differential {
    /// Whether this is a mismatch in `check`.
    pub fn is_mismatch_in(&self, check: Check) -> bool {
        matches!(&self.comparison, ReferenceComparison::Mismatch { check: c, .. } if *c == check)
    }
}

/// Runs `case` on `adapter` and on the reference: the forward pass and, when `gradients` and
/// the reference accepts the case, the gradient. The reference's results become the case's
/// expectation, and the adapter is judged exactly as the runner judges a PyTorch case
/// (`runner::check_output`, `runner::check_gradient`): the dtype's tolerance, error classes,
/// panics caught.
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
    let mut judged = case.clone();
    judged.expected = match expected {
        Err(error) => Expected::Error(error.kind),
        Ok(output) => {
            // A backward the reference cannot run leaves the gradient unchecked.
            let grad = match gradients.then(|| guarded(|| Reference.gradient(&reference_call))) {
                Some(Ok(Ok(grad))) => grad,
                _ => Gradients::new(),
            };
            Expected::Output { output, grad }
        }
    };
    // Below f64, judged as the runner judges, check by check: on the rounded values, under
    // the derived tolerance; a check the dtype cannot hold says nothing about the adapter.
    let dtype = A::Scalar::DTYPE;
    let Ok(for_output) = received(&judged, spec, dtype, Check::Output) else {
        return Differential {
            reference_error,
            comparison: ReferenceComparison::Unsupported,
        };
    };
    let call = Call::<A::Scalar>::new(&for_output.case, spec);
    let mismatch = |check, message| ReferenceComparison::Mismatch { check, message };
    let comparison = match check_output(adapter, &for_output, &call) {
        Outcome::Ignored(_) => ReferenceComparison::Unsupported,
        Outcome::Failed(failure) => mismatch(Check::Output, failure.message),
        Outcome::Passed(_) if Check::of(&judged).contains(&Check::Gradient) => {
            match received(&judged, spec, dtype, Check::Gradient)
                .map(|for_gradient| check_gradient(adapter, &for_gradient, &call))
            {
                Ok(Outcome::Failed(failure)) => mismatch(Check::Gradient, failure.message),
                _ => ReferenceComparison::Agree,
            }
        }
        Outcome::Passed(_) => ReferenceComparison::Agree,
    };
    Differential {
        reference_error,
        comparison,
    }
}
