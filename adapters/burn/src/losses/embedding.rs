//! Embedding losses on `[batch, features]` pairs: `cosine_embedding_loss` →
//! `CosineEmbeddingLossConfig{margin, reduction}`, `triplet_margin_loss` →
//! `TripletMarginLossConfig{margin, p}`.

use burn::nn::loss::{CosineEmbeddingLossConfig, TripletMarginLossConfig};
use lossparity::Call;

use super::{at_default, run, Outcome};
use crate::dtype::BurnFloat;
use crate::reduction::{self, Mode, Offered};
use crate::session::{integral_values, Output, Session};
use crate::shapes;

/// The shape of the required input `name`.
fn shape<'c, T>(call: &'c Call<'_, T>, name: &str) -> &'c [usize] {
    shapes::shape(call, name).expect("required input")
}

/// Whether burn can run `call`.
pub(crate) fn check<T: BurnFloat>(call: &Call<'_, T>) -> Outcome {
    if call.loss() == "cosine_embedding_loss" {
        shapes::require_rank(call, "input1", 2, "[batch, features]")?;
        shapes::require_rank(call, "input2", 2, "[batch, features]")?;
        shapes::require_rank(call, "target", 1, "[batch]")?;
        if !integral_values(call, "target") {
            return Err(
                "burn's CosineEmbeddingLoss takes an Int target; this one has non-integer \
                 values"
                    .into(),
            );
        }
        // burn asserts input2 == input1's shape and target == [batch]: PyTorch's
        // broadcasting of the pair and of the target is not expressible.
        shapes::no_broadcasting(call, &["input1", "input2"])?;
        let (input1, input2) = (shape(call, "input1"), shape(call, "input2"));
        if let Some(pairs) = shapes::broadcast(input1, input2) {
            let target = shape(call, "target");
            if shapes::broadcasts_unequal(target, &pairs[..1]) {
                return Err(format!(
                    "burn's CosineEmbeddingLoss asserts target == [batch]: PyTorch's \
                     broadcast of target {target:?} against {} pair(s) is not expressible",
                    pairs[0]
                ));
            }
        }
    } else {
        shapes::require_rank(call, "anchor", 2, "[batch, features]")?;
        shapes::require_rank(call, "positive", 2, "[batch, features]")?;
        shapes::require_rank(call, "negative", 2, "[batch, features]")?;
        if call.bool("swap") {
            return Err("burn's TripletMarginLoss has no swap".into());
        }
        // burn's distances are plain `lp_norm(a - p)`: PyTorch's pairwise_distance adds eps
        // to the difference. The default eps stays supported (burn's loss stands for
        // PyTorch's default one, so the difference must be seen); eps = 0 is exactly what
        // burn computes; any other eps is not expressible.
        if !at_default(call, "eps") && call.f64("eps") != 0.0 {
            return Err(format!(
                "burn's TripletMarginLoss has no eps (eps = {})",
                call.f64("eps")
            ));
        }
    }
    reduction::mode(call, Offered::NoneMeanSum).map(drop)
}

/// Computes the loss with burn.
pub(crate) fn forward<T: BurnFloat>(s: &Session<'_, '_, T>) -> Output {
    let call = s.call();
    let mode = reduction::mode(call, Offered::NoneMeanSum).expect("checked");
    if call.loss() == "cosine_embedding_loss" {
        let input1 = s.float::<2>("input1");
        let input2 = s.float::<2>("input2");
        let target = s.int_from_float::<1>("target");
        // burn's margin is an f32, and its reduction a field of the config.
        let config = CosineEmbeddingLossConfig::new().with_margin(call.f64("margin") as f32);
        match mode {
            Mode::None => {
                Output::unreduced(config.init().forward_no_reduction(input1, input2, target))
            }
            Mode::Reduce(r) => Output::reduced(
                config
                    .with_reduction(r)
                    .init()
                    .forward(input1, input2, target),
            ),
        }
    } else {
        let anchor = s.float::<2>("anchor");
        let positive = s.float::<2>("positive");
        let negative = s.float::<2>("negative");
        let loss = TripletMarginLossConfig::new()
            .with_margin(call.f64("margin"))
            .with_p(call.f64("p"))
            .init();
        run(
            mode,
            || loss.forward_no_reduction(anchor.clone(), positive.clone(), negative.clone()),
            |r| loss.forward(anchor.clone(), positive.clone(), negative.clone(), r),
        )
    }
}
