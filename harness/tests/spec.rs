//! spec/, the loss registry and cases/ agree: one loss, one name, in all three places.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

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

/// The files under the repository's `dir` (recursively) whose names end in `.extension`, as
/// paths relative to `dir`.
fn repository_files(dir: &str, extension: &str) -> Vec<(PathBuf, String)> {
    fn walk(root: &Path, dir: &Path, extension: &str, files: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, extension, files);
            } else if path.extension().is_some_and(|e| e == extension) {
                let text = fs::read_to_string(&path).unwrap();
                files.push((path.strip_prefix(root).unwrap().to_owned(), text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    let mut files = Vec::new();
    walk(&root, &root, extension, &mut files);
    files
}

#[test]
fn the_registry_names_exactly_the_spec_pages_with_a_signature() {
    let pages: BTreeSet<String> = repository_files("spec", "md")
        .into_iter()
        .filter(|(_, text)| text.lines().any(|l| l.trim_end() == "```yaml signature"))
        .map(|(path, _)| path.with_extension("").to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        pages,
        registry(),
        "spec/*.md with a signature vs the registry"
    );
    let specified: BTreeSet<String> = Spec::bundled()
        .losses()
        .iter()
        .map(|l| l.name.clone())
        .collect();
    assert_eq!(
        specified,
        registry(),
        "the bundled signatures vs the registry"
    );
}

#[test]
fn the_registry_names_exactly_the_case_files_and_every_loss_has_cases() {
    // A loss's cases are cases/<loss>.yaml or files under cases/<loss>/.
    let files: BTreeSet<String> = repository_files("cases", "yaml")
        .into_iter()
        .map(|(path, _)| {
            let first = path.components().next().unwrap().as_os_str();
            Path::new(first)
                .with_extension("")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(files, registry(), "cases/ vs the registry");
    let loaded = lossparity::Harness::new().load();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let with_cases: BTreeSet<String> = loaded.cases.iter().map(|c| c.loss.clone()).collect();
    assert_eq!(
        with_cases,
        registry(),
        "the losses of the bundled cases vs the registry"
    );
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
