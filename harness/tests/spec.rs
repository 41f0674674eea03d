//! spec/, reference/ and cases/ agree: one loss, one name, in all three places.

use std::collections::BTreeSet;

use lossparity::__private::spec::{parse_spec_file, Role};
use lossparity::__private::{Spec, REFERENCE_LOSSES};

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

#[test]
fn every_loss_has_a_spec_a_reference_and_cases() {
    let specified: BTreeSet<&str> = Spec::bundled()
        .losses()
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    let referenced: BTreeSet<&str> = REFERENCE_LOSSES.iter().copied().collect();
    assert_eq!(specified, referenced);
    let loaded = lossparity::Harness::new().load();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let with_cases: BTreeSet<&str> = loaded.cases.iter().map(|c| c.loss.as_str()).collect();
    assert_eq!(specified, with_cases);
    for (file, _, _) in lossparity::__private::BUNDLED_CASE_FILES.iter() {
        let stem = file
            .trim_start_matches("cases/")
            .split(['/', '.'])
            .next()
            .unwrap();
        assert!(specified.contains(stem), "{file} is not named after a loss");
    }
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
