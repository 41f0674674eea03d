//! Records this crate's f16 results for `lossparity report` and fails when the committed report
//! (`reports/results.json`, shown in the README's matrix) no longer matches them. One dtype per
//! process: `BurnF16::new()` sets the flex device's process-wide default float dtype.

use std::path::Path;

use lossparity::Harness;
use lossparity_burn::BurnF16;
use lossparity_cli::report;

#[test]
fn the_committed_report_matches_what_burn_f16_produces() {
    let burn = BurnF16::new();
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
