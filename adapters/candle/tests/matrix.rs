//! Records this crate's results for `lossparity report` and fails when the committed report
//! (`reports/results.json`, shown in the README's matrix) no longer matches them.

use std::path::Path;

use lossparity::Harness;
use lossparity_candle::{CandleBF16, CandleF16, CandleF32, CandleF64, KNOWN_DIFFERENCES};
use lossparity_cli::report;

#[test]
fn the_committed_report_matches_what_candle_produces() {
    let run = Harness::new()
        .adapter(CandleF32::new())
        .adapter(CandleF64::new())
        .adapter(CandleF16::new())
        .adapter(CandleBF16::new())
        .known_differences(KNOWN_DIFFERENCES)
        .evaluate();
    let results = report::results(&run);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    report::write_results(&results, &root.join("target/lossparity/results"))
        .expect("target/ is writable");
    if let Err(message) = report::check_committed(&results, &root.join("reports/results.json")) {
        panic!("{message}");
    }
}

/// candle_f64 with a planted regression: its `mse` no longer offered.
struct WithoutMse(CandleF64);

impl lossparity::Adapter for WithoutMse {
    type Scalar = f64;
    fn name(&self) -> &str {
        self.0.name()
    }
    fn supports(&self, call: &lossparity::Call<'_, f64>) -> lossparity::Support {
        match call.loss() {
            "mse_loss" => lossparity::Support::Unsupported("regressed".into()),
            _ => self.0.supports(call),
        }
    }
    fn forward(
        &self,
        call: &lossparity::Call<'_, f64>,
    ) -> Result<lossparity::Tensor, lossparity::LossError> {
        self.0.forward(call)
    }
    fn supports_gradient(&self, call: &lossparity::Call<'_, f64>) -> lossparity::Support {
        self.supports(call)
    }
    fn gradient(
        &self,
        call: &lossparity::Call<'_, f64>,
    ) -> Result<lossparity::Gradients<f64>, lossparity::LossError> {
        self.0.gradient(call)
    }
}

#[test]
fn a_planted_regression_fails_the_committed_check() {
    let run = Harness::new()
        .adapter(WithoutMse(CandleF64::new()))
        .known_differences(KNOWN_DIFFERENCES)
        .evaluate();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let error = report::check_committed(&report::results(&run), &root.join("reports/results.json"))
        .expect_err("the regression changes outcomes");
    assert!(
        error.contains("candle_f64::mse_loss::")
            && error.contains("passed before, unsupported now"),
        "{error}"
    );
}
