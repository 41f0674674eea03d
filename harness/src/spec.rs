//! The machine-readable part of `spec/`: each loss's signature, read from the
//! "```yaml signature" block of `spec/<loss>.md`. The loader, the coverage checks and the
//! Python generator all read these blocks, so the spec and the loader cannot disagree.

use std::sync::OnceLock;

use lossparity_reference::ErrorKind;
use serde_yaml::Value as Yaml;

use crate::bundled;
use crate::case::Param;

/// The element type of a tensor input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DType {
    /// Floating point (f64 in case files; the adapter's scalar type when called).
    Float,
    /// 64-bit integer class indices.
    Int,
    /// Either: integer literals make class indices, float literals a float tensor (the target
    /// of `cross_entropy`: class indices or class probabilities).
    IndexOrFloat,
}

/// What a tensor input is to the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A prediction the loss is differentiated with respect to (`input`, `input1`, …).
    Prediction,
    /// The target the prediction is compared with.
    Target,
    /// A fixed weighting (`weight`, `pos_weight`); not differentiated.
    Weight,
}

/// One tensor argument of a loss.
#[derive(Clone, Debug, PartialEq)]
pub struct InputSpec {
    /// Its keyword name in `torch.nn.functional`.
    pub name: String,
    /// Its element type.
    pub dtype: DType,
    /// Its role.
    pub role: Role,
    /// Whether it may be absent (PyTorch's `None`).
    pub optional: bool,
}

/// The type of a non-tensor argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `true` / `false`.
    Bool,
    /// An integer.
    Int,
    /// A float (an integer literal is accepted).
    Float,
    /// A string.
    String,
}

/// One non-tensor argument of a loss.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    /// Its keyword name in `torch.nn.functional`.
    pub name: String,
    /// Its type.
    pub kind: ParamType,
    /// Whether `null` (`None`) is accepted.
    pub nullable: bool,
    /// PyTorch's default.
    pub default: Param,
    /// The values PyTorch accepts, where it accepts only some.
    pub allowed: Option<Vec<Param>>,
    /// Whether this is a legacy argument (`size_average`, `reduce`).
    pub legacy: bool,
    /// Parameters that, when given (not null), make PyTorch ignore this one entirely.
    pub ignored_when_given: Vec<String>,
}

impl ParamSpec {
    /// Whether `value` has this parameter's type (`null` only if nullable).
    pub fn accepts_type(&self, value: &Param) -> bool {
        match (self.kind, value) {
            (_, Param::Null) => self.nullable,
            (ParamType::Bool, Param::Bool(_)) => true,
            (ParamType::Int, Param::Int(_)) => true,
            (ParamType::Float, Param::Int(_) | Param::Float(_)) => true,
            (ParamType::String, Param::String(_)) => true,
            _ => false,
        }
    }

    /// Whether `value` is in the allowed set (always true without one).
    pub fn allows(&self, value: &Param) -> bool {
        match &self.allowed {
            Some(allowed) => allowed.contains(value),
            None => true,
        }
    }
}

/// The signature of one loss.
#[derive(Clone, Debug, PartialEq)]
pub struct LossSpec {
    /// The `torch.nn.functional` name, e.g. `kl_div`.
    pub name: String,
    /// The module class, e.g. `torch.nn.KLDivLoss`.
    pub module: String,
    /// Tensor arguments, in PyTorch's order.
    pub inputs: Vec<InputSpec>,
    /// Non-tensor arguments, in PyTorch's order.
    pub params: Vec<ParamSpec>,
    /// The error classes the loss can raise.
    pub errors: Vec<ErrorKind>,
    /// The spec file it was read from.
    pub file: String,
}

impl LossSpec {
    /// The tensor argument called `name`.
    pub fn input(&self, name: &str) -> Option<&InputSpec> {
        self.inputs.iter().find(|i| i.name == name)
    }

    /// The non-tensor argument called `name`.
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// All loss signatures.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    losses: Vec<LossSpec>,
}

impl Spec {
    /// The signatures bundled from the repository's `spec/` at build time.
    ///
    /// # Panics
    /// If a bundled spec file is malformed; the crate's tests guarantee they are not.
    pub fn bundled() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            let mut losses = Vec::new();
            for (file, _, text) in bundled::SPEC_FILES {
                match parse_spec_file(file, text) {
                    Ok(Some(loss)) => losses.push(loss),
                    Ok(None) => {}
                    Err(message) => panic!("bundled {file}: {message}"),
                }
            }
            Spec { losses }
        })
    }

    /// The signature of `loss`.
    pub fn get(&self, loss: &str) -> Option<&LossSpec> {
        self.losses.iter().find(|l| l.name == loss)
    }

    /// Every specified loss, sorted by name.
    pub fn losses(&self) -> &[LossSpec] {
        &self.losses
    }
}

/// The fence that opens a signature block.
const SIGNATURE_FENCE: &str = "```yaml signature";

/// Reads the signature block of a spec file; `Ok(None)` for a file without one (an overview
/// page such as `spec/README.md`).
pub fn parse_spec_file(file: &str, text: &str) -> Result<Option<LossSpec>, String> {
    let Some(start) = text.lines().position(|l| l.trim_end() == SIGNATURE_FENCE) else {
        return Ok(None);
    };
    let block: Vec<&str> = text
        .lines()
        .skip(start + 1)
        .take_while(|l| l.trim_end() != "```")
        .collect();
    let yaml: Yaml = serde_yaml::from_str(&block.join("\n"))
        .map_err(|e| format!("signature block is not YAML: {e}"))?;
    parse_signature(file, &yaml).map(Some)
}

