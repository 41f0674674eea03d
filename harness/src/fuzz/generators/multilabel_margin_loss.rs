//! Random `multilabel_margin_loss` cases: `(N, C)` or `(C)`, targets of class indices ended by
//! -1 (with anything in range after it), duplicates, no targets or every class a target,
//! scores exactly at the margin, legacy reductions.

use rand::rngs::StdRng;
use rand::RngExt;

use lossparity_reference::Tensor;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{reduction, signed, tensor, Dims};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    dims.draw(rng, "N", 1, 4);
    let classes = dims.draw(rng, "C", 1, 5);
    let axes: Vec<&'static str> = if rng.random_bool(0.2) {
        vec!["C"]
    } else {
        vec!["N", "C"]
    };
    let shape = dims.shape(&axes);
    let mut input = tensor(rng, &shape, |r| signed(r, true)).into_data();
    let mut target = Vec::with_capacity(input.len());
    for row in input.chunks_mut(classes) {
        let count = rng.random_range(0..=classes);
        for j in 0..classes {
            let label = if j < count {
                rng.random_range(0..classes) as i64
            } else if j == count || rng.random_bool(0.5) {
                -1
            } else {
                rng.random_range(0..classes) as i64
            };
            target.push(label);
        }
        // A score one below the first target's: exactly at the margin.
        if count > 0 && rng.random_bool(0.2) {
            let first = target[target.len() - classes] as usize;
            let other = rng.random_range(0..classes);
            if other != first {
                row[other] = row[first] - 1.0;
            }
        }
    }
    let input = Tensor::new(shape.clone(), input).expect("same shape");
    let target = Tensor::new(shape, target).expect("same shape");
    case.float("input", input, &axes);
    case.int("target", target, &axes);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
