//! Input-only case files: what the fuzzer writes for each mismatch (inputs and parameters,
//! no `expected`), ready for `tools/generate.py` to fill from PyTorch (`spec/fuzzing.md`).

use std::fmt::Write;

use lossparity_reference::Tensor;
use serde_yaml::Value as Yaml;

use crate::case::{Case, Expected, Param, Value};
use crate::loader::{load_str, Loaded};
use crate::spec::Spec;

/// The input-only case file of `loss` holding `cases`, each preceded by a comment (`notes`,
/// one per case, its first line only).
pub fn render(loss: &str, header: &str, cases: &[(&Case, &str)]) -> String {
    let cases: Vec<(&Case, &str, Option<&Expected>)> = cases
        .iter()
        .map(|&(case, note)| (case, note, None))
        .collect();
    render_with_expected(loss, header, &cases)
}

/// The case file of `loss` holding `cases`, each preceded by a comment (its note's first line)
/// and followed by its expected result where one is given.
pub fn render_with_expected(
    loss: &str,
    header: &str,
    cases: &[(&Case, &str, Option<&Expected>)],
) -> String {
    let mut text = String::new();
    for line in header.lines() {
        let _ = writeln!(text, "# {line}");
    }
    let _ = writeln!(text, "loss: {loss}\ncases:");
    for (case, note, expected) in cases {
        if let Some(note) = note.lines().next() {
            let _ = writeln!(text, "  # {note}");
        }
        let _ = writeln!(text, "  - name: {}", case.name);
        if !case.params.is_empty() {
            let params: Vec<String> = case
                .params
                .iter()
                .map(|(name, value)| format!("{name}: {}", param_text(value)))
                .collect();
            let _ = writeln!(text, "    params: {{{}}}", params.join(", "));
        }
        let _ = writeln!(text, "    inputs:");
        for (name, value) in &case.inputs {
            let _ = writeln!(text, "      {name}: {}", value_text(value));
        }
        match expected {
            None => {}
            Some(Expected::Error(kind)) => {
                let _ = writeln!(text, "    expected: {{error: {}}}", kind.name());
            }
            Some(Expected::Output { output, grad }) => {
                let _ = writeln!(text, "    expected:");
                let _ = writeln!(text, "      output: {}", float_tensor_text(output));
                if !grad.is_empty() {
                    let _ = writeln!(text, "      grad:");
                    for (name, gradient) in grad {
                        let _ = writeln!(text, "        {name}: {}", float_tensor_text(gradient));
                    }
                }
            }
        }
        if !case.tags.is_empty() {
            let _ = writeln!(text, "    tags: [{}]", case.tags.join(", "));
        }
    }
    text
}

