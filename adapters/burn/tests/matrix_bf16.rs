//! Records burn's bf16 results for `lossparity report` and fails when the committed report no
//! longer matches them (`common::check_committed_report`), in a process of its own.

mod common;

#[test]
fn the_committed_report_matches_what_burn_bf16_produces() {
    common::check_committed_report::<lossparity::half::bf16>();
}
