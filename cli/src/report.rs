//! Reports of a run over several adapters: per-case results as JSON, the conformance matrix
//! (losses × implementations) and the differences found as Markdown, and a self-contained HTML
//! page with the same content.
//!
//! Each adapter crate's tests write its results with [`write_results`]; `lossparity report`
//! gathers them with the reference's and renders [`markdown`] and [`html`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use lossparity::__private::{trial_name, Check, Evaluated, Evaluation, Outcome};

/// The results of one adapter: one entry per (case, check).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdapterResults {
    /// The adapter's name, e.g. `candle_f32`.
    pub adapter: String,
    /// Its scalar type, `f32` or `f64`.
    pub dtype: String,
    /// The PyTorch release the cases' expected values come from.
    #[serde(default)]
    pub pytorch: String,
    /// The implementation as it described itself (`torch 2.15.0, python`), for one run through
    /// the process protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
    /// Every check, in case-file order.
    pub results: Vec<CaseResult>,
}

/// The result of one check of one case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The loss.
    pub loss: String,
    /// The case's name.
    pub case: String,
    /// `output` or `grad`.
    pub check: String,
    /// `passed`, `failed` or `unsupported`.
    pub outcome: String,
    /// For a passed check: the largest absolute error of any element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst_abs: Option<f64>,
    /// For a passed check: the largest relative error of any element; for a failed one, the
    /// relative error of the worst element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst_rel: Option<f64>,
    /// Why the adapter does not run the case (`unsupported`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The known difference that explains a failure, with its upstream issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_difference: Option<String>,
    /// What failed, in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// PyTorch's value at the worst element of a failed check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The adapter's value there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
}

impl CaseResult {
    /// `loss::case` with `::grad` for a gradient check: the trial name without the adapter.
    pub fn id(&self) -> String {
        trial_name(None, &self.loss, &self.case, check_named(&self.check))
    }

    /// The trial name on `adapter`: `adapter::loss::case`, with `::grad` for a gradient check.
    pub fn trial_name(&self, adapter: &str) -> String {
        trial_name(
            Some(adapter),
            &self.loss,
            &self.case,
            check_named(&self.check),
        )
    }

    fn of(evaluation: &Evaluation) -> Self {
        let mut result = CaseResult {
            loss: evaluation.case.loss.clone(),
            case: evaluation.case.name.clone(),
            check: match evaluation.check {
                Check::Output => "output",
                Check::Gradient => "grad",
            }
            .to_owned(),
            outcome: String::new(),
            worst_abs: None,
            worst_rel: None,
            reason: None,
            known_difference: evaluation.known.map(|k| k.to_string()),
            message: None,
            expected: None,
            actual: None,
        };
        match &evaluation.outcome {
            Outcome::Passed(agreement) => {
                result.outcome = "passed".into();
                result.worst_abs = Some(agreement.worst_abs);
                result.worst_rel = Some(agreement.worst_rel);
            }
            Outcome::Failed(failure) => {
                result.outcome = "failed".into();
                result.message = Some(failure.message.clone());
                if let Some(worst) = &failure.worst {
                    result.worst_rel = Some(worst.rel_error).filter(|r| r.is_finite());
                    result.expected = Some(format!("{:?}", worst.expected));
                    result.actual = Some(format!("{:?}", worst.actual));
                }
            }
            Outcome::Ignored(reason) => {
                result.outcome = "unsupported".into();
                result.reason = Some(reason.clone());
            }
        }
        result
    }
}

/// The check that [`CaseResult::check`] names: `grad` or `output`.
fn check_named(name: &str) -> Check {
    match name {
        "grad" => Check::Gradient,
        _ => Check::Output,
    }
}

/// The results of a run, one entry per adapter in registration order.
pub fn results(evaluated: &Evaluated) -> Vec<AdapterResults> {
    let mut adapters: Vec<AdapterResults> = Vec::new();
    for evaluation in &evaluated.evaluations {
        let index = match adapters
            .iter()
            .position(|a| a.adapter == evaluation.adapter)
        {
            Some(index) => index,
            None => {
                adapters.push(AdapterResults {
                    adapter: evaluation.adapter.clone(),
                    dtype: evaluation.dtype.name().to_owned(),
                    pytorch: lossparity::PYTORCH_VERSION.to_owned(),
                    implementation: None,
                    results: Vec::new(),
                });
                adapters.len() - 1
            }
        };
        adapters[index].results.push(CaseResult::of(evaluation));
    }
    adapters
}

