//! Adapters that misbehave: one that panics, one that returns the wrong shape, one that returns
//! NaN everywhere, one that never returns, one that is slow. Each is reported clearly, the run
//! goes on, and the counts stay right.

use std::time::{Duration, Instant};

use libtest_mimic::Arguments;
use lossparity::__private::{Evaluated, Outcome};
use lossparity::{Adapter, Call, Gradients, Harness, LossError, Reference, Support, Tensor};

/// The cases the hostile adapters take: three `l1_loss` cases, each with its gradient: six checks.
const CASES: &[&str] = &["default_mean", "reduction_sum", "reduction_none"];

fn supports_few(call: &Call<'_, f64>) -> Support {
    if call.loss() == "l1_loss" && CASES.contains(&call.case().name.as_str()) {
        Support::Supported
    } else {
        Support::Unsupported("a hostile adapter takes three l1_loss cases".into())
    }
}

/// An adapter of three `l1_loss` cases that misbehaves the same way in both passes.
macro_rules! hostile_adapter {
    ($name:ident, $label:literal, |$call:ident| forward: $forward:expr, gradient: $gradient:expr) => {
        struct $name;
        impl Adapter for $name {
            type Scalar = f64;
            fn name(&self) -> &str {
                $label
            }
            fn supports(&self, call: &Call<'_, f64>) -> Support {
                supports_few(call)
            }
            #[allow(unused_variables)]
            fn forward(&self, $call: &Call<'_, f64>) -> Result<Tensor, LossError> {
                $forward
            }
            fn supports_gradient(&self, call: &Call<'_, f64>) -> Support {
                supports_few(call)
            }
            #[allow(unused_variables)]
            fn gradient(&self, $call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
                $gradient
            }
        }
    };
}

hostile_adapter!(Panics, "panics", |call|
    forward: panic!("{} is not implemented", call.loss()),
    gradient: panic!("{} is not implemented", call.loss())
);
hostile_adapter!(WrongShape, "wrong_shape", |call|
    forward: Tensor::new(vec![2, 2], vec![0.0; 4]),
    gradient: Ok(Gradients::from([(
        "input".to_owned(),
        Tensor::new(vec![2, 2], vec![0.0; 4])?
    )]))
);
hostile_adapter!(NanEverywhere, "nan_everywhere", |call|
    forward: Reference.forward(call).map(|t| t.map(|_| f64::NAN)),
    gradient: Reference.gradient(call).map(|gradients| {
        gradients
            .into_iter()
            .map(|(name, g)| (name, g.map(|_| f64::NAN)))
            .collect()
    })
);
hostile_adapter!(NeverReturns, "never_returns", |call|
    forward: loop { std::thread::sleep(Duration::from_secs(3600)) },
    gradient: loop { std::thread::sleep(Duration::from_secs(3600)) }
);
hostile_adapter!(Slow, "slow", |call|
    forward: {
        std::thread::sleep(Duration::from_millis(30));
        Reference.forward(call)
    },
    gradient: {
        std::thread::sleep(Duration::from_millis(30));
        Reference.gradient(call)
    }
);

const LIMIT: Duration = Duration::from_millis(300);

fn harness() -> Harness {
    Harness::new()
        .without_bundled_cases()
        .cases(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cases/l1_loss.yaml"
        ))
        .time_limit(LIMIT)
}

/// The outcomes of `adapter`'s supported checks: (trial id, outcome).
fn outcomes(evaluated: &Evaluated, adapter: &str) -> Vec<(String, Outcome)> {
    evaluated
        .evaluations
        .iter()
        .filter(|e| e.adapter == adapter && !matches!(e.outcome, Outcome::Ignored(_)))
        .map(|e| (e.id(), e.outcome.clone()))
        .collect()
}

fn failure_messages(evaluated: &Evaluated, adapter: &str) -> Vec<String> {
    let outcomes = outcomes(evaluated, adapter);
    assert_eq!(outcomes.len(), 6, "{adapter}: {outcomes:?}");
    outcomes
        .into_iter()
        .map(|(id, outcome)| match outcome {
            Outcome::Failed(failure) => failure.message,
            other => panic!("{id} should fail, got {other:?}"),
        })
        .collect()
}

