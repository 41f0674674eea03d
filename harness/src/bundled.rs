//! The repository's spec and case files and the PyTorch version of the cases, embedded by
//! `build.rs`.

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
