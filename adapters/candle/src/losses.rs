//! The mapping from PyTorch's losses to candle-nn's: which function computes each, what it can
//! express, and how it is called.
//!
//! Every function in `candle_nn::loss` (0.11.1) returns the mean and takes no options besides
//! huber's `delta`. So for all five: any reduction but `mean` (or its alias
//! `elementwise_mean`) is unsupported, and so is any `weight` or `pos_weight`.

use candle_core::{Tensor, WithDType};
use candle_nn::loss;
use lossparity::{Call, Input, Support};

use crate::convert::to_candle;

/// A loss of `candle_nn::loss`, named after the PyTorch loss it is certified as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandleLoss {
    /// `candle_nn::loss::nll` as `nll_loss`.
    Nll,
    /// `candle_nn::loss::cross_entropy` as `cross_entropy`.
    CrossEntropy,
    /// `candle_nn::loss::mse` as `mse_loss`.
    Mse,
    /// `candle_nn::loss::binary_cross_entropy_with_logit` as `binary_cross_entropy_with_logits`.
    BinaryCrossEntropyWithLogit,
    /// `candle_nn::loss::huber` as `huber_loss`.
    Huber,
}

impl CandleLoss {
    /// Every loss candle-nn provides.
    pub const ALL: [CandleLoss; 5] = [
        CandleLoss::Nll,
        CandleLoss::CrossEntropy,
        CandleLoss::Mse,
        CandleLoss::BinaryCrossEntropyWithLogit,
        CandleLoss::Huber,
    ];

    /// The `torch.nn.functional` name of the loss this one is certified as.
    pub fn torch_name(self) -> &'static str {
        match self {
            CandleLoss::Nll => "nll_loss",
            CandleLoss::CrossEntropy => "cross_entropy",
            CandleLoss::Mse => "mse_loss",
            CandleLoss::BinaryCrossEntropyWithLogit => "binary_cross_entropy_with_logits",
            CandleLoss::Huber => "huber_loss",
        }
    }

    /// The candle-nn function, for reasons and messages.
    pub fn candle_name(self) -> &'static str {
        match self {
            CandleLoss::Nll => "candle_nn::loss::nll",
            CandleLoss::CrossEntropy => "candle_nn::loss::cross_entropy",
            CandleLoss::Mse => "candle_nn::loss::mse",
            CandleLoss::BinaryCrossEntropyWithLogit => {
                "candle_nn::loss::binary_cross_entropy_with_logit"
            }
            CandleLoss::Huber => "candle_nn::loss::huber",
        }
    }

    /// The candle-nn loss for `call`'s PyTorch loss, if candle-nn has one.
    pub fn for_call<T>(call: &Call<'_, T>) -> Option<CandleLoss> {
        CandleLoss::ALL
            .into_iter()
            .find(|loss| loss.torch_name() == call.loss())
    }

    /// Whether candle-nn can express `call`: its reduction, optional inputs, parameter values
    /// and shapes.
    pub fn supports<T>(self, call: &Call<'_, T>) -> Support {
        let function = self.candle_name();
        let unsupported = |what: String| Support::Unsupported(format!("{function} {what}"));

        let reduction = call.reduction();
        // `elementwise_mean` is PyTorch's deprecated alias of `mean`.
        if !matches!(reduction, "mean" | "elementwise_mean") {
            return unsupported(format!(
                "computes the mean only (no reduction '{reduction}')"
            ));
        }
        for optional in ["weight", "pos_weight"] {
            if call.has_input(optional) {
                return unsupported(format!("takes no {optional}"));
            }
        }
        match self {
            CandleLoss::Nll | CandleLoss::CrossEntropy => {
                // PyTorch's default ignore_index (-100) matters only for a target of -100,
                // which candle then gathers as an index: a difference to see, not to hide.
                let ignore_index = call.f64("ignore_index");
                if ignore_index != -100.0 {
                    return unsupported(format!(
                        "has no ignore_index (the case sets {ignore_index:?})"
                    ));
                }
                if self == CandleLoss::CrossEntropy {
                    // NaN and negative values also differ from 0.0 here: candle cannot express them.
                    let smoothing = call.f64("label_smoothing");
                    if smoothing != 0.0 {
                        return unsupported(format!(
                            "has no label_smoothing (the case sets {smoothing})"
                        ));
                    }
                    if let Some(Input::Float(_)) = call.input("target") {
                        return unsupported("takes class indices only, not probabilities".into());
                    }
                }
                let rank = call.required_float("input").ndim();
                if rank != 2 {
                    return unsupported(format!(
                        "takes [N, C] input only (the case's input has {rank} dimensions)"
                    ));
                }
                Support::Supported
            }
            CandleLoss::Mse | CandleLoss::Huber => {
                // Unequal shapes PyTorch broadcasts are a feature candle lacks; unequal shapes
                // PyTorch rejects are still run, as both must reject them.
                let input = call.required_float("input").shape();
                let target = call.required_float("target").shape();
                if input != target && broadcastable(input, target) {
                    return unsupported(format!(
                        "does not broadcast (input {input:?}, target {target:?})"
                    ));
                }
                Support::Supported
            }
            CandleLoss::BinaryCrossEntropyWithLogit => Support::Supported,
        }
    }

    /// Calls the candle-nn function on `input` (a plain tensor, or a `Var`'s for gradients) and
    /// the case's other tensors, converted to candle on `input`'s device.
    pub fn compute<T: WithDType>(
        self,
        call: &Call<'_, T>,
        input: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let device = input.device();
        // candle documents u32 class indices; its `gather` takes i64 too, which carries every
        // case's index to candle unchanged (a negative one has no u32 value).
        let class_indices = || to_candle(call.required_int("target"), device);
        let float_target = || to_candle(call.required_float("target"), device);
        match self {
            CandleLoss::Nll => loss::nll(input, &class_indices()?),
            CandleLoss::CrossEntropy => loss::cross_entropy(input, &class_indices()?),
            CandleLoss::Mse => loss::mse(input, &float_target()?),
            CandleLoss::BinaryCrossEntropyWithLogit => {
                loss::binary_cross_entropy_with_logit(input, &float_target()?)
            }
            CandleLoss::Huber => loss::huber(input, &float_target()?, call.f64("delta")),
        }
    }
}

/// Whether PyTorch broadcasts shapes `a` and `b` together (aligned from the last dimension,
/// each pair equal or one of them 1).
fn broadcastable(a: &[usize], b: &[usize]) -> bool {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .all(|(&x, &y)| x == y || x == 1 || y == 1)
}
