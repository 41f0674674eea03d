//! Certifies candle-nn's losses, in f32 and f64, against the bundled PyTorch cases.

use lossparity_candle::{CandleF32, CandleF64, KNOWN_DIFFERENCES};

fn main() {
    lossparity::Harness::new()
        .adapter(CandleF32::new())
        .adapter(CandleF64::new())
        .known_differences(KNOWN_DIFFERENCES)
        .run()
}
