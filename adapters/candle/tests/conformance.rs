//! Certifies candle-nn's losses, in f32, f64, f16 and bf16, against the bundled PyTorch cases.

use lossparity_candle::{CandleBF16, CandleF16, CandleF32, CandleF64, KNOWN_DIFFERENCES};

fn main() {
    lossparity::Harness::new()
        .adapter(CandleF32::new())
        .adapter(CandleF64::new())
        .adapter(CandleF16::new())
        .adapter(CandleBF16::new())
        .known_differences(KNOWN_DIFFERENCES)
        .run()
}
