//! Where dfdx 0.13.0 computes something else than PyTorch: one entry per failing trial pattern,
//! each reason the cause in dfdx's source. None has an upstream issue (dfdx is unmaintained
//! since early 2024). Every pattern covers both adapters (`dfdx_*`): the two dtypes fail alike.

use lossparity::KnownDifference;

/// `mean()` of an empty tensor panics.
const EMPTY_MEAN: &str = "dfdx's CPU sum to a scalar scales by \
    `inp.shape.num_elements() / inp.data.len()` (tensor_ops/sum_to/cpu_kernel.rs:85), an integer \
    0/0 that panics ('attempt to divide by zero') on an empty tensor, so every loss's mean() of an \
    empty input panics where PyTorch returns NaN";

/// `huber_loss` takes any `delta`.
const HUBER_DELTA: &str = "dfdx's huber_loss does not check delta (try_huber_error \
    only converts it): delta <= 0 or NaN computes a value (0.0 for delta 0, -1.25 for -1, NaN) \
    where PyTorch raises invalid_parameter";

/// `smooth_l1_loss` with `beta = 0` divides by zero.
const BETA_ZERO: &str = "dfdx's smooth_l1_loss is huber_loss(.., delta) / delta \
    (losses.rs): beta = 0 gives 0/0 = NaN, and NaN gradients, where PyTorch computes l1_loss";

/// `smooth_l1_loss` takes any `beta`.
const BETA_UNCHECKED: &str = "dfdx's smooth_l1_loss does not check its delta \
    (PyTorch's beta): beta < 0 or NaN computes a value (1.25 for beta -1, NaN) where PyTorch \
    raises invalid_parameter";

/// `cross_entropy_with_logits_loss` takes 0-d logits.
const ZERO_DIM_LOGITS: &str = "dfdx's cross_entropy_with_logits_loss accepts 0-d logits \
    (Rank0's LastAxis is Axis<0>, reduced as a single class) and returns -0.0 where PyTorch raises \
    invalid_shape";

/// A known difference of both dfdx adapters without an upstream issue.
const fn known(pattern: &'static str, reason: &'static str) -> KnownDifference {
    KnownDifference {
        pattern,
        reason,
        upstream: None,
    }
}

/// dfdx's known differences from PyTorch, as trial-name patterns over both adapters.
///
/// Patterns name the cases exactly (or with a `*mean*` that only the mapped `mean` /
/// `elementwise_mean` cases match): a broader glob would also match unsupported cases, which
/// the harness reports as stale.
pub const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    // Empty inputs: mean() panics in dfdx's sum kernel (output and gradient trials).
    known("dfdx_*::mse_loss::empty_1d_*mean*", EMPTY_MEAN),
    known("dfdx_*::mse_loss::empty_0x3_*mean*", EMPTY_MEAN),
    known("dfdx_*::l1_loss::empty_1d_*mean*", EMPTY_MEAN),
    known("dfdx_*::l1_loss::empty_0x3_*mean*", EMPTY_MEAN),
    known("dfdx_*::huber_loss::empty_1d_*mean*", EMPTY_MEAN),
    known("dfdx_*::huber_loss::empty_0x3_*mean*", EMPTY_MEAN),
    known("dfdx_*::smooth_l1_loss::empty_1d_*mean*", EMPTY_MEAN),
    known("dfdx_*::smooth_l1_loss::empty_0x3_*mean*", EMPTY_MEAN),
    known("dfdx_*::smooth_l1_loss::beta_zero_empty_mean*", EMPTY_MEAN),
    known(
        "dfdx_*::binary_cross_entropy_with_logits::empty_1d_*mean*",
        EMPTY_MEAN,
    ),
    known(
        "dfdx_*::binary_cross_entropy_with_logits::empty_0x3_*mean*",
        EMPTY_MEAN,
    ),
    known(
        "dfdx_*::cross_entropy::empty_batch_probabilities_mean*",
        EMPTY_MEAN,
    ),
    known(
        "dfdx_*::cross_entropy::zero_classes_probabilities_mean*",
        EMPTY_MEAN,
    ),
    // huber_loss: delta is not validated.
    known("dfdx_*::huber_loss::delta_zero", HUBER_DELTA),
    known("dfdx_*::huber_loss::delta_negative_zero", HUBER_DELTA),
    known("dfdx_*::huber_loss::delta_negative", HUBER_DELTA),
    known("dfdx_*::huber_loss::delta_negative_inf", HUBER_DELTA),
    known("dfdx_*::huber_loss::delta_nan", HUBER_DELTA),
    // smooth_l1_loss: beta = 0 is not L1, and beta is not validated.
    known("dfdx_*::smooth_l1_loss::beta_zero_mean*", BETA_ZERO),
    known(
        "dfdx_*::smooth_l1_loss::beta_zero_elementwise_mean*",
        BETA_ZERO,
    ),
    known("dfdx_*::smooth_l1_loss::beta_negative", BETA_UNCHECKED),
    known("dfdx_*::smooth_l1_loss::beta_negative_tiny", BETA_UNCHECKED),
    known("dfdx_*::smooth_l1_loss::beta_negative_inf", BETA_UNCHECKED),
    known("dfdx_*::smooth_l1_loss::beta_nan", BETA_UNCHECKED),
    // cross_entropy: 0-d logits are accepted.
    known(
        "dfdx_*::cross_entropy::probabilities_zero_dim_input",
        ZERO_DIM_LOGITS,
    ),
];
