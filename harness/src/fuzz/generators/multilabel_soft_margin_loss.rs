//! Random `multilabel_soft_margin_loss` cases: the class dimension last at any rank ≥ 1, 0/1
//! and soft labels, large logits, weights of shape `(C)` or the input's.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{logit, non_negative, probability, reduction, tensor, Dims};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let axes: Vec<&'static str> = match rng.random_range(0..5) {
        0 => vec!["C"],
        1 => vec!["N", "D", "C"],
        _ => vec!["N", "C"],
    };
    dims.draw(rng, "N", 1, 4);
    dims.draw(rng, "D", 1, 3);
    dims.draw(rng, "C", 1, 4);
    let shape = dims.shape(&axes);
    case.float("input", tensor(rng, &shape, |r| logit(r, true)), &axes);
    let target = tensor(rng, &shape, |r| {
        if r.random_bool(0.7) {
            r.random_range(0..2) as f64
        } else {
            probability(r)
        }
    });
    case.float("target", target, &axes);
    match rng.random_range(0..4) {
        0 => case.float(
            "weight",
            tensor(rng, &shape, |r| non_negative(r, true)),
            &axes,
        ),
        1 => {
            let weight = tensor(rng, &dims.shape(&["C"]), |r| non_negative(r, true));
            case.float("weight", weight, &["C"]);
        }
        _ => {}
    }
    reduction(rng, &mut case, &["none", "mean", "sum"], true);
    case
}
