//! `lossparity fill` as a user runs it: an input-only case file, filled by an implementation,
//! becomes a regular case file. Filled here by the in-process reference (the live PyTorch
//! adapter fills it in CI, `.ci/run`), on the bundled cases' inputs, so that what it records
//! can be held to what PyTorch recorded for them.

use lossparity::__private::fuzz::case_file::render;
use lossparity::__private::loader::{load_bundled, load_str};
use lossparity::__private::{Case, Expected, Spec};
use lossparity::Reference;
use lossparity_cli::fill::fill;

/// The bundled cases of `loss`, with PyTorch's expected results.
fn bundled(loss: &str) -> Vec<Case> {
    let loaded = load_bundled(Spec::bundled());
    loaded
        .cases
        .into_iter()
        .filter(|c| c.loss == loss)
        .collect()
}

fn close(a: f64, e: f64) -> bool {
    a == e || (a.is_nan() && e.is_nan()) || (a - e).abs() <= 1e-12 * e.abs().max(1e-300)
}

#[test]
fn an_input_only_file_is_filled_with_outputs_gradients_and_error_classes() {
    for loss in ["kl_div", "cross_entropy", "ctc_loss"] {
        let cases = bundled(loss);
        let notes: Vec<(&Case, &str)> = cases.iter().map(|c| (c, "")).collect();
        let input_only = render(loss, "a user's scenario", &notes);
        assert!(!input_only.contains("expected"));

        let filled = fill(&Reference, "mine.yaml", &input_only, "filled").expect("fills");
        let reread = load_str("mine.yaml", &filled, Spec::bundled());
        assert!(reread.errors.is_empty(), "{:?}", reread.errors);
        assert_eq!(reread.cases.len(), cases.len());
        let (mut outputs, mut errors) = (0, 0);
        for (mine, pytorch) in reread.cases.iter().zip(&cases) {
            assert_eq!(mine.name, pytorch.name);
            match (&mine.expected, &pytorch.expected) {
                (Expected::Error(a), Expected::Error(e)) => {
                    assert_eq!(a, e, "{loss}::{}", mine.name);
                    errors += 1;
                }
                (
                    Expected::Output {
                        output: a,
                        grad: ga,
                    },
                    Expected::Output {
                        output: e,
                        grad: ge,
                    },
                ) => {
                    assert_eq!(a.shape(), e.shape(), "{loss}::{}", mine.name);
                    let all_close = a.data().iter().zip(e.data()).all(|(a, e)| close(*a, *e));
                    // cases that demand more than 1e-12 of the reference carry a tolerance
                    assert!(
                        all_close || pytorch.tolerance.is_some(),
                        "{loss}::{}: {a:?} vs PyTorch's {e:?}",
                        mine.name
                    );
                    // the gradient of every prediction input is recorded, PyTorch's too
                    for name in ge.keys() {
                        assert!(
                            ga.contains_key(name),
                            "{loss}::{}: no grad {name}",
                            mine.name
                        );
                    }
                    outputs += 1;
                }
                (a, e) => panic!("{loss}::{}: filled {a:?}, PyTorch {e:?}", mine.name),
            }
        }
        assert!(
            outputs > 0 && errors > 0,
            "{loss}: {outputs} outputs, {errors} errors"
        );
    }
}

#[test]
fn a_file_that_cannot_be_filled_is_refused_with_its_problems() {
    let malformed =
        "loss: kl_div\ncases:\n  - name: x\n    inputs: {input: [1.0], target: [1.0, 2.0, oops]}\n";
    let problems = fill(&Reference, "mine.yaml", malformed, "filled").unwrap_err();
    assert!(
        problems.iter().any(|p| p.contains("mine.yaml")),
        "{problems:?}"
    );
    let empty = "loss: kl_div\ncases: []\n";
    let problems = fill(&Reference, "empty.yaml", empty, "filled").unwrap_err();
    assert!(
        problems.iter().any(|p| p.contains("no case")),
        "{problems:?}"
    );
}
