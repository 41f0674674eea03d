//! Random `cross_entropy` cases: class indices (`(C)`, `(N, C)`, `(N, C, d1, …)`, C = 1
//! included, `ignore_index` in range or not) or class probabilities of the input's shape,
//! large and infinite logits, class weights, label smoothing from 0 to 1, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    class_axes, class_indices, float_param, ignore_index, logit, non_negative, probability,
    reduction, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let (input_axes, target_axes) = class_axes(rng, &mut dims, true);
    let classes = dims.size("C");
    case.float(
        "input",
        tensor(rng, &dims.shape(&input_axes), |r| logit(r, true)),
        &input_axes,
    );
    if rng.random_bool(0.7) {
        let ignored = ignore_index(rng, &mut case, classes);
        let target = class_indices(rng, &dims.shape(&target_axes), classes, Some(ignored));
        case.int("target", target, &target_axes);
    } else {
        let target = tensor(rng, &dims.shape(&input_axes), probability);
        case.float("target", target, &input_axes);
    }
    if rng.random_bool(0.3) {
        let weight = tensor(rng, &dims.shape(&["C"]), |r| non_negative(r, false));
        case.float("weight", weight, &["C"]);
    }
    float_param(
        rng,
        &mut case,
        "label_smoothing",
        &[0.0, 0.1, 0.5, 1.0, 0.25],
    );
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
