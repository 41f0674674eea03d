//! Random `gaussian_nll_loss` cases: variances ≥ 0 (exact zeros and values below `eps`), the
//! three variance shapes (the input's, one dimension fewer, one dimension of size 1), `full`,
//! `eps`, broadcast targets.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    bool_param, broadcast_axes, elementwise_shape, float_param, non_negative, pick, reduction,
    signed, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    bool_param(rng, &mut case, "full");
    float_param(rng, &mut case, "eps", &[1e-6, 1e-3, 1e-12, 0.5]);
    let axes = elementwise_shape(rng, &mut dims, 3, true);
    let input = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    let target_axes = if rng.random_bool(0.15) {
        broadcast_axes(rng, &axes)
    } else {
        axes.clone()
    };
    let target = tensor(rng, &dims.shape(&target_axes), |r| signed(r, true));
    let var_axes: Vec<&'static str> = match (axes.len(), rng.random_range(0..3)) {
        (0, _) | (_, 0) => axes.clone(),
        (rank, 1) => axes[..rank - 1].to_vec(),
        (rank, _) => {
            let one = rng.random_range(0..rank);
            let mut var_axes = axes.clone();
            var_axes[one] = "1";
            var_axes
        }
    };
    let var = tensor(rng, &dims.shape(&var_axes), |r| {
        if r.random_bool(0.1) {
            pick(r, &[0.0, 1e-9, 1e-6])
        } else {
            non_negative(r, true)
        }
    });
    case.float("input", input, &axes);
    case.float("target", target, &target_axes);
    case.float("var", var, &var_axes);
    reduction(rng, &mut case, &["none", "mean", "sum"], false);
    case
}
