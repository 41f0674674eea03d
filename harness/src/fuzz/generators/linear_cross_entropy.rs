//! Random `linear_cross_entropy` cases: `(N, K)` or `(K)` inputs through a `(C, K)` linear
//! weight and an optional bias, class indices (with `ignore_index`) or probabilities, class
//! weights, label smoothing.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    class_indices, float_param, non_negative, pick, probability, reduction, signed, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    dims.draw(rng, "N", 1, 4);
    dims.draw(rng, "K", 1, 4);
    let classes = dims.draw(rng, "C", 1, 4);
    let batched = rng.random_bool(0.8);
    let (input_axes, target_axes, probability_axes): (Vec<&'static str>, Vec<&'static str>, _) =
        if batched {
            (vec!["N", "K"], vec!["N"], vec!["N", "C"])
        } else {
            (vec!["K"], vec![], vec!["C"])
        };
    case.float(
        "input",
        tensor(rng, &dims.shape(&input_axes), |r| signed(r, false)),
        &input_axes,
    );
    let linear_weight = tensor(rng, &dims.shape(&["C", "K"]), |r| signed(r, false));
    case.float("linear_weight", linear_weight, &["C", "K"]);
    if rng.random_bool(0.4) {
        let bias = tensor(rng, &dims.shape(&["C"]), |r| signed(r, false));
        case.float("linear_bias", bias, &["C"]);
    }
    if rng.random_bool(0.75) {
        let ignored = match rng.random_range(0..4) {
            0 => {
                let ignored = pick(rng, &[-1, -100, 0]);
                case.param("ignore_index", Param::Int(ignored));
                ignored
            }
            1 => {
                case.param("ignore_index", Param::Null);
                -100
            }
            _ => -100,
        };
        let target = class_indices(rng, &dims.shape(&target_axes), classes, Some(ignored));
        case.int("target", target, &target_axes);
    } else {
        let target = tensor(rng, &dims.shape(&probability_axes), probability);
        case.float("target", target, &probability_axes);
    }
    if rng.random_bool(0.3) {
        let weight = tensor(rng, &dims.shape(&["C"]), |r| non_negative(r, false));
        case.float("weight", weight, &["C"]);
    }
    float_param(rng, &mut case, "label_smoothing", &[0.0, 0.1, 0.5, 1.0]);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        false,
    );
    case
}
