//! Reports: the JSON results, the Markdown matrix and differences, the HTML page (rendered in a
//! real headless browser), and the committed report kept current.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use lossparity::{Adapter, Call, Harness, LossError, Reference, Support, Tensor};
use lossparity_cli::report::{self, AdapterResults};

/// KLDiv `mean` computed as `sum`, so the report has differences to show.
struct KlMeanAsSum;

impl Adapter for KlMeanAsSum {
    type Scalar = f64;
    fn name(&self) -> &str {
        "kl_mean_as_sum"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        match call.loss() {
            "kl_div" => Support::Supported,
            other => Support::Unsupported(format!("no {other}")),
        }
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        let output = Reference.forward(call)?;
        let legacy = call.is_given("size_average") || call.is_given("reduce");
        if call.str("reduction") == "mean" && !legacy {
            let input = call.required_float("input");
            return Ok(output.map(|v| v * input.numel() as f64));
        }
        Ok(output)
    }
}

fn results() -> Vec<AdapterResults> {
    report::results(
        &Harness::new()
            .adapter(Reference)
            .adapter(KlMeanAsSum)
            .evaluate(),
    )
}

fn repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lossparity-report-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_markdown_shows_the_matrix_and_each_difference_with_both_values() {
    let markdown = report::markdown(&results());
    assert!(
        markdown.contains("| loss | `reference` | `kl_mean_as_sum` |"),
        "{markdown}"
    );
    // kl_div: the wrong adapter fails some checks; other losses it does not run.
    let kl_row = markdown
        .lines()
        .find(|l| l.starts_with("| `kl_div` |"))
        .unwrap();
    assert!(kl_row.contains("77/0/0 · 2e-16 |"), "{kl_row}");
    let l1_row = markdown
        .lines()
        .find(|l| l.starts_with("| `l1_loss` |"))
        .unwrap();
    assert!(l1_row.ends_with("| — |"), "{l1_row}");
    let difference = markdown
        .lines()
        .find(|l| l.contains("`kl_div::mean_divides_by_numel`"))
        .expect("the mean case is listed");
    assert!(
        difference.contains("expected -0.016266456486892223, kl_mean_as_sum -0.0975987389"),
        "{difference}"
    );
    assert!(
        difference.contains("not a known difference"),
        "{difference}"
    );
}

#[test]
fn results_round_trip_through_json_files_written_atomically() {
    let dir = scratch("json");
    let results = results();
    report::write_results(&results, &dir).unwrap();
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["kl_mean_as_sum.json", "reference.json"]);
    let read = report::read_results(&dir).unwrap();
    assert_eq!(read.len(), 2);
    let (reread, written) = (&read[0], &results[1]);
    assert_eq!(reread.adapter, written.adapter);
    assert_eq!(reread.results.len(), written.results.len());
    for (a, b) in reread.results.iter().zip(&written.results) {
        assert_eq!(
            (&a.loss, &a.case, &a.outcome),
            (&b.loss, &b.case, &b.outcome)
        );
    }
}

/// `lossparity report` killed at moments spread over its run: each report file it leaves is
/// the complete file of an earlier run, never a torn one. (A kill between writing a temporary
/// file and renaming it can leave that temporary file beside them; readers ignore it.)
#[test]
fn a_report_interrupted_at_any_moment_leaves_whole_files() {
    let dir = scratch("interrupted");
    let out = dir.join("reports");
    let run = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lossparity"));
        command
            .args(["report", "--results", "no-results", "--out"])
            .arg(&out)
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };
    // One complete run gives the files every interrupted run must leave intact or replace.
    let started = std::time::Instant::now();
    assert!(run().status().unwrap().success());
    let whole = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    let (json, markdown) = (whole("results.json"), whole("matrix.md"));
    let duration = started.elapsed();
    for step in 0..12u32 {
        let mut child = run().spawn().unwrap();
        std::thread::sleep(duration * step / 10);
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            whole("results.json"),
            json,
            "torn results.json after {step}/10"
        );
        assert_eq!(
            whole("matrix.md"),
            markdown,
            "torn matrix.md after {step}/10"
        );
        serde_json::from_str::<serde_json::Value>(&whole("results.json")).unwrap();
        let leftovers: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        for leftover in leftovers {
            fs::remove_file(out.join(leftover)).unwrap();
        }
    }
}

