//! Random `margin_ranking_loss` cases: ±1 targets (and other multipliers), pairs exactly at the
//! margin (the kink), margins of either sign, broadcasting among the three tensors.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, pick, plus_minus_one, reduction, signed, tensor, with_kinks,
    Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let margin = pick(rng, &[0.0, 0.5, 1.0, -0.5]);
    if margin != 0.0 || rng.random_bool(0.3) {
        case.param("margin", Param::Float(margin));
    }
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input1 = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let input2 = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let input2 = with_kinks(rng, &input1, input2, &[0.0, margin, -margin]);
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| plus_minus_one(r, true));
    case.float("input1", input1, &axes);
    case.float("input2", input2, &axes);
    case.float("target", target, &target_axes);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
