//! `lossparity fill`: an input-only case file (each case's name, parameters and inputs) filled
//! with an implementation's output, gradients or error class. With the live PyTorch adapter
//! (`adapters/pytorch/adapter.py`) as the implementation, this is how a user adds cases of their
//! own scenario, with PyTorch's values, outside this repository (`spec/case-format.md`).

use std::collections::BTreeMap;

use lossparity::__private::fuzz::case_file::{load_input_only, render_with_expected};
use lossparity::__private::{guarded, new_call, Case, Expected, Outcome, Spec};
use lossparity::{Adapter, Support};

/// The case file `text` (named `file`) with every case's `expected` computed by `adapter`
/// (an `expected` already there is replaced), under a `header` comment; or every reason some
/// case could not be filled.
pub fn fill<A: Adapter<Scalar = f64>>(
    adapter: &A,
    file: &str,
    text: &str,
    header: &str,
) -> Result<String, Vec<String>> {
    let spec = Spec::bundled();
    let loaded = load_input_only(file, text, spec);
    if !loaded.errors.is_empty() {
        return Err(loaded.errors.iter().map(ToString::to_string).collect());
    }
    let Some(loss) = loaded.cases.first().map(|c| c.loss.clone()) else {
        return Err(vec![format!("{file}: no case to fill")]);
    };
    let mut filled = Vec::new();
    let mut problems = Vec::new();
    for case in &loaded.cases {
        match expected(adapter, case, spec) {
            Ok(expected) => filled.push((case, expected)),
            Err(problem) => problems.push(format!("{}: case '{}': {problem}", file, case.name)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let cases: Vec<(&Case, &str, Option<&Expected>)> = filled
        .iter()
        .map(|(case, expected)| (*case, "", Some(expected)))
        .collect();
    let text = render_with_expected(&loss, header, &cases);
    // What was written must read back as a regular case file.
    let reread = lossparity::__private::loader::load_str(file, &text, spec);
    match reread.errors.is_empty() {
        true => Ok(text),
        false => Err(reread.errors.iter().map(ToString::to_string).collect()),
    }
}

/// What `adapter` gives for `case`: its output and the gradients of its prediction inputs, or
/// the class of the error it raised.
fn expected<A: Adapter<Scalar = f64>>(
    adapter: &A,
    case: &Case,
    spec: &Spec,
) -> Result<Expected, String> {
    let loss_spec = spec
        .get(&case.loss)
        .ok_or_else(|| format!("no signature for loss '{}'", case.loss))?;
    let call = new_call::<f64>(case, loss_spec);
    let failed = |outcome: Outcome| match outcome {
        Outcome::Failed(failure) => failure.message,
        _ => "the implementation failed".to_owned(),
    };
    if let Support::Unsupported(reason) = guarded(|| adapter.supports(&call)).map_err(failed)? {
        return Err(format!("the implementation does not run it: {reason}"));
    }
    let output = match guarded(|| adapter.forward(&call)).map_err(failed)? {
        Ok(output) => output,
        Err(error) => return Ok(Expected::Error(error.kind)),
    };
    let predictions = case.inputs.keys().filter(|name| call.is_prediction(name));
    let grad = if predictions.clone().next().is_none() {
        BTreeMap::new()
    } else {
        if let Support::Unsupported(reason) =
            guarded(|| adapter.supports_gradient(&call)).map_err(failed)?
        {
            return Err(format!("the implementation computes no gradient: {reason}"));
        }
        let gradients = guarded(|| adapter.gradient(&call))
            .map_err(failed)?
            .map_err(|e| format!("its output came with a gradient error: {e}"))?;
        predictions
            .map(|name| {
                gradients
                    .get(name)
                    .cloned()
                    .map(|g| (name.clone(), g))
                    .ok_or_else(|| format!("no gradient for '{name}'"))
            })
            .collect::<Result<_, _>>()?
    };
    Ok(Expected::Output { output, grad })
}