/// Writes `contents` to `path` atomically: to a temporary file beside it, flushed to disk, then
/// renamed over `path`, so a reader (or a run interrupted at any point) sees the old file or
/// the new one, never half of one. A failed write removes its temporary file.
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Distinct per process and per call, so concurrent writers never share a temporary file.
    static WRITES: AtomicUsize = AtomicUsize::new(0);

    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let temporary = PathBuf::from(temporary);
    let written = fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(contents.as_bytes())?;
        file.sync_all()
    });
    match written.and_then(|()| fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&temporary);
            Err(e)
        }
    }
}

/// The JSON of one adapter's results, one result per line (compact, and readable in a diff).
pub fn adapter_json(adapter: &AdapterResults) -> String {
    let lines: Vec<String> = adapter
        .results
        .iter()
        .map(|r| serde_json::to_string(r).unwrap_or_default())
        .collect();
    let implementation = match &adapter.implementation {
        Some(implementation) => format!(
            ", \"implementation\": {}",
            serde_json::Value::from(implementation.as_str())
        ),
        None => String::new(),
    };
    format!(
        "{{\"adapter\": {}, \"dtype\": {}, \"pytorch\": {}{implementation}, \"results\": [\n{}\n]}}",
        serde_json::Value::from(adapter.adapter.as_str()),
        serde_json::Value::from(adapter.dtype.as_str()),
        serde_json::Value::from(adapter.pytorch.as_str()),
        lines.join(",\n")
    )
}

/// The JSON of several adapters' results: an array of [`adapter_json`] objects.
pub fn results_json(results: &[AdapterResults]) -> String {
    let adapters: Vec<String> = results.iter().map(adapter_json).collect();
    format!("[\n{}\n]\n", adapters.join(",\n"))
}

/// Writes each adapter's results to `dir/<adapter>.json`.
pub fn write_results(results: &[AdapterResults], dir: &Path) -> io::Result<()> {
    for adapter in results {
        let json = adapter_json(adapter) + "\n";
        write_atomically(&dir.join(format!("{}.json", adapter.adapter)), &json)?;
    }
    Ok(())
}

/// Reads every `*.json` of `dir` written by [`write_results`], sorted by adapter name.
pub fn read_results(dir: &Path) -> io::Result<Vec<AdapterResults>> {
    let mut adapters = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = fs::read_to_string(&path)?;
            let adapter: AdapterResults = serde_json::from_str(&text).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e}", path.display()),
                )
            })?;
            adapters.push(adapter);
        }
    }
    adapters.sort_by(|a, b| a.adapter.cmp(&b.adapter));
    Ok(adapters)
}

/// Fails, saying what changed, unless the committed results (`reports/results.json`, written
/// by `lossparity report`) hold the same outcome for every check of each adapter in `current`.
pub fn check_committed(current: &[AdapterResults], committed: &Path) -> Result<(), String> {
    let update = "run `cargo test --workspace` (the Rust adapters) and `tools/certify --record` \
                  (the implementations in their own process), then `cargo run -p lossparity-cli \
                  -- report`, and commit reports/ and README.md";
    let text = fs::read_to_string(committed)
        .map_err(|e| format!("cannot read {}: {e}; {update}", committed.display()))?;
    let all: Vec<AdapterResults> = serde_json::from_str(&text)
        .map_err(|e| format!("{}: {e}; {update}", committed.display()))?;
    let mut changes = Vec::new();
    for adapter in current {
        let Some(before) = all.iter().find(|a| a.adapter == adapter.adapter) else {
            changes.push(format!(
                "{} is not in the committed report",
                adapter.adapter
            ));
            continue;
        };
        if before.pytorch != adapter.pytorch {
            changes.push(format!(
                "{}: cases from PyTorch '{}' before, '{}' now",
                adapter.adapter, before.pytorch, adapter.pytorch
            ));
        }
        if before.implementation != adapter.implementation {
            changes.push(format!(
                "{}: implementation {:?} before, {:?} now",
                adapter.adapter, before.implementation, adapter.implementation
            ));
        }
        let summary = |r: &CaseResult| (r.outcome.clone(), r.known_difference.clone());
        let trials = |results: &[CaseResult]| -> BTreeMap<String, _> {
            results
                .iter()
                .map(|r| (r.trial_name(&adapter.adapter), summary(r)))
                .collect()
        };
        let (before, now) = (trials(&before.results), trials(&adapter.results));
        for (trial, outcome) in &now {
            match before.get(trial) {
                Some(old) if old == outcome => {}
                Some(old) => changes.push(format!("{trial}: {} before, {} now", old.0, outcome.0)),
                None => changes.push(format!("{trial}: new ({})", outcome.0)),
            }
        }
        for trial in before.keys().filter(|trial| !now.contains_key(*trial)) {
            changes.push(format!("{trial}: no longer run"));
        }
    }
    if changes.is_empty() {
        return Ok(());
    }
    let shown = changes.len().min(20);
    Err(format!(
        "the committed report {} no longer matches what the adapters produce ({} changes; {update}):\n  {}{}",
        committed.display(),
        changes.len(),
        changes[..shown].join("\n  "),
        if changes.len() > shown { "\n  …" } else { "" }
    ))
}

