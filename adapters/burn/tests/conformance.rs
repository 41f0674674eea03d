//! Certifies burn's losses against the bundled PyTorch cases, in f32 and f64.

use lossparity_burn::{BurnF32, BurnF64, KNOWN_DIFFERENCES};

fn main() {
    lossparity::Harness::new()
        .adapter(BurnF32::new())
        .adapter(BurnF64::new())
        .known_differences(KNOWN_DIFFERENCES)
        .run()
}
