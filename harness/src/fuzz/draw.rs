//! How the fuzzer draws case `i` of a loss: from `(seed, loss, i)` alone, so a run is
//! reproducible and any one case can be redrawn by itself.

use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::case::Case;
use crate::registry::Loss;

/// The name of random case `index` of a run with `seed`: `fuzz_seed<seed>_<index>`.
pub fn case_name(seed: u64, index: u64) -> String {
    format!("fuzz_seed{seed}_{index}")
}

/// The RNG of random case `index` of `loss` in a run with `seed`: a hash of the three, so each
/// case can be drawn alone.
pub fn case_rng(seed: u64, loss: &str, index: u64) -> StdRng {
    // FNV-1a over the loss name, then splitmix64 over the three: stable across platforms and
    // Rust versions (unlike std's hasher).
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for byte in loss.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut state = seed;
    for word in [hash, index] {
        state = splitmix64(state ^ word);
    }
    StdRng::seed_from_u64(state)
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Random case `index` of `loss` in a run with `seed`, exactly as the fuzzer draws it (before
/// any rounding to an f32 adapter's precision); `None` if the loss has no generator.
pub fn generate(loss: &str, seed: u64, index: u64) -> Option<Case> {
    let generate = Loss::from_name(loss)?.generator();
    let generated = generate(&mut case_rng(seed, loss, index));
    Some(generated.to_case(loss, &case_name(seed, index)))
}
