//! The hostile corpus: malformed and hostile case files in `tests/hostile/`, each loaded from
//! disk, must give exactly the errors recorded in `tests/hostile/expected.txt`, without a
//! panic and well within a second. Inputs too big to commit (a million-deep list, a huge alias
//! bomb) and directory entries that cannot be committed (a dangling symlink, a FIFO) are made
//! here.
//!
//! `HOSTILE_BLESS=1 cargo test -p lossparity --test hostile` rewrites `expected.txt` from what
//! the loader says; review the diff before keeping it.

use std::collections::BTreeMap;
use std::fs;
use std::panic;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lossparity::__private::loader::{load_bytes, load_path, load_str, LoadError, Loaded};
use lossparity::__private::Spec;

/// Each hostile file must be answered well within this.
const TIME_LIMIT: Duration = Duration::from_secs(1);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// An error as one line, with the file named relative to `dir`.
fn relative_line(error: &LoadError, dir: &Path) -> String {
    let file = Path::new(&error.file)
        .strip_prefix(dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| error.file.clone());
    LoadError {
        file,
        ..error.clone()
    }
    .to_string()
}

/// Loads `path` on this thread, failing on a panic or on taking too long.
fn load_timed(what: &str, load: impl FnOnce() -> Loaded) -> Loaded {
    let start = Instant::now();
    let loaded = panic::catch_unwind(panic::AssertUnwindSafe(load))
        .unwrap_or_else(|_| panic!("{what}: the loader panicked"));
    let took = start.elapsed();
    assert!(took < TIME_LIMIT, "{what}: took {took:?}");
    loaded
}

/// `expected.txt`: for each file, its error lines in order.
fn read_expected(path: &Path) -> BTreeMap<String, Vec<String>> {
    let text = fs::read_to_string(path).expect("tests/hostile/expected.txt");
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let file = line.split([':']).next().unwrap_or_default().to_owned();
        expected.entry(file).or_default().push(line.to_owned());
    }
    expected
}

const EXPECTED_HEADER: &str = "\
# The exact errors the loader gives for each file in this directory (`file:line: case 'name':
# message`), checked by tests/hostile.rs. Every file here must be rejected with at least one
# error. `HOSTILE_BLESS=1 cargo test -p lossparity --test hostile` rewrites this file.
";

#[test]
fn every_hostile_file_gives_exactly_its_recorded_errors() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/hostile")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() > 50, "the corpus is missing");

    let mut actual: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = load_timed(&name, || load_path(file, Spec::bundled()));
        let lines: Vec<String> = loaded
            .errors
            .iter()
            .map(|e| relative_line(e, &dir))
            .collect();
        for line in &lines {
            assert!(!line.contains('\n'), "{name}: a multi-line error: {line:?}");
        }
        actual.insert(name, lines);
    }

    let expected_path = dir.join("expected.txt");
    if std::env::var_os("HOSTILE_BLESS").is_some() {
        let mut text = EXPECTED_HEADER.to_owned();
        for lines in actual.values() {
            for line in lines {
                text.push_str(line);
                text.push('\n');
            }
        }
        fs::write(&expected_path, text).expect("write expected.txt");
    }
    let expected = read_expected(&expected_path);
    let mut problems = Vec::new();
    for (name, lines) in &actual {
        if lines.is_empty() {
            problems.push(format!(
                "{name}: accepted, but every hostile file must be rejected"
            ));
        }
        let want = expected.get(name).cloned().unwrap_or_default();
        if *lines != want {
            problems.push(format!(
                "{name}:\n  expected: {want:#?}\n  actual:   {lines:#?}"
            ));
        }
    }
    for name in expected.keys() {
        if !actual.contains_key(name) {
            problems.push(format!(
                "{name}: listed in expected.txt but not in the corpus"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The single error of a load, as a line.
fn single_error(loaded: &Loaded) -> String {
    assert!(loaded.cases.is_empty(), "{:?}", loaded.cases);
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    loaded.errors[0].to_string()
}

fn nested_list(depth: usize) -> String {
    let mut text =
        String::from("loss: nll_loss\ncases:\n  - name: deep\n    inputs:\n      input: ");
    text.push_str(&"[".repeat(depth));
    text.push_str("1.0");
    text.push_str(&"]".repeat(depth));
    text.push_str("\n      target: 0\n    expected: {output: 0.0}\n");
    text
}

#[test]
fn a_million_deep_list_is_rejected_without_overflowing_the_stack() {
    for (depth, (unclosed, line)) in [(1_000_000, (false, 5)), (1_000_000, (true, 5))] {
        let mut text = nested_list(depth);
        if unclosed {
            text = text.replace(']', "");
        }
        let loaded = load_timed("a million-deep list", || {
            load_str("deep.yaml", &text, Spec::bundled())
        });
        assert_eq!(
            single_error(&loaded),
            format!(
                "deep.yaml:{line}: nesting deeper than 64 levels (a tensor has at most 16 \
                 dimensions)"
            )
        );
    }
    let text = format!(
        "loss: nll_loss\ncases: {}{}\n",
        "{a: ".repeat(1_000_000),
        "}".repeat(1_000_000)
    );
    let loaded = load_timed("a million-deep mapping", || {
        load_str("deep.yaml", &text, Spec::bundled())
    });
    assert_eq!(
        single_error(&loaded),
        "deep.yaml:2: nesting deeper than 64 levels (a tensor has at most 16 dimensions)"
    );
}

#[test]
fn a_huge_alias_bomb_is_not_expanded() {
    // 30 levels of 30 aliases each: 30^30 elements if expanded.
    let mut text = String::from("bomb:\n  - &l0 [1.0]\n");
    for level in 1..30 {
        let refs = vec![format!("*l{}", level - 1); 30].join(", ");
        text.push_str(&format!("  - &l{level} [{refs}]\n"));
    }
    text.push_str("loss: nll_loss\ncases: []\n");
    let loaded = load_timed("an alias bomb", || {
        load_str("bomb.yaml", &text, Spec::bundled())
    });
    assert_eq!(
        single_error(&loaded),
        "bomb.yaml:3: aliases expand to too many values (an alias bomb?)"
    );
}

#[test]
fn a_huge_text_of_valid_yaml_is_loaded_in_bounded_time() {
    // Many flat cases: the per-case line search must not be quadratic in the file.
    let mut text = String::from("loss: kl_div\ncases:\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "  - name: c{i}\n    inputs: {{input: [0.0], target: [0.0]}}\n    \
             expected: {{output: 0.0}}\n"
        ));
    }
    let loaded = load_timed("5000 cases", || {
        load_str("many.yaml", &text, Spec::bundled())
    });
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.cases.len(), 5_000);
}

#[test]
fn non_utf8_bytes_are_located() {
    let loaded = load_bytes(
        "latin1.yaml",
        b"loss: nll_loss\ncases:\n  - name: caf\xe9\n",
        Spec::bundled(),
    );
    assert_eq!(
        single_error(&loaded),
        "latin1.yaml:3: not UTF-8: byte 0xE9 at offset 35"
    );
}

/// A scratch directory for this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

const GOOD: &str =
    "loss: kl_div\ncases:\n  - name: fine\n    inputs: {input: [0.0], target: [0.0]}\n    \
                    expected: {output: 0.0}\n";

#[test]
fn unreadable_directory_entries_are_reported_and_the_rest_still_loads() {
    let dir = scratch("unreadable");
    fs::write(dir.join("a_good.yaml"), GOOD).unwrap();
    fs::write(dir.join("z_good.yaml"), GOOD.replace("fine", "also_fine")).unwrap();
    fs::write(dir.join("notes.txt"), "not a case file").unwrap();
    fs::create_dir(dir.join("y.yaml")).unwrap();
    let mut expected = Vec::new();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("missing.yaml"), dir.join("x.yaml")).unwrap();
        expected.push("x.yaml: cannot read: No such file or directory (os error 2)".to_owned());
        // A symlink back to the directory must not be followed for ever.
        std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
        // A FIFO would block a reader that opened it: it must not be opened.
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("w.yaml"))
            .status()
            .is_ok_and(|s| s.success());
        if made {
            expected.push("w.yaml: cannot read: not a regular file".to_owned());
        }
    }
    expected.sort();
    let loaded = load_timed("the scratch directory", || load_path(&dir, Spec::bundled()));
    let mut errors: Vec<String> = loaded
        .errors
        .iter()
        .map(|e| relative_line(e, &dir))
        .collect();
    errors.sort();
    assert_eq!(errors, expected);
    let names: Vec<&str> = loaded.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["fine", "also_fine"]);
}

