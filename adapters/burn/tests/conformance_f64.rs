//! Certifies burn's losses in f64 against the bundled PyTorch cases. f32 and f64 run in separate
//! processes (`conformance_f32`, `conformance_f64`): `BurnF64::new()` sets the flex device's
//! process-wide default float dtype to f64, as a user computing in f64 would.

use lossparity_burn::BurnF64;

fn main() {
    let burn = BurnF64::new();
    let known = burn.known_differences();
    lossparity::Harness::new()
        .adapter(burn)
        .known_differences(&known)
        .run()
}
