"""Cases for torch.nn.functional.soft_margin_loss (torch.nn.SoftMarginLoss); see spec/soft_margin_loss.md."""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    REDUCTIONS,
    case,
    choice,
    empty,
    empty_cases,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

rng = random.Random(105)

# The worked example: scores for 2 samples of 3 labels, targets +-1.
X = [[0.8, -1.5, 2.0], [-0.3, 0.0, 1.2]]
Y = [[1.0, -1.0, -1.0], [1.0, 1.0, -1.0]]
XY = {"input": X, "target": Y}
X3 = {"input": uniform(rng, (2, 3, 4), -4.0, 4.0), "target": choice(rng, (2, 3, 4), [1.0, -1.0])}
SMALL = {"input": [0.5], "target": [1.0]}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md); tools/certify's PyTorch run justifies each entry.
NA_EXP_709_OVERFLOWS = "PyTorch computes log(1 + exp(-y·x)) as written, and exp(709) overflows to inf in this dtype, where the loss is 709"

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    # reduction is checked in Python before any tensor is touched.
    error("invalid_reduction_checked_before_shape", {"input": [1.0, 2.0], "target": [1.0, -1.0, 1.0]}, {"reduction": "bogus"}, ["reduction"]),
    error("invalid_reduction_checked_before_enlarging_target", {"input": [[1.0], [2.0]], "target": [1.0, -1.0]}, {"reduction": "bogus"}, ["reduction"]),
    # log1p(exp(-y x)) is computed literally: it overflows for margins -y x above ~709.78.
    case("overflow_large_negative_margin_is_inf", {"input": [-800.0, 800.0, -710.0, -709.0], "target": [1.0, -1.0, 1.0, 1.0]}, {"reduction": "none"}, ["nonfinite", "quirk", "tutorial"], not_applicable={"f32": NA_EXP_709_OVERFLOWS}),
    case("overflow_mean_is_inf_gradient_nan", {"input": [-800.0, 0.5], "target": [1.0, 1.0]}, {"reduction": "mean"}, ["nonfinite", "quirk"]),
    case("margin_709_is_finite", {"input": [-709.0, 709.0], "target": [1.0, -1.0]}, {"reduction": "sum"}, ["precision"], not_applicable={"f32": NA_EXP_709_OVERFLOWS, "f16": NA_EXP_709_OVERFLOWS}),
    case("large_positive_margin_underflows", {"input": [800.0, 745.0, 700.0, 40.0, 36.8], "target": [1.0, 1.0, 1.0, 1.0, 1.0]}, {"reduction": "none"}, ["precision"]),
    # Well-classified elements: log1p keeps the tiny losses exp(-y·x) relatively exact, which
    # log(1 + exp(-y·x)) rounds to 0 or to a multiple of 2^-52; atol 0 so that the check is relative.
    case("well_classified_small_losses_are_relatively_exact", {"input": [15.0, 25.0, 30.0, -33.0, 36.0], "target": [1.0, 1.0, 1.0, -1.0, 1.0]}, {"reduction": "none"}, ["precision"], tolerance={"rtol": 1e-12, "atol": 0.0}),
    case("zero_margin_is_log_two", {"input": [0.0, -0.0, 1e-17, -1e-17], "target": [1.0, -1.0, 1.0, 1.0]}, {"reduction": "none"}, ["basic"]),
    # Any target value is used as a multiplier.
    case("target_values_other_than_pm_one", {"input": [1.0, 2.0, -1.0, 0.5], "target": [0.5, 0.0, 2.0, -3.0]}, {"reduction": "none"}, ["target_values", "quirk"]),
    case("target_infinite", {"input": [1.0, -1.0, 0.0], "target": [INF, INF, INF]}, {"reduction": "none"}, ["target_values", "nonfinite"]),
    case("target_negative_infinite", {"input": [1.0, -1.0], "target": [-INF, -INF]}, {"reduction": "none"}, ["target_values", "nonfinite"]),
    case("target_nan", {"input": [1.0, 2.0], "target": [NAN, 1.0]}, {"reduction": "none"}, ["target_values", "nonfinite"]),
    # Infinite and NaN inputs.
    case("input_infinite", {"input": [INF, -INF, INF, -INF], "target": [1.0, 1.0, -1.0, -1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_nan_propagates", {"input": [NAN, 1.0], "target": [1.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_nan_mean", {"input": [NAN, 1.0, 2.0], "target": [1.0, -1.0, 1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_none", {"input": 0.7, "target": -1.0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 0.7, "target": -1.0}, {"reduction": "mean"}, ["shape"]),
    case("one_dim_sum", {"input": [0.1, 2.2, -0.3, 0.4], "target": [1.0, -1.0, -1.0, 1.0]}, {"reduction": "sum"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    case("four_dim_sum", {"input": uniform(rng, (2, 1, 2, 3), -3.0, 3.0), "target": choice(rng, (2, 1, 2, 3), [1.0, -1.0])}, {"reduction": "sum"}, ["shape"]),
    # The target may broadcast to the input's shape, but not enlarge it.
    case("broadcast_target_row", {"input": X, "target": [[1.0, -1.0, 1.0]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_target_lower_rank_mean", {"input": X, "target": [1.0, -1.0, 1.0]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_target_column", {"input": X, "target": [[1.0], [-1.0]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_target_zero_dim", {"input": X, "target": -1.0}, {"reduction": "sum"}, ["broadcast"]),
    case("broadcast_target_single_element", {"input": [[0.5, -0.5]], "target": [1.0]}, {"reduction": "none"}, ["broadcast"]),
    error("broadcast_target_enlarges_input_column", {"input": [[1.0], [2.0]], "target": [1.0, -1.0]}, {"reduction": "none"}, ["broadcast", "quirk"]),
    error("broadcast_target_adds_dimension", {"input": [1.0, 2.0], "target": [[1.0, -1.0]]}, {"reduction": "sum"}, ["broadcast", "quirk"]),
    error("broadcast_target_one_element_vs_zero_dim_input", {"input": 1.0, "target": [1.0]}, tags=["broadcast", "quirk"]),
    error("broadcast_target_enlarges_mean", {"input": [[1.0, 2.0]], "target": [[1.0], [-1.0]]}, {"reduction": "mean"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [1.0, 2.0], "target": [1.0, -1.0, 1.0]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": X, "target": [[1.0, -1.0], [1.0, 1.0]]}, {"reduction": "none"}, ["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_input_broadcast_target", {"input": empty(0, 3), "target": [1.0, -1.0, 1.0]}, {"reduction": "mean"}, ["empty", "broadcast"]),
    error("empty_target_enlarges_input", {"input": [[1.0, 2.0, 3.0]], "target": empty(0, 3)}, {"reduction": "sum"}, ["empty", "broadcast"]),
    # Legacy arguments.
    *legacy_cases(XY),
    case("legacy_reduce_false_ignores_batchmean_with_broadcast_target", {"input": X, "target": [1.0, -1.0, 1.0]}, {"reduce": False, "reduction": "batchmean"}, ["legacy", "broadcast"]),
    case("random_2d_mean", {"input": uniform(rng, (4, 5), -10.0, 10.0), "target": choice(rng, (4, 5), [1.0, -1.0])}, {"reduction": "mean"}, ["basic"]),
]
