//! One entry of a file's `cases:` read into a [`Case`], checked against its loss's signature,
//! with every problem placed on the line of the key it concerns.

use std::collections::BTreeMap;

use lossparity_reference::ErrorKind;
use serde_yaml::Value as Yaml;

use super::describe::{describe, key_name};
use super::line_index::LineIndex;
use super::tensor::{parse_float_tensor, parse_tensor};
use super::LoadError;
use crate::adapter::Dtype;
use crate::case::{Case, Expected, Location, Param, Tolerance, Value};
use crate::spec::{param_from_yaml, LossSpec, Role};

/// Reads one entry of `cases:`, attributing problems to its lines.
pub(super) struct CaseReader<'a> {
    /// The file, as errors name it.
    pub(super) file: &'a str,
    /// The signature of the file's loss.
    pub(super) spec: &'a LossSpec,
    pub(super) lines: &'a LineIndex<'a>,
    /// The case's lines, `start..end` (1-based, end exclusive).
    pub(super) start: usize,
    pub(super) end: usize,
    /// The case's name as errors give it: its `name`, or `#index` when it has none.
    pub(super) name: String,
}

impl CaseReader<'_> {
    /// An error at the line of the key path `keys` inside this case (or at its start).
    fn error(&self, keys: &[&str], message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_owned(),
            case: Some(self.name.clone()),
            line: self
                .lines
                .key_line(self.start, self.end, keys)
                .or(Some(self.start)),
            message: message.into(),
        }
    }

    /// The case, or the first problem found in it.
    pub(super) fn read(&self, entry: &Yaml) -> Result<Case, LoadError> {
        let map = entry
            .as_mapping()
            .ok_or_else(|| self.error(&[], "a case must be a mapping"))?;
        const KEYS: [&str; 7] = [
            "name",
            "params",
            "inputs",
            "expected",
            "tolerance",
            "not_applicable",
            "tags",
        ];
        for key in map.keys() {
            let key = key_name(key);
            if !KEYS.contains(&key.as_str()) {
                return Err(self.error(
                    &[&key],
                    format!("unknown key '{key}' (a case has {})", KEYS.join(", ")),
                ));
            }
        }
        let name = match entry.get("name") {
            Some(Yaml::String(name)) if !name.trim().is_empty() => name.clone(),
            Some(Yaml::String(_)) => {
                return Err(self.error(&["name"], "'name' must be a non-empty string"))
            }
            Some(other) => {
                let message = format!("'name' must be a non-empty string, not {}", describe(other));
                return Err(self.error(&["name"], message));
            }
            None => return Err(self.error(&[], "missing 'name'")),
        };
        let expected_yaml = entry
            .get("expected")
            .ok_or_else(|| self.error(&[], "missing 'expected'"))?;
        let expected_error = expected_yaml
            .get("error")
            .and_then(Yaml::as_str)
            .and_then(ErrorKind::from_name);
        let params = self.params(entry.get("params"), expected_error)?;
        let inputs = self.inputs(entry.get("inputs"))?;
        let expected = self.expected(expected_yaml, &inputs)?;
        let tolerance = entry
            .get("tolerance")
            .map(|t| self.tolerance(t))
            .transpose()?;
        let not_applicable = match entry.get("not_applicable") {
            None => BTreeMap::new(),
            Some(yaml) => self.not_applicable(yaml)?,
        };
        let tags = match entry.get("tags") {
            None => Vec::new(),
            Some(Yaml::Sequence(tags)) => tags
                .iter()
                .map(|t| t.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| self.error(&["tags"], "'tags' must be a list of strings"))?,
            Some(_) => return Err(self.error(&["tags"], "'tags' must be a list of strings")),
        };
        Ok(Case {
            loss: self.spec.name.clone(),
            name,
            params,
            inputs,
            expected,
            tolerance,
            not_applicable,
            rounded_defaults: BTreeMap::new(),
            tags,
            location: Location {
                file: self.file.to_owned(),
                line: self.start,
            },
        })
    }

    fn params(
        &self,
        yaml: Option<&Yaml>,
        expected_error: Option<ErrorKind>,
    ) -> Result<BTreeMap<String, Param>, LoadError> {
        let mut params = BTreeMap::new();
        let Some(yaml) = yaml else {
            return Ok(params);
        };
        let map = yaml.as_mapping().ok_or_else(|| {
            let message = format!(
                "'params' must map parameter names to values, not {}",
                describe(yaml)
            );
            self.error(&["params"], message)
        })?;
        for (key, value) in map {
            let key = key_name(key);
            let at = ["params", key.as_str()];
            let param_spec = self.spec.param(&key).ok_or_else(|| {
                let known: Vec<&str> = self.spec.params.iter().map(|p| p.name.as_str()).collect();
                self.error(
                    &at,
                    format!(
                        "unknown parameter '{key}' for {}{} (it takes {})",
                        self.spec.name,
                        crate::suggest::did_you_mean(&key, known.iter().copied()),
                        known.join(", ")
                    ),
                )
            })?;
            let must_be = format!(
                "parameter '{key}' must be {}{}",
                type_name(param_spec.kind),
                if param_spec.nullable { " or null" } else { "" }
            );
            let value = param_from_yaml(value).map_err(|e| match value {
                Yaml::Number(_) => self.error(&at, format!("parameter '{key}': {e}")),
                other => self.error(&at, format!("{must_be}, not {}", describe(other))),
            })?;
            if !param_spec.accepts_type(&value) {
                return Err(self.error(&at, format!("{must_be}, not {}", param_text(&value))));
            }
            params.insert(key, value);
        }
        for (key, value) in &params {
            let Some(param_spec) = self.spec.param(key) else {
                continue;
            };
            // PyTorch ignores the value (so need not reject it) when an overriding
            // parameter such as a legacy `reduce` is given.
            let overridden = param_spec
                .ignored_when_given
                .iter()
                .any(|other| params.get(other).is_some_and(|p| !p.is_null()));
            // A case expecting an error may hold a bad value: PyTorch rejects it, or rejects
            // another argument first (some losses check shapes before the reduction).
            let expects_error = expected_error.is_some();
            if !param_spec.allows(value) && !overridden && !expects_error {
                let allowed: Vec<String> = param_spec
                    .allowed
                    .iter()
                    .flatten()
                    .map(|p| p.to_string())
                    .collect();
                return Err(self.error(
                    &["params", key],
                    format!(
                        "{} is not an allowed value of '{key}' ({}); a case may use it only \
                         if it expects an error",
                        param_text(value),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(params)
    }

    fn inputs(&self, yaml: Option<&Yaml>) -> Result<BTreeMap<String, Value>, LoadError> {
        let map = match yaml {
            Some(Yaml::Mapping(map)) => map,
            Some(other) => {
                let message = format!(
                    "'inputs' must map input names to tensors, not {}",
                    describe(other)
                );
                return Err(self.error(&["inputs"], message));
            }
            None => return Err(self.error(&[], "missing 'inputs'")),
        };
        let mut inputs = BTreeMap::new();
        for (key, value) in map {
            let key = key_name(key);
            let at = ["inputs", key.as_str()];
            let input_spec = self.spec.input(&key).ok_or_else(|| {
                let known: Vec<&str> = self.spec.inputs.iter().map(|i| i.name.as_str()).collect();
                self.error(
                    &at,
                    format!(
                        "unknown input '{key}' for {} (it takes {})",
                        self.spec.name,
                        known.join(", ")
                    ),
                )
            })?;
            let tensor = parse_tensor(value, input_spec.dtype)
                .map_err(|e| self.error(&at, format!("input '{key}': {e}")))?;
            inputs.insert(key, tensor);
        }
        for input in &self.spec.inputs {
            if !input.optional && !inputs.contains_key(&input.name) {
                return Err(self.error(
                    &["inputs"],
                    format!("missing required input '{}'", input.name),
                ));
            }
        }
        Ok(inputs)
    }

    fn expected(
        &self,
        yaml: &Yaml,
        inputs: &BTreeMap<String, Value>,
    ) -> Result<Expected, LoadError> {
        let map = yaml.as_mapping().ok_or_else(|| {
            self.error(
                &["expected"],
                "'expected' must be {error: ...} or {output: ...}",
            )
        })?;
        for key in map.keys() {
            let key = key_name(key);
            if !["output", "grad", "error"].contains(&key.as_str()) {
                return Err(self.error(
                    &["expected", &key],
                    format!("unknown key '{key}' in 'expected' (output, grad or error)"),
                ));
            }
        }
        match (yaml.get("error"), yaml.get("output")) {
            (Some(error), None) => {
                if yaml.get("grad").is_some() {
                    return Err(self.error(&["expected", "grad"], "an error case has no 'grad'"));
                }
                let at = ["expected", "error"];
                let kind = error
                    .as_str()
                    .and_then(ErrorKind::from_name)
                    .ok_or_else(|| {
                        self.error(
                            &at,
                            "'error' must be invalid_shape, invalid_value or invalid_parameter",
                        )
                    })?;
                if !self.spec.errors.contains(&kind) {
                    return Err(self.error(
                        &at,
                        format!(
                            "{} does not raise {kind} according to {}",
                            self.spec.name, self.spec.file
                        ),
                    ));
                }
                Ok(Expected::Error(kind))
            }
            (None, Some(output)) => {
                let output = parse_float_tensor(output)
                    .map_err(|e| self.error(&["expected", "output"], format!("output: {e}")))?;
                let mut grad = BTreeMap::new();
                if let Some(grads) = yaml.get("grad") {
                    let grads = grads.as_mapping().ok_or_else(|| {
                        self.error(
                            &["expected", "grad"],
                            "'grad' must map input names to tensors",
                        )
                    })?;
                    for (key, value) in grads {
                        let key = key_name(key);
                        let at = ["expected", "grad", key.as_str()];
                        let is_prediction = self
                            .spec
                            .input(&key)
                            .is_some_and(|i| i.role == Role::Prediction);
                        let Some(input) = inputs.get(&key).filter(|_| is_prediction) else {
                            return Err(self.error(
                                &at,
                                format!("grad '{key}' is not a prediction input of this case"),
                            ));
                        };
                        let tensor = parse_float_tensor(value)
                            .map_err(|e| self.error(&at, format!("grad '{key}': {e}")))?;
                        if tensor.shape() != input.shape() {
                            return Err(self.error(
                                &at,
                                format!(
                                    "grad '{key}' has shape {:?} but the input has {:?}",
                                    tensor.shape(),
                                    input.shape()
                                ),
                            ));
                        }
                        grad.insert(key, tensor);
                    }
                }
                Ok(Expected::Output { output, grad })
            }
            _ => Err(self.error(
                &["expected"],
                "'expected' must hold exactly one of 'output' and 'error'",
            )),
        }
    }

    fn tolerance(&self, yaml: &Yaml) -> Result<Tolerance, LoadError> {
        let at = ["tolerance"];
        let map = yaml
            .as_mapping()
            .ok_or_else(|| self.error(&at, "'tolerance' must be {rtol: .., atol: ..}"))?;
        let mut tolerance = Tolerance {
            rtol: 0.0,
            atol: 0.0,
        };
        for (key, value) in map {
            let key = key_name(key);
            let number = value
                .as_f64()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    self.error(
                        &["tolerance", &key],
                        format!("'{key}' must be a number >= 0"),
                    )
                })?;
            match key.as_str() {
                "rtol" => tolerance.rtol = number,
                "atol" => tolerance.atol = number,
                _ => {
                    return Err(self.error(
                        &["tolerance", &key],
                        format!("unknown key '{key}' in 'tolerance' (rtol, atol)"),
                    ))
                }
            }
        }
        Ok(tolerance)
    }

    fn not_applicable(&self, yaml: &Yaml) -> Result<BTreeMap<Dtype, String>, LoadError> {
        let at = ["not_applicable"];
        let map = yaml.as_mapping().ok_or_else(|| {
            let message = format!(
                "'not_applicable' must map dtypes ({}) to reasons, not {}",
                NOT_APPLICABLE_NAMES,
                describe(yaml)
            );
            self.error(&at, message)
        })?;
        let mut not_applicable = BTreeMap::new();
        for (key, value) in map {
            let key = key_name(key);
            let at = ["not_applicable", key.as_str()];
            let dtype = match key.as_str() {
                "f32" => Dtype::F32,
                "f16" => Dtype::F16,
                "bf16" => Dtype::BF16,
                "f64" => {
                    return Err(self.error(
                        &at,
                        format!(
                            "'not_applicable' names f64, but a case is always applicable in f64 \
                             (it may name {NOT_APPLICABLE_NAMES})"
                        ),
                    ))
                }
                _ => {
                    return Err(self.error(
                        &at,
                        format!(
                            "unknown dtype '{key}' in 'not_applicable' ({NOT_APPLICABLE_NAMES})"
                        ),
                    ))
                }
            };
            let reason = match value {
                Yaml::String(reason) if !reason.trim().is_empty() => reason.clone(),
                Yaml::String(_) => {
                    return Err(self.error(
                        &at,
                        format!("the reason for '{key}' must be a non-empty string"),
                    ))
                }
                other => {
                    return Err(self.error(
                        &at,
                        format!(
                            "the reason for '{key}' must be a non-empty string, not {}",
                            describe(other)
                        ),
                    ))
                }
            };
            not_applicable.insert(dtype, reason);
        }
        Ok(not_applicable)
    }
}

/// The dtypes a case's `not_applicable` may name, as its errors list them.
const NOT_APPLICABLE_NAMES: &str = "f32, f16, bf16";

fn type_name(kind: crate::spec::ParamType) -> &'static str {
    match kind {
        crate::spec::ParamType::Bool => "a boolean",
        crate::spec::ParamType::Int => "an integer",
        crate::spec::ParamType::Float => "a number",
        crate::spec::ParamType::String => "a string",
    }
}

/// A parameter value as the case file wrote it (strings quoted, so `'1'` is not `1`).
fn param_text(value: &Param) -> String {
    match value {
        Param::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}
