//! The loader accepts the case format exactly and rejects everything else with the file, the
//! case and the line; it never panics.

use lossparity::__private::loader::{load_str, LoadError, Loaded};
use lossparity::__private::{Case, Expected, Spec, Value};
use lossparity::{Dtype, Param};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

fn load(text: &str) -> Loaded {
    load_str("t.yaml", text, Spec::bundled())
}

/// The single error a text produces.
fn error(text: &str) -> LoadError {
    let loaded = load(text);
    assert_eq!(
        loaded.errors.len(),
        1,
        "expected one error, got {:?}",
        loaded.errors
    );
    loaded.errors.into_iter().next().unwrap()
}

fn assert_error(text: &str, case: Option<&str>, line: usize, message: &str) {
    let error = error(text);
    assert_eq!(error.file, "t.yaml");
    assert_eq!(error.case.as_deref(), case, "{error}");
    assert_eq!(error.line, Some(line), "{error}");
    assert!(error.message.contains(message), "{error}");
}

const VALID: &str = "\
loss: kl_div
cases:
  - name: first
    params: {reduction: batchmean, log_target: false}
    inputs:
      input: [[-1.2, -0.8], [-0.3, -2.0]]
      target: [[0.2, 0.8], [0.6, 0.4]]
    expected:
      output: 0.5
      grad: {input: [[-0.1, -0.4], [-0.3, -0.2]]}
    tolerance: {rtol: 1e-10, atol: 0}
    tags: [reduction]
  - name: second
    params: {reduction: batchmeans}
    inputs: {input: [0.0], target: [0.0]}
    expected: {error: invalid_parameter}
";

fn only_case(text: &str) -> Case {
    let loaded = load(text);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.cases.len(), 1);
    loaded.cases.into_iter().next().unwrap()
}

#[test]
fn reads_the_documented_format() {
    let loaded = load(VALID);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let [first, second] = &loaded.cases[..] else {
        panic!("two cases expected")
    };
    assert_eq!(first.id(), "kl_div::first");
    assert_eq!(first.location.line, 3);
    assert_eq!(second.location.line, 13);
    assert_eq!(first.params["reduction"], Param::String("batchmean".into()));
    assert_eq!(first.params["log_target"], Param::Bool(false));
    let Value::Float(input) = &first.inputs["input"] else {
        panic!("float input expected")
    };
    assert_eq!(input.shape(), &[2, 2]);
    assert_eq!(input.data(), &[-1.2, -0.8, -0.3, -2.0]);
    let Expected::Output { output, grad } = &first.expected else {
        panic!("output expected")
    };
    assert_eq!(output.shape(), &[] as &[usize]);
    assert_eq!(grad["input"].shape(), &[2, 2]);
    assert_eq!(first.tolerance.unwrap().rtol, 1e-10);
    assert_eq!(first.tags, vec!["reduction".to_owned()]);
    assert_eq!(
        second.expected,
        Expected::Error(lossparity::ErrorKind::InvalidParameter)
    );
}

#[test]
fn reads_every_tensor_form() {
    let case = only_case(
        "loss: multilabel_margin_loss\ncases:\n  - name: forms\n    inputs:\n      \
         input: {shape: [0, 3], data: []}\n      target: {shape: [0, 3], data: []}\n    \
         expected: {output: {shape: [0], data: []}}\n",
    );
    assert_eq!(case.inputs["input"].shape(), &[0, 3]);
    assert!(matches!(case.inputs["target"], Value::Int(_)));

    let case = only_case(
        "loss: kl_div\ncases:\n  - name: special\n    inputs: {input: [.nan, .inf, -.inf, -0.0, 2], \
         target: 1.5}\n    expected: {output: [[]]}\n",
    );
    let Value::Float(input) = &case.inputs["input"] else {
        panic!()
    };
    assert!(input.at(0).is_nan());
    assert_eq!(input.at(1), f64::INFINITY);
    assert_eq!(input.at(2), f64::NEG_INFINITY);
    assert!(input.at(3) == 0.0 && input.at(3).is_sign_negative());
    assert_eq!(input.at(4), 2.0);
    assert_eq!(case.inputs["target"].shape(), &[] as &[usize]);
    let Expected::Output { output, .. } = &case.expected else {
        panic!()
    };
    assert_eq!(output.shape(), &[1, 0]);
}

#[test]
fn rejects_an_unknown_loss() {
    assert_error(
        "loss: kl_divergence\ncases: []\n",
        None,
        1,
        "unknown loss 'kl_divergence'",
    );
}

#[test]
fn rejects_an_unknown_parameter_at_its_line() {
    let text = VALID.replace(
        "{reduction: batchmean, log_target: false}",
        "{reduktion: sum}",
    );
    assert_error(&text, Some("first"), 4, "unknown parameter 'reduktion'");
}

