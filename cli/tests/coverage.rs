//! The spec-coverage gate: every loss's cases exercise every reduction, every parameter at its
//! default and away from it (each allowed value of an enumerated one), each optional input
//! present and absent, and each error class its spec lists.

use lossparity::__private::{Case, Spec};
use lossparity::{Harness, Param};
use lossparity_cli::coverage::{coverage, CoverageTable, LossCoverage};

fn bundled_cases() -> Vec<Case> {
    let loaded = Harness::new().load();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    loaded.cases
}

fn missing_of(coverage: &[LossCoverage], loss: &str) -> Vec<String> {
    coverage
        .iter()
        .find(|c| c.loss == loss)
        .expect("a specified loss")
        .missing()
        .map(|r| format!("{} {}", r.kind, r.what))
        .collect()
}

#[test]
fn the_bundled_cases_cover_every_requirement_of_every_loss() {
    let coverage = coverage(Spec::bundled(), &bundled_cases());
    println!("{}", CoverageTable(&coverage));
    assert_eq!(coverage.len(), Spec::bundled().losses().len());
    for loss in &coverage {
        assert!(loss.cases > 0, "{} has no cases", loss.loss);
        assert_eq!(
            missing_of(&coverage, &loss.loss),
            Vec::<String>::new(),
            "{}",
            loss.loss
        );
    }
}

#[test]
fn a_missing_reduction_parameter_value_input_or_error_is_reported() {
    let sum = Param::String("sum".into());
    let cases: Vec<Case> = bundled_cases()
        .into_iter()
        .filter(|c| !(c.loss == "hinge_embedding_loss" && c.params.get("reduction") == Some(&sum)))
        .filter(|c| !(c.loss == "margin_ranking_loss" && c.params.contains_key("margin")))
        .filter(|c| !(c.loss == "binary_cross_entropy" && c.inputs.contains_key("weight")))
        .filter(|c| {
            !(c.loss == "kl_div" && matches!(c.expected, lossparity::__private::Expected::Error(_)))
        })
        .collect();
    let coverage = coverage(Spec::bundled(), &cases);
    assert!(missing_of(&coverage, "hinge_embedding_loss").contains(&"param reduction=sum".into()));
    let margin = missing_of(&coverage, "margin_ranking_loss");
    assert!(
        margin.iter().any(|m| m.starts_with("param margin≠default")),
        "{margin:?}"
    );
    assert!(missing_of(&coverage, "binary_cross_entropy").contains(&"input weight present".into()));
    let kl = missing_of(&coverage, "kl_div");
    assert!(kl.contains(&"error invalid_parameter".into()), "{kl:?}");
    assert!(kl.contains(&"error invalid_shape".into()), "{kl:?}");
}
