//! The package's spec and case files and the PyTorch version of the cases, embedded by
//! `build.rs`.

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Where the bundled case file `relative` (`cases/mse_loss.yaml`) was compiled from: inside
/// the `lossparity` package a dependent crate built, so a failure can name a file its user
/// can open.
pub fn compiled_path(relative: &str) -> Option<&'static str> {
    CASE_FILES
        .iter()
        .find(|(file, _, _)| *file == relative)
        .map(|(_, compiled, _)| *compiled)
}
