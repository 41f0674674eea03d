//! Certifies burn's losses in IEEE half precision (f16) against the bundled PyTorch cases. Each dtype runs in its
//! own process (`conformance_f32`, `conformance_f64`, `conformance_f16`, `conformance_bf16`):
//! `BurnF16::new()` sets the flex device's process-wide default float dtype to f16, as a user
//! computing in f16 would.

use lossparity_burn::BurnF16;

fn main() {
    let burn = BurnF16::new();
    let known = burn.known_differences();
    lossparity::Harness::new()
        .adapter(burn)
        .known_differences(&known)
        .run()
}
