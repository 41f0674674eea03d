//! Records this crate's results for `lossparity report` and fails when the committed report
//! (`reports/results.json`, shown in the README's matrix) no longer matches them.

use std::path::Path;

use lossparity::Harness;
use lossparity_cli::report;
use lossparity_dfdx::{DfdxF32, DfdxF64, KNOWN_DIFFERENCES};

#[test]
fn the_committed_report_matches_what_dfdx_produces() {
    let run = Harness::new()
        .adapter(DfdxF32::new())
        .adapter(DfdxF64::new())
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
