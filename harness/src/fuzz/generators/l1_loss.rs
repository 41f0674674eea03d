//! Random `l1_loss` cases: broadcast targets, `x == y` kinks, weights, legacy reductions.
//! `l1_loss` and `mse_loss` take the same arguments, so they share one generator.

use rand::rngs::StdRng;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::weighted_regression_case;

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    weighted_regression_case(rng)
}
