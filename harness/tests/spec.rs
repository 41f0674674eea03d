//! spec/, the loss registry and cases/ agree: one loss, one name, in all three places.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use lossparity::__private::spec::{parse_spec_file, Role};
use lossparity::__private::{Loss, Spec};

#[test]
fn every_spec_file_parses_and_names_its_file() {
    for (file, _, text) in lossparity::__private::BUNDLED_SPEC_FILES.iter() {
        match parse_spec_file(file, text) {
            Ok(Some(loss)) => assert_eq!(*file, format!("spec/{}.md", loss.name)),
            Ok(None) => assert!(!file.ends_with("_loss.md"), "{file} has no signature block"),
            Err(message) => panic!("{file}: {message}"),
        }
    }
}

/// The loss registry's names (harness/src/registry.rs).
fn registry() -> BTreeSet<String> {
    Loss::ALL
        .iter()
        .map(|loss| loss.name().to_owned())
        .collect()
}

/// The files under the repository's `dir` (recursively) whose names end in `.extension`, with
/// their text, as paths relative to the repository (`cases/kl_div.yaml`).
fn repository_files(dir: &str, extension: &str) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, extension: &str, files: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, extension, files);
            } else if path.extension().is_some_and(|e| e == extension) {
                let text =
                    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let relative = path.strip_prefix(root).unwrap().to_string_lossy();
                files.push((relative.replace('\\', "/"), text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    walk(&root, &root.join(dir), extension, &mut files);
    files
}

/// Compares the losses `found` in `place` with the registry both ways, and names each loss
/// missing from one side: the empty string when they agree.
fn disagreements(place: &str, found: &BTreeSet<String>) -> String {
    let registry = registry();
    let mut problems = Vec::new();
    for loss in registry.difference(found) {
        problems.push(format!(
            "the registry (harness/src/registry.rs) has `{loss}`, but {place} has not"
        ));
    }
    for loss in found.difference(&registry) {
        problems.push(format!(
            "{place} has `{loss}`, but the registry (harness/src/registry.rs) has not"
        ));
    }
    problems.join("\n")
}

/// Fails with every disagreement of `checks` (one per line), each a place and the losses in it.
fn assert_agree_with_registry(checks: &[(&str, BTreeSet<String>)]) {
    let problems: Vec<String> = checks
        .iter()
        .map(|(place, found)| disagreements(place, found))
        .filter(|problem| !problem.is_empty())
        .collect();
    assert!(
        problems.is_empty(),
        "the registry and the repository disagree (CONTRIBUTING.md says how to add a loss):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_registry_names_exactly_the_spec_pages_with_a_signature() {
    let pages: BTreeSet<String> = repository_files("spec", "md")
        .into_iter()
        .filter(|(_, text)| text.lines().any(|l| l.trim_end() == "```yaml signature"))
        .map(|(path, _)| {
            let loss = path.strip_prefix("spec/").unwrap_or(&path);
            loss.strip_suffix(".md").unwrap_or(loss).to_owned()
        })
        .collect();
    let bundled: BTreeSet<String> = Spec::bundled()
        .losses()
        .iter()
        .map(|l| l.name.clone())
        .collect();
    assert_agree_with_registry(&[
        (
            "spec/ (a page spec/<loss>.md with a `yaml signature` block)",
            pages,
        ),
        ("the bundled signatures (Spec::bundled())", bundled),
    ]);
}

#[test]
fn the_registry_names_exactly_the_case_files_one_per_loss() {
    // Each loss's cases are in one file, cases/<loss>.yaml, whose cases are all that loss's.
    let mut files = BTreeSet::new();
    let mut misplaced = Vec::new();
    for (path, _) in repository_files("cases", "yaml") {
        match path
            .strip_prefix("cases/")
            .and_then(|p| p.strip_suffix(".yaml"))
            .filter(|loss| !loss.contains('/'))
        {
            Some(loss) => {
                files.insert(loss.to_owned());
            }
            None => misplaced.push(path),
        }
    }
    assert!(
        misplaced.is_empty(),
        "{misplaced:?}: a loss's cases are in one file, cases/<loss>.yaml"
    );
    assert_agree_with_registry(&[("cases/ (a file cases/<loss>.yaml)", files)]);
    let loaded = lossparity::Harness::new().load();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let mut with_cases = BTreeSet::new();
    for case in &loaded.cases {
        let file = format!("cases/{}.yaml", case.loss);
        assert_eq!(
            case.location.file,
            file,
            "{} is written in {}, not in {file}",
            case.id(),
            case.location
        );
        with_cases.insert(case.loss.clone());
    }
    assert_agree_with_registry(&[("the bundled cases (some case of the loss)", with_cases)]);
}

#[test]
fn every_loss_has_a_prediction_input_and_reduction_defaults_to_mean() {
    for loss in Spec::bundled().losses() {
        assert!(
            loss.inputs.iter().any(|i| i.role == Role::Prediction),
            "{} has no prediction input",
            loss.name
        );
        let reduction = loss.param("reduction").expect("every loss takes reduction");
        assert_eq!(reduction.default, lossparity::Param::String("mean".into()));
    }
}

#[test]
fn the_bundled_suite_has_at_least_150_cases() {
    let loaded = lossparity::Harness::new().load();
    assert!(loaded.cases.len() >= 150, "{} cases", loaded.cases.len());
}
