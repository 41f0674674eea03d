//! The typed error every reference loss returns instead of panicking.

use std::fmt;

/// The class of an error, as the case format names it (`expected: {error: ...}`).
///
/// PyTorch raises `ValueError`, `RuntimeError` or `IndexError` with free-form messages; the suite
/// compares only these classes, never message text (see `spec/errors.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Shapes that do not fit together: a size mismatch, a broadcast that fails, a wrong rank.
    InvalidShape,
    /// Values outside the domain: BCE input outside `[0, 1]`, a class index out of range.
    InvalidValue,
    /// A non-tensor argument outside its allowed set, e.g. an unknown `reduction`.
    InvalidParameter,
}

impl ErrorKind {
    /// The name used in case files: `invalid_shape`, `invalid_value` or `invalid_parameter`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidShape => "invalid_shape",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::InvalidParameter => "invalid_parameter",
        }
    }

    /// Parses a case-file name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "invalid_shape" => Some(ErrorKind::InvalidShape),
            "invalid_value" => Some(ErrorKind::InvalidValue),
            "invalid_parameter" => Some(ErrorKind::InvalidParameter),
            _ => None,
        }
    }

    /// Every error class, in the order the spec lists them.
    pub const ALL: [ErrorKind; 3] = [
        ErrorKind::InvalidShape,
        ErrorKind::InvalidValue,
        ErrorKind::InvalidParameter,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error raised by a loss: its class and a message in the spirit of PyTorch's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LossError {
    /// The class the suite compares.
    pub kind: ErrorKind,
    /// A human-readable explanation; never compared.
    pub message: String,
}

impl LossError {
    /// An [`ErrorKind::InvalidShape`] error.
    pub fn invalid_shape(message: impl Into<String>) -> Self {
        LossError {
            kind: ErrorKind::InvalidShape,
            message: message.into(),
        }
    }

    /// An [`ErrorKind::InvalidValue`] error.
    pub fn invalid_value(message: impl Into<String>) -> Self {
        LossError {
            kind: ErrorKind::InvalidValue,
            message: message.into(),
        }
    }

    /// An [`ErrorKind::InvalidParameter`] error.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        LossError {
            kind: ErrorKind::InvalidParameter,
            message: message.into(),
        }
    }
}

impl fmt::Display for LossError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for LossError {}
