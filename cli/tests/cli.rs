//! The `lossparity` binary: the README's main command.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

fn lossparity(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lossparity"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lossparity-cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

#[test]
fn run_passes_every_bundled_case_and_ends_with_the_summary_line() {
    let output = lossparity(&["run"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let last = text.lines().last().unwrap();
    let (passed, rest) = last.split_once(" passed, ").expect(last);
    assert!(passed.parse::<usize>().unwrap() >= 150, "{last}");
    assert_eq!(rest, "0 failed, 0 ignored");
    assert!(text.contains("reference    kl_div"), "{text}");
}

#[test]
fn run_reads_case_files_and_directories_and_fails_on_a_wrong_expectation() {
    let dir = scratch("wrong");
    let good =
        "loss: hinge_embedding_loss\ncases:\n  - name: sum\n    params: {reduction: sum}\n    \
                inputs: {input: [0.5, 2.0], target: [-1.0, 1.0]}\n    expected: {output: 2.5}\n";
    fs::write(dir.join("good.yaml"), good).unwrap();
    let output = lossparity(&["run", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("1 passed, 0 failed, 0 ignored\n"));

    fs::write(
        dir.join("good.yaml"),
        good.replace("output: 2.5", "output: 2.4"),
    )
    .unwrap();
    let output = lossparity(&["run", dir.join("good.yaml").to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL  reference::hinge_embedding_loss::sum"),
        "{text}"
    );
    assert!(text.contains("expected 2.4, actual 2.5"), "{text}");
    assert!(text.ends_with("0 passed, 1 failed, 0 ignored\n"), "{text}");
}

#[test]
fn run_reports_a_malformed_file_with_its_line_and_exits_non_zero() {
    let dir = scratch("malformed");
    let text = "loss: hinge_embedding_loss\ncases:\n  - name: bad\n    \
                inputs: {input: [[1.0], [2.0, 3.0]], target: 1.0}\n    expected: {output: 1.0}\n";
    fs::write(dir.join("bad.yaml"), text).unwrap();
    let output = lossparity(&["run", dir.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("bad.yaml:4: case 'bad': input 'input': ragged nested list"),
        "{text}"
    );
    assert!(text.ends_with("0 passed, 1 failed, 0 ignored\n"), "{text}");
}

#[test]
fn filter_and_list_select_cases() {
    let output = lossparity(&["run", "--filter", "multilabel_margin_loss::"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(!text.contains("reference    kl_div"), "{text}");

    let output = lossparity(&["list", "--filter", "kl_div::"]);
    let text = stdout(&output);
    assert!(output.status.success());
    assert!(text.lines().all(|l| l.starts_with("kl_div::")), "{text}");
    assert!(text.contains("(cases/kl_div.yaml:"), "{text}");
}

#[test]
fn a_bad_command_line_exits_2_with_usage() {
    let output = lossparity(&["runn"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: lossparity run"));
}

#[test]
fn coverage_prints_the_table_and_passes_on_the_bundled_cases() {
    let output = lossparity(&["coverage"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.starts_with("loss "), "{text}");
    assert!(text.contains("kl_div "), "{text}");
    assert!(
        text.trim_end().ends_with("0 requirements missing"),
        "{text}"
    );
}

#[test]
fn coverage_fails_when_a_requirement_is_missing() {
    let dir = scratch("coverage");
    let only_sum = "loss: hinge_embedding_loss\ncases:\n  - name: sum\n    params: {reduction: sum}\n    \
                    inputs: {input: [0.5, 2.0], target: [-1.0, 1.0]}\n    expected: {output: 2.5}\n";
    fs::write(dir.join("hinge.yaml"), only_sum).unwrap();
    let output = lossparity(&["coverage", dir.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("missing: hinge_embedding_loss: no case with param reduction=none"),
        "{text}"
    );
}

#[test]
fn report_writes_the_json_the_matrix_and_the_page_and_updates_a_readme_section() {
    let dir = scratch("report");
    let results = dir.join("results");
    fs::create_dir_all(&results).unwrap();
    let readme = "# x\n<!-- report:start -->\nold\n<!-- report:end -->\nafter\n";
    fs::write(dir.join("README.md"), readme).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lossparity"))
        .args(["report", "--results", "results", "--out", "out"])
        .current_dir(&dir)
        .output()
        .expect("the binary runs");
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("| `kl_div` | 77/0/0"), "{text}");
    for file in ["results.json", "matrix.md", "index.html"] {
        assert!(dir.join("out").join(file).exists(), "{file}");
    }
    // The README gets the matrices, and the differences as a number and a link to matrix.md.
    let matrix = fs::read_to_string(dir.join("out/matrix.md")).unwrap();
    let section = lossparity_cli::report::readme_section(&matrix, "out/matrix.md");
    assert!(
        section.ends_with("\n**Differences found**: none ([out/matrix.md](out/matrix.md)).\n"),
        "{section}"
    );
    let updated = fs::read_to_string(dir.join("README.md")).unwrap();
    assert_eq!(
        updated,
        format!("# x\n<!-- report:start -->\n{section}<!-- report:end -->\nafter\n")
    );
}

#[test]
fn fuzz_finds_nothing_in_the_reference_and_writes_a_mutants_findings() {
    let dir = scratch("fuzz");
    let out = dir.to_str().unwrap();
    let output = lossparity(&[
        "fuzz",
        "--adapter",
        "reference",
        "--loss",
        "kl_div",
        "--count",
        "300",
        "--out",
        out,
    ]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("kl_div"), "{text}");
    assert!(
        text.ends_with(
            "300 cases, 0 mismatches, 0 findings, 0 invalid (adapter reference, seed 0)\n"
        ),
        "{text}"
    );

    let args = [
        "fuzz",
        "--adapter",
        "l1_loss.gradient_one_at_zero",
        "--seed",
        "4",
        "--count",
        "300",
        "--out",
        out,
    ];
    let output = lossparity(&args);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("FOUND l1_loss::fuzz_seed4_"), "{text}");
    let written = fs::read_to_string(dir.join("l1_loss.yaml")).expect("the findings are written");
    assert!(written.contains("loss: l1_loss\ncases:\n"), "{written}");
    let without_rates = |text: &str| -> String {
        text.lines()
            .filter(|line| !line.starts_with("l1_loss "))
            .collect()
    };
    assert_eq!(
        without_rates(&stdout(&lossparity(&args))),
        without_rates(&text),
        "the same seed gives the same run"
    );
    assert_eq!(
        fs::read_to_string(dir.join("l1_loss.yaml")).unwrap(),
        written
    );

    let output = lossparity(&["fuzz", "--adapter", "no_such_adapter"]);
    assert_eq!(output.status.code(), Some(2));
    // Something to fuzz is needed: a named adapter or an implementation in its own process,
    // and one that does not start is an error, not an empty run.
    let output = lossparity(&["fuzz"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--exec"));
    let output = lossparity(&["fuzz", "--exec", "/no/such/implementation"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot start"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn mutants_names_the_case_that_catches_each_mutant_and_passes_when_none_survives() {
    let output = lossparity(&["mutants", "--verbose"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("kl_div.mean_as_batchmean")
            && text.contains("caught by kl_div::")
            && text.contains("batchmean"),
        "{text}"
    );
    let last = text.lines().last().unwrap();
    assert!(last.ends_with("caught, 0 survived"), "{last}");
}

#[test]
fn mutants_fails_when_the_cases_catch_nothing() {
    // One kl_div case that no kl_div mutant changes: every mutant of the catalogue survives it.
    let dir = scratch("mutants");
    let file = dir.join("kl_div.yaml");
    fs::write(
        &file,
        "loss: kl_div\ncases:\n  - name: bad_reduction\n    params: {reduction: bogus}\n    \
         inputs: {input: [-1.0], target: [0.5]}\n    expected: {error: invalid_parameter}\n",
    )
    .unwrap();
    let output = lossparity(&["mutants", file.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("kl_div.mean_as_batchmean "))
        .expect("the mutant is listed");
    assert!(line.contains("SURVIVED"), "{line}");
    assert!(text.contains(" mutants, 0 caught, "), "{text}");
}

#[test]
fn run_takes_a_time_limit_and_rejects_a_bad_one() {
    let output = lossparity(&["run", "--time-limit", "5", "--filter", "kl_div::"]);
    assert!(output.status.success(), "{}", stdout(&output));
    let output = lossparity(&["run", "--time-limit", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--time-limit: 'soon' is not a positive number of seconds"),
        "{stderr}"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_stops_the_listing_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_lossparity"))
        .arg("list")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("::"), "{first}");
    // The reader is gone (as `| head -1` would be); the rest of the listing has nowhere to go.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(141));
}

/// A process-protocol implementation in a few lines of shell that answers every case
/// `unsupported`.
const SUPPORTS_NOTHING: &str = r#"read -r _
echo '{"protocol": 1, "implementation": {"name": "nothing", "version": "0", "language": "sh", "dtypes": ["float64"]}}'
while read -r line; do
    seq=$(printf '%s' "$line" | sed -n 's/.*"seq":\([0-9]*\).*/\1/p')
    [ -n "$seq" ] || exit 0
    echo "{\"seq\": $seq, \"unsupported\": {\"reason\": \"nothing here\"}}"
done"#;

#[test]
fn a_run_in_which_the_implementation_supports_nothing_fails() {
    let dir = std::env::temp_dir().join(format!("lossparity-nothing-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let script = dir.join("nothing.sh");
    fs::write(&script, SUPPORTS_NOTHING).unwrap();
    let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/../cases/l1_loss.yaml");
    let exec = format!("sh {}", script.display());
    let output = lossparity(&["run", cases, "--exec", &exec]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("0 passed, 0 failed"), "{text}");
    assert!(text.contains("nothing was tested"), "{text}");
    let _ = fs::remove_dir_all(&dir);
}
