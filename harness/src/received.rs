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
//!   is what any implementation returning a tensor of that dtype must give;
//! - a case ill-conditioned in the dtype ([`crate::error_model`]), or whose file records that PyTorch
//!   itself cannot compute it there (`not_applicable`), is not applicable to the dtype.

use std::collections::BTreeMap;

use lossparity_reference::{LossError, Tensor};

use crate::adapter::{Adapter, Call, Dtype, Gradients};
use crate::case::{Case, Expected, Param, Tolerance, Value};
use crate::error_model::{gradient_spread, output_spread, Model};
use crate::reference_adapter::Reference;
use crate::runner::{guarded, Check};
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
    let mut rounded = rounded(case, spec, dtype)?;
    let recorded: Vec<&str> = match &case.expected {
        Expected::Output { grad, .. } => grad.keys().map(String::as_str).collect(),
        Expected::Error(_) => Vec::new(),
    };
    rounded.expected = expected_on(&rounded, spec, dtype, &recorded)?;
    let model = Model::of(&rounded, dtype);
    let (output_spread, gradient_spread) = match (&rounded.expected, check) {
        (Expected::Error(_), _) => (None, BTreeMap::new()),
        (Expected::Output { output, .. }, Check::Output) => {
            let spread = output_spread(&rounded, spec, dtype, &model, output)?;
            (Some(spread), BTreeMap::new())
        }
        (Expected::Output { grad, .. }, Check::Gradient) => {
            (None, gradient_spread(&rounded, spec, dtype, &model, grad)?)
        }
    };
    Ok(Received {
        case: rounded,
        output_spread,
        gradient_spread,
        tolerance: model.tolerance(),
    })
}

/// `case` with its float inputs and float parameters (given or default) rounded to `dtype`;
/// not applicable when one of them overflows it.
fn rounded(case: &Case, spec: &LossSpec, dtype: Dtype) -> Result<Case, NotApplicable> {
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
    Ok(rounded)
}

/// The index of the first finite value that rounds to an infinity in `dtype`.
fn overflows(values: &[f64], dtype: Dtype) -> Option<usize> {
    values
        .iter()
        .position(|&v| v.is_finite() && dtype.round(v).is_infinite())
}

/// The reference's result on the rounded case, with values beyond the dtype's range made the
/// dtype's infinities.
pub(crate) fn expected_on(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    fn bundled(loss: &str, name: &str) -> Case {
        crate::loader::load_bundled(Spec::bundled())
            .cases
            .into_iter()
            .find(|c| c.loss == loss && c.name == name)
            .expect("bundled case")
    }

    fn spec(loss: &str) -> &'static LossSpec {
        Spec::bundled().get(loss).expect("bundled loss")
    }

    #[test]
    fn f64_receives_the_case_itself() {
        let case = bundled("mse_loss", "three_dim_mean");
        let received = received(&case, spec("mse_loss"), Dtype::F64, Check::Output).unwrap();
        assert_eq!(received.case, case);
        assert_eq!(received.tolerance, Tolerance::F64);
        assert!(received.output_spread.is_none());
    }

    #[test]
    fn an_input_that_overflows_makes_the_case_not_applicable() {
        let case = bundled("mse_loss", "square_overflows_to_inf");
        let reason = received(&case, spec("mse_loss"), Dtype::F32, Check::Output).unwrap_err();
        assert!(reason.0.contains("beyond f32's range"), "{reason}");
        // 1e5 is beyond f16's range (65504) and within bf16's, which is f32's.
        let mut case = bundled("mse_loss", "three_dim_mean");
        let Some(Value::Float(input)) = case.inputs.get_mut("input") else {
            panic!("input is a float input")
        };
        *input = input.map(|_| 1e5);
        let reason = received(&case, spec("mse_loss"), Dtype::F16, Check::Output).unwrap_err();
        assert!(reason.0.contains("input 'input' holds 1e5"), "{reason}");
        assert!(received(&case, spec("mse_loss"), Dtype::BF16, Check::Output).is_ok());
    }

    #[test]
    fn an_underflowing_input_is_received_and_the_expectation_follows_it() {
        // var = -1e-300 is -0.0 in f32: not negative, so no error, where PyTorch's f64 raises.
        let case = bundled("gaussian_nll_loss", "var_negative_tiny");
        assert!(matches!(case.expected, Expected::Error(_)));
        let received =
            received(&case, spec("gaussian_nll_loss"), Dtype::F32, Check::Output).unwrap();
        let Value::Float(var) = &received.case.inputs["var"] else {
            panic!("var is a float input")
        };
        assert!(var.data().contains(&0.0));
        assert!(matches!(received.case.expected, Expected::Output { .. }));
    }

    #[test]
    fn expectations_are_the_reference_on_the_rounded_inputs() {
        let case = bundled("mse_loss", "three_dim_mean");
        let received = received(&case, spec("mse_loss"), Dtype::BF16, Check::Output).unwrap();
        let Value::Float(input) = &received.case.inputs["input"] else {
            panic!("input is a float input")
        };
        assert!(input.data().iter().all(|&v| Dtype::BF16.round(v) == v));
        let call = Call::<f64>::new(&received.case, spec("mse_loss"));
        let Expected::Output { output, .. } = &received.case.expected else {
            panic!("an output")
        };
        assert_eq!(output, &Reference.forward(&call).unwrap());
        let Expected::Output {
            output: pytorch, ..
        } = &case.expected
        else {
            panic!("an output")
        };
        assert_ne!(output, pytorch, "rounding to bf16 moves this mean");
    }

    #[test]
    fn defaults_are_rounded_without_becoming_given() {
        // poisson_nll_loss's eps = 1e-8 is 0 in f16.
        let case = bundled("poisson_nll_loss", "rate_input_none");
        assert!(!case.params.contains_key("eps"));
        let received =
            received(&case, spec("poisson_nll_loss"), Dtype::F16, Check::Output).unwrap();
        let call = Call::<half::f16>::new(&received.case, spec("poisson_nll_loss"));
        assert!(!call.is_given("eps"));
        assert_eq!(call.f64("eps"), 0.0);
        assert_eq!(call.default_param("eps"), &Param::Float(0.0));
    }

    #[test]
    fn a_recorded_limitation_of_pytorch_makes_the_case_not_applicable() {
        let case = bundled("soft_margin_loss", "margin_709_is_finite");
        let reason =
            received(&case, spec("soft_margin_loss"), Dtype::F32, Check::Output).unwrap_err();
        assert!(reason.0.contains("exp(709)"), "{reason}");
        // Not recorded for bf16, whose ill-conditioning says the same here.
        assert!(!case.not_applicable.contains_key(&Dtype::BF16));
    }

    #[test]
    fn a_cancellation_the_dtype_cannot_resolve_is_ill_conditioned() {
        // A sum cancelling ±1e16 against -1s.
        let case = bundled("nll_loss", "cascade_order_visible_through_cancellation");
        let reason = received(&case, spec("nll_loss"), Dtype::F32, Check::Output).unwrap_err();
        assert!(reason.0.starts_with("ill-conditioned in f32"), "{reason}");
        // In f64 it is the case itself.
        assert!(received(&case, spec("nll_loss"), Dtype::F64, Check::Output).is_ok());
    }
}