/// One cell of the matrix: the checks of one loss by one adapter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    /// Checks that agree with PyTorch.
    pub passed: usize,
    /// Checks that differ (known differences included: they are differences).
    pub failed: usize,
    /// Checks the adapter does not run.
    pub unsupported: usize,
    /// The largest relative error among the passed checks.
    pub worst_rel: f64,
}

impl Cell {
    fn add(&mut self, result: &CaseResult) {
        match result.outcome.as_str() {
            "passed" => {
                self.passed += 1;
                self.worst_rel = self.worst_rel.max(result.worst_rel.unwrap_or(0.0));
            }
            "failed" => self.failed += 1,
            _ => self.unsupported += 1,
        }
    }

    /// `passed/failed/unsupported`, and the worst relative error if anything passed; `—` when
    /// the adapter runs nothing of this loss.
    fn render(&self) -> String {
        if self.passed + self.failed == 0 {
            return "—".into();
        }
        let counts = format!("{}/{}/{}", self.passed, self.failed, self.unsupported);
        if self.passed > 0 && self.worst_rel == 0.0 {
            format!("{counts} · 0")
        } else if self.passed > 0 {
            format!("{counts} · {:.0e}", self.worst_rel)
        } else {
            counts
        }
    }
}

/// The cells of one kind of check (`output` or `grad`): one row per loss, one column per
/// adapter.
fn matrix<'a>(
    results: &'a [AdapterResults],
    check: &str,
) -> (Vec<&'a AdapterResults>, BTreeMap<String, Vec<Cell>>) {
    let adapters: Vec<&AdapterResults> = results.iter().collect();
    let mut rows: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for (column, adapter) in adapters.iter().enumerate() {
        for result in adapter.results.iter().filter(|r| r.check == check) {
            let row = rows
                .entry(result.loss.clone())
                .or_insert_with(|| vec![Cell::default(); adapters.len()]);
            row[column].add(result);
        }
    }
    (adapters, rows)
}

/// The PyTorch releases the results' cases come from: one, normally.
fn pytorch_versions(results: &[AdapterResults]) -> String {
    let versions: std::collections::BTreeSet<&str> =
        results.iter().map(|r| r.pytorch.as_str()).collect();
    versions.into_iter().collect::<Vec<_>>().join(", ")
}

