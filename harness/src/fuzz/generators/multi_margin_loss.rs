//! Random `multi_margin_loss` cases: `(N, C)` with `(N)` targets or `(C)` with a 0-d or `(1)`
//! target, `p` 1 and 2, margins of either sign, scores exactly at the margin (the kink), class
//! weights, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{class_indices, non_negative, pick, reduction, signed, tensor, Dims};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    dims.draw(rng, "N", 1, 4);
    let classes = dims.draw(rng, "C", 1, 5);
    if rng.random_bool(0.6) {
        case.param("p", Param::Int(rng.random_range(1..=2)));
    }
    let margin = pick(rng, &[1.0, 0.0, 0.5, 2.0, -1.0]);
    if margin != 1.0 || rng.random_bool(0.3) {
        case.param("margin", Param::Float(margin));
    }
    let (input_axes, target_axes): (Vec<&'static str>, Vec<&'static str>) =
        match rng.random_range(0..6) {
            0 => (vec!["C"], vec![]),
            1 => (vec!["C"], vec!["1"]),
            _ => (vec!["N", "C"], vec!["N"]),
        };
    let target = class_indices(rng, &dims.shape(&target_axes), classes, None);
    let mut input = tensor(rng, &dims.shape(&input_axes), |r| signed(r, true)).into_data();
    // Put some scores exactly at the margin: x[i] = x[y] - margin, where z_i = 0.
    for (row, &y) in input.chunks_mut(classes).zip(target.data()) {
        for i in 0..row.len() {
            if i != y as usize && rng.random_bool(0.15) {
                row[i] = row[y as usize] - margin;
            }
        }
    }
    let input =
        lossparity_reference::Tensor::new(dims.shape(&input_axes), input).expect("same shape");
    case.float("input", input, &input_axes);
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
