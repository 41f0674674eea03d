//! Where candle-nn 0.11.1 differs from PyTorch 2.15, each with its cause in candle's source.
//!
//! Every entry names exact cases (a trailing `*` adds the case's `::grad` trial), so an entry
//! that stops failing, or a case that becomes unsupported, shows up as stale.
//!
//! Each pattern names the adapter as `candle_*`, so every entry covers all four dtypes
//! (`candle_f32`, `candle_f64`, `candle_f16`, `candle_bf16`): these are differences in candle-nn's
//! formulas and checks, and each of these trials fails the same way in f16 and bf16 as in f32 and
//! f64 (the same NaN, missing gradient, error or output where PyTorch raises). A difference in
//! precision alone is not listed here.

use lossparity::KnownDifference;

/// `candle_nn::loss::binary_cross_entropy_with_logit` takes logs of probabilities.
const BCE_NAIVE_LOG_SIGMOID: &str = "binary_cross_entropy_with_logit computes \
     y*log(sigmoid(x)) + (1-y)*log(1-sigmoid(x)): for |x| = 1000 sigmoid rounds to exactly 0 or 1, \
     a log is -inf and 0*(-inf) = NaN (PyTorch: 500 via max(x,0) - x*y + log1p(exp(-|x|))); \
     logits of +-100 give inf";

/// candle-core's empty-tensor shortcut in binary ops detaches the right operand.
const EMPTY_BINARY_OP_DETACHES: &str = "on an empty tensor candle-core's binary ops return a \
     clone of their left operand (`if shape.elem_count() == 0 { return Ok(self.clone()) }`), \
     which drops the right one from the graph; binary_cross_entropy_with_logit multiplies \
     `target * log(sigmoid(input))`, so backward() stores no gradient for the input (PyTorch: \
     an empty one)";

/// `candle_nn::loss::{nll, cross_entropy}` have no `ignore_index`.
const NO_IGNORE_INDEX: &str = "nll/cross_entropy have no ignore_index: a target of -100 \
     (PyTorch's default ignore_index) is gathered as a class index, and candle-core's gather \
     rejects it ('gather invalid index') where PyTorch leaves the position out of the sum and \
     of the mean's divisor";

/// `candle_nn::ops::log_softmax` starts with a max reduction.
const LOG_SOFTMAX_EMPTY_MAX: &str = "cross_entropy's log_softmax starts with max_keepdim(1), \
     and candle-core's CPU max reduction refuses any tensor with no elements ('empty tensor for \
     reduce'): an empty batch or zero classes errors where PyTorch gives NaN (or, for a class \
     index with zero classes, 'Target 0 is out of bounds', invalid_value)";

/// `candle_nn::loss::huber` uses `delta` unchecked.
const HUBER_DELTA_UNCHECKED: &str = "huber never checks delta: delta <= 0 or NaN computes a \
     value (delta_zero: 0.0, delta_negative: -1.25) where PyTorch raises \
     'huber_loss does not support non-positive values for delta'";

/// `candle_nn::loss::huber` selects between two computed branches.
const HUBER_WHERE_COND_NAN_GRADIENT: &str = "huber computes both branches and picks one with \
     where_cond; backward sends a zero gradient into the unused 0.5*diff*diff branch, and mul's \
     backward makes 0*inf = NaN at an infinite difference (PyTorch: delta*sign(diff))";

/// The trials candle-nn fails, and why.
pub const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    KnownDifference {
        pattern: "candle_*::binary_cross_entropy_with_logits::logits_pm_1000_mean*",
        reason: BCE_NAIVE_LOG_SIGMOID,
        upstream: Some("huggingface/candle#2561, huggingface/candle#2562"),
    },
    KnownDifference {
        pattern: "candle_*::binary_cross_entropy_with_logits::empty_*mean::grad",
        reason: EMPTY_BINARY_OP_DETACHES,
        upstream: Some("huggingface/candle#3757"),
    },
    KnownDifference {
        pattern: "candle_*::nll_loss::ignore_default_minus_100_mean*",
        reason: NO_IGNORE_INDEX,
        upstream: Some("huggingface/candle#3161"),
    },
    KnownDifference {
        pattern: "candle_*::nll_loss::all_ignored_mean_is_nan*",
        reason: NO_IGNORE_INDEX,
        upstream: Some("huggingface/candle#3161"),
    },
    KnownDifference {
        pattern: "candle_*::nll_loss::zero_classes_all_ignored_mean*",
        reason: NO_IGNORE_INDEX,
        upstream: Some("huggingface/candle#3161"),
    },
    KnownDifference {
        pattern: "candle_*::cross_entropy::ignore_default_minus_100_mean*",
        reason: NO_IGNORE_INDEX,
        upstream: Some("huggingface/candle#3161"),
    },
    KnownDifference {
        pattern: "candle_*::cross_entropy::all_ignored_mean_is_nan*",
        reason: NO_IGNORE_INDEX,
        upstream: Some("huggingface/candle#3161"),
    },
    KnownDifference {
        pattern: "candle_*::cross_entropy::nan_logit_in_ignored_row_mean*",
        reason: NO_IGNORE_INDEX,
        upstream: Some("huggingface/candle#3161"),
    },
    KnownDifference {
        pattern: "candle_*::cross_entropy::empty_batch_mean*",
        reason: LOG_SOFTMAX_EMPTY_MAX,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::cross_entropy::empty_batch_elementwise_mean*",
        reason: LOG_SOFTMAX_EMPTY_MAX,
        upstream: None,
    },
    // Its targets are also -100, but the empty max fails first.
    KnownDifference {
        pattern: "candle_*::cross_entropy::zero_classes_all_ignored_mean*",
        reason: LOG_SOFTMAX_EMPTY_MAX,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::cross_entropy::zero_classes_target_zero",
        reason: LOG_SOFTMAX_EMPTY_MAX,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::huber_loss::delta_zero",
        reason: HUBER_DELTA_UNCHECKED,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::huber_loss::delta_negative_zero",
        reason: HUBER_DELTA_UNCHECKED,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::huber_loss::delta_negative",
        reason: HUBER_DELTA_UNCHECKED,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::huber_loss::delta_negative_inf",
        reason: HUBER_DELTA_UNCHECKED,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::huber_loss::delta_nan",
        reason: HUBER_DELTA_UNCHECKED,
        upstream: None,
    },
    KnownDifference {
        pattern: "candle_*::huber_loss::infinite_input_mean_is_inf::grad",
        reason: HUBER_WHERE_COND_NAN_GRADIENT,
        upstream: None,
    },
];