#[test]
fn rejects_an_unknown_input_at_its_line() {
    let text = VALID.replace("      target: [[0.2", "      targets: [[0.2");
    assert_error(&text, Some("first"), 7, "unknown input 'targets'");
}

#[test]
fn rejects_a_missing_required_input() {
    let text = VALID.replace("{input: [0.0], target: [0.0]}", "{input: [0.0]}");
    assert_error(&text, Some("second"), 15, "missing required input 'target'");
}

#[test]
fn rejects_a_ragged_nested_list() {
    let text = VALID.replace("[[0.2, 0.8], [0.6, 0.4]]", "[[0.2, 0.8], [0.6]]");
    assert_error(&text, Some("first"), 7, "ragged nested list");
    let text = VALID.replace("[[0.2, 0.8], [0.6, 0.4]]", "[[0.2, 0.8], 0.6]");
    assert_error(&text, Some("first"), 7, "ragged nested list");
}

#[test]
fn rejects_data_that_does_not_fill_its_shape() {
    let text = VALID.replace("[[0.2, 0.8], [0.6, 0.4]]", "{shape: [2, 2], data: [1.0]}");
    assert_error(&text, Some("first"), 7, "needs 4 elements but data has 1");
    let text = VALID.replace(
        "[[0.2, 0.8], [0.6, 0.4]]",
        "{shape: [4294967296, 4294967296, 4294967296], data: []}",
    );
    assert_error(&text, Some("first"), 7, "is too large");
}

#[test]
fn rejects_duplicate_case_names() {
    let text = VALID.replace("name: second", "name: first");
    assert_error(&text, Some("first"), 13, "duplicate case name");
}

/// Sets of cases added one after another (files of a directory) are checked against every name
/// loaded before, including names of cases a caller pushed into `cases` directly.
#[test]
fn extend_finds_a_name_repeated_in_a_later_set() {
    let mut loaded = Loaded::default();
    loaded.extend(load(VALID));
    let first_count = loaded.cases.len();
    loaded.extend(load_str("u.yaml", VALID, Spec::bundled()));
    assert_eq!(loaded.cases.len(), first_count);
    assert_eq!(loaded.errors.len(), first_count, "{:?}", loaded.errors);
    assert!(loaded.errors[0]
        .to_string()
        .contains("duplicate case name for loss 'kl_div' (first at t.yaml:"));

    let mut pushed = Loaded::default();
    pushed.cases.extend(load(VALID).cases);
    pushed.extend(load_str("u.yaml", VALID, Spec::bundled()));
    assert_eq!(pushed.cases.len(), first_count);
    assert_eq!(pushed.errors.len(), first_count, "{:?}", pushed.errors);
}

#[test]
fn rejects_a_parameter_of_the_wrong_type() {
    let text = VALID.replace("log_target: false", "log_target: 'no'");
    assert_error(&text, Some("first"), 4, "'log_target' must be a boolean");
    let text = VALID.replace("log_target: false", "size_average: 1");
    assert_error(
        &text,
        Some("first"),
        4,
        "'size_average' must be a boolean or null",
    );
}

#[test]
fn rejects_a_value_outside_the_allowed_set_unless_the_case_expects_an_error() {
    let text = VALID.replace("reduction: batchmean,", "reduction: average,");
    assert_error(
        &text,
        Some("first"),
        4,
        "\"average\" is not an allowed value of 'reduction'",
    );
    // The second case uses 'batchmeans' and expects invalid_parameter: accepted (see VALID).
    // A case may also expect another error that PyTorch raises before it checks the value.
    let text = VALID.replace("error: invalid_parameter", "error: invalid_shape");
    assert!(load(&text).errors.is_empty());
    // PyTorch ignores `reduction` when a legacy argument is given, so any value may stand.
    let text = VALID.replace("reduction: batchmean,", "reduction: average, reduce: true,");
    assert!(load(&text).errors.is_empty());
}

#[test]
fn rejects_integers_where_floats_are_not_allowed_and_floats_for_indices() {
    let text = "loss: multilabel_margin_loss\ncases:\n  - name: float_target\n    inputs:\n      \
                input: [0.1, 0.2]\n      target: [1.0, -1]\n    expected: {output: 0.5}\n";
    assert_error(
        text,
        Some("float_target"),
        6,
        "expected an integer, found 1.0",
    );
}

#[test]
fn rejects_an_error_class_the_loss_cannot_raise() {
    let text = VALID
        .replace("{reduction: batchmeans}", "{reduction: sum}")
        .replace("error: invalid_parameter", "error: invalid_value");
    assert_error(&text, Some("second"), 16, "does not raise invalid_value");
    let text = VALID
        .replace("{reduction: batchmeans}", "{reduction: sum}")
        .replace("error: invalid_parameter", "error: oops");
    assert_error(&text, Some("second"), 16, "'error' must be");
}

