//! Random `huber_loss` cases: `delta`, kinks at `|x - y| == delta`, weights, broadcast targets.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, non_negative, pick, reduction, signed, tensor, with_kinks,
    Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let delta = pick(rng, &[1.0, 0.5, 2.0, 1e-3, 1e3]);
    if delta != 1.0 || rng.random_bool(0.3) {
        case.param("delta", Param::Float(delta));
    }
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| signed(r, true));
    let target = with_kinks(rng, &input, target, &[0.0, delta, -delta]);
    let weighted = rng.random_bool(0.3);
    if weighted {
        let weight = tensor(rng, &dims.shape(&axes), |r| non_negative(r, true));
        case.float("weight", weight, &axes);
    }
    case.float("input", input, &axes);
    case.float("target", target, &target_axes);
    let reductions: &[&str] = if weighted {
        &["none", "mean", "sum"]
    } else {
        &["none", "mean", "sum", "elementwise_mean"]
    };
    reduction(rng, &mut case, reductions, false);
    case
}
