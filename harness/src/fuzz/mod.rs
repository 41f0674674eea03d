//! Seeded random differential testing of an adapter against the f64 reference
//! (`spec/fuzzing.md`).
//!
//! For each loss, a generator draws valid random cases — shapes, every parameter of the
//! signature, legacy reductions, optional inputs present and absent, and edge values (zeros,
//! kinks, large logits, tiny probabilities, ±inf, NaN). Each case runs on the adapter and on
//! the reference, the oracle, forward and (where the adapter computes them) gradient, compared
//! under the adapter dtype's tolerance. A mismatch is shrunk to a small case that the
//! reference still accepts and that still mismatches: a [`Finding`], whose display shows the
//! shrunk parameters and inputs, and which [`FuzzReport::write_case_files`] writes as an
//! input-only case file for `tools/generate.py` to fill from PyTorch.
//!
//! Case `i` of a loss depends only on `(seed, loss, i)`, so a run is reproducible.
//!
//! ```no_run
//! let report = lossparity::fuzz::Fuzzer::new(&lossparity::Reference)
//!     .loss("kl_div")
//!     .seed(7)
//!     .count(10_000)
//!     .run();
//! assert!(!report.found_anything(), "{}", report.findings[0]);
//! ```

pub(crate) mod case_file;
mod differential;
pub(crate) mod draw;
mod generated;
pub(crate) mod generators;
mod sample;
mod shrink;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::adapter::{Adapter, Input, Scalar};
use crate::case::{Case, Param, Value};
use crate::registry::Loss;
use crate::runner::Check;
use crate::spec::Spec;
use differential::{run_case, ReferenceComparison};
use draw::{case_name, case_rng};
use generated::Generated;

/// The losses the fuzzer has a generator for: every loss the suite knows.
pub fn fuzzable_losses() -> Vec<&'static str> {
    Loss::ALL.iter().map(|loss| loss.name()).collect()
}

/// What a run found for one loss.
#[derive(Clone, Debug, PartialEq)]
pub struct LossSummary {
    /// The loss.
    pub loss: String,
    /// Random cases run.
    pub cases: u64,
    /// Cases the reference rejected (a generator bug when not ~0; not findings).
    pub invalid: u64,
    /// Cases whose forward pass the adapter does not support.
    pub unsupported: u64,
    /// Cases where the adapter and the reference disagreed.
    pub mismatches: u64,
    /// Distinct shrunk findings recorded (at most [`Fuzzer::max_findings`] per loss).
    pub findings: usize,
    /// Wall time of the loss's run, shrinking included.
    pub elapsed: Duration,
}

impl LossSummary {
    /// Random cases per second.
    pub fn cases_per_second(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A mismatch, shrunk: the smallest case found that the reference accepts and the adapter
/// still gets wrong. Its [`Display`](std::fmt::Display) shows what differs and the shrunk
/// case's parameters and inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    loss: String,
    index: u64,
    check: Check,
    message: String,
    case: Case,
    original: Case,
    shrink_steps: usize,
}

impl Finding {
    /// The loss.
    pub fn loss(&self) -> &str {
        &self.loss
    }

    /// The index of the random case it was found in (with the seed, it redraws that case).
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The shrunk case's name, `fuzz_seed<S>_<i>`.
    pub fn case_name(&self) -> &str {
        &self.case.name
    }

    /// Whether the gradient differs (otherwise the output or the error does).
    pub fn in_gradient(&self) -> bool {
        self.check == Check::Gradient
    }

    /// What differs, on the shrunk case.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The shrunk case's parameters, as given to the adapter (those left out take PyTorch's
    /// defaults).
    pub fn params(&self) -> &BTreeMap<String, Param> {
        &self.case.params
    }

    /// The shrunk case's tensor arguments, in f64; absent optional inputs are absent.
    pub fn inputs(&self) -> BTreeMap<&str, Input<f64>> {
        self.case
            .inputs
            .iter()
            .map(|(name, value)| (name.as_str(), Input::from(value.clone())))
            .collect()
    }

