//! Finite differences for `triplet_margin_with_distance_loss`.

use lossparity_reference::broadcast::broadcast_shapes;
use lossparity_reference::primitives::minimum;
use lossparity_reference::{self as reference, DistanceFunction};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, TRIALS};

#[test]
fn triplet_margin_with_distance_loss() {
    let mut rng = StdRng::seed_from_u64(57);
    // (anchor, positive, negative): equal shapes, a broadcast anchor, and 3-D inputs whose
    // features (dimension 1 for the cosine distance) broadcast too.
    let shapes: [(&[usize], &[usize], &[usize]); 3] = [
        (&[3, 4], &[3, 4], &[3, 4]),
        (&[1, 4], &[3, 4], &[3, 4]),
        (&[2, 3, 2], &[1, 3, 2], &[2, 3, 1]),
    ];
    for reduction in ["none", "mean", "sum"] {
        for name in [None, Some("pairwise_distance"), Some("cosine_distance")] {
            for swap in [false, true] {
                for margin in [1.0, 0.2] {
                    for (anchor_shape, positive_shape, negative_shape) in shapes {
                        let distance = DistanceFunction::from_name(name).unwrap();
                        let mut done = 0;
                        while done < TRIALS {
                            let anchor = uniform(&mut rng, anchor_shape, -2.0, 2.0);
                            let positive = uniform(&mut rng, positive_shape, -2.0, 2.0);
                            let negative = uniform(&mut rng, negative_shape, -2.0, 2.0);
                            // Away from the hinge's kink and from ties of the swap's minimum.
                            let dist = |u, v| distance.distance(u, v).unwrap();
                            let dist_pos = dist(&anchor, &positive);
                            let mut dist_neg = dist(&anchor, &negative);
                            let mut near_tie = false;
                            if swap {
                                let dist_swap = dist(&positive, &negative);
                                let shape =
                                    broadcast_shapes(dist_neg.shape(), dist_swap.shape()).unwrap();
                                let a = dist_neg.expand(&shape).unwrap();
                                let b = dist_swap.expand(&shape).unwrap();
                                near_tie = (0..a.numel()).any(|i| (a.at(i) - b.at(i)).abs() < 1e-2);
                                dist_neg = minimum(&dist_neg, &dist_swap).unwrap();
                            }
                            let shape =
                                broadcast_shapes(dist_pos.shape(), dist_neg.shape()).unwrap();
                            let dist_pos = dist_pos.expand(&shape).unwrap();
                            let dist_neg = dist_neg.expand(&shape).unwrap();
                            let near_hinge = (0..dist_pos.numel())
                                .any(|i| (margin + dist_pos.at(i) - dist_neg.at(i)).abs() < 1e-2);
                            if near_tie || near_hinge {
                                continue;
                            }
                            done += 1;
                            let options = reference::TripletMarginWithDistanceLossOptions {
                                distance_function: name,
                                margin,
                                swap,
                                reduction,
                            };
                            let o = &options;
                            check(
                                &mut rng,
                                Check {
                                    label: format!(
                                        "triplet_margin_with_distance_loss {reduction} \
                                         distance={name:?} swap={swap} margin={margin} \
                                         shapes={anchor_shape:?} {positive_shape:?} \
                                         {negative_shape:?}"
                                    ),
                                    inputs: vec![
                                        ("anchor", anchor),
                                        ("positive", positive),
                                        ("negative", negative),
                                    ],
                                    forward: Box::new(move |x| {
                                        reference::triplet_margin_with_distance_loss(
                                            &x[0], &x[1], &x[2], o,
                                        )
                                    }),
                                    backward: Box::new(move |x, g| {
                                        reference::triplet_margin_with_distance_loss_backward(
                                            &x[0], &x[1], &x[2], o, g,
                                        )
                                    }),
                                },
                            );
                        }
                    }
                }
            }
        }
    }
}
