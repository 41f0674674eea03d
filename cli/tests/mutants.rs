//! The mutant catalogue (`spec/mutants.md`): every mutant must fail at least one bundled case.

use lossparity::__private::loader::load_bundled;
use lossparity::__private::{Loss, Spec};
use lossparity::{Adapter, Call, LossError, Reference, Tensor};
use lossparity_cli::mutants::{catalogue, first_catch, first_catch_in_f32, hunt, Bug, Mutant};

#[test]
fn the_catalogue_has_sixty_mutants_across_all_losses_forward_and_backward() {
    let mutants = catalogue();
    assert!(mutants.len() >= 60, "only {} mutants", mutants.len());
    for &loss in Loss::ALL {
        assert!(
            mutants.iter().any(|m| m.loss() == loss),
            "no mutant of {loss}"
        );
    }
    let gradients = mutants
        .iter()
        .filter(|m| matches!(m.bug(), Bug::Gradient(_)))
        .count();
    assert!(gradients >= 10, "only {gradients} backward mutants");
    let mut names: Vec<&str> = mutants.iter().map(Mutant::name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), mutants.len(), "mutant names repeat");
}

#[test]
fn every_mutant_fails_at_least_one_bundled_case() {
    let spec = Spec::bundled();
    let loaded = load_bundled(spec);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let results = hunt(&loaded.cases, spec);
    let mut survivors = Vec::new();
    println!("{:<60} first case that caught it", "mutant");
    for (mutant, catch) in &results {
        match catch {
            Some(catch) => println!("{:<60} {}", mutant.name(), catch.trial),
            None => {
                println!("{:<60} SURVIVED", mutant.name());
                survivors.push(format!("{}: {}", mutant.name(), mutant.description()));
            }
        }
    }
    assert!(
        survivors.is_empty(),
        "{} mutant(s) survived every case; each is a missing case:\n{}",
        survivors.len(),
        survivors.join("\n")
    );
}

/// The same catalogue computed in f32 (each mutant's result on the inputs rounded to f32,
/// rounded to f32) is still caught under the f32 tolerance model: the derived tolerances are
/// tight enough to see every bug.
#[test]
fn every_mutant_computed_in_f32_fails_at_least_one_bundled_case() {
    let spec = Spec::bundled();
    let loaded = load_bundled(spec);
    let survivors: Vec<String> = catalogue()
        .iter()
        .filter(|mutant| first_catch_in_f32(mutant, &loaded.cases, spec).is_none())
        .map(|mutant| format!("{}: {}", mutant.name(), mutant.description()))
        .collect();
    assert!(
        survivors.is_empty(),
        "{} mutant(s) computed in f32 survived every case:\n{}",
        survivors.len(),
        survivors.join("\n")
    );
}

/// A mutant whose "bug" changes nothing: the hunt must report it as surviving, so a
/// survivor cannot go unnoticed.
#[test]
fn a_mutant_without_a_bug_survives() {
    fn unchanged(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        Reference.forward(call)
    }
    let spec = Spec::bundled();
    let loaded = load_bundled(spec);
    let identity = Mutant::forward(Loss::L1Loss, "identity", "no bug at all", unchanged);
    assert!(first_catch(&identity, &loaded.cases, spec).is_none());
}

/// spec/mutants.md lists the catalogue: every mutant, under its loss, and nothing else.
#[test]
fn spec_mutants_md_lists_every_mutant() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/mutants.md"))
        .unwrap();
    let mut listed = Vec::new();
    let mut loss = "";
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            loss = heading;
        } else if let Some(row) = line.strip_prefix("| `") {
            let short = row.split('`').next().unwrap_or_default();
            listed.push(format!("{loss}.{short}"));
        }
    }
    let mut names: Vec<String> = catalogue().iter().map(|m| m.name().to_owned()).collect();
    names.sort();
    listed.sort();
    assert_eq!(
        listed, names,
        "spec/mutants.md is out of date: see its header"
    );
}