    /// The shrinking steps taken from the random case as drawn.
    pub fn shrink_steps(&self) -> usize {
        self.shrink_steps
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let check = if self.in_gradient() {
            "gradient"
        } else {
            "output"
        };
        writeln!(
            f,
            "{}::{} ({check}): {}",
            self.loss, self.case.name, self.message
        )?;
        write!(f, "{}", crate::case::Shown(&self.case))
    }
}

/// A finding's cases, for lossparity's own tooling and tests.
pub trait FindingCase {
    /// The shrunk case (its `expected` is a placeholder).
    fn case(&self) -> &Case;
    /// The random case as drawn.
    fn original(&self) -> &Case;
    /// Whether the output or the gradient differs.
    fn check(&self) -> Check;
}

impl FindingCase for Finding {
    fn case(&self) -> &Case {
        &self.case
    }
    fn original(&self) -> &Case {
        &self.original
    }
    fn check(&self) -> Check {
        self.check
    }
}

/// The result of a fuzzing run.
#[derive(Clone, Debug, PartialEq)]
pub struct FuzzReport {
    /// The adapter's name.
    pub adapter: String,
    /// The seed.
    pub seed: u64,
    /// One summary per loss, in the order run.
    pub losses: Vec<LossSummary>,
    /// The shrunk findings, by loss and case index.
    pub findings: Vec<Finding>,
}

impl FuzzReport {
    /// Whether any case mismatched.
    pub fn found_anything(&self) -> bool {
        self.losses.iter().any(|loss| loss.mismatches > 0)
    }

    /// The input-only case files of the findings: `(loss, file text)`, one per loss with
    /// findings.
    pub fn case_files(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        for summary in &self.losses {
            let findings: Vec<(&Case, &str)> = self
                .findings
                .iter()
                .filter(|f| f.loss == summary.loss)
                .map(|f| (&f.case, f.message.as_str()))
                .collect();
            if findings.is_empty() {
                continue;
            }
            let header = format!(
                "Input-only cases found by `lossparity fuzz --adapter {} --loss {} --seed {}`.\n\
                 Copy them into tools/found/{}.yaml and run tools/generate.py {} to add PyTorch's \
                 results (spec/fuzzing.md).",
                self.adapter, summary.loss, self.seed, summary.loss, summary.loss
            );
            files.push((
                summary.loss.clone(),
                case_file::render(&summary.loss, &header, &findings),
            ));
        }
        files
    }

