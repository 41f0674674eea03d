//! Random `nll_loss` cases: log-probability inputs (with -inf), `(C)`, `(N, C)` and
//! `(N, C, d1, …)` shapes, `ignore_index` in range or not (all ignored now and then), class
//! weights with zeros, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    class_axes, class_indices, ignore_index, log_probability, non_negative, reduction, signed,
    tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let (input_axes, target_axes) = class_axes(rng, &mut dims, true);
    let classes = dims.size("C");
    let input = tensor(rng, &dims.shape(&input_axes), |r| {
        if r.random_bool(0.8) {
            log_probability(r, true)
        } else {
            signed(r, true)
        }
    });
    case.float("input", input, &input_axes);
    let ignored = ignore_index(rng, &mut case, classes);
    let target = class_indices(rng, &dims.shape(&target_axes), classes, Some(ignored));
    case.int("target", target, &target_axes);
    if rng.random_bool(0.3) {
        let weight = tensor(rng, &dims.shape(&["C"]), |r| non_negative(r, false));
        case.float("weight", weight, &["C"]);
    }
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
