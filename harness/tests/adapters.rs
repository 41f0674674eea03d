//! The harness catches wrong implementations: a deliberately wrong adapter fails, a panicking
//! one fails the cases it panics on while the run goes on, an unsupported case is ignored
//! (never passed), and a lower-precision adapter is judged by its dtype's tolerance.

use libtest_mimic::Arguments;
use lossparity::__private::{Check, Evaluated, Evaluation, Outcome, Spec, TrialResult};
use lossparity::half::{bf16, f16};
use lossparity::{
    Adapter, Call, ErrorKind, Harness, KnownDifference, LossError, Reference, Support, Tensor,
};
use lossparity_reference::{kl_div, KlDivOptions, LegacyReduction};

/// Evaluates every bundled case against one adapter.
fn evaluated(adapter: impl Adapter) -> Evaluated {
    let evaluated = Harness::new().adapter(adapter).evaluate();
    assert!(
        evaluated.load_errors.is_empty(),
        "{:?}",
        evaluated.load_errors
    );
    evaluated
}

fn failures(evaluated: &Evaluated) -> Vec<(String, String)> {
    evaluated
        .evaluations
        .iter()
        .filter_map(|e| match &e.outcome {
            Outcome::Failed(failure) => Some((e.case.id(), failure.message.clone())),
            _ => None,
        })
        .collect()
}

/// The evaluations of one kind of check.
fn checks(evaluated: &Evaluated, check: Check) -> impl Iterator<Item = &Evaluation> {
    evaluated
        .evaluations
        .iter()
        .filter(move |e| e.check == check)
}

#[test]
fn the_reference_passes_every_bundled_case() {
    let evaluated = evaluated(Reference);
    assert!(checks(&evaluated, Check::Output).count() >= 1000);
    assert!(checks(&evaluated, Check::Gradient).count() >= 1000);
    assert_eq!(failures(&evaluated), vec![]);
    assert_eq!(evaluated.counts(), (evaluated.evaluations.len(), 0, 0));
}

#[test]
fn a_forward_only_adapter_sees_its_gradient_trials_ignored_not_failed() {
    let evaluated = evaluated(OnlyMarginRanking);
    let gradients: Vec<&Evaluation> = checks(&evaluated, Check::Gradient).collect();
    assert!(!gradients.is_empty());
    for evaluation in gradients {
        assert_eq!(
            evaluation.outcome,
            Outcome::Ignored("the adapter computes no gradients".into()),
            "{}",
            evaluation.id()
        );
    }
}

/// KLDiv `mean` computed as `batchmean`: the mistake most ports make.
struct KlMeanAsBatchmean;

impl Adapter for KlMeanAsBatchmean {
    type Scalar = f64;
    fn name(&self) -> &str {
        "kl_mean_as_batchmean"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        Reference.supports(call)
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        let plain_mean = !call.is_given("size_average")
            && !call.is_given("reduce")
            && matches!(call.str("reduction"), "mean" | "elementwise_mean");
        if call.loss() == "kl_div" && plain_mean {
            let batchmean = KlDivOptions {
                legacy: LegacyReduction::default(),
                reduction: "batchmean",
                log_target: call.bool("log_target"),
            };
            return kl_div(
                call.required_float("input"),
                call.required_float("target"),
                &batchmean,
            );
        }
        Reference.forward(call)
    }
}

#[test]
fn kl_div_mean_computed_as_batchmean_fails() {
    let evaluated = evaluated(KlMeanAsBatchmean);
    let failures = failures(&evaluated);
    assert!(
        failures
            .iter()
            .any(|(id, _)| id == "kl_div::mean_divides_by_numel"),
        "{failures:#?}"
    );
    assert!(
        failures.iter().all(|(id, _)| id.starts_with("kl_div::")),
        "{failures:#?}"
    );
    let (_, message) = &failures[0];
    assert!(
        message.contains("expected") && message.contains("actual"),
        "{message}"
    );
    assert!(message.contains("tolerance rtol=1e-12"), "{message}");
}

/// Panics on every hinge_embedding_loss case.
struct PanicsOnHinge;

