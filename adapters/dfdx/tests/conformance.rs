//! Certifies dfdx against the bundled PyTorch cases.

use lossparity_dfdx::{DfdxF32, DfdxF64, KNOWN_DIFFERENCES};

fn main() {
    lossparity::Harness::new()
        .adapter(DfdxF32::new())
        .adapter(DfdxF64::new())
        .known_differences(KNOWN_DIFFERENCES)
        .run()
}
