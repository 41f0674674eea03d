//! The spec-coverage gate: for every loss, which of the spec's requirements the cases exercise.
//!
//! A loss is covered when its cases exercise, in cases that expect an output: each parameter at
//! its default and at a non-default value (each allowed value of an enumerated parameter, both
//! values of a boolean, `null` of a nullable one), and each optional input present and absent;
//! and, in cases that expect an error, each error class its spec lists.

use std::fmt;

use lossparity_reference::ErrorKind;

use lossparity::__private::spec::{LossSpec, ParamType, Spec};
use lossparity::__private::{Case, Expected, Loss};
use lossparity::Param;

/// One thing the spec requires a case for, and how many cases exercise it.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// What kind of requirement: `param`, `input` or `error`.
    pub kind: &'static str,
    /// What is required, e.g. `reduction=sum`, `margin≠default`, `weight absent`.
    pub what: String,
    /// The number of cases that exercise it.
    pub cases: usize,
}

/// The coverage of one loss.
#[derive(Clone, Debug, PartialEq)]
pub struct LossCoverage {
    /// The loss.
    pub loss: String,
    /// Its number of cases.
    pub cases: usize,
    /// Every requirement with its count.
    pub requirements: Vec<Requirement>,
}

impl LossCoverage {
    /// The requirements no case exercises.
    pub fn missing(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| r.cases == 0)
    }
}

/// What the value of a parameter must be for a case to exercise a requirement.
enum Wanted<'a> {
    Exactly(&'a Param),
    NotDefault,
}

/// The coverage by `cases` of every loss of the registry, in its order.
///
/// # Panics
/// If `spec` has no signature for one of them (`harness/tests/spec.rs` checks that the bundled
/// spec has every one).
pub fn coverage(spec: &Spec, cases: &[Case]) -> Vec<LossCoverage> {
    Loss::ALL
        .iter()
        .map(|&loss| {
            let signature = spec
                .get(loss.name())
                .unwrap_or_else(|| panic!("no signature for {loss} in spec/{loss}.md"));
            let own: Vec<&Case> = cases.iter().filter(|c| c.loss == loss.name()).collect();
            LossCoverage {
                loss: loss.name().to_owned(),
                cases: own.len(),
                requirements: requirements(signature, &own),
            }
        })
        .collect()
}

fn requirements(loss: &LossSpec, cases: &[&Case]) -> Vec<Requirement> {
    let outputs: Vec<&Case> = cases
        .iter()
        .copied()
        .filter(|c| matches!(c.expected, Expected::Output { .. }))
        .collect();
    let count = |wanted: &dyn Fn(&Case) -> bool| outputs.iter().filter(|c| wanted(c)).count();
    let mut requirements = Vec::new();
    for param in &loss.params {
        let value = |case: &Case| {
            case.params
                .get(&param.name)
                .unwrap_or(&param.default)
                .clone()
        };
        let mut wanted: Vec<(String, Wanted)> = Vec::new();
        match (&param.allowed, param.kind) {
            (Some(allowed), _) => {
                for v in allowed {
                    wanted.push((format!("{}={v}", param.name), Wanted::Exactly(v)));
                }
            }
            (None, ParamType::Bool) => {
                for v in [&Param::Bool(false), &Param::Bool(true)] {
                    wanted.push((format!("{}={v}", param.name), Wanted::Exactly(v)));
                }
            }
            (None, _) => {
                let default = &param.default;
                wanted.push((
                    format!("{}={default} (default)", param.name),
                    Wanted::Exactly(default),
                ));
                wanted.push((format!("{}≠default", param.name), Wanted::NotDefault));
            }
        }
        if param.nullable
            && !wanted
                .iter()
                .any(|(_, w)| matches!(w, Wanted::Exactly(Param::Null)))
        {
            wanted.push((
                format!("{}=null", param.name),
                Wanted::Exactly(&Param::Null),
            ));
        }
        for (what, w) in wanted {
            let cases = count(&|case| match &w {
                Wanted::Exactly(v) => same_value(&value(case), v),
                Wanted::NotDefault => !same_value(&value(case), &param.default),
            });
            requirements.push(Requirement {
                kind: "param",
                what,
                cases,
            });
        }
    }
    for input in loss.inputs.iter().filter(|i| i.optional) {
        for present in [true, false] {
            requirements.push(Requirement {
                kind: "input",
                what: format!(
                    "{} {}",
                    input.name,
                    if present { "present" } else { "absent" }
                ),
                cases: count(&|case| case.inputs.contains_key(&input.name) == present),
            });
        }
    }
    for kind in ErrorKind::ALL.iter().filter(|k| loss.errors.contains(k)) {
        requirements.push(Requirement {
            kind: "error",
            what: kind.name().to_owned(),
            cases: cases
                .iter()
                .filter(|c| c.expected == Expected::Error(*kind))
                .count(),
        });
    }
    requirements
}

/// Parameter equality where an integer literal equals the same float (`margin: 1` is `1.0`).
fn same_value(a: &Param, b: &Param) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// The coverage table, one row per loss, then every missing requirement.
pub struct CoverageTable<'a>(pub &'a [LossCoverage]);

impl fmt::Display for CoverageTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<34} {:>6} {:>8} {:>8} {:>8} {:>8}",
            "loss", "cases", "params", "inputs", "errors", "missing"
        )?;
        for loss in self.0 {
            let share = |kind: &str| {
                let of_kind: Vec<&Requirement> = loss
                    .requirements
                    .iter()
                    .filter(|r| r.kind == kind)
                    .collect();
                let met = of_kind.iter().filter(|r| r.cases > 0).count();
                format!("{met}/{}", of_kind.len())
            };
            writeln!(
                f,
                "{:<34} {:>6} {:>8} {:>8} {:>8} {:>8}",
                loss.loss,
                loss.cases,
                share("param"),
                share("input"),
                share("error"),
                loss.missing().count()
            )?;
        }
        for loss in self.0 {
            for requirement in loss.missing() {
                writeln!(
                    f,
                    "missing: {}: no case with {} {}",
                    loss.loss, requirement.kind, requirement.what
                )?;
            }
        }
        Ok(())
    }
}
