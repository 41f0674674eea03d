//! A conformance case as loaded from a case file (`spec/case-format.md`).

use std::collections::BTreeMap;
use std::fmt;

use lossparity_reference::{ErrorKind, Tensor};

use crate::adapter::Dtype;

/// A non-tensor argument of a loss: `reduction`, `margin`, `log_target`, `size_average`, …
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// Python's `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    String(String),
}

impl Param {
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Param::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Param::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The number as a float, if this is an integer or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Param::Int(i) => Some(*i as f64),
            Param::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Param::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Param::Null)
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Null => f.write_str("null"),
            Param::Bool(b) => write!(f, "{b}"),
            Param::Int(i) => write!(f, "{i}"),
            Param::Float(x) => write!(f, "{x:?}"),
            Param::String(s) => f.write_str(s),
        }
    }
}

/// A tensor argument as the case file holds it: floats in f64, or integer class indices.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A floating-point tensor (predictions, probability targets, weights).
    Float(Tensor<f64>),
    /// An integer tensor (class indices, multilabel targets).
    Int(Tensor<i64>),
}

impl Value {
    /// The shape of the tensor.
    pub fn shape(&self) -> &[usize] {
        match self {
            Value::Float(t) => t.shape(),
            Value::Int(t) => t.shape(),
        }
    }
}

/// What PyTorch did with the case's arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// PyTorch returned `output`; `grad` holds the gradient of `output.sum()` with respect to
    /// some prediction inputs (possibly none).
    Output {
        /// The loss value: 0-d for a reduction, the per-element tensor for `none`.
        output: Tensor<f64>,
        /// Gradient per prediction input name.
        grad: BTreeMap<String, Tensor<f64>>,
    },
    /// PyTorch raised an error of this class.
    Error(ErrorKind),
}

/// How close an actual value must be to the expected one:
/// `|actual - expected| <= atol + rtol·|expected|` (`spec/tolerances.md`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// Relative tolerance.
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
}

impl Tolerance {
    /// The tolerance of f64 implementations, outputs and gradients alike. Below f64 the
    /// tolerance is derived per case from the error model of `spec/tolerances.md`.
    pub const F64: Tolerance = Tolerance {
        rtol: 1e-12,
        atol: 1e-14,
    };

    /// The componentwise looser of two tolerances.
    pub fn looser(self, other: Tolerance) -> Tolerance {
        Tolerance {
            rtol: self.rtol.max(other.rtol),
            atol: self.atol.max(other.atol),
        }
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rtol={:e} atol={:e}", self.rtol, self.atol)
    }
}

/// Where a case comes from: its file and the line its entry starts on (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The case file, as given to the loader (relative to the repository for bundled cases).
    pub file: String,
    /// The 1-based line of the case's `- name:` entry.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One conformance case: a loss, its arguments, and what PyTorch produced for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The `torch.nn.functional` name of the loss, e.g. `kl_div`.
    pub loss: String,
    /// The case's name, unique within the loss.
    pub name: String,
    /// The parameters the file gives (defaults are not filled in here; see [`crate::Call`]).
    pub params: BTreeMap<String, Param>,
    /// The tensor arguments the file gives; absent optional inputs are absent.
    pub inputs: BTreeMap<String, Value>,
    /// PyTorch's result.
    pub expected: Expected,
    /// A per-case override of the dtype's default tolerance.
    pub tolerance: Option<Tolerance>,
    /// Dtypes below f64 in which PyTorch itself cannot compute the case, with the reason; the
    /// case is not applicable there for every implementation (`spec/tolerances.md`).
    pub not_applicable: BTreeMap<Dtype, String>,
    /// The float parameters the case leaves at PyTorch's defaults, as a dtype below f64 holds
    /// them, where rounding changes them (`eps = 1e-8` is 0 in f16): the harness fills them
    /// into the case it hands an implementation below f64 (`Call::param` and
    /// `Call::default_param` return them); empty in a loaded case.
    pub rounded_defaults: BTreeMap<String, Param>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Where the case is written.
    pub location: Location,
}

impl Case {
    /// `loss::name`, the case's identity in trial names and reports.
    pub fn id(&self) -> String {
        format!("{}::{}", self.loss, self.name)
    }
}

/// A case's arguments for a person to read in a failure: its parameters, and each input's
/// shape with its values when small (`MAX_SHOWN` elements at most), then where it is written.
pub struct Shown<'a>(pub &'a Case);

/// The most elements of an input a failure message prints in full.
const MAX_SHOWN: usize = 16;

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let case = self.0;
        let params: Vec<String> = case
            .params
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if params.is_empty() {
            writeln!(f, "  params: (PyTorch's defaults)")?;
        } else {
            writeln!(
                f,
                "  params: {} (others: PyTorch's defaults)",
                params.join(", ")
            )?;
        }
        for (name, value) in &case.inputs {
            let (shape, values) = match value {
                Value::Float(t) => (t.shape(), shown_values(t.data(), |v| format!("{v:?}"))),
                Value::Int(t) => (t.shape(), shown_values(t.data(), |v| v.to_string())),
            };
            writeln!(f, "  {name}: shape {shape:?} {values}")?;
        }
        match crate::bundled::compiled_path(&case.location.file) {
            Some(path) => write!(f, "  case at {path}:{}", case.location.line),
            None => write!(f, "  case at {}", case.location),
        }
    }
}

fn shown_values<T>(data: &[T], show: impl Fn(&T) -> String) -> String {
    if data.len() > MAX_SHOWN {
        return format!("({} values, not shown)", data.len());
    }
    let values: Vec<String> = data.iter().map(show).collect();
    format!("[{}]", values.join(", "))
}
