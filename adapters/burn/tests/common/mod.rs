//! What the `matrix_*` tests share: each records one dtype's results for `lossparity report`
//! and fails when the committed report (`reports/results.json`, shown in the README's matrix)
//! no longer matches them. One dtype per process: `Burn::<T>::new()` sets the flex device's
//! process-wide default float dtype.

use std::path::Path;

use lossparity::Harness;
use lossparity_burn::{Burn, BurnFloat};
use lossparity_cli::report;

/// Runs burn in `T`, records its results and checks them against the committed report.
pub fn check_committed_report<T: BurnFloat>() {
    let burn = Burn::<T>::new();
    let known = burn.known_differences();
    let run = Harness::new()
        .adapter(burn)
        .known_differences(&known)
        .evaluate();
    let results = report::results(&run);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    report::write_results(&results, &root.join("target/lossparity/results"))
        .expect("target/ is writable");
    if let Err(message) = report::check_committed(&results, &root.join("reports/results.json")) {
        panic!("{message}");
    }
}