/// Loads an input-only case file (cases without `expected`): each case gets a placeholder
/// `expected`, so only its inputs and parameters are meaningful. The placeholder is an output
/// (`{output: 0.0}`) where the loader accepts one, else the first error class of the loss's spec
/// it accepts (a parameter outside its allowed values, say, may only expect an error). The
/// regular loader ([`load_str`]) rejects such files; line numbers in errors are those of the
/// re-serialised file.
pub fn load_input_only(file: &str, text: &str, spec: &Spec) -> Loaded {
    let Ok(yaml) = serde_yaml::from_str::<Yaml>(text) else {
        // Let the loader report the parse error with its line.
        return load_str(file, text, spec);
    };
    let error_classes: Vec<String> = yaml
        .get("loss")
        .and_then(Yaml::as_str)
        .and_then(|loss| spec.get(loss))
        .map(|loss| loss.errors.iter().map(|e| e.name().to_owned()).collect())
        .unwrap_or_default();
    let placeholders: Vec<String> = std::iter::once("{output: 0.0}".to_owned())
        .chain(error_classes.iter().map(|e| format!("{{error: {e}}}")))
        .collect();
    // The placeholder tried for each case without `expected` (by index), until it loads.
    let mut tried: Vec<Option<usize>> = match yaml.get("cases") {
        Some(Yaml::Sequence(cases)) => cases
            .iter()
            .map(|case| match case {
                Yaml::Mapping(case) if !case.contains_key("expected") => Some(0),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    loop {
        let mut filled = yaml.clone();
        if let Some(Yaml::Sequence(cases)) = filled.get_mut("cases") {
            for (case, placeholder) in cases.iter_mut().zip(&tried) {
                if let (Yaml::Mapping(case), Some(p)) = (case, placeholder) {
                    let value = serde_yaml::from_str(&placeholders[*p]).expect("valid YAML");
                    case.insert(Yaml::from("expected"), value);
                }
            }
        }
        let Ok(filled) = serde_yaml::to_string(&filled) else {
            return load_str(file, text, spec);
        };
        let loaded = load_str(file, &filled, spec);
        // Cases whose placeholder the loader refused, and that have another to try.
        let retry: Vec<usize> = (0..tried.len())
            .filter(|&i| {
                tried[i].is_some_and(|p| p + 1 < placeholders.len())
                    && loaded.errors.iter().any(|e| refers_to(e, &yaml, i))
            })
            .collect();
        if retry.is_empty() {
            return loaded;
        }
        for i in retry {
            tried[i] = tried[i].map(|p| p + 1);
        }
    }
}

/// Whether `error` is about the `index`-th case of `yaml` (by its name, or its index when it
/// has none).
fn refers_to(error: &crate::loader::LoadError, yaml: &Yaml, index: usize) -> bool {
    let name = yaml
        .get("cases")
        .and_then(|cases| cases.get(index))
        .and_then(|case| case.get("name"))
        .and_then(Yaml::as_str);
    match (&error.case, name) {
        (Some(case), Some(name)) => case == name,
        (Some(case), None) => *case == index.to_string(),
        (None, _) => false,
    }
}

fn param_text(value: &Param) -> String {
    match value {
        Param::Null => "null".into(),
        Param::Bool(b) => b.to_string(),
        Param::Int(i) => i.to_string(),
        Param::Float(x) => float_text(*x),
        // Quoted, so that '', 'null' or 'true' stay strings.
        Param::String(s) => serde_json::to_string(s).expect("a string serialises"),
    }
}

fn float_tensor_text(tensor: &Tensor<f64>) -> String {
    value_text(&Value::Float(tensor.clone()))
}

fn value_text(value: &Value) -> String {
    match value {
        Value::Float(t) if t.numel() == 0 => format!("{{shape: {:?}, data: []}}", t.shape()),
        Value::Int(t) if t.numel() == 0 => {
            format!("{{shape: {:?}, data: [], dtype: int}}", t.shape())
        }
        Value::Float(t) => nested(t, |x| float_text(*x)),
        Value::Int(t) => nested(t, i64::to_string),
    }
}

/// A non-empty tensor as a number (0-d) or a nested list.
fn nested<T>(tensor: &Tensor<T>, element: impl Fn(&T) -> String) -> String {
    fn level<T>(shape: &[usize], data: &[T], element: &dyn Fn(&T) -> String) -> String {
        match shape.split_first() {
            None => element(&data[0]),
            Some((&len, rest)) => {
                let step = rest.iter().product::<usize>();
                let items: Vec<String> = (0..len)
                    .map(|i| level(rest, &data[i * step..(i + 1) * step], element))
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
    level(tensor.shape(), tensor.data(), &element)
}

/// A float as YAML 1.1 (PyYAML) and YAML 1.2 both read it: `.nan`, `.inf`, `-.inf`, and
/// exponents with a dot and a sign (`1.0e+20`, `1.5e-8`), as `tools/generate.py` writes them.
pub fn float_text(x: f64) -> String {
    if x.is_nan() {
        return ".nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let text = format!("{x:?}");
    match text.split_once('e') {
        None => text,
        Some((mantissa, exponent)) => {
            let mantissa = if mantissa.contains('.') {
                mantissa.to_owned()
            } else {
                format!("{mantissa}.0")
            };
            let exponent = if exponent.starts_with('-') {
                exponent.to_owned()
            } else {
                format!("+{exponent}")
            };
            format!("{mantissa}e{exponent}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_written_as_pyyaml_reads_them() {
        assert_eq!(float_text(1e20), "1.0e+20");
        assert_eq!(float_text(-1.5e-8), "-1.5e-8");
        assert_eq!(float_text(0.25), "0.25");
        assert_eq!(float_text(-0.0), "-0.0");
        assert_eq!(float_text(f64::NEG_INFINITY), "-.inf");
    }
}
