//! Whole runs as a crate author's `cargo test` makes them: what is printed, in text and in
//! `--format json`, and the exit status. Each scenario runs in a child process (this test
//! binary, running only that test, with [`SCENARIO`] naming it), since a run prints past the
//! test's output capture and exits the process.

use std::process::Command;

use libtest_mimic::Arguments;
use lossparity::{Adapter, Call, Harness, KnownDifference, LossError, Reference, Support, Tensor};

/// The scenario a child process runs, and the libtest arguments it runs it with.
const SCENARIO: &str = "LOSSPARITY_SCENARIO";
const SCENARIO_ARGS: &str = "LOSSPARITY_SCENARIO_ARGS";

/// What a scenario's run printed, and how it exited.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `harness` when this process is the child started for the test `test`, with the
/// arguments the parent gave, and exits with the run's status. Returns in the parent.
fn child(test: &str, harness: impl FnOnce() -> Harness) {
    if std::env::var(SCENARIO).as_deref() != Ok(test) {
        return;
    }
    let given = std::env::var(SCENARIO_ARGS).unwrap_or_default();
    let args = Arguments::from_iter(std::iter::once("scenario").chain(given.split_whitespace()));
    harness().run_with_args(&args).exit()
}

/// The lines the scenario's run printed: the child's own libtest prints a header and starts
/// the line `test <name> ... ` before the scenario runs.
fn run_lines(stdout: &str) -> impl Iterator<Item = &str> {
    stdout
        .lines()
        .map(|line| line.rsplit(" ... ").next().unwrap_or(line))
}