impl Adapter for PanicsOnHinge {
    type Scalar = f64;
    fn name(&self) -> &str {
        "panics_on_hinge"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        Reference.supports(call)
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        if call.loss() == "hinge_embedding_loss" {
            panic!("index out of bounds in hinge");
        }
        Reference.forward(call)
    }
}

#[test]
fn a_panicking_adapter_fails_those_cases_and_the_run_goes_on() {
    let evaluated = evaluated(PanicsOnHinge);
    for evaluation in checks(&evaluated, Check::Output) {
        match (&evaluation.outcome, evaluation.case.loss.as_str()) {
            (Outcome::Failed(failure), "hinge_embedding_loss") => {
                let message = &failure.message;
                assert!(
                    message.starts_with("adapter panicked at harness/tests/adapters.rs:")
                        && message.ends_with(": index out of bounds in hinge"),
                    "{message}"
                )
            }
            (Outcome::Passed(_), loss) => assert_ne!(loss, "hinge_embedding_loss"),
            (outcome, loss) => panic!("{loss}: unexpected {outcome:?}"),
        }
    }
}

/// Supports margin_ranking_loss only.
struct OnlyMarginRanking;

impl Adapter for OnlyMarginRanking {
    type Scalar = f64;
    fn name(&self) -> &str {
        "only_margin_ranking"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        if call.loss() == "margin_ranking_loss" {
            Support::Supported
        } else {
            Support::Unsupported(format!("{} is not implemented", call.loss()))
        }
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        Reference.forward(call)
    }
}

#[test]
fn unsupported_cases_are_ignored_with_their_reason() {
    let evaluated = evaluated(OnlyMarginRanking);
    let (passed, failed, ignored) = evaluated.counts();
    assert_eq!(failed, 0);
    assert!(passed > 0 && ignored > 0);
    for evaluation in checks(&evaluated, Check::Output) {
        if evaluation.case.loss != "margin_ranking_loss" {
            let expected = format!("{} is not implemented", evaluation.case.loss);
            assert_eq!(evaluation.outcome, Outcome::Ignored(expected));
        }
    }
}

/// Answers every error with `invalid_shape`.
struct EveryErrorIsAShapeError;

impl Adapter for EveryErrorIsAShapeError {
    type Scalar = f64;
    fn name(&self) -> &str {
        "every_error_is_a_shape_error"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        Reference.supports(call)
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        Reference
            .forward(call)
            .map_err(|e| LossError::invalid_shape(e.message))
    }
}

#[test]
fn the_wrong_error_class_fails() {
    let evaluated = evaluated(EveryErrorIsAShapeError);
    let failures = failures(&evaluated);
    assert!(!failures.is_empty());
    for (id, message) in &failures {
        assert!(
            message.starts_with("expected error invalid_"),
            "{id}: {message}"
        );
        assert!(
            !message.starts_with("expected error invalid_shape"),
            "{id}: {message}"
        );
    }
    let expected_non_shape_errors = evaluated
        .evaluations
        .iter()
        .filter(|e| {
            matches!(e.case.expected, lossparity::__private::Expected::Error(k) if k != ErrorKind::InvalidShape)
        })
        .count();
    assert_eq!(failures.len(), expected_non_shape_errors);
}

/// The most exact implementation in `T`: the reference, in f64, on the values a `T`
/// implementation receives (its call's case holds them), each result rounded once to `T`.
struct ExactlyRounded<T>(std::marker::PhantomData<T>);

impl<T: lossparity::Scalar> ExactlyRounded<T> {
    fn new() -> Self {
        ExactlyRounded(std::marker::PhantomData)
    }

    fn f64_call<'a>(call: &Call<'a, T>) -> Call<'a, f64> {
        let spec = Spec::bundled().get(call.loss()).expect("bundled loss");
        lossparity::__private::new_call(call.case(), spec)
    }
}

