//! Random `cosine_embedding_loss` cases: batched `(N, D)` with `(N)` targets or unbatched `(D)`
//! with a 0-d target, ±1 targets (and 0, which gives 0), zero and tiny vectors (the 1e-12 in the
//! norms), parallel pairs, a broadcast `(1, D)` second input, margins of either sign.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{float_param, plus_minus_one, reduction, signed, tensor, Dims};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    float_param(rng, &mut case, "margin", &[0.0, 0.5, -0.5, 1.0, 0.9]);
    dims.draw(rng, "N", 1, 4);
    dims.draw(rng, "D", 1, 4);
    let batched = rng.random_bool(0.8);
    let axes: Vec<&'static str> = if batched { vec!["N", "D"] } else { vec!["D"] };
    let vector_value = |r: &mut StdRng| {
        if r.random_bool(0.1) {
            0.0
        } else {
            signed(r, true)
        }
    };
    let input1 = tensor(rng, &dims.shape(&axes), vector_value);
    let input2_axes: Vec<&'static str> = if batched && rng.random_bool(0.15) {
        vec!["1", "D"]
    } else {
        axes.clone()
    };
    let input2 = if input2_axes == axes && rng.random_bool(0.15) {
        input1.map(|&x| 2.0 * x)
    } else {
        tensor(rng, &dims.shape(&input2_axes), vector_value)
    };
    let target_axes: Vec<&'static str> = if batched { vec!["N"] } else { vec![] };
    let target = tensor(rng, &dims.shape(&target_axes), |r| plus_minus_one(r, true));
    case.float("input1", input1, &axes);
    case.float("input2", input2, &input2_axes);
    case.float("target", target, &target_axes);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}
