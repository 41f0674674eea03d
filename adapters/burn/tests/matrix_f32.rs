//! Records burn's f32 results for `lossparity report` and fails when the committed report no
//! longer matches them (`common::check_committed_report`), in a process of its own.

mod common;

#[test]
fn the_committed_report_matches_what_burn_f32_produces() {
    common::check_committed_report::<f32>();
}
