//! `cargo test` runs every bundled case against the f64 reference: the proof that the reference
//! matches PyTorch. Trials are named `reference::loss::case`, so `cargo test -- kl_div` filters.

fn main() {
    lossparity::Harness::new()
        .adapter(lossparity::Reference)
        .run()
}