/// The compliance summary: per implementation, of the checks it runs, how many pass, how many
/// fail with a known difference and how many fail unexplained; and of those it does not run,
/// how many it does not support and how many are not applicable to its dtype
/// (`spec/tolerances.md`).
fn compliance(results: &[AdapterResults]) -> String {
    let mut out = String::from(
        "\n**Compliance**\n\n| implementation | checks run | passed | known differences | \
         other failures | unsupported | not applicable |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for adapter in results {
        let count = |outcome: &str, known: Option<bool>| {
            adapter
                .results
                .iter()
                .filter(|r| r.outcome == outcome)
                .filter(|r| known.is_none_or(|k| r.known_difference.is_some() == k))
                .count()
        };
        let (passed, known, other) = (
            count("passed", None),
            count("failed", Some(true)),
            count("failed", Some(false)),
        );
        let run = passed + known + other;
        let share = match run {
            0 => "—".to_owned(),
            run => format!("{:.1}%", 100.0 * passed as f64 / run as f64),
        };
        let described = match &adapter.implementation {
            Some(implementation) => format!("`{}` ({implementation})", adapter.adapter),
            None => format!("`{}`", adapter.adapter),
        };
        let not_applicable = adapter
            .results
            .iter()
            .filter(|r| r.outcome == "unsupported")
            .filter(|r| {
                r.reason
                    .as_deref()
                    .is_some_and(|reason| reason.starts_with("not applicable in "))
            })
            .count();
        let unsupported = count("unsupported", None) - not_applicable;
        let _ = writeln!(
            out,
            "| {described} | {run} | {passed} ({share}) | {known} | {other} | {unsupported} | \
             {not_applicable} |"
        );
    }
    out
}

/// The matrices (outputs, gradients) and the differences found, as Markdown.
pub fn markdown(results: &[AdapterResults]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Expected values from PyTorch {} (float64); below f64, the reference's on the inputs \
         rounded to each dtype, under tolerances derived per case (`spec/tolerances.md`). Each \
         cell: checks passed/failed/not run (unsupported or not \
         applicable) · the worst relative error among the passed, where `rtol` governs (— : the \
         implementation has nothing for this loss).",
        pytorch_versions(results)
    );
    out.push_str(&compliance(results));
    for (check, title) in [("output", "Outputs"), ("grad", "Gradients")] {
        let (adapters, rows) = matrix(results, check);
        let _ = writeln!(out, "\n**{title}**\n");
        let header: Vec<String> = adapters
            .iter()
            .map(|a| format!("`{}`", a.adapter))
            .collect();
        let _ = writeln!(out, "| loss | {} |", header.join(" | "));
        let _ = writeln!(out, "|---|{}", "---:|".repeat(adapters.len()));
        for (loss, cells) in &rows {
            let cells: Vec<String> = cells.iter().map(Cell::render).collect();
            let _ = writeln!(out, "| `{loss}` | {} |", cells.join(" | "));
        }
    }
    out.push_str("\n**Differences found**\n\n");
    let differences = differences(results);
    if differences.is_empty() {
        out.push_str("None.\n");
    }
    for difference in differences {
        let adapters: Vec<String> = difference
            .adapters
            .iter()
            .map(|a| format!("`{a}`"))
            .collect();
        let more = match difference.count {
            1 => String::new(),
            n => format!(" (and {} more checks)", n - 1),
        };
        let what = match (difference.expected, difference.actual) {
            (Some(expected), Some(actual)) => {
                format!("expected {expected}, {} {actual}", difference.adapters[0])
            }
            _ => difference.first_line.to_owned(),
        };
        let _ = writeln!(
            out,
            "- {} `{}` — `{}`{more}: {}. {}",
            adapters.join(", "),
            difference.loss,
            difference.example,
            what.trim_end_matches('.'),
            difference.reason
        );
    }
    out
}

/// The part of [`markdown`]'s text that the README shows: the matrices, with the list of
/// differences found replaced by their number and a link to `matrix_link`, the file that lists
/// them. (The README is a user's guide; the list runs to a hundred long lines.)
pub fn readme_section(markdown: &str, matrix_link: &str) -> String {
    const HEADING: &str = "\n**Differences found**\n";
    let Some(at) = markdown.find(HEADING) else {
        return markdown.to_owned();
    };
    let listed = markdown[at + HEADING.len()..]
        .lines()
        .filter(|l| l.starts_with("- "))
        .count();
    let link = format!("[{matrix_link}]({matrix_link})");
    let found = match listed {
        0 => format!("none ({link})"),
        n => format!(
            "{n} groups of failed checks that share a reason, each listed with an example \
             check, the expected value and the implementation's, in {link}"
        ),
    };
    format!("{}\n**Differences found**: {found}.\n", &markdown[..at])
}

/// A group of failed checks of one loss that share a reason (usually one crate in both of its
/// dtypes).
struct Difference<'a> {
    adapters: Vec<&'a str>,
    loss: &'a str,
    reason: &'a str,
    example: String,
    expected: Option<&'a str>,
    actual: Option<&'a str>,
    first_line: &'a str,
    count: usize,
}

