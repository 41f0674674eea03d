//! Random `l1_loss` cases: broadcast targets, `x == y` kinks, weights, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, non_negative, reduction, signed, tensor, with_kinks, Dims,
};

pub(super) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let weighted = rng.random_bool(0.3);
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| signed(r, true));
    case.float(
        "target",
        with_kinks(rng, &input, target, &[0.0]),
        &target_axes,
    );
    if weighted {
        let weight = tensor(rng, &dims.shape(&axes), |r| non_negative(r, true));
        case.float("weight", weight, &axes);
    }
    case.float("input", input, &axes);
    let reductions: &[&str] = if weighted {
        &["none", "mean", "sum"]
    } else {
        &["none", "mean", "sum", "elementwise_mean"]
    };
    reduction(rng, &mut case, reductions, true);
    case
}