/// The JSON events of a run's output.
fn json_events(stdout: &str) -> Vec<serde_json::Value> {
    run_lines(stdout)
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// Starts this test binary to run the test `test` as a child with libtest arguments `args`.
fn parent(test: &str, args: &str) -> Run {
    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env(SCENARIO, test)
        .env(SCENARIO_ARGS, args)
        .output()
        .expect("the test binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The number of checks of `loss` in the bundled cases: its cases, plus those recording a
/// gradient.
fn bundled_checks(loss: &str) -> usize {
    let loaded = Harness::new().losses([loss]).load();
    loaded
        .cases
        .iter()
        .map(|case| lossparity::__private::Check::of(case).len())
        .sum()
}

/// Implements no loss at all.
struct NothingYet;

impl Adapter for NothingYet {
    type Scalar = f64;
    fn name(&self) -> &str {
        "nothing_yet"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        Support::Unsupported(format!("no {} yet", call.loss()))
    }
    fn forward(&self, _: &Call<'_, f64>) -> Result<Tensor, LossError> {
        unreachable!("supports nothing")
    }
}

/// The reference's `l1_loss`, forward only, with a wrong `reduction_sum` (a known difference).
struct L1WrongSum;

impl Adapter for L1WrongSum {
    type Scalar = f64;
    fn name(&self) -> &str {
        "l1_wrong_sum"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        Reference.supports(call)
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        let output = Reference.forward(call)?;
        match call.case_name() {
            "reduction_sum" => Ok(output.map(|v| v + 1.0)),
            _ => Ok(output),
        }
    }
}

const L1_WRONG_SUM: &[KnownDifference] = &[KnownDifference {
    pattern: "l1_wrong_sum::l1_loss::reduction_sum",
    reason: "adds one to the sum",
    upstream: Some("example/l1#1"),
}];

#[test]
fn losses_selects_exactly_those_losses_and_the_text_run_names_the_pytorch_version() {
    let test = "losses_selects_exactly_those_losses_and_the_text_run_names_the_pytorch_version";
    child(test, || {
        Harness::new()
            .adapter(Reference)
            .losses(["l1_loss", "kl_div"])
    });
    let run = parent(test, "");
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let checks = bundled_checks("l1_loss") + bundled_checks("kl_div");
    assert!(checks > 100);
    assert!(
        run.stdout.contains(&format!(
            "test result: ok. {checks} passed; 0 failed; 0 ignored"
        )),
        "{}",
        run.stdout
    );
    let header = format!(
        "expected values from PyTorch {} (float64)",
        lossparity::PYTORCH_VERSION
    );
    assert!(run.stdout.contains(&header), "{}", run.stdout);
    assert!(!run.stdout.contains("mse_loss"), "{}", run.stdout);
}

#[test]
fn the_documented_filter_selects_exactly_one_loss() {
    let test = "the_documented_filter_selects_exactly_one_loss";
    child(test, || Harness::new().adapter(Reference));
    let run = parent(test, "::kl_div:: --list");
    let listed: Vec<&str> = run_lines(&run.stdout)
        .filter(|l| l.ends_with(": test"))
        .collect();
    assert_eq!(listed.len(), bundled_checks("kl_div"), "{}", run.stdout);
    // `--list` prints `[f64] reference::kl_div::case: test`, the dtype being the trial's kind.
    assert!(
        listed
            .iter()
            .all(|l| l.starts_with("[f64] reference::kl_div::")),
        "{}",
        run.stdout
    );
    // A bare `kl_div` also matches other losses' cases that mention it in their name.
    let bare = parent(test, "kl_div --list");
    assert!(
        run_lines(&bare.stdout).any(|l| l.starts_with("[f64] reference::triplet_margin_loss::")),
        "{}",
        bare.stdout
    );
}

#[test]
fn a_misspelt_loss_fails_the_run_with_the_nearest_name() {
    let test = "a_misspelt_loss_fails_the_run_with_the_nearest_name";
    child(test, || {
        Harness::new().adapter(Reference).losses(["mse_los"])
    });
    let run = parent(test, "");
    assert_eq!(run.code, Some(101), "{}", run.stdout);
    assert!(
        run.stdout.contains("losses::mse_los")
            && run
                .stdout
                .contains("knows no loss 'mse_los' (did you mean 'mse_loss'?)"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_adapter_that_supports_nothing_fails_the_run() {
    let test = "an_adapter_that_supports_nothing_fails_the_run";
    child(test, || {
        Harness::new().adapter(NothingYet).losses(["l1_loss"])
    });
    let run = parent(test, "");
    assert_eq!(run.code, Some(101), "{}{}", run.stdout, run.stderr);
    let checks = bundled_checks("l1_loss");
    assert!(
        run.stderr.contains(&format!(
            "adapter 'nothing_yet' supports none of the {checks} trials it was given"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_run_with_no_case_fails() {
    let test = "a_run_with_no_case_fails";
    child(test, || {
        Harness::new().adapter(Reference).without_bundled_cases()
    });
    let run = parent(test, "");
    assert_eq!(run.code, Some(101), "{}", run.stdout);
    assert!(
        run.stdout.contains("lossparity::no_cases") && run.stdout.contains("no case was loaded"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_run_with_no_adapter_fails() {
    let test = "a_run_with_no_adapter_fails";
    child(test, Harness::new);
    let run = parent(test, "");
    assert_eq!(run.code, Some(101), "{}", run.stdout);
    assert!(
        run.stdout.contains("lossparity::no_adapter") && run.stdout.contains("no adapter"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_output_gives_every_ignored_trial_its_reason() {
    let test = "json_output_gives_every_ignored_trial_its_reason";
    child(test, || {
        Harness::new()
            .adapter(L1WrongSum)
            .losses(["l1_loss"])
            .known_differences(L1_WRONG_SUM)
    });
    let run = parent(test, "--format json");
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let events = json_events(&run.stdout);
    let of = |event: &str| -> Vec<&serde_json::Value> {
        events
            .iter()
            .filter(|e| e["type"] == "test" && e["event"] == event)
            .collect()
    };
    let ignored = of("ignored");
    let gradients = bundled_checks("l1_loss") - of("ok").len() - 1;
    assert_eq!(ignored.len(), gradients + 1);
    for event in &ignored {
        let name = event["name"].as_str().unwrap();
        let expected = if name == "l1_wrong_sum::l1_loss::reduction_sum" {
            "known difference: adds one to the sum (example/l1#1)"
        } else {
            assert!(name.ends_with("::grad"), "{name}");
            "the adapter computes no gradients"
        };
        assert_eq!(event["message"], expected, "{name}");
    }
    assert_eq!(events[0]["type"], "suite");
    assert_eq!(events[0]["event"], "started");
    assert_eq!(events[0]["test_count"], bundled_checks("l1_loss"));
    let summary = events.last().unwrap();
    assert_eq!(summary["type"], "suite");
    assert_eq!(summary["event"], "ok");
    assert_eq!(summary["ignored"], ignored.len());
    assert_eq!(of("started").len(), bundled_checks("l1_loss"));
}

#[test]
fn json_output_reports_a_failure_with_its_message() {
    let test = "json_output_reports_a_failure_with_its_message";
    child(test, || {
        Harness::new().adapter(L1WrongSum).losses(["l1_loss"])
    });
    let run = parent(
        test,
        "--format json --exact l1_wrong_sum::l1_loss::reduction_sum",
    );
    assert_eq!(run.code, Some(101), "{}", run.stdout);
    let events = json_events(&run.stdout);
    let failed: Vec<_> = events.iter().filter(|e| e["event"] == "failed").collect();
    assert_eq!(failed.len(), 2, "{}", run.stdout);
    let stdout = failed[0]["stdout"].as_str().unwrap();
    assert!(stdout.contains("value mismatch"), "{stdout}");
    assert!(stdout.contains("params: reduction=sum"), "{stdout}");
    assert_eq!(failed[1]["type"], "suite");
    assert_eq!(failed[1]["filtered_out"], bundled_checks("l1_loss") - 1);
}