#[test]
fn a_changed_outcome_makes_the_committed_check_fail() {
    let dir = scratch("committed");
    let committed = dir.join("results.json");
    let mut results = results();
    fs::write(&committed, serde_json::to_string(&results).unwrap()).unwrap();
    assert_eq!(report::check_committed(&results, &committed), Ok(()));
    let kl = results[1]
        .results
        .iter_mut()
        .find(|r| r.loss == "kl_div" && r.outcome == "failed")
        .unwrap();
    kl.outcome = "passed".into();
    let error = report::check_committed(&results, &committed).unwrap_err();
    assert!(error.contains("no longer matches"), "{error}");
    assert!(error.contains("kl_mean_as_sum::kl_div::"), "{error}");
}

#[test]
fn the_committed_report_is_current_for_the_reference() {
    let reference = report::results(&Harness::new().adapter(Reference).evaluate());
    if let Err(message) = report::check_committed(&reference, &repository("reports/results.json")) {
        panic!("{message}");
    }
}

#[test]
fn the_readme_section_keeps_the_matrices_and_links_the_differences() {
    let markdown = report::markdown(&results());
    let section = report::readme_section(&markdown, "reports/matrix.md");
    let (matrices, _) = markdown.split_once("\n**Differences found**\n").unwrap();
    assert!(section.starts_with(matrices), "{section}");
    assert!(section.contains("**Gradients**"), "{section}");
    assert!(
        !section.contains("`kl_div::mean_divides_by_numel`"),
        "{section}"
    );
    let listed = markdown.lines().filter(|l| l.starts_with("- ")).count();
    assert!(listed > 0);
    assert!(
        section.ends_with(&format!(
            "\n**Differences found**: {listed} groups of failed checks that share a reason, each \
             listed with an example check, the expected value and the implementation's, in \
             [reports/matrix.md](reports/matrix.md).\n"
        )),
        "{section}"
    );
}

#[test]
fn the_readme_shows_the_committed_matrix() {
    let readme = fs::read_to_string(repository("README.md")).unwrap();
    let matrix = fs::read_to_string(repository("reports/matrix.md")).unwrap();
    let section = format!(
        "<!-- report:start -->\n{}<!-- report:end -->",
        report::readme_section(&matrix, "reports/matrix.md")
    );
    assert!(
        readme.contains(&section),
        "README.md's report section differs from reports/matrix.md: run `cargo run -p lossparity-cli -- report`"
    );
}

/// Debian's Chromium, where installed.
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn the_html_page_renders_the_matrix_and_a_failure_in_a_headless_browser() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (.ci/run)"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        return;
    };
    let dir = scratch("html");
    let page = dir.join("index.html");
    fs::write(&page, report::html(&results())).unwrap();
    let profile = dir.join("profile");
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        dom.contains("<table class=\"matrix\" id=\"output\">"),
        "{dom}"
    );
    assert!(dom.contains("<td class=\"fail\">"), "{dom}");
    assert!(dom.contains("<td class=\"pass\">"), "{dom}");
    assert!(
        dom.contains(
            "kl_mean_as_sum::kl_div::mean_divides_by_numel — expected -0.016266456486892223"
        ),
        "{dom}"
    );
}

#[test]
fn the_compliance_summary_counts_each_implementations_checks() {
    let mut results = results();
    // One failure of the second adapter explained by a known difference.
    let explained = results[1]
        .results
        .iter_mut()
        .find(|r| r.outcome == "failed")
        .expect("kl_mean_as_sum fails some checks");
    explained.known_difference = Some("mean computed as sum".into());
    results[1].implementation = Some("kl 1.0, rust".into());
    let count = |a: &AdapterResults, outcome: &str| {
        a.results.iter().filter(|r| r.outcome == outcome).count()
    };
    let (passed, failed, unsupported) = (
        count(&results[1], "passed"),
        count(&results[1], "failed"),
        count(&results[1], "unsupported"),
    );
    assert!(passed > 0 && failed > 1 && unsupported > 0);
    let markdown = report::markdown(&results);
    let reference = results[0].results.len();
    assert!(
        markdown.contains(&format!(
            "| `reference` | {reference} | {reference} (100.0%) | 0 | 0 | 0 |"
        )),
        "{markdown}"
    );
    let run = passed + failed;
    let share = format!("{:.1}%", 100.0 * passed as f64 / run as f64);
    assert!(
        markdown.contains(&format!(
            "| `kl_mean_as_sum` (kl 1.0, rust) | {run} | {passed} ({share}) | 1 | {} | {unsupported} |",
            failed - 1
        )),
        "{markdown}"
    );
}
