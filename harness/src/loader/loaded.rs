//! What loading produces: the valid cases, and a [`LoadError`] for each problem, one line
//! each; names repeated within a loss are reported here, whichever files they come from.

use std::collections::HashMap;
use std::fmt;

use crate::case::{Case, Location};

/// A problem in a case file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub file: String,
    /// The case's name, when the problem is inside a case (or its index if it has no name).
    pub case: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    /// One line, `file:line: case 'name': message`; control characters a file may have put
    /// into the name or the message (a quoted `"a\nb"`) are escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", one_line(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(case) = &self.case {
            write!(f, ": case '{}'", one_line(case))?;
        }
        write!(f, ": {}", one_line(&self.message))
    }
}

/// `text` with its control characters escaped, so that it prints on one line.
fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl std::error::Error for LoadError {}

/// The cases read from one or more files, and the problems found.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The valid cases, in file order.
    pub cases: Vec<Case>,
    /// Every problem; a case with a problem is left out of `cases`.
    pub errors: Vec<LoadError>,
    /// Where each `(loss, name)` of `cases` is written, so that adding a set checks only the
    /// new cases: loading stays linear in the number of cases, however many files they are in.
    names: HashMap<(String, String), Location>,
}

impl Loaded {
    /// Adds another set, dropping (and reporting) each case whose name repeats one already
    /// loaded for the same loss.
    pub fn extend(&mut self, other: Loaded) {
        if self.names.len() != self.cases.len() {
            // `cases` was changed directly: index it afresh (first occurrences win).
            self.names.clear();
            for case in &self.cases {
                let key = (case.loss.clone(), case.name.clone());
                self.names
                    .entry(key)
                    .or_insert_with(|| case.location.clone());
            }
        }
        self.errors.extend(other.errors);
        for case in other.cases {
            let key = (case.loss.clone(), case.name.clone());
            if let Some(first) = self.names.get(&key) {
                let first = if first.file == case.location.file {
                    format!("line {}", first.line)
                } else {
                    first.to_string()
                };
                self.errors.push(LoadError {
                    file: case.location.file.clone(),
                    case: Some(case.name.clone()),
                    line: Some(case.location.line),
                    message: format!(
                        "duplicate case name for loss '{}' (first at {first})",
                        case.loss
                    ),
                });
            } else {
                self.names.insert(key, case.location.clone());
                self.cases.push(case);
            }
        }
    }
}
