//! The mapping table: which dfdx loss computes which `torch.nn.functional` loss, and why a case
//! is unsupported.
//!
//! | `torch.nn.functional` | dfdx 0.13.0 (`dfdx::losses`) | mapped cases |
//! |---|---|---|
//! | `mse_loss` | `mse_loss` | mean, no `weight` |
//! | `l1_loss` | `mae_loss` (`(pred - targ).abs().mean()`) | mean, no `weight` |
//! | `huber_loss` | `huber_loss(.., delta)` | mean, no `weight`, any `delta` |
//! | `smooth_l1_loss` | `smooth_l1_loss(.., delta)`, whose `delta` is PyTorch's `beta` | mean, any `beta` |
//! | `cross_entropy` | `cross_entropy_with_logits_loss` | mean, probability targets, class dimension last (input rank ≤ 2), no `weight`, `ignore_index` or `label_smoothing` |
//! | `binary_cross_entropy_with_logits` | `binary_cross_entropy_with_logits_loss` | mean, no `weight` or `pos_weight` |
//! | `kl_div` | — (`kl_div_with_logits_loss` computes another function: see [`KL_DIV_WITH_LOGITS`]) | none |
//!
//! Every dfdx loss returns the mean of a prediction and a target of one shape `S`: there is no
//! reduction argument, no weight and no broadcasting. dfdx's `rmse_loss` (the square root of
//! `mse_loss`) has no `torch.nn` counterpart and is not mapped.

use dfdx::losses;
use dfdx::shapes::{Dtype, Rank0, Shape};
use dfdx::tensor::{Tape, Tensor};
use dfdx::tensor_ops::Device;
use lossparity::{Call, Input};

/// Why `kl_div` is unsupported: dfdx's `kl_div_with_logits_loss` is not `F.kl_div`.
///
/// `kl_div_with_logits_loss(logits, t)` computes
/// `-((logits.log_softmax(-1) - t.ln()) * t).mean() * C`: it normalises its input with
/// `log_softmax` over the last axis, and divides the sum by `numel / C`. That is
/// `F.kl_div(F.log_softmax(x, -1), t, reduction='batchmean')` for 2-D input, whereas `F.kl_div`
/// takes `input` as log-probabilities as they are. The two agree only where every row of
/// `input` is already a normalised log-distribution (`log_softmax` is then the identity), and even
/// there the gradients differ (dfdx's is taken through `log_softmax`, so each row sums to 0). No
/// bundled `kl_div` case has such an input, so none is mapped. It also computes `t.ln()` where
/// PyTorch uses `xlogy(t, t)`: a zero target gives NaN (`0 · -inf`) where PyTorch gives 0.
pub const KL_DIV_WITH_LOGITS: &str = "dfdx's kl_div_with_logits_loss applies log_softmax over the \
    last axis to its input and divides by numel/C, i.e. it is F.kl_div(F.log_softmax(x, -1), t, \
    'batchmean'), not F.kl_div(x, t), which takes log-probabilities as given: a different function";

/// A dfdx loss function with its parameter: what a supported case runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DfdxLoss {
    /// `dfdx::losses::mse_loss`: `(pred - targ).square().mean()`, PyTorch's `mse_loss`.
    Mse,
    /// `dfdx::losses::mae_loss`: `(pred - targ).abs().mean()`, PyTorch's `l1_loss`.
    Mae,
    /// `dfdx::losses::huber_loss`: the mean of `huber_error`, PyTorch's `huber_loss`.
    Huber {
        /// The quadratic-to-linear threshold (PyTorch's `delta`).
        delta: f64,
    },
    /// `dfdx::losses::smooth_l1_loss`: `huber_loss(.., delta) / delta`, PyTorch's
    /// `smooth_l1_loss` with `beta = delta`.
    SmoothL1 {
        /// PyTorch's `beta` (dfdx's argument is named `delta`).
        beta: f64,
    },
    /// `dfdx::losses::cross_entropy_with_logits_loss`:
    /// `-(logits.log_softmax(-1) * target_probs).mean() * C`, PyTorch's `cross_entropy` with
    /// class-probability targets and the class dimension last.
    CrossEntropyWithLogits,
    /// `dfdx::losses::binary_cross_entropy_with_logits_loss`: the mean of `bce_with_logits`,
    /// PyTorch's `binary_cross_entropy_with_logits`.
    BinaryCrossEntropyWithLogits,
}