impl<T: lossparity::Scalar> Adapter for ExactlyRounded<T> {
    type Scalar = T;
    fn name(&self) -> &str {
        "exactly_rounded"
    }
    fn supports(&self, _: &Call<'_, T>) -> Support {
        Support::Supported
    }
    fn forward(&self, call: &Call<'_, T>) -> Result<Tensor<T>, LossError> {
        let output = Reference.forward(&Self::f64_call(call))?;
        Ok(output.map(|&v| T::round_from_f64(v)))
    }
    fn supports_gradient(&self, _: &Call<'_, T>) -> Support {
        Support::Supported
    }
    fn gradient(&self, call: &Call<'_, T>) -> Result<lossparity::Gradients<T>, LossError> {
        let gradients = Reference.gradient(&Self::f64_call(call))?;
        Ok(gradients
            .into_iter()
            .map(|(name, grad)| (name, grad.map(|&v| T::round_from_f64(v))))
            .collect())
    }
}

/// An exactly rounded implementation passes every case applicable to its dtype, under the
/// tolerances the model derives (`spec/tolerances.md`); the rest are not applicable, with
/// their reason.
fn exactly_rounded_passes_every_applicable_case<T: lossparity::Scalar>(at_least: usize) {
    let evaluated = evaluated(ExactlyRounded::<T>::new());
    let mut passed = 0;
    for evaluation in &evaluated.evaluations {
        assert_eq!(evaluation.dtype, T::DTYPE);
        match &evaluation.outcome {
            Outcome::Passed(_) => passed += 1,
            Outcome::Ignored(reason) => assert!(
                reason.starts_with(&format!("not applicable in {}: ", T::DTYPE)),
                "{}: {reason}",
                evaluation.id()
            ),
            Outcome::Failed(failure) => panic!("{}: {}", evaluation.id(), failure.message),
        }
    }
    assert!(passed >= at_least, "{passed} checks passed in {}", T::DTYPE);
}

#[test]
fn an_exactly_rounded_f32_implementation_passes_every_applicable_case() {
    exactly_rounded_passes_every_applicable_case::<f32>(3200);
}

#[test]
fn an_exactly_rounded_bf16_implementation_passes_every_applicable_case() {
    exactly_rounded_passes_every_applicable_case::<bf16>(3000);
}

#[test]
fn an_exactly_rounded_f16_implementation_passes_every_applicable_case() {
    exactly_rounded_passes_every_applicable_case::<f16>(3000);
}

/// The f64 reference on the case's own f64 inputs, rounded to f32: what an f32 implementation
/// was compared with before expectations followed the rounded inputs. It fails where rounding
/// the inputs matters, which the expectations on the received values account for.
struct ReferenceOnF64Inputs;

impl Adapter for ReferenceOnF64Inputs {
    type Scalar = f32;
    fn name(&self) -> &str {
        "reference_on_f64_inputs"
    }
    fn supports(&self, _: &Call<'_, f32>) -> Support {
        Support::Supported
    }
    fn forward(&self, call: &Call<'_, f32>) -> Result<Tensor<f32>, LossError> {
        let original = bundled_case(call.loss(), call.case_name());
        let spec = Spec::bundled().get(call.loss()).expect("bundled loss");
        let output = Reference.forward(&lossparity::__private::new_call(&original, spec))?;
        Ok(output.map(|&v| v as f32))
    }
}

#[test]
fn expectations_follow_the_rounded_inputs_not_the_f64_ones() {
    let evaluated = evaluated(ReferenceOnF64Inputs);
    let failed: Vec<String> = evaluated
        .evaluations
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Failed(_)))
        .map(|e| e.id())
        .collect();
    // (x - y)² of inputs whose difference rounding to f32 moves, 1e-300 that f32 flushes to
    // zero: the expectations on the received values pass them (the exactly rounded tests).
    for id in [
        "reference_on_f64_inputs::mse_loss::three_dim_none",
        "reference_on_f64_inputs::gaussian_nll_loss::var_negative_tiny",
    ] {
        assert!(failed.iter().any(|f| f == id), "{id} passed: {failed:?}");
    }
}

