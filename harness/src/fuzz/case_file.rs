//! Input-only case files: what the fuzzer writes for each mismatch (inputs and parameters,
//! no `expected`), ready for `tools/generate.py` to fill from PyTorch (`spec/fuzzing.md`).

use std::fmt::Write;

use lossparity_reference::Tensor;
use serde_yaml::Value as Yaml;

use crate::case::{Case, Param, Value};
use crate::loader::{load_str, Loaded};
use crate::spec::Spec;

/// The input-only case file of `loss` holding `cases`, each preceded by a comment (`notes`,
/// one per case, its first line only).
pub fn render(loss: &str, header: &str, cases: &[(&Case, &str)]) -> String {
    let mut text = String::new();
    for line in header.lines() {
        let _ = writeln!(text, "# {line}");
    }
    let _ = writeln!(text, "loss: {loss}\ncases:");
    for (case, note) in cases {
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
    }
    text
}

/// Loads an input-only case file (cases without `expected`) for checking what the fuzzer
/// wrote: each case gets a placeholder `expected: {output: 0.0}`, so only its inputs and
/// parameters are meaningful. The regular loader ([`load_str`]) rejects such files; line
/// numbers in errors are those of the re-serialised file.
pub fn load_input_only(file: &str, text: &str, spec: &Spec) -> Loaded {
    let mut yaml: Yaml = match serde_yaml::from_str(text) {
        Ok(yaml) => yaml,
        // Let the loader report the parse error with its line.
        Err(_) => return load_str(file, text, spec),
    };
    if let Some(Yaml::Sequence(cases)) = yaml.get_mut("cases") {
        for case in cases.iter_mut() {
            if let Yaml::Mapping(case) = case {
                let key = Yaml::from("expected");
                if !case.contains_key(&key) {
                    let placeholder = serde_yaml::from_str("{output: 0.0}").expect("valid YAML");
                    case.insert(key, placeholder);
                }
            }
        }
    }
    match serde_yaml::to_string(&yaml) {
        Ok(filled) => load_str(file, &filled, spec),
        Err(_) => load_str(file, text, spec),
    }
}

fn param_text(value: &Param) -> String {
    match value {
        Param::Null => "null".into(),
        Param::Bool(b) => b.to_string(),
        Param::Int(i) => i.to_string(),
        Param::Float(x) => float_text(*x),
        Param::String(s) => s.clone(),
    }
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
