//! The fuzzer (`lossparity::fuzz`): the reference agrees with itself on every generated case,
//! planted bugs are found and shrunk to small cases, the case files it writes load back, and
//! the same seed gives the same run.

use lossparity::__private::fuzz::case_file::load_input_only;
use lossparity::__private::fuzz::{fuzzable_losses, generate};
use lossparity::__private::{loader, Check, FindingCase, Loss, Spec, Value};
use lossparity::fuzz::{FuzzReport, Fuzzer};
use lossparity::{Call, LossError, Reference, Tensor};
use lossparity_cli::mutants::{reference_with, set_reduction, Mutant};
use lossparity_reference::Reduction;

#[test]
fn the_reference_agrees_with_itself_on_every_generated_case_and_rejects_none() {
    let report = Fuzzer::new(&Reference).seed(1).count(1200).run();
    assert_eq!(report.losses.len(), Loss::ALL.len());
    for loss in &report.losses {
        assert_eq!(loss.cases, 1200, "{}", loss.loss);
        assert_eq!(loss.mismatches, 0, "{}: {:?}", loss.loss, report.findings);
        assert_eq!(
            loss.invalid, 0,
            "{}: the reference rejects generated cases",
            loss.loss
        );
        assert_eq!(loss.unsupported, 0, "{}", loss.loss);
    }
    assert!(!report.found_anything());
    assert!(report.case_files().is_empty());
}

/// `binary_cross_entropy_with_logits` as `(1 - y)·x + log(1 + exp(-x))`: exp overflows for
/// logits below about -709, where the loss becomes inf.
fn naive_exp_overflow(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = reference_with(call, |_| {})?;
    if call.has_input("weight") || call.has_input("pos_weight") {
        return Ok(reference);
    }
    let (input, target) = (call.required_float("input"), call.required_float("target"));
    let loss = input
        .data()
        .iter()
        .zip(target.data())
        .map(|(&x, &y)| (1.0 - y) * x + (1.0 + (-x).exp()).ln())
        .collect();
    let loss = Tensor::new(input.shape().to_vec(), loss)?;
    Ok(Reduction::parse(call.reduction())?.apply(loss))
}

/// `cross_entropy`'s mean over a `(N, C, d1, …)` input divided by N, forgetting the spatial
/// positions (unweighted, nothing ignored, no smoothing).
fn spatial_mean_over_batch(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = reference_with(call, |_| {})?;
    let input = call.required_float("input");
    let plain = !call.has_input("weight") && call.f64("label_smoothing") == 0.0;
    if input.ndim() < 3 || call.reduction() != "mean" || !plain {
        return Ok(reference);
    }
    let sum = reference_with(call, |case| set_reduction(case, "sum"))?;
    Ok(sum.map(|&s| s / input.shape()[0] as f64))
}

/// `mse_loss`'s sum and mean summing pairs, dropping the odd element out (of three or more).
fn pairwise_sum_drops_the_odd_element(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let reference = reference_with(call, |_| {})?;
    let reduction = call.reduction();
    let elementwise = reference_with(call, |case| set_reduction(case, "none"))?;
    let n = elementwise.numel();
    if call.has_input("weight") || !matches!(reduction, "sum" | "mean") || n % 2 == 0 || n < 3 {
        return Ok(reference);
    }
    let sum: f64 = elementwise.data()[..n - 1].iter().sum();
    let divisor = if reduction == "sum" { 1.0 } else { n as f64 };
    Ok(Tensor::scalar(sum / divisor))
}

fn planted() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            Loss::BinaryCrossEntropyWithLogits,
            "naive_exp_overflow",
            "log(1 + exp(-x)) overflows below x = -709",
            naive_exp_overflow,
        ),
        Mutant::forward(
            Loss::CrossEntropy,
            "spatial_mean_over_batch",
            "the mean over (N, C, d1, …) divides by N",
            spatial_mean_over_batch,
        ),
        Mutant::forward(
            Loss::MseLoss,
            "pairwise_sum_drops_the_odd_element",
            "a pairwise sum drops the odd element out",
            pairwise_sum_drops_the_odd_element,
        ),
    ]
}

fn fuzz(mutant: &Mutant, seed: u64) -> FuzzReport {
    Fuzzer::new(mutant)
        .loss(mutant.loss().name())
        .seed(seed)
        .count(1500)
        .max_findings(2)
        .run()
}