    /// Writes [`FuzzReport::case_files`] to `dir/<loss>.yaml`; returns the paths written.
    pub fn write_case_files(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (loss, text) in self.case_files() {
            std::fs::create_dir_all(dir)?;
            let path = dir.join(format!("{loss}.yaml"));
            std::fs::write(&path, text)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// A fuzzing run of one adapter, configured by its builder methods.
pub struct Fuzzer<'a, A: Adapter> {
    adapter: &'a A,
    losses: Vec<String>,
    seed: u64,
    count: u64,
    gradients: bool,
    max_findings: usize,
    shrink_budget: usize,
}

impl<'a, A: Adapter> Fuzzer<'a, A> {
    /// A run of `adapter` over every fuzzable loss, seed 0, 1000 cases per loss, gradients
    /// included, at most 5 findings per loss, 4000 shrinking candidates per finding.
    pub fn new(adapter: &'a A) -> Self {
        Fuzzer {
            adapter,
            losses: Vec::new(),
            seed: 0,
            count: 1000,
            gradients: true,
            max_findings: 5,
            shrink_budget: 4000,
        }
    }

    /// Fuzzes `loss` (call again for more); without any, every fuzzable loss.
    pub fn loss(mut self, loss: &str) -> Self {
        self.losses.push(loss.to_owned());
        self
    }

    /// The seed of the run.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Random cases per loss.
    pub fn count(mut self, count: u64) -> Self {
        self.count = count;
        self
    }

    /// Whether to compare gradients too (where the adapter computes them).
    pub fn gradients(mut self, gradients: bool) -> Self {
        self.gradients = gradients;
        self
    }

    /// Distinct shrunk findings to record per loss; mismatches beyond are only counted.
    pub fn max_findings(mut self, max_findings: usize) -> Self {
        self.max_findings = max_findings;
        self
    }

    /// Candidates the shrinker may try per finding.
    pub fn shrink_budget(mut self, shrink_budget: usize) -> Self {
        self.shrink_budget = shrink_budget;
        self
    }

    /// Runs every selected loss.
    ///
    /// # Panics
    /// If a selected loss has no generator (see [`fuzzable_losses`]).
    pub fn run(&self) -> FuzzReport {
        let losses: Vec<String> = if self.losses.is_empty() {
            fuzzable_losses().into_iter().map(str::to_owned).collect()
        } else {
            self.losses.clone()
        };
        let mut report = FuzzReport {
            adapter: self.adapter.name().to_owned(),
            seed: self.seed,
            losses: Vec::new(),
            findings: Vec::new(),
        };
        for loss in &losses {
            let (summary, findings) = self.run_loss(loss);
            report.losses.push(summary);
            report.findings.extend(findings);
        }
        report
    }

    fn run_loss(&self, loss: &str) -> (LossSummary, Vec<Finding>) {
        let generate = Loss::from_name(loss)
            .unwrap_or_else(|| {
                panic!(
                    "no fuzz generator for loss '{loss}' (have: {})",
                    fuzzable_losses().join(", ")
                )
            })
            .generator();
        let spec = Spec::bundled()
            .get(loss)
            .unwrap_or_else(|| panic!("no signature for loss '{loss}'"));
        let started = Instant::now();
        let mut summary = LossSummary {
            loss: loss.to_owned(),
            cases: 0,
            invalid: 0,
            unsupported: 0,
            mismatches: 0,
            findings: 0,
            elapsed: Duration::ZERO,
        };
        let mut findings: Vec<Finding> = Vec::new();
        let mut shrinks = 0;
        for index in 0..self.count {
            let generated =
                in_precision::<A::Scalar>(generate(&mut case_rng(self.seed, loss, index)));
            let name = case_name(self.seed, index);
            let case = generated.to_case(loss, &name);
            let result = run_case(self.adapter, &case, spec, self.gradients);
            summary.cases += 1;
            summary.invalid += u64::from(result.reference_error.is_some());
            let check = match result.comparison {
                ReferenceComparison::Agree => continue,
                ReferenceComparison::Unsupported => {
                    summary.unsupported += 1;
                    continue;
                }
                ReferenceComparison::Mismatch { check, .. } => check,
            };
            summary.mismatches += 1;
            // Shrinking is the expensive part: stop once enough distinct findings are in, or
            // after a few shrinks that only found duplicates.
            if findings.len() >= self.max_findings || shrinks >= 4 * self.max_findings.max(1) {
                continue;
            }
            shrinks += 1;
            let still_fails = |candidate: &Generated| {
                let smaller = run_case(
                    self.adapter,
                    &candidate.to_case(loss, &name),
                    spec,
                    self.gradients,
                );
                smaller.reference_error == result.reference_error && smaller.is_mismatch_in(check)
            };
            let (shrunk, shrink_steps) =
                shrink::shrink(&generated, spec, self.shrink_budget, still_fails);
            let shrunk_case = shrunk.to_case(loss, &name);
            let duplicate = findings.iter().any(|f| {
                f.case.params == shrunk_case.params && f.case.inputs == shrunk_case.inputs
            });
            if duplicate {
                continue;
            }
            let message =
                match run_case(self.adapter, &shrunk_case, spec, self.gradients).comparison {
                    ReferenceComparison::Mismatch { message, .. } => message,
                    other => format!("{other:?}"),
                };
            findings.push(Finding {
                loss: loss.to_owned(),
                index,
                check,
                message,
                case: shrunk_case,
                original: case,
                shrink_steps,
            });
        }
        summary.findings = findings.len();
        summary.elapsed = started.elapsed();
        (summary, findings)
    }
}

/// `case` with its float inputs rounded to `T`'s precision, so an f32 adapter and the reference
/// see the same numbers.
fn in_precision<T: Scalar>(mut case: Generated) -> Generated {
    if T::DTYPE == crate::Dtype::F64 {
        return case;
    }
    for input in case.inputs.values_mut() {
        if let Value::Float(t) = &input.value {
            let rounded = t.map(|&v| T::round_from_f64(v).to_f64().unwrap_or(v));
            input.value = Value::Float(rounded);
        }
    }
    case
}
