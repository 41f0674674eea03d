//! Random `soft_margin_loss` cases: large logits (the literal `log1p(exp(-y·x))` overflows past
//! 709), ±1 targets (and other multipliers), targets broadcast to the input's shape.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, logit, plus_minus_one, reduction, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| logit(r, true));
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