fn parse_signature(file: &str, yaml: &Yaml) -> Result<LossSpec, String> {
    let map = yaml.as_mapping().ok_or("signature must be a mapping")?;
    for key in map.keys() {
        let key = key.as_str().unwrap_or("");
        if !["loss", "module", "inputs", "params", "errors"].contains(&key) {
            return Err(format!("unknown signature key '{key}'"));
        }
    }
    let text = |key: &str| -> Result<String, String> {
        yaml.get(key)
            .and_then(Yaml::as_str)
            .map(str::to_owned)
            .ok_or(format!("'{key}' must be a string"))
    };
    let name = text("loss")?;
    let module = text("module")?;

    let mut inputs = Vec::new();
    for (key, value) in entries(yaml, "inputs")? {
        let dtype = match value.get("dtype").and_then(Yaml::as_str) {
            Some("float") => DType::Float,
            Some("int") => DType::Int,
            Some("index_or_float") => DType::IndexOrFloat,
            _ => {
                return Err(format!(
                    "input '{key}': dtype must be float, int or index_or_float"
                ))
            }
        };
        let role = match value.get("role").and_then(Yaml::as_str) {
            Some("prediction") => Role::Prediction,
            Some("target") => Role::Target,
            Some("weight") => Role::Weight,
            _ => {
                return Err(format!(
                    "input '{key}': role must be prediction, target or weight"
                ))
            }
        };
        let optional = flag(&value, "optional").map_err(|e| format!("input '{key}': {e}"))?;
        inputs.push(InputSpec {
            name: key,
            dtype,
            role,
            optional,
        });
    }

    let mut params = Vec::new();
    for (key, value) in entries(yaml, "params")? {
        let context = |e: String| format!("param '{key}': {e}");
        let kind = match value.get("type").and_then(Yaml::as_str) {
            Some("bool") => ParamType::Bool,
            Some("int") => ParamType::Int,
            Some("float") => ParamType::Float,
            Some("string") => ParamType::String,
            _ => return Err(context("type must be bool, int, float or string".into())),
        };
        let default = value
            .get("default")
            .map(param_from_yaml)
            .transpose()
            .map_err(context)?
            .ok_or_else(|| context("a default is required".into()))?;
        let allowed = match value.get("allowed") {
            None => None,
            Some(Yaml::Sequence(values)) => Some(
                values
                    .iter()
                    .map(param_from_yaml)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(context)?,
            ),
            Some(_) => return Err(context("allowed must be a list".into())),
        };
        let ignored_when_given = match value.get("ignored_when_given") {
            None => Vec::new(),
            Some(Yaml::Sequence(names)) => names
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| context("ignored_when_given must list names".into()))?,
            Some(_) => return Err(context("ignored_when_given must be a list".into())),
        };
        let spec = ParamSpec {
            name: key.clone(),
            kind,
            nullable: flag(&value, "nullable").map_err(context)?,
            default,
            allowed,
            legacy: flag(&value, "legacy").map_err(context)?,
            ignored_when_given,
        };
        if !spec.accepts_type(&spec.default) || !spec.allows(&spec.default) {
            return Err(context("the default is not an accepted value".into()));
        }
        params.push(spec);
    }
    for param in &params {
        for other in &param.ignored_when_given {
            if !params.iter().any(|p| &p.name == other) {
                return Err(format!(
                    "param '{}': unknown parameter '{other}'",
                    param.name
                ));
            }
        }
    }

    let errors = match yaml.get("errors") {
        Some(Yaml::Sequence(kinds)) => kinds
            .iter()
            .map(|k| k.as_str().and_then(ErrorKind::from_name))
            .collect::<Option<Vec<_>>>()
            .ok_or("errors must list error classes")?,
        _ => return Err("'errors' must be a list".into()),
    };
    let expected_file = format!("spec/{name}.md");
    if !file.ends_with(&expected_file) {
        return Err(format!(
            "the signature of '{name}' belongs in {expected_file}"
        ));
    }
    Ok(LossSpec {
        name,
        module,
        inputs,
        params,
        errors,
        file: file.to_owned(),
    })
}

/// The entries of the mapping under `key`, with string keys.
fn entries(yaml: &Yaml, key: &str) -> Result<Vec<(String, Yaml)>, String> {
    let map = yaml
        .get(key)
        .and_then(Yaml::as_mapping)
        .ok_or(format!("'{key}' must be a mapping"))?;
    map.iter()
        .map(|(k, v)| {
            k.as_str()
                .map(|k| (k.to_owned(), v.clone()))
                .ok_or(format!("'{key}' keys must be strings"))
        })
        .collect()
}

/// An optional boolean field, false when absent.
fn flag(yaml: &Yaml, key: &str) -> Result<bool, String> {
    match yaml.get(key) {
        None => Ok(false),
        Some(Yaml::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("'{key}' must be true or false")),
    }
}

/// A parameter value written in YAML: null, a bool, a number or a string.
pub(crate) fn param_from_yaml(yaml: &Yaml) -> Result<Param, String> {
    match yaml {
        Yaml::Null => Ok(Param::Null),
        Yaml::Bool(b) => Ok(Param::Bool(*b)),
        Yaml::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if !n.is_f64() => Ok(Param::Int(i)),
            (_, Some(f)) if n.is_f64() => Ok(Param::Float(f)),
            _ => Err(format!("the number {n} does not fit in 64 bits")),
        },
        Yaml::String(s) => Ok(Param::String(s.clone())),
        _ => Err("a parameter must be null, a boolean, a number or a string".into()),
    }
}
