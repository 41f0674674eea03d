//! What a user's `tests/conformance.rs` holds: every bundled case, here against the reference.

fn main() {
    lossparity::Harness::new()
        .adapter(lossparity::Reference)
        .run()
}
