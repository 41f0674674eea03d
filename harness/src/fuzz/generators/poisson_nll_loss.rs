//! Random `poisson_nll_loss` cases: `log_input` both ways (large inputs overflow `exp`),
//! counts as targets (0 and 1 are where Stirling's term starts), `full`, `eps`.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    bool_param, broadcast_axes, elementwise_shape, float_param, logit, non_negative, reduction,
    tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let log_input = rng.random_bool(0.6);
    if !log_input || rng.random_bool(0.3) {
        case.param("log_input", Param::Bool(log_input));
    }
    bool_param(rng, &mut case, "full");
    float_param(rng, &mut case, "eps", &[1e-8, 0.0, 1e-3, 0.5]);
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| {
        if log_input {
            logit(r, true)
        } else {
            non_negative(r, true)
        }
    });
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| {
        let count = non_negative(r, true);
        if r.random_bool(0.5) {
            count.round()
        } else {
            count
        }
    });
    case.float("input", input, &axes);
    case.float("target", target, &target_axes);
    reduction(rng, &mut case, &["none", "mean", "sum"], true);
    case
}
