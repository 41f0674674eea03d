//! Classification losses, all mean-only in burn: `cross_entropy` with class indices →
//! `CrossEntropyLossConfig{pad_tokens, weights, smoothing}`, with class probabilities →
//! `burn::tensor::loss::cross_entropy_with_logits`; `binary_cross_entropy` and
//! `binary_cross_entropy_with_logits` → `BinaryCrossEntropyLossConfig{weights, logits}`.

use burn::nn::loss::{BinaryCrossEntropyLossConfig, CrossEntropyLossConfig};
use burn::tensor::loss::cross_entropy_with_logits;
use lossparity::{Call, Input};

use super::Outcome;
use crate::dtype::BurnFloat;
use crate::reduction::{self, Offered};
use crate::session::{integral_values, with_rank, Output, Session};
use crate::shapes;

/// Whether burn can run `call`.
pub(crate) fn check<T: BurnFloat>(call: &Call<'_, T>) -> Outcome {
    match call.loss() {
        "cross_entropy" => match call.input("target") {
            Some(Input::Int(_)) => check_class_indices(call)?,
            _ => check_probabilities(call)?,
        },
        _ => check_binary(call)?,
    }
    reduction::mode(call, Offered::MeanOnly).map(drop)
}

fn check_class_indices<T>(call: &Call<'_, T>) -> Outcome {
    shapes::require_rank(call, "input", 2, "[batch, classes] logits")?;
    shapes::require_rank(call, "target", 1, "[batch] class indices")?;
    shapes::require_rank(call, "weight", 1, "per-class weights")?;
    pad_tokens(call).map(drop)
}

fn check_probabilities<T>(call: &Call<'_, T>) -> Outcome {
    // cross_entropy_with_logits takes the classes on the last dimension; PyTorch's are on
    // dimension 1, which is the last only for 1-D and 2-D inputs.
    let rank = shapes::common_rank(call, &["input", "target"])?;
    if rank > 2 {
        return Err(
            "burn's cross_entropy_with_logits takes the classes on the last dimension, \
             PyTorch on dimension 1"
                .into(),
        );
    }
    if call.has_input("weight") {
        return Err("burn's cross_entropy_with_logits takes no weight".into());
    }
    if call.f64("label_smoothing") != 0.0 {
        return Err("burn's cross_entropy_with_logits has no label smoothing".into());
    }
    // A negative ignore_index has no effect with probabilities (PyTorch raises for one >= 0).
    if call.param("ignore_index").as_i64().is_some_and(|i| i >= 0) {
        return Err("burn's cross_entropy_with_logits has no ignore_index".into());
    }
    Ok(())
}

fn check_binary<T: BurnFloat>(call: &Call<'_, T>) -> Outcome {
    if call.has_input("pos_weight") {
        return Err("burn's BinaryCrossEntropyLoss has no pos_weight".into());
    }
    let rank = shapes::common_rank(call, &["input", "target"])?;
    shapes::no_broadcasting(call, &["input", "target"])?;
    if !integral_values(call, "target") {
        return Err(
            "burn's BinaryCrossEntropyLoss takes Int (hard) targets; this target has \
             non-integer values"
                .into(),
        );
    }
    if let Some(weight) = shapes::shape(call, "weight") {
        // burn's weights are one per class of the last dimension (for a 1-D input: one per
        // target class, looked up by target), PyTorch's broadcast against the input.
        if rank == 1 {
            return Err(
                "for a 1-D input burn's BCE weights are per target class, PyTorch's per element"
                    .into(),
            );
        }
        let classes = shapes::shape(call, "input").expect("input")[rank - 1];
        match weight {
            [1] if classes != 1 => {
                return Err(format!(
                    "burn's BCE weights are one per class of the last dimension ({classes}); \
                     PyTorch broadcasts a one-element weight over all of them"
                ))
            }
            // One per class, or a length PyTorch rejects (left to burn's assert).
            [_] => {}
            _ => {
                return Err(format!(
                    "burn's BCE weights are a vector, one per class; PyTorch's weight \
                     {weight:?} broadcasts against the input"
                ))
            }
        }
    }
    Ok(())
}

/// PyTorch's `ignore_index` as burn's `pad_tokens`, which are `usize`: a negative index is
/// expressible only when no target equals it (then it has no effect, like no padding).
fn pad_tokens<T>(call: &Call<'_, T>) -> Result<Option<Vec<usize>>, String> {
    let index = call
        .param("ignore_index")
        .as_i64()
        .expect("ignore_index is an int");
    if let Ok(token) = usize::try_from(index) {
        return Ok(Some(vec![token]));
    }
    let target = call.required_int("target");
    if target.data().contains(&index) {
        Err(format!(
            "burn's pad_tokens are usize: ignore_index {index} cannot be expressed"
        ))
    } else {
        Ok(None)
    }
}

/// A float input's values as the `Vec<f32>` burn's loss configs take for weights.
fn weights<T: BurnFloat>(call: &Call<'_, T>) -> Option<Vec<f32>> {
    call.float("weight").map(|w| {
        w.data()
            .iter()
            .map(|v| burn::tensor::cast::ToElement::to_f32(v))
            .collect()
    })
}

/// Computes the loss with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    let call = s.call();
    match (call.loss(), call.input("target")) {
        ("cross_entropy", Some(Input::Int(_))) => {
            let smoothing = call.f64("label_smoothing");
            // burn's smoothing is an f32; None is PyTorch's default 0.0.
            let smoothing = (smoothing != 0.0).then_some(smoothing as f32);
            let loss = CrossEntropyLossConfig::new()
                .with_pad_tokens(pad_tokens(call).expect("checked"))
                .with_weights(weights(call))
                .with_smoothing(smoothing)
                .init(s.device());
            Output::reduced(loss.forward(s.float::<2>("input"), s.int::<1>("target")))
        }
        ("cross_entropy", _) => {
            let rank = call.required_float("input").ndim();
            with_rank!(rank, D => Output::reduced(cross_entropy_with_logits(
                s.float::<D>("input"),
                s.float::<D>("target"),
            )))
        }
        (loss, _) => {
            let config = BinaryCrossEntropyLossConfig::new()
                .with_weights(weights(call))
                .with_logits(loss == "binary_cross_entropy_with_logits");
            let bce = config.init(s.device());
            let rank = call.required_float("input").ndim();
            with_rank!(rank, D => Output::reduced(
                bce.forward(s.float::<D>("input"), s.int_from_float::<D>("target"))
            ))
        }
    }
}
