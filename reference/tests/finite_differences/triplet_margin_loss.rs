//! Finite differences for `triplet_margin_loss`.

use lossparity_reference::broadcast::broadcast_shapes;
use lossparity_reference::primitives::{minimum, pairwise_distance};
use lossparity_reference::{self as reference, Tensor};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::support::{check, uniform, Check, REDUCTIONS, TRIALS};

/// The vectors `(u - v) + eps` whose norms are the distances, one per lane.
fn differences(u: &Tensor, v: &Tensor, eps: f64) -> Vec<Vec<f64>> {
    let shape = broadcast_shapes(u.shape(), v.shape()).unwrap();
    let (u, v) = (u.expand(&shape).unwrap(), v.expand(&shape).unwrap());
    let features = shape.last().copied().unwrap_or(1);
    let diff: Vec<f64> = (0..u.numel()).map(|i| u.at(i) - v.at(i) + eps).collect();
    diff.chunks(features).map(<[f64]>::to_vec).collect()
}

/// Whether the norm of order `p` is near a kink at `v`: a component near 0 (the kink of `|·|`
/// and the singularity of `|·|^(p-1)` for `p < 1`) or, for `p = inf`, two largest magnitudes
/// near a tie.
fn near_norm_kink(v: &[f64], p: f64) -> bool {
    let mut magnitudes: Vec<f64> = v.iter().map(|x| x.abs()).collect();
    magnitudes.sort_by(|a, b| b.total_cmp(a));
    magnitudes.iter().any(|&m| m < 1e-2)
        || (p.is_infinite() && magnitudes.len() > 1 && magnitudes[0] - magnitudes[1] < 1e-2)
}

#[test]
fn triplet_margin_loss() {
    let mut rng = StdRng::seed_from_u64(56);
    // (anchor, positive, negative): equal shapes, broadcast rows and features, one triplet.
    let shapes: [(&[usize], &[usize], &[usize]); 3] = [
        (&[3, 4], &[3, 4], &[3, 4]),
        (&[1, 4], &[3, 4], &[3, 1]),
        (&[4], &[4], &[4]),
    ];
    for reduction in REDUCTIONS {
        for p in [2.0, 1.0, 1.5, 3.0, 0.5, f64::INFINITY] {
            for swap in [false, true] {
                for (eps, margin) in [(1e-6, 1.0), (0.0, 0.5), (0.1, 2.0)] {
                    for (anchor_shape, positive_shape, negative_shape) in shapes {
                        let mut done = 0;
                        while done < TRIALS {
                            let anchor = uniform(&mut rng, anchor_shape, -2.0, 2.0);
                            let positive = uniform(&mut rng, positive_shape, -2.0, 2.0);
                            let negative = uniform(&mut rng, negative_shape, -2.0, 2.0);
                            let pairs = [(&anchor, &positive), (&anchor, &negative)];
                            let pairs = if swap {
                                vec![pairs[0], pairs[1], (&positive, &negative)]
                            } else {
                                pairs.to_vec()
                            };
                            let near_norm_kink = pairs.iter().any(|(u, v)| {
                                differences(u, v, eps).iter().any(|d| near_norm_kink(d, p))
                            });
                            // Away from the hinge's kink and from ties of the swap's minimum.
                            let distance = |u, v| pairwise_distance(u, v, p, eps).unwrap();
                            let d_pos = distance(&anchor, &positive);
                            let mut d_neg = distance(&anchor, &negative);
                            let mut near_tie = false;
                            if swap {
                                let d_swap = distance(&positive, &negative);
                                let shape =
                                    broadcast_shapes(d_neg.shape(), d_swap.shape()).unwrap();
                                let (a, b) = (
                                    d_neg.expand(&shape).unwrap(),
                                    d_swap.expand(&shape).unwrap(),
                                );
                                near_tie = (0..a.numel()).any(|i| (a.at(i) - b.at(i)).abs() < 1e-2);
                                d_neg = minimum(&d_neg, &d_swap).unwrap();
                            }
                            let shape = broadcast_shapes(d_pos.shape(), d_neg.shape()).unwrap();
                            let (d_pos, d_neg) =
                                (d_pos.expand(&shape).unwrap(), d_neg.expand(&shape).unwrap());
                            let near_hinge = (0..d_pos.numel())
                                .any(|i| (margin + d_pos.at(i) - d_neg.at(i)).abs() < 1e-2);
                            if near_norm_kink || near_tie || near_hinge {
                                continue;
                            }
                            done += 1;
                            let options = reference::TripletMarginLossOptions {
                                margin,
                                p,
                                eps,
                                swap,
                                reduction,
                                ..Default::default()
                            };
                            let o = &options;
                            check(
                                &mut rng,
                                Check {
                                    label: format!(
                                        "triplet_margin_loss {reduction} p={p} swap={swap} \
                                         eps={eps} margin={margin} shapes={anchor_shape:?} \
                                         {positive_shape:?} {negative_shape:?}"
                                    ),
                                    inputs: vec![
                                        ("anchor", anchor),
                                        ("positive", positive),
                                        ("negative", negative),
                                    ],
                                    forward: Box::new(move |x| {
                                        reference::triplet_margin_loss(&x[0], &x[1], &x[2], o)
                                    }),
                                    backward: Box::new(move |x, g| {
                                        reference::triplet_margin_loss_backward(
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