#[test]
fn a_panicking_adapter_fails_with_the_panic_message_and_location() {
    let evaluated = harness().adapter(Panics).evaluate();
    for message in failure_messages(&evaluated, "panics") {
        assert!(
            message.starts_with("adapter panicked at harness/tests/hostile_adapters.rs:")
                && message.ends_with("l1_loss is not implemented"),
            "{message}"
        );
    }
}

#[test]
fn a_wrong_shape_fails_naming_both_shapes() {
    let evaluated = harness().adapter(WrongShape).evaluate();
    for message in failure_messages(&evaluated, "wrong_shape") {
        assert!(
            message.contains("shape") && message.contains("[2, 2]"),
            "{message}"
        );
    }
}

#[test]
fn nan_everywhere_fails_every_value_check() {
    let evaluated = harness().adapter(NanEverywhere).evaluate();
    for message in failure_messages(&evaluated, "nan_everywhere") {
        assert!(message.contains("NaN"), "{message}");
    }
}

#[test]
fn an_adapter_that_never_returns_fails_at_the_time_limit_and_the_run_goes_on() {
    let started = Instant::now();
    let evaluated = harness()
        .adapter(NeverReturns)
        .adapter(Reference)
        .evaluate();
    let elapsed = started.elapsed();
    for message in failure_messages(&evaluated, "never_returns") {
        assert_eq!(
            message,
            "the adapter did not return within the time limit of 300ms (set it with \
             Harness::time_limit or LOSSPARITY_TIME_LIMIT=SECONDS); its thread was abandoned"
        );
    }
    // Six checks at 300 ms each, then the reference's run: bounded, not hung.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let reference = outcomes(&evaluated, "reference");
    assert!(!reference.is_empty());
    assert!(reference
        .iter()
        .all(|(_, o)| matches!(o, Outcome::Passed(_))));
}

#[test]
fn a_slow_adapter_within_the_limit_passes() {
    let evaluated = harness().adapter(Slow).evaluate();
    let outcomes = outcomes(&evaluated, "slow");
    assert_eq!(outcomes.len(), 6);
    assert!(
        outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Passed(_))),
        "{outcomes:?}"
    );
}

#[test]
fn a_slow_adapter_over_the_limit_fails() {
    let evaluated = harness()
        .time_limit(Duration::from_millis(5))
        .adapter(Slow)
        .evaluate();
    for message in failure_messages(&evaluated, "slow") {
        assert!(message.contains("time limit of 5ms"), "{message}");
    }
}

/// Set in the child process that [`the_summary_counts_every_trial_once`] starts.
const INNER_RUN: &str = "LOSSPARITY_INNER_RUN";

/// All five together through libtest-mimic, as `cargo test` runs them: every trial is counted
/// once, the failures are exactly the hostile adapters' supported trials.
///
/// The inner run's failures are intended, so it runs in a child process (this test binary,
/// running only this test, with [`INNER_RUN`] set) whose output is captured and read here,
/// rather than printed among this run's own results.
#[test]
fn the_summary_counts_every_trial_once() {
    let build = || {
        harness()
            .adapter(Panics)
            .adapter(WrongShape)
            .adapter(NanEverywhere)
            .adapter(NeverReturns)
            .adapter(Slow)
            .adapter(Reference)
    };
    if std::env::var_os(INNER_RUN).is_some() {
        let args = Arguments {
            test_threads: Some(2),
            quiet: true,
            ..Arguments::default()
        };
        let _intended_failures = build().run_with_args(&args);
        return;
    }
    let evaluated = build().evaluate();
    let (passed, failed, ignored) = evaluated.counts();
    assert_eq!(
        failed,
        4 * 6,
        "panics, wrong_shape, nan_everywhere, never_returns"
    );
    assert_eq!(passed + failed + ignored, evaluated.evaluations.len());
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "the_summary_counts_every_trial_once",
            "--nocapture",
        ])
        .env(INNER_RUN, "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let inner = format!(
        "test result: FAILED. {passed} passed; {failed} failed; {ignored} ignored; 0 measured; \
         0 filtered out;"
    );
    assert!(stdout.contains(&inner), "expected '{inner}' in:\n{stdout}");
}
