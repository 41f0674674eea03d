//! Random `hinge_embedding_loss` cases: ±1 targets (and other values, used as given), inputs
//! exactly at the margin (the kink), margins of either sign, broadcast targets.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, pick, plus_minus_one, reduction, signed, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let margin = pick(rng, &[1.0, 0.0, 0.5, 2.0, -1.0]);
    if margin != 1.0 || rng.random_bool(0.3) {
        case.param("margin", Param::Float(margin));
    }
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| {
        if r.random_bool(0.15) {
            margin
        } else {
            signed(r, true)
        }
    });
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| plus_minus_one(r, true));
    case.float("input", input, &axes);
    case.float("target", target, &target_axes);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
