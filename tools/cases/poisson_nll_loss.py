"""Cases for torch.nn.functional.poisson_nll_loss (torch.nn.PoissonNLLLoss); see spec/poisson_nll_loss.md."""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    case,
    empty,
    empty_cases,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

rng = random.Random(23)

# The worked example: log-rates against counts, 2 samples of 3 (log_input=True, the default).
X = [[0.5, -0.2, 1.3], [2.0, 0.1, -1.0]]
Y = [[1.0, 0.0, 3.0], [6.0, 2.0, 0.0]]
XY = {"input": X, "target": Y}
# Rates (log_input=False) against the same counts; one rate is 0.
RATES = {"input": [[1.5, 0.8, 3.2], [5.0, 0.0, 0.3]], "target": Y}
X3 = {"input": uniform(rng, (2, 3, 4), -1.5, 1.5), "target": [[[float(rng.randint(0, 6)) for _ in range(4)] for _ in range(3)] for _ in range(2)]}
# Targets around the Stirling threshold y > 1 (0, a fraction, exactly 1, just above 1, 2, 10).
STIRLING = {"input": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], "target": [0.0, 0.5, 1.0, 1.0000001, 2.0, 10.0]}
SMALL = {"input": [0.5], "target": [1.0]}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md).
NA_STIRLING_CANCELS = "PyTorch adds Stirling's term y·log(y) - y + 0.5·log(2π·y) as written; at y = 150 its terms (near 750) cancel to about 3.4, and this dtype's rounding of them leaves more error than the loss's own formula allows"

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY, reductions=("none", "mean", "sum")),
    # Unlike most losses, the Python-side check rejects the deprecated alias.
    error("elementwise_mean_rejected", SMALL, {"reduction": "elementwise_mean"}, ["reduction", "quirk"]),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input": [0.5, 1.0], "target": [1.0, 2.0, 3.0]}, {"reduction": "bogus"}, ["reduction"]),
    # log_input=False: the input is the rate itself, and eps keeps log away from 0.
    *reduction_cases("rate_input", RATES, {"log_input": False}, reductions=("none", "mean", "sum"), tags=("param",)),
    case("log_input_true_explicit_none", XY, {"log_input": True, "reduction": "none"}, ["param"]),
    case("rate_zero_target_zero_is_zero", {"input": [0.0, 0.0], "target": [0.0, 1.0]}, {"log_input": False, "reduction": "none"}, ["param", "clamp"]),
    case("rate_eps_zero_rate_zero_is_inf", {"input": [0.0, 1.0], "target": [1.0, 1.0]}, {"log_input": False, "eps": 0.0, "reduction": "none"}, ["param", "nonfinite"]),
    case("rate_eps_zero_rate_zero_target_zero_is_nan", {"input": [0.0, 1.0], "target": [0.0, 1.0]}, {"log_input": False, "eps": 0.0, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    case("rate_eps_large", RATES, {"log_input": False, "eps": 0.5, "reduction": "none"}, ["param"]),
    case("rate_eps_negative", {"input": [1.5, 0.8], "target": [2.0, 1.0]}, {"log_input": False, "eps": -0.25, "reduction": "none"}, ["param"]),
    case("rate_negative_is_nan", {"input": [-1.0, 2.0], "target": [3.0, 0.0]}, {"log_input": False, "reduction": "none"}, ["target_values", "nonfinite"]),
    case("rate_negative_target_zero", {"input": [-1.0, 2.0], "target": [0.0, 0.0]}, {"log_input": False, "reduction": "sum"}, ["target_values"]),
    # eps is not used at all with log_input=True.
    case("eps_unused_with_log_input", XY, {"eps": 0.5, "reduction": "none"}, ["param", "quirk"]),
    case("eps_zero_unused_with_log_input", XY, {"eps": 0.0, "reduction": "sum"}, ["param"]),
    # full=True adds the Stirling term only where target > 1 (not at 1, 0, fractions or negatives).
    case("full_stirling_threshold", STIRLING, {"full": True, "reduction": "none"}, ["param", "tutorial"]),
    case("full_false_explicit", STIRLING, {"full": False, "reduction": "none"}, ["param"]),
    case("full_mean", XY, {"full": True}, ["param", "reduction"]),
    case("full_sum", XY, {"full": True, "reduction": "sum"}, ["param", "reduction"]),
    case("full_rate_input", RATES, {"full": True, "log_input": False, "reduction": "none"}, ["param"]),
    case("full_negative_and_fractional_targets_add_nothing", {"input": [0.5, 0.5, 0.5], "target": [-1.0, 0.25, -3.5]}, {"full": True, "reduction": "none"}, ["param", "target_values"]),
    case("full_target_nan", {"input": [0.5, 0.5], "target": [NAN, 2.0]}, {"full": True, "reduction": "none"}, ["param", "nonfinite"]),
    case("full_target_inf_is_nan", {"input": [0.5, 0.5], "target": [INF, 2.0]}, {"full": True, "reduction": "none"}, ["param", "nonfinite"]),
    case("full_large_target", {"input": [3.0, 5.0], "target": [25.0, 150.0]}, {"full": True, "reduction": "none"}, ["param"], not_applicable={"f32": NA_STIRLING_CANCELS, "f16": NA_STIRLING_CANCELS, "bf16": NA_STIRLING_CANCELS}),
    # Targets are not checked: non-integers and negatives are used as given.
    case("target_fractional_and_negative", {"input": [0.5, -0.5, 1.0], "target": [2.5, -1.0, 0.3]}, {"reduction": "none"}, ["target_values"]),
    # exp overflows: the loss and the gradient become inf.
    case("log_input_overflow_is_inf", {"input": [710.0, 1000.0, 0.5], "target": [0.0, 2.0, 1.0]}, {"reduction": "none"}, ["nonfinite", "precision"]),
    case("log_input_very_negative_is_finite", {"input": [-1000.0, -50.0], "target": [3.0, 0.0]}, {"reduction": "none"}, ["precision"]),
    case("log_input_overflow_sum", {"input": [710.0, 0.5], "target": [0.0, 1.0]}, {"reduction": "sum"}, ["nonfinite"]),
    # Non-finite inputs: 0·inf is NaN.
    case("input_inf_target_zero_is_nan", {"input": [INF, -INF, 0.5], "target": [0.0, 0.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf_positive_target", {"input": [INF, -INF], "target": [1.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_nan_propagates", {"input": [NAN, 0.5], "target": [1.0, 1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("target_nan_propagates", {"input": [0.5, 0.5], "target": [NAN, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("target_inf", {"input": [0.5, 0.0, -0.5], "target": [INF, INF, INF]}, {"reduction": "none"}, ["nonfinite"]),
    case("rate_input_inf_target_zero_is_nan", {"input": [INF, 0.5], "target": [0.0, 1.0]}, {"log_input": False, "reduction": "none"}, ["nonfinite"]),
    case("rate_input_inf_positive_target", {"input": [INF, 0.5], "target": [1.0, 1.0]}, {"log_input": False, "reduction": "none"}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_none", {"input": 0.7, "target": 2.0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 0.7, "target": 2.0}, {"reduction": "mean", "full": True}, ["shape"]),
    case("one_dim_mean", {"input": [0.1, 0.2, -0.3, 1.1], "target": [1.0, 0.0, 2.0, 3.0]}, {"reduction": "mean"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean_full", X3, {"reduction": "mean", "full": True}, ["shape", "param"]),
    case("three_dim_rate_sum", {"input": uniform(rng, (2, 2, 3), 0.1, 4.0), "target": [[[1.0, 0.0, 2.0], [3.0, 4.0, 1.0]], [[0.0, 5.0, 2.0], [1.0, 1.0, 7.0]]]}, {"reduction": "sum", "log_input": False, "full": True}, ["shape", "param"]),
    # Broadcasting: input and target broadcast silently; the output has the broadcast shape.
    case("broadcast_column_and_row", {"input": [[0.5], [1.0]], "target": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_target_row_mean", {"input": X, "target": [[1.0, 0.0, 3.0]]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_target_zero_dim", {"input": X, "target": 2.0}, {"reduction": "none", "full": True}, ["broadcast"]),
    case("broadcast_input_lower_rank_sum", {"input": [0.5, -0.2, 1.3], "target": Y}, {"reduction": "sum"}, ["broadcast"]),
    case("broadcast_input_zero_dim_mean_divides_by_broadcast_numel", {"input": 0.5, "target": Y}, {"reduction": "mean"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [0.5, 1.0], "target": [1.0, 2.0, 3.0]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": X, "target": [[1.0, 2.0], [3.0, 4.0]]}, {"reduction": "none"}, ["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, ("none", "mean", "sum")),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, ("none", "mean", "sum"), {"full": True}),
    case("empty_broadcast_with_row", {"input": empty(0, 3), "target": [1.0, 2.0, 3.0]}, {"reduction": "sum"}, ["empty", "broadcast"]),
    # Legacy arguments (reduction, even an invalid one or elementwise_mean, is then ignored).
    *legacy_cases(XY),
    case("legacy_reduce_true_ignores_elementwise_mean", XY, {"reduce": True, "reduction": "elementwise_mean"}, ["legacy", "quirk"]),
    case("legacy_size_average_false_rate_input", RATES, {"size_average": False, "log_input": False}, ["legacy", "param"]),
]