#[test]
fn rejects_a_gradient_for_a_non_prediction_input_or_of_the_wrong_shape() {
    let text = VALID.replace("grad: {input:", "grad: {target:");
    assert_error(&text, Some("first"), 10, "not a prediction input");
    let text = VALID.replace(
        "grad: {input: [[-0.1, -0.4], [-0.3, -0.2]]}",
        "grad: {input: [1.0]}",
    );
    assert_error(
        &text,
        Some("first"),
        10,
        "has shape [1] but the input has [2, 2]",
    );
}

#[test]
fn rejects_unknown_keys_and_bad_structure() {
    assert_error(
        &VALID.replace("tags:", "tagz:"),
        Some("first"),
        12,
        "unknown key 'tagz'",
    );
    assert_error(
        &format!("{VALID}extra: 1\n"),
        None,
        17,
        "unknown key 'extra'",
    );
    assert_error(
        &VALID.replace("rtol: 1e-10", "rtol: -1"),
        Some("first"),
        11,
        "'rtol' must be",
    );
    assert_error(
        &VALID.replace("    expected: {error: invalid_parameter}\n", ""),
        Some("second"),
        13,
        "missing 'expected'",
    );
    assert_error("- 1\n- 2\n", None, 1, "a case file is a mapping");
    assert_error(
        "loss: kl_div\ncases: 3\n",
        None,
        2,
        "'cases' must be a list",
    );
}

#[test]
fn reports_yaml_syntax_errors_with_their_line() {
    let text = VALID.replace(
        "inputs: {input: [0.0], target: [0.0]}",
        "inputs: {input: [0.0",
    );
    let error = error(&text);
    assert!(error.message.contains("not valid YAML"), "{error}");
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn the_other_cases_of_a_file_survive_a_bad_one() {
    let text = VALID.replace("name: second", "name: second\n    colour: red");
    let loaded = load(&text);
    assert_eq!(loaded.errors.len(), 1);
    assert_eq!(loaded.cases.len(), 1);
    assert_eq!(loaded.cases[0].name, "first");
}

#[test]
fn never_panics_on_mutated_case_files() {
    // Byte-level mutations of every bundled case file, plus some hostile texts.
    let hostile = [
        "",
        "~",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "loss: kl_div\ncases: [{name: a, inputs: {input: &x [1, *x], target: 1}, expected: {output: 1}}]",
        "loss: !!binary aGVsbG8=\ncases: []",
        "loss: kl_div\ncases:\n- {name: a, inputs: {input: {shape: [-1], data: []}, target: 0}, expected: {output: 0}}",
        "loss: kl_div\ncases:\n- {name: a, inputs: {input: 99999999999999999999999, target: 0}, expected: {output: 0}}",
        "loss: multilabel_margin_loss\ncases:\n- {name: a, inputs: {input: 1, target: 99999999999999999999}, expected: {output: 0}}",
        "a: &a [*a]",
    ];
    for text in hostile {
        let _ = load(text);
    }
    let mut rng = StdRng::seed_from_u64(2026);
    for (file, _, text) in lossparity::__private::BUNDLED_CASE_FILES.iter() {
        let bytes = text.as_bytes();
        for _ in 0..100 {
            let mut mutated = bytes.to_vec();
            for _ in 0..rng.random_range(1..4) {
                let at = rng.random_range(0..mutated.len());
                match rng.random_range(0..3) {
                    0 => {
                        let alphabet = b"[]{}:,-.0123456789 \nnae";
                        mutated[at] = alphabet[rng.random_range(0..alphabet.len())];
                    }
                    1 => {
                        mutated.remove(at);
                    }
                    _ => mutated.insert(at, b"[]{}:,-"[rng.random_range(0..7)]),
                }
            }
            let text = String::from_utf8_lossy(&mutated);
            let _ = load_str(file, &text, Spec::bundled());
        }
    }
}

#[test]
fn an_empty_tensor_may_say_its_dtype() {
    let case = only_case(
        "loss: multilabel_margin_loss\ncases:\n  - name: typed\n    inputs:\n      \
         input: {shape: [0, 3], data: [], dtype: float}\n      \
         target: {shape: [0, 3], data: [], dtype: int}\n    expected: {output: {shape: [0], data: []}}\n",
    );
    assert!(matches!(case.inputs["target"], Value::Int(_)));
    let text = "loss: multilabel_margin_loss\ncases:\n  - name: mistyped\n    inputs:\n      \
                input: {shape: [0, 3], data: [], dtype: int}\n      \
                target: {shape: [0, 3], data: []}\n    expected: {output: {shape: [0], data: []}}\n";
    assert_error(
        text,
        Some("mistyped"),
        5,
        "'dtype' says int but the input is float",
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let loaded = load(&format!("\u{feff}{VALID}"));
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.cases.len(), 2);
}

#[test]
fn an_empty_shape_may_not_claim_huge_other_dimensions() {
    let text = VALID.replace(
        "[[0.2, 0.8], [0.6, 0.4]]",
        "{shape: [0, 100000000000000], data: []}",
    );
    assert_error(&text, Some("first"), 7, "is too large");
}

/// VALID with its first case not applicable in the dtypes of `entries` (`dtype: reason` lines).
fn with_not_applicable(entries: &str) -> String {
    VALID.replace(
        "    tags: [reduction]\n",
        &format!("    not_applicable:\n{entries}    tags: [reduction]\n"),
    )
}

#[test]
fn reads_not_applicable_dtypes_with_their_reasons() {
    let text = with_not_applicable(
        "      f16: \"1e-12 is 0 in float16\"\n      f32: rounding decides\n      bf16: too coarse\n",
    );
    let loaded = load(&text);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let [first, second] = &loaded.cases[..] else {
        panic!("two cases expected")
    };
    let expected: std::collections::BTreeMap<Dtype, String> = [
        (Dtype::F32, "rounding decides"),
        (Dtype::F16, "1e-12 is 0 in float16"),
        (Dtype::BF16, "too coarse"),
    ]
    .into_iter()
    .map(|(dtype, reason)| (dtype, reason.to_owned()))
    .collect();
    assert_eq!(first.not_applicable, expected);
    assert_eq!(first.tags, vec!["reduction".to_owned()]);
    assert!(second.not_applicable.is_empty());
    // A flow mapping reads the same.
    let text = VALID.replace(
        "    tags: [reduction]\n",
        "    not_applicable: {f16: \"0/0 = NaN\"}\n    tags: [reduction]\n",
    );
    let loaded = load(&text);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.cases[0].not_applicable[&Dtype::F16], "0/0 = NaN");
}

