//! Random `triplet_margin_with_distance_loss` cases: each distance function (the default
//! pairwise distance, by name, and cosine distance), margins, `swap`, the triplet shapes of
//! `triplet_margin_loss`.

use rand::rngs::StdRng;
use rand::RngExt;

use super::triplet_margin_loss::triplet;
use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{bool_param, float_param, pick, reduction, Dims};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let mut batched = false;
    if rng.random_bool(0.7) {
        let distance = pick(rng, &["null", "pairwise_distance", "cosine_distance"]);
        let value = match distance {
            "null" => Param::Null,
            name => Param::String(name.to_owned()),
        };
        case.param("distance_function", value);
        // Cosine distance reduces over dimension 1: 1-d triplets have none.
        batched = distance == "cosine_distance";
    }
    float_param(rng, &mut case, "margin", &[1.0, 0.5, 2.0, 1e-3]);
    bool_param(rng, &mut case, "swap");
    triplet(rng, &mut dims, &mut case, batched);
    reduction(rng, &mut case, &["none", "mean", "sum"], false);
    case
}