impl DfdxLoss {
    /// Calls the dfdx loss on `pred` (traced or not) and `targ`.
    pub fn apply<S: Shape, E: Dtype, D: Device<E>, T: Tape<E, D>>(
        self,
        pred: Tensor<S, E, D, T>,
        targ: Tensor<S, E, D>,
    ) -> Tensor<Rank0, E, D, T> {
        match self {
            DfdxLoss::Mse => losses::mse_loss(pred, targ),
            DfdxLoss::Mae => losses::mae_loss(pred, targ),
            DfdxLoss::Huber { delta } => losses::huber_loss(pred, targ, delta),
            DfdxLoss::SmoothL1 { beta } => losses::smooth_l1_loss(pred, targ, beta),
            DfdxLoss::CrossEntropyWithLogits => losses::cross_entropy_with_logits_loss(pred, targ),
            DfdxLoss::BinaryCrossEntropyWithLogits => {
                losses::binary_cross_entropy_with_logits_loss(pred, targ)
            }
        }
    }
}

/// The largest rank dfdx's shapes have (`Rank6`).
pub const MAX_RANK: usize = 6;

/// The dfdx loss `call` maps onto, or why it is unsupported.
pub fn map<E>(call: &Call<'_, E>) -> Result<DfdxLoss, String> {
    let loss = match call.loss() {
        "mse_loss" => DfdxLoss::Mse,
        "l1_loss" => DfdxLoss::Mae,
        "huber_loss" => DfdxLoss::Huber {
            delta: call.f64("delta"),
        },
        "smooth_l1_loss" => DfdxLoss::SmoothL1 {
            beta: call.f64("beta"),
        },
        "cross_entropy" => DfdxLoss::CrossEntropyWithLogits,
        "binary_cross_entropy_with_logits" => DfdxLoss::BinaryCrossEntropyWithLogits,
        "kl_div" => return Err(KL_DIV_WITH_LOGITS.into()),
        other => return Err(format!("dfdx 0.13 has no {other}")),
    };
    let reduction = call.reduction();
    // `elementwise_mean` is PyTorch's deprecated alias of `mean`.
    if !matches!(reduction, "mean" | "elementwise_mean") {
        return Err(format!(
            "dfdx's losses compute the mean only: no reduction argument to give '{reduction}'"
        ));
    }
    for optional in ["weight", "pos_weight"] {
        if call.has_input(optional) {
            return Err(format!("dfdx's losses take no {optional}"));
        }
    }
    if loss == DfdxLoss::CrossEntropyWithLogits {
        cross_entropy_options(call)?;
    }
    let input = call.required_float("input");
    let Some(Input::Float(target)) = call.input("target") else {
        unreachable!("cross_entropy's integer targets are rejected above; other targets are float")
    };
    // dfdx's losses are `fn(Tensor<S, ..>, Tensor<S, ..>)`: both operands have one shape type.
    // With static dims a mismatch does not compile; with the run-time dims used here it is an
    // `assert_eq!` in `try_binary_op`, a programmer error rather than an error value. So shapes
    // PyTorch broadcasts, and shapes it rejects, are both shapes dfdx does not offer.
    if input.shape() != target.shape() {
        return Err(format!(
            "dfdx's losses take prediction and target of one shape S (input {:?}, target {:?}): \
             no broadcasting, and a mismatch is a type error (static dims) or an assert_eq! \
             panic (run-time dims)",
            input.shape(),
            target.shape()
        ));
    }
    if input.ndim() > MAX_RANK {
        return Err(format!("dfdx's shapes have at most {MAX_RANK} dimensions"));
    }
    Ok(loss)
}

/// The `cross_entropy` arguments `cross_entropy_with_logits_loss` cannot express.
fn cross_entropy_options<E>(call: &Call<'_, E>) -> Result<(), String> {
    if let Some(Input::Int(_)) = call.input("target") {
        return Err("cross_entropy_with_logits_loss takes class probabilities, not indices".into());
    }
    if call.param("ignore_index").as_i64() != Some(-100) {
        return Err("cross_entropy_with_logits_loss has no ignore_index".into());
    }
    // Any value but 0 (NaN included) is unsupported, also those PyTorch ignores for probabilities.
    if call.f64("label_smoothing") != 0.0 {
        return Err("cross_entropy_with_logits_loss has no label_smoothing".into());
    }
    // dfdx applies log_softmax over the last axis; PyTorch's class dimension is dim 1 (dim 0 for
    // unbatched 1-D input). They coincide up to rank 2.
    if call.required_float("input").ndim() > 2 {
        return Err(
            "cross_entropy_with_logits_loss takes the class dimension last; PyTorch's \
             K-dimensional input has it at dim 1"
                .into(),
        );
    }
    Ok(())
}
