//! Certifies burn's losses in f32 against the bundled PyTorch cases. f32 and f64 run in separate
//! processes (`conformance_f32`, `conformance_f64`): `BurnF32::new()` sets the flex device's
//! process-wide default float dtype to f32, as a user computing in f32 would.

use lossparity_burn::BurnF32;

fn main() {
    let burn = BurnF32::new();
    let known = burn.known_differences();
    lossparity::Harness::new()
        .adapter(burn)
        .known_differences(&known)
        .run()
}