#[test]
fn rejects_a_not_applicable_that_is_not_a_mapping() {
    let text = VALID.replace(
        "    tags: [reduction]\n",
        "    not_applicable: [f16]\n    tags: [reduction]\n",
    );
    assert_error(
        &text,
        Some("first"),
        12,
        "'not_applicable' must map dtypes (f32, f16, bf16) to reasons, not a list",
    );
}

#[test]
fn rejects_an_unknown_or_f64_dtype_in_not_applicable() {
    assert_error(
        &with_not_applicable("      f16: fine\n      float16: a reason\n"),
        Some("first"),
        14,
        "unknown dtype 'float16' in 'not_applicable' (f32, f16, bf16)",
    );
    assert_error(
        &with_not_applicable("      f64: a reason\n"),
        Some("first"),
        13,
        "a case is always applicable in f64",
    );
}

#[test]
fn rejects_an_empty_or_non_string_reason_in_not_applicable() {
    assert_error(
        &with_not_applicable("      f16: \"\"\n"),
        Some("first"),
        13,
        "the reason for 'f16' must be a non-empty string",
    );
    assert_error(
        &with_not_applicable("      f16: \"   \"\n"),
        Some("first"),
        13,
        "the reason for 'f16' must be a non-empty string",
    );
    assert_error(
        &with_not_applicable("      f32: 1e-12\n"),
        Some("first"),
        13,
        "the reason for 'f32' must be a non-empty string, not 1e-12",
    );
    assert_error(
        &with_not_applicable("      bf16:\n"),
        Some("first"),
        13,
        "the reason for 'bf16' must be a non-empty string, not null",
    );
}

#[test]
fn the_bundled_cases_carry_their_not_applicable_dtypes() {
    let loaded = lossparity::__private::loader::load_bundled(Spec::bundled());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let case = |id: &str| {
        loaded
            .cases
            .iter()
            .find(|c| c.id() == id)
            .unwrap_or_else(|| panic!("no bundled case {id}"))
    };
    let bce = case("binary_cross_entropy::clamp_input_zero_and_one");
    assert_eq!(bce.not_applicable.keys().collect::<Vec<_>>(), [&Dtype::F16]);
    assert!(bce.not_applicable[&Dtype::F16].contains("1e-12 is 0 in float16"));
    let soft = case("soft_margin_loss::margin_709_is_finite");
    assert_eq!(
        soft.not_applicable.keys().collect::<Vec<_>>(),
        [&Dtype::F32, &Dtype::F16]
    );
    assert!(case("soft_margin_loss::default_mean")
        .not_applicable
        .is_empty());
}
