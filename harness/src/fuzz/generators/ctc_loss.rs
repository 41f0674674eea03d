//! Random `ctc_loss` cases: batched `(T, N, C)` or unbatched `(T, C)` log-probabilities
//! (normalised or not, with -inf), padded `(N, S)` or concatenated targets with labels other
//! than `blank`, repeated labels, input lengths up to T (0 included), target lengths up to S
//! (0 included), infeasible alignments with and without `zero_infinity`.

use rand::rngs::StdRng;
use rand::RngExt;

use lossparity_reference::Tensor;

use crate::case::Param;
use crate::fuzz::generated::Generated;
use crate::fuzz::sample::{
    bool_param, int_tensor, log_probability, log_softmax_rows, logit, reduction, tensor, Dims,
};

pub(crate) fn generate(rng: &mut StdRng) -> Generated {
    let (mut dims, mut case) = (Dims::new(), Generated::new());
    let time = dims.draw(rng, "T", 1, 6);
    let batch = dims.draw(rng, "N", 1, 3);
    let classes = dims.draw(rng, "C", 2, 5);
    let padded = dims.draw(rng, "S", 0, 4);
    let blank = if rng.random_bool(0.3) {
        let blank = rng.random_range(0..classes) as i64;
        case.param("blank", Param::Int(blank));
        blank
    } else {
        0
    };
    bool_param(rng, &mut case, "zero_infinity");
    let batched = rng.random_bool(0.8);
    let (log_probs_axes, lengths_axes, targets_axes): (Vec<&'static str>, Vec<&'static str>, _) =
        if batched {
            (vec!["T", "N", "C"], vec!["N"], vec!["N", "S"])
        } else {
            (vec!["T", "C"], vec![], vec!["S"])
        };
    let log_probs = if rng.random_bool(0.8) {
        log_softmax_rows(&tensor(rng, &dims.shape(&log_probs_axes), |r| {
            logit(r, false)
        }))
    } else {
        tensor(rng, &dims.shape(&log_probs_axes), |r| {
            log_probability(r, true)
        })
    };
    let samples = if batched { batch } else { 1 };
    let label = |rng: &mut StdRng| {
        let label = rng.random_range(0..classes as i64 - 1);
        if label >= blank {
            label + 1
        } else {
            label
        }
    };
    let targets = int_tensor(rng, &dims.shape(&targets_axes), label);
    // Unbatched targets are the concatenated form of one sample: exactly target_length labels.
    let target_lengths: Vec<i64> = (0..samples)
        .map(|_| {
            if batched {
                rng.random_range(0..=padded) as i64
            } else {
                padded as i64
            }
        })
        .collect();
    let input_lengths: Vec<i64> = (0..samples)
        .map(|_| {
            if rng.random_bool(0.7) {
                time as i64
            } else {
                rng.random_range(0..=time) as i64
            }
        })
        .collect();
    let lengths = |values: Vec<i64>| {
        Tensor::new(if batched { vec![batch] } else { vec![] }, values).expect("one per sample")
    };
    case.float("log_probs", log_probs, &log_probs_axes);
    if batched && rng.random_bool(0.2) {
        // The concatenated form: each sample's first target_length labels, one after another.
        let concatenated: Vec<i64> = targets
            .data()
            .chunks(padded.max(1))
            .zip(&target_lengths)
            .flat_map(|(row, &length)| row[..length as usize].to_vec())
            .collect();
        case.int("targets", Tensor::vector(concatenated), &["L"]);
    } else {
        case.int("targets", targets, &targets_axes);
    }
    case.int("input_lengths", lengths(input_lengths), &lengths_axes);
    case.int("target_lengths", lengths(target_lengths), &lengths_axes);
    reduction(
        rng,
        &mut case,
        &["none", "mean", "sum", "elementwise_mean"],
        false,
    );
    case
}
