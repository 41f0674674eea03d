//! Random `triplet_margin_loss` cases: any rank with the feature dimension last, norms `p`
//! from 0.5 to inf, `eps` (0 included), `swap`, positives equal to the anchor, broadcasting.

use rand::rngs::StdRng;
use rand::RngExt;

use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{bool_param, float_param, reduction, signed, tensor, Dims};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    float_param(rng, &mut case, "margin", &[1.0, 0.5, 2.0, 1e-3]);
    float_param(
        rng,
        &mut case,
        "p",
        &[2.0, 1.0, 3.0, 1.5, 0.5, f64::INFINITY],
    );
    float_param(rng, &mut case, "eps", &[1e-6, 0.0, 1e-3]);
    bool_param(rng, &mut case, "swap");
    triplet(rng, &mut dims, &mut case, false);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        true,
    );
    case
}

/// The anchor, positive and negative of a triplet loss: `(N, D)`, `(D)` or `(N, M, D)`, now and
/// then one of them broadcast over `N`, and positives (or negatives) equal to the anchor.
/// With `batched`, never `(D)`.
pub(super) fn triplet(rng: &mut StdRng, dims: &mut Dims, case: &mut Generated, batched: bool) {
    dims.draw(rng, "N", 1, 4);
    dims.draw(rng, "M", 1, 3);
    dims.draw(rng, "D", 1, 4);
    let axes: Vec<&'static str> = match rng.random_range(0..6) {
        0 if !batched => vec!["D"],
        1 => vec!["N", "M", "D"],
        _ => vec!["N", "D"],
    };
    let anchor = tensor(rng, &dims.shape(&axes), |r| signed(r, true));
    for name in ["positive", "negative"] {
        let (tensor_axes, value) = if axes.len() > 1 && rng.random_bool(0.1) {
            let mut broadcast = axes.clone();
            broadcast[0] = "1";
            let value = tensor(rng, &dims.shape(&broadcast), |r| signed(r, true));
            (broadcast, value)
        } else if rng.random_bool(0.15) {
            (axes.clone(), anchor.clone())
        } else {
            (
                axes.clone(),
                tensor(rng, &dims.shape(&axes), |r| signed(r, true)),
            )
        };
        case.float(name, value, &tensor_axes);
    }
    case.float("anchor", anchor, &axes);
}