#[test]
fn planted_bugs_are_found_and_shrunk_to_small_cases() {
    for mutant in planted() {
        let report = fuzz(&mutant, 3);
        assert!(report.found_anything(), "{} was not found", mutant.name());
        let finding = &report.findings[0];
        assert_eq!(finding.check(), Check::Output);
        assert!(
            finding.case().name.starts_with("fuzz_seed3_"),
            "{}",
            finding.case().name
        );
        // The smallest shapes that show the bugs: one element; a (1, 2, 2) input (a spatial
        // dimension of 2 and two classes); three elements.
        let most = 4;
        for (name, value) in &finding.case().inputs {
            let numel: usize = value.shape().iter().product();
            assert!(
                numel <= most,
                "{}: input '{name}' of the shrunk case has {numel} elements: {:?}",
                mutant.name(),
                finding.case()
            );
        }
        // Shrinking keeps the reference accepting the case, and the mismatch.
        let spec = Spec::bundled().get(mutant.loss().name()).unwrap();
        assert!(lossparity::Adapter::forward(
            &Reference,
            &lossparity::__private::new_call(finding.case(), spec)
        )
        .is_ok());
    }
}

#[test]
fn the_written_case_file_loads_back_as_input_only_and_only_so() {
    let mutant = &planted()[2];
    let report = fuzz(mutant, 5);
    let dir = std::env::temp_dir().join(format!("lossparity-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let written = report.write_case_files(&dir).unwrap();
    assert_eq!(written, vec![dir.join("mse_loss.yaml")]);
    let text = std::fs::read_to_string(&written[0]).unwrap();
    assert!(!text.contains("expected:"), "{text}");

    let spec = Spec::bundled();
    let loaded = load_input_only("mse_loss.yaml", &text, spec);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.cases.len(), report.findings.len());
    for (case, finding) in loaded.cases.iter().zip(&report.findings) {
        assert_eq!(case.name, finding.case().name);
        assert_eq!(case.params, finding.case().params);
        assert_eq!(case.inputs, finding.case().inputs);
    }
    // The regular loader still insists on `expected`.
    let strict = loader::load_str("mse_loss.yaml", &text, spec);
    assert!(strict.cases.is_empty());
    assert!(
        strict.errors.iter().all(|e| e.message.contains("expected")),
        "{:?}",
        strict.errors
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_seed_gives_the_same_run_and_each_case_can_be_drawn_alone() {
    let mutant = &planted()[1];
    let (first, second) = (fuzz(mutant, 11), fuzz(mutant, 11));
    assert_eq!(first.findings, second.findings);
    assert_eq!(first.case_files(), second.case_files());
    assert_eq!(first.losses[0].mismatches, second.losses[0].mismatches);
    let other = fuzz(mutant, 12);
    assert_ne!(first.findings[0].original(), other.findings[0].original());

    // Case i depends on (seed, loss, i) only.
    let finding = &first.findings[0];
    let alone = generate("cross_entropy", 11, finding.index()).unwrap();
    assert_eq!(alone.inputs, finding.original().inputs);
    assert_eq!(alone.params, finding.original().params);
    for loss in fuzzable_losses() {
        assert_eq!(generate(loss, 4, 17), generate(loss, 4, 17));
        assert_ne!(generate(loss, 4, 17), generate(loss, 4, 18), "{loss}");
    }
}

#[test]
fn generated_cases_use_every_parameter_and_optional_input_of_the_signature() {
    for spec in Spec::bundled().losses() {
        let cases: Vec<_> = (0..400)
            .map(|i| generate(&spec.name, 2, i).expect("every loss has a generator"))
            .collect();
        for param in &spec.params {
            assert!(
                cases.iter().any(|c| c.params.contains_key(&param.name)),
                "{}: parameter '{}' is never set",
                spec.name,
                param.name
            );
        }
        for input in spec.inputs.iter().filter(|i| i.optional) {
            let present = cases
                .iter()
                .filter(|c| c.inputs.contains_key(&input.name))
                .count();
            assert!(
                0 < present && present < cases.len(),
                "{}: optional input '{}' is present in {present} of {} cases",
                spec.name,
                input.name,
                cases.len()
            );
        }
        let float_inputs = cases.iter().flat_map(|c| c.inputs.values());
        assert!(float_inputs.clone().count() > 0);
        let _ = float_inputs
            .filter(|v| matches!(v, Value::Float(_)))
            .count();
    }
}