#[test]
fn a_half_adapter_receives_the_inputs_rounded_to_nearest() {
    let case = bundled_case("mse_loss", "three_dim_mean");
    let spec = Spec::bundled().get("mse_loss").unwrap();
    let exact = lossparity::__private::new_call::<f64>(&case, spec)
        .required_float("input")
        .clone();
    // -2.11 and the like, which neither type holds.
    assert!(exact.data().iter().any(|&v| f16::from_f64(v).to_f64() != v));
    let in_bf16 = lossparity::__private::new_call::<bf16>(&case, spec);
    let in_f16 = lossparity::__private::new_call::<f16>(&case, spec);
    assert_eq!(
        in_bf16.required_float("input").data(),
        exact.map(|&v| bf16::from_f64(v)).data()
    );
    assert_eq!(
        in_f16.required_float("input").data(),
        exact.map(|&v| f16::from_f64(v)).data()
    );
    // Beyond f16's range (65504, and half an ulp more) is an infinity; bf16 holds it.
    assert_eq!(
        <f16 as lossparity::Scalar>::round_from_f64(1e5),
        f16::INFINITY
    );
    assert_eq!(
        <f16 as lossparity::Scalar>::round_from_f64(65519.0),
        f16::MAX
    );
    assert_eq!(
        <bf16 as lossparity::Scalar>::round_from_f64(1e5),
        bf16::from_f32(99840.0)
    );
}

#[test]
fn trials_are_named_adapter_loss_case_and_filter() {
    let harness = Harness::new().adapter(Reference);
    let names: Vec<String> = harness
        .trials()
        .iter()
        .map(|t| t.name().to_owned())
        .collect();
    assert!(names.contains(&"reference::kl_div::mean_divides_by_numel".to_owned()));
    assert!(names.contains(&"reference::kl_div::mean_divides_by_numel::grad".to_owned()));
    let kl_cases = names
        .iter()
        .filter(|n| n.starts_with("reference::kl_div::"))
        .count();
    let args = Arguments::from_iter(["conformance", "--quiet", "reference::kl_div::"]);
    let conclusion = harness.run_with_args(&args);
    assert_eq!(conclusion.num_passed as usize, kl_cases);
    assert_eq!(conclusion.num_failed, 0);
    assert_eq!(conclusion.num_filtered_out as usize, names.len() - kl_cases);
}

/// L1 whose gradient at a zero difference is 1 instead of PyTorch's `sgn(0) = 0`.
struct L1GradientOneAtZero;

impl Adapter for L1GradientOneAtZero {
    type Scalar = f64;
    fn name(&self) -> &str {
        "l1_gradient_one_at_zero"
    }
    fn supports(&self, call: &Call<'_, f64>) -> Support {
        Reference.supports(call)
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        Reference.forward(call)
    }
    fn supports_gradient(&self, call: &Call<'_, f64>) -> Support {
        Reference.supports_gradient(call)
    }
    fn gradient(&self, call: &Call<'_, f64>) -> Result<lossparity::Gradients<f64>, LossError> {
        let mut gradients = Reference.gradient(call)?;
        // With reduction none or sum the gradient of output.sum() reaches each element as 1.
        let plain = !call.has_input("weight") && matches!(call.str("reduction"), "none" | "sum");
        if call.loss() == "l1_loss" && plain && !call.is_given("size_average") {
            let (input, target) = (call.required_float("input"), call.required_float("target"));
            if input.shape() == target.shape() {
                let grad = gradients
                    .get_mut("input")
                    .expect("l1 has an input gradient");
                let data: Vec<f64> = (0..input.numel())
                    .map(|i| {
                        if input.at(i) == target.at(i) {
                            1.0
                        } else {
                            grad.at(i)
                        }
                    })
                    .collect();
                *grad = Tensor::new(input.shape().to_vec(), data)?;
            }
        }
        Ok(gradients)
    }
}

#[test]
fn a_wrong_backward_fails_its_gradient_trials_only() {
    let evaluated = evaluated(L1GradientOneAtZero);
    let failures = failures(&evaluated);
    assert!(
        failures
            .iter()
            .any(|(id, _)| id == "l1_loss::zero_difference_zero_gradient"),
        "{failures:#?}"
    );
    for (id, message) in &failures {
        assert!(id.starts_with("l1_loss::"), "{id}: {message}");
        assert!(
            message.starts_with("grad 'input': value mismatch"),
            "{id}: {message}"
        );
    }
    for evaluation in checks(&evaluated, Check::Output) {
        assert!(
            matches!(evaluation.outcome, Outcome::Passed(_)),
            "{}",
            evaluation.id()
        );
    }
}

