//! Feeds arbitrary bytes to the case loader exactly as a file on disk reaches it
//! (`load_bytes`: UTF-8 check, then YAML, then the bundled spec's signatures). Any panic,
//! abort, timeout or runaway allocation is a bug: the loader must answer every input with
//! cases or `LoadError`s.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lossparity::__private::loader::load_bytes;
use lossparity::__private::Spec;

fuzz_target!(|bytes: &[u8]| {
    let loaded = load_bytes("fuzz.yaml", bytes, Spec::bundled());
    // Every error must render as one line naming the file.
    for error in &loaded.errors {
        let line = error.to_string();
        assert!(line.starts_with("fuzz.yaml"), "{line}");
        assert!(!line.contains('\n'), "multi-line error: {line:?}");
    }
});
