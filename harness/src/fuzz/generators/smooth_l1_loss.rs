//! Random `smooth_l1_loss` cases: `beta` (0 included), kinks at `x == y` and `|x - y| == beta`,
//! broadcast targets, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, pick, reduction, signed, tensor, with_kinks, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let beta = pick(rng, &[1.0, 0.0, 0.5, 2.0, 1e-3, 1e3]);
    if beta != 1.0 || rng.random_bool(0.3) {
        case.param("beta", Param::Float(beta));
    }
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| signed(r, true));
    let target = with_kinks(rng, &input, target, &[0.0, beta, -beta]);
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