/// The KLDiv `mean` cases the `KlMeanAsBatchmean` adapter fails, as a known difference.
const KL_MEAN_KNOWN: &[KnownDifference] = &[KnownDifference {
    pattern: "kl_mean_as_batchmean::kl_div::*",
    reason: "computes mean as batchmean",
    upstream: None,
}];

/// `(passed, failed, ignored)` of the trials a harness would run, by what they report (without
/// running libtest, whose output would mix with this test's).
fn trial_results(harness: &Harness) -> (usize, usize, usize) {
    let evaluated = harness.evaluate();
    let ids: Vec<String> = evaluated.evaluations.iter().map(|e| e.id()).collect();
    let mut counts = (0, harness.unmatched_known_differences(&ids).len(), 0);
    for evaluation in &evaluated.evaluations {
        match evaluation.trial_result() {
            TrialResult::Pass => counts.0 += 1,
            TrialResult::Fail(_) => counts.1 += 1,
            TrialResult::Ignore(_) => counts.2 += 1,
        }
    }
    counts
}

#[test]
fn listed_failures_are_ignored_with_their_reason() {
    let harness = Harness::new()
        .adapter(KlMeanAsBatchmean)
        .known_differences(&[KnownDifference {
            pattern: "kl_mean_as_batchmean::kl_div::*mean*",
            reason: "computes mean as batchmean",
            upstream: Some("example/crate#1"),
        }]);
    let evaluated = harness.evaluate();
    let listed_failure = evaluated
        .evaluations
        .iter()
        .find(|e| e.id() == "kl_mean_as_batchmean::kl_div::mean_divides_by_numel")
        .unwrap();
    assert_eq!(
        listed_failure.trial_result(),
        TrialResult::Ignore(
            "known difference: computes mean as batchmean (example/crate#1)".into()
        )
    );
    // The pattern also lists passing cases (e.g. batchmean ones): stale, so the run fails.
    let (_, failed, _) = trial_results(&harness);
    assert!(failed > 0);
}

#[test]
fn a_list_covering_exactly_the_failures_passes_and_a_stale_one_fails() {
    let failing: Vec<String> = Harness::new()
        .adapter(KlMeanAsBatchmean)
        .evaluate()
        .evaluations
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Failed(_)))
        .map(|e| e.id())
        .collect();
    assert!(!failing.is_empty());
    // One exact entry per failing trial: every trial passes or is ignored.
    let exact: Vec<KnownDifference> = failing
        .iter()
        .map(|id| KnownDifference {
            pattern: Box::leak(id.clone().into_boxed_str()),
            reason: "computes mean as batchmean",
            upstream: None,
        })
        .collect();
    let (_, failed, ignored) = trial_results(
        &Harness::new()
            .adapter(KlMeanAsBatchmean)
            .known_differences(&exact),
    );
    assert_eq!(failed, 0);
    // Ignored: the listed failures, and every gradient trial (the adapter computes none).
    let gradient_trials = Harness::new()
        .adapter(Reference)
        .trials()
        .iter()
        .filter(|t| t.name().ends_with("::grad"))
        .count();
    assert_eq!(ignored, failing.len() + gradient_trials);

    // The same list against the correct reference: every entry now passes, so each is stale.
    let renamed: Vec<KnownDifference> = exact
        .iter()
        .map(|k| KnownDifference {
            pattern: Box::leak(
                k.pattern
                    .replacen("kl_mean_as_batchmean", "reference", 1)
                    .into_boxed_str(),
            ),
            ..*k
        })
        .collect();
    let (_, failed, _) = trial_results(
        &Harness::new()
            .adapter(Reference)
            .known_differences(&renamed),
    );
    assert_eq!(failed, failing.len());

    // An entry that lists no trial is stale.
    let (_, failed, _) = trial_results(
        &Harness::new()
            .adapter(Reference)
            .known_differences(KL_MEAN_KNOWN),
    );
    assert_eq!(failed, 1);
}

/// Records the reduction `Call::reduction` resolves, as a 0-d output: 0 none, 1 mean, 2 sum.
struct ReductionProbe;

