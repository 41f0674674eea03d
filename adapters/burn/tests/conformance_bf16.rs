//! Certifies burn's losses in bfloat16 against the bundled PyTorch cases. Each dtype runs in its
//! own process (`conformance_f32`, `conformance_f64`, `conformance_f16`, `conformance_bf16`):
//! `BurnBF16::new()` sets the flex device's process-wide default float dtype to bf16, as a user
//! computing in bf16 would.

use lossparity_burn::BurnBF16;

fn main() {
    let burn = BurnBF16::new();
    let known = burn.known_differences();
    lossparity::Harness::new()
        .adapter(burn)
        .known_differences(&known)
        .run()
}
