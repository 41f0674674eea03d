//! Random `kl_div` cases: log-probability inputs (with -inf), probability or log-probability
//! targets (with exact zeros), `batchmean`, broadcast targets, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    broadcast_axes, elementwise_shape, log_probability, probability, reduction, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let log_target = rng.random_bool(0.3);
    if log_target || rng.random_bool(0.2) {
        case.param("log_target", Param::Bool(log_target));
    }
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| log_probability(r, true));
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| {
        if log_target {
            log_probability(r, true)
        } else {
            probability(r)
        }
    });
    case.float("input", input, &axes);
    case.float("target", target, &target_axes);
    let reductions: &[&str] = if axes.is_empty() {
        &["none", "mean", "sum", "elementwise_mean"]
    } else {
        &["none", "mean", "sum", "batchmean", "elementwise_mean"]
    };
    reduction(rng, &mut case, reductions, true);
    case
}