impl Adapter for ReductionProbe {
    type Scalar = f64;
    fn name(&self) -> &str {
        "reduction_probe"
    }
    fn supports(&self, _: &Call<'_, f64>) -> Support {
        Support::Supported
    }
    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor, LossError> {
        Ok(Tensor::scalar(match call.reduction() {
            "none" => 0.0,
            "mean" => 1.0,
            "sum" => 2.0,
            _ => -1.0,
        }))
    }
}

#[test]
fn call_reduction_applies_the_legacy_arguments_as_pytorch_does() {
    // (size_average, reduce, reduction) -> the reduction PyTorch applies.
    let table: [(&str, f64); 6] = [
        ("{reduction: sum}", 2.0),
        ("{size_average: false}", 2.0),
        ("{reduce: false, reduction: sum}", 0.0),
        ("{size_average: true, reduction: none}", 1.0),
        ("{size_average: false, reduce: true, reduction: bogus}", 2.0),
        ("{size_average: null, reduce: null, reduction: none}", 0.0),
    ];
    for (params, expected) in table {
        let text = format!(
            "loss: l1_loss\ncases:\n  - name: probe\n    params: {params}\n    inputs: {{input: 1.0, target: 0.0}}\n    expected: {{output: {expected}}}\n"
        );
        let loaded = lossparity::__private::loader::load_str("probe.yaml", &text, Spec::bundled());
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let case = &loaded.cases[0];
        let outcome =
            lossparity::__private::evaluate(&ReductionProbe, case, Spec::bundled(), Check::Output);
        assert!(
            matches!(outcome, Outcome::Passed(_)),
            "{params}: {outcome:?}"
        );
    }
}

/// The first bundled case of `loss` named `name`.
fn bundled_case(loss: &str, name: &str) -> lossparity::__private::Case {
    static CASES: std::sync::OnceLock<Vec<lossparity::__private::Case>> =
        std::sync::OnceLock::new();
    CASES
        .get_or_init(|| Harness::new().load().cases)
        .iter()
        .find(|case| case.loss == loss && case.name == name)
        .unwrap_or_else(|| panic!("no bundled case {loss}::{name}"))
        .clone()
}

#[test]
fn call_gives_parameters_with_pytorch_defaults_and_their_signature() {
    let case = bundled_case("nll_loss", "default_mean");
    let spec = Spec::bundled().get("nll_loss").unwrap();
    let call = lossparity::__private::new_call::<f64>(&case, spec);
    assert_eq!(call.i64("ignore_index"), -100);
    assert!(!call.is_given("ignore_index"));
    assert_eq!(
        call.default_param("reduction"),
        &lossparity::Param::String("mean".into())
    );
    let allowed = call.allowed_values("reduction").unwrap();
    assert!(allowed.contains(&lossparity::Param::String("sum".into())));
    assert_eq!(call.allowed_values("ignore_index"), None);
    assert!(call.is_prediction("input"));
    assert!(!call.is_prediction("target"));
    assert_eq!(call.case_name(), "default_mean");

    let case = bundled_case(
        "linear_cross_entropy",
        "ignore_index_none_ignores_minus_100",
    );
    let spec = Spec::bundled().get("linear_cross_entropy").unwrap();
    let call = lossparity::__private::new_call::<f64>(&case, spec);
    assert_eq!(call.optional_i64("ignore_index"), None);
}

#[test]
fn a_misspelt_parameter_or_input_panics_with_the_nearest_name() {
    let case = bundled_case("nll_loss", "default_mean");
    let spec = Spec::bundled().get("nll_loss").unwrap();
    let call = lossparity::__private::new_call::<f64>(&case, spec);
    let message = |f: &dyn Fn()| {
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_err();
        panic.downcast_ref::<String>().cloned().unwrap_or_default()
    };
    assert_eq!(
        message(&|| {
            call.i64("ignore_indx");
        }),
        "nll_loss has no parameter 'ignore_indx' (did you mean 'ignore_index'?)"
    );
    assert_eq!(
        message(&|| {
            call.float("inptu");
        }),
        "nll_loss has no input 'inptu' (did you mean 'input'?)"
    );
}
