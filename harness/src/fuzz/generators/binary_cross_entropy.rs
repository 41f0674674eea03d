//! Random `binary_cross_entropy` cases: probabilities with exact 0 and 1 (the -100 log clamp),
//! soft targets, weights broadcast from the trailing dimensions, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    elementwise_shape, non_negative, probability, reduction, tensor, trailing_axes, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let shape = dims.shape(&axes);
    case.float("input", tensor(rng, &shape, probability), &axes);
    let target = tensor(rng, &shape, |r| {
        if r.random_bool(0.6) {
            r.random_range(0..2) as f64
        } else {
            probability(r)
        }
    });
    case.float("target", target, &axes);
    if rng.random_bool(0.3) {
        let weight_axes = trailing_axes(rng, &axes);
        let weight = tensor(rng, &dims.shape(&weight_axes), |r| non_negative(r, true));
        case.float("weight", weight, &weight_axes);
    }
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
