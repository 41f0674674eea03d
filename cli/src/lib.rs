//! lossparity's own tooling, not published: what proves the suite and presents its results.
//!
//! - [`mutants`]: the reference with one realistic bug each, which the cases must catch.
//! - [`coverage`]: which of each spec's requirements the cases exercise.
//! - [`fill`]: an input-only case file filled with an implementation's results.
//! - [`known_differences`]: the known-difference file of an implementation run with `--exec`.
//! - [`progress`]: a line on stderr every few seconds of a long run.
//! - [`report`]: the conformance matrices (`reports/`, the README's tables) from the results
//!   of every adapter crate.
//!
//! The `lossparity` command (`src/main.rs`) runs the suite, these, and the fuzzer from the
//! command line.

#![deny(missing_docs)]

pub mod coverage;
pub mod fill;
pub mod known_differences;
pub mod mutants;
pub mod progress;
pub mod report;