#[test]
fn a_missing_path_is_reported() {
    let loaded = load_path(Path::new("/nonexistent/cases.yaml"), Spec::bundled());
    assert_eq!(
        single_error(&loaded),
        "/nonexistent/cases.yaml: cannot read: No such file or directory (os error 2)"
    );
}

#[test]
fn a_million_deep_block_list_on_one_line_is_rejected_in_bounded_time() {
    for prefix in ["- ", "? ", "- ? ", ": "] {
        let text = format!("loss: nll_loss\ncases:\n{}1\n", prefix.repeat(1_000_000));
        let loaded = load_timed("a million-deep block list", || {
            load_str("deep.yaml", &text, Spec::bundled())
        });
        assert_eq!(
            single_error(&loaded),
            "deep.yaml:3: nesting deeper than 64 levels (a tensor has at most 16 dimensions)",
            "{prefix:?}"
        );
    }
}

/// A quote inside a plain scalar (`it 'x`) is not a string, but a scanner that took it for one
/// would skip everything after it; with `"]"` strings between the levels, a scanner that
/// trusted every closing bracket would see no depth at all. The loader's scan counts every
/// opening bracket, so 160,000 levels are rejected at once (the YAML parser would take minutes).
#[test]
fn a_quote_in_a_plain_scalar_cannot_hide_deep_nesting() {
    let text = format!("loss: it 'x\ncases: {}\n", "[ \"]\", ".repeat(160_000));
    let loaded = load_timed("nesting behind a stray quote", || {
        load_str("deep.yaml", &text, Spec::bundled())
    });
    assert_eq!(
        single_error(&loaded),
        "deep.yaml:2: nesting deeper than 64 levels (a tensor has at most 16 dimensions)"
    );
}

/// The corpus cargo-fuzz grew for the loader (`loader-fuzz/corpus/load_case_file`), replayed
/// through the same path as the fuzz target: no panic, every error one line naming the file, and
/// the whole corpus in bounded time. This keeps the fuzzer's findings in every `cargo test`.
#[test]
fn the_fuzz_corpus_loads_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../loader-fuzz/corpus/load_case_file");
    let entries: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(entries.len() > 1000, "only {} corpus files", entries.len());
    let started = Instant::now();
    for path in entries {
        let bytes = fs::read(&path).unwrap();
        let loaded = panic::catch_unwind(|| load_bytes("fuzz.yaml", &bytes, Spec::bundled()))
            .unwrap_or_else(|_| panic!("{} panics the loader", path.display()));
        for error in &loaded.errors {
            let line = error.to_string();
            assert!(
                line.starts_with("fuzz.yaml") && !line.contains('\n'),
                "{line:?}"
            );
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}