/// The failed checks, grouped by loss and reason, in report order.
fn differences(results: &[AdapterResults]) -> Vec<Difference<'_>> {
    let mut groups: Vec<Difference> = Vec::new();
    for adapter in results {
        for result in adapter.results.iter().filter(|r| r.outcome == "failed") {
            let reason = result
                .known_difference
                .as_deref()
                .unwrap_or("not a known difference");
            match groups
                .iter_mut()
                .find(|g| g.loss == result.loss && g.reason == reason)
            {
                Some(group) => {
                    group.count += 1;
                    if !group.adapters.contains(&adapter.adapter.as_str()) {
                        group.adapters.push(&adapter.adapter);
                    }
                }
                None => groups.push(Difference {
                    adapters: vec![&adapter.adapter],
                    loss: &result.loss,
                    reason,
                    example: result.id(),
                    expected: result.expected.as_deref(),
                    actual: result.actual.as_deref(),
                    first_line: result
                        .message
                        .as_deref()
                        .and_then(|m| m.lines().next())
                        .unwrap_or(""),
                    count: 1,
                }),
            }
        }
    }
    groups
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained HTML page (inline CSS, no scripts, no network): the matrices in colour and,
/// per adapter, each failure's expected vs actual.
pub fn html(results: &[AdapterResults]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>lossparity conformance report</title>\n<style>\n\
         body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }\n\
         table { border-collapse: collapse; margin-bottom: 2em; }\n\
         th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }\n\
         th:first-child, td:first-child { text-align: left; font-family: monospace; }\n\
         td.pass { background: #d4f4d4; } td.fail { background: #f8c8c8; }\n\
         td.none { background: #eee; color: #888; text-align: center; }\n\
         pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }\n\
         details { margin: 0.3em 0; } summary { cursor: pointer; font-family: monospace; }\n\
         </style>\n</head>\n<body>\n<h1>lossparity conformance report</h1>\n",
    );
    let _ = writeln!(
        out,
        "<p>Expected values from PyTorch {} (float64); below f64, the reference's on the \
         inputs rounded to each dtype, under tolerances derived per case. Each cell: checks \
         passed/failed/not run (unsupported or not applicable) and the worst relative error \
         among the passed, where <code>rtol</code> governs. Green: every check run agrees with PyTorch; red: some differ; \
         grey: nothing run.</p>",
        escape(&pytorch_versions(results))
    );
    out.push_str(&compliance(results));
    for (check, title) in [("output", "Outputs"), ("grad", "Gradients")] {
        let (adapters, rows) = matrix(results, check);
        let _ = writeln!(
            out,
            "<h2>{title}</h2>\n<table class=\"matrix\" id=\"{check}\">"
        );
        out.push_str("<tr><th>loss</th>");
        for adapter in &adapters {
            let _ = write!(out, "<th>{}</th>", escape(&adapter.adapter));
        }
        out.push_str("</tr>\n");
        for (loss, cells) in &rows {
            let _ = write!(out, "<tr><td>{}</td>", escape(loss));
            for cell in cells {
                let class = if cell.passed + cell.failed == 0 {
                    "none"
                } else if cell.failed > 0 {
                    "fail"
                } else {
                    "pass"
                };
                let _ = write!(out, "<td class=\"{class}\">{}</td>", escape(&cell.render()));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out.push_str("<h2>Failures</h2>\n");
    for adapter in results {
        let failures: Vec<&CaseResult> = adapter
            .results
            .iter()
            .filter(|r| r.outcome == "failed")
            .collect();
        if failures.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h3>{} ({} failures)</h3>",
            escape(&adapter.adapter),
            failures.len()
        );
        for failure in failures {
            let _ = writeln!(
                out,
                "<details class=\"failure\"><summary>{} — expected {}, actual {}</summary>\n\
                 <p>{}</p>\n<pre>{}</pre>\n</details>",
                escape(&failure.trial_name(&adapter.adapter)),
                escape(failure.expected.as_deref().unwrap_or("—")),
                escape(failure.actual.as_deref().unwrap_or("—")),
                escape(
                    failure
                        .known_difference
                        .as_deref()
                        .unwrap_or("not a known difference")
                ),
                escape(failure.message.as_deref().unwrap_or(""))
            );
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
