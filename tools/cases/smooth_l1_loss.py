"""Cases for torch.nn.functional.smooth_l1_loss (torch.nn.SmoothL1Loss); see spec/smooth_l1_loss.md.

No beta == 0 case has a NaN difference: that call is l1_loss, whose CPU gradient there is 0
through sgn(NaN) = 0, a known torch bug (spec: Excluded from the cases).
"""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    REDUCTIONS,
    case,
    empty,
    empty_cases,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

ERROR_PATTERNS = [
    ("invalid_parameter", r"smooth_l1_loss does not support negative values for beta"),
]

rng = random.Random(104)

# The worked example: differences on both sides of beta = 1.
X = [[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]]
Y = [[1.0, -1.0, 0.5], [2.5, 0.0, 1.0]]
XY = {"input": X, "target": Y}
# Differences -3 .. 3 against a zero target: both branches and both kinks for beta = 1.
SPREAD = {"input": [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0], "target": [0.0] * 7}
X3 = {"input": uniform(rng, (2, 3, 4), -3.0, 3.0), "target": uniform(rng, (2, 3, 4), -3.0, 3.0)}
SMALL = {"input": [0.5], "target": [1.0]}
COLUMN = {"input": [[1.0], [2.0], [3.0]], "target": [0.5, 2.5, 5.0]}

CASES = [
    case("default_beta_one_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    # beta: the quadratic part 0.5 z^2 / beta ends at |x - y| = beta; the linear part has slope 1.
    case("spread_default_beta_kinks", SPREAD, {"reduction": "none"}, ["kink", "tutorial"]),
    case("beta_half_kinks", SPREAD, {"beta": 0.5, "reduction": "none"}, ["param", "kink"]),
    case("beta_two", SPREAD, {"beta": 2.0, "reduction": "none"}, ["param"]),
    case("beta_two_mean", SPREAD, {"beta": 2.0, "reduction": "mean"}, ["param"]),
    case("beta_point_three_mean", X3, {"beta": 0.3, "reduction": "mean"}, ["param", "shape"]),
    case("beta_tiny_is_shifted_l1", SPREAD, {"beta": 1e-300, "reduction": "none"}, ["param", "precision"]),
    case("beta_small_underflowing_square", {"input": [1e-160, -1e-160, 1e-5], "target": [0.0, 0.0, 0.0]}, {"beta": 1e-10, "reduction": "none"}, ["param", "precision"]),
    case("beta_huge_subnormal_loss", {"input": [0.3, -0.7], "target": [0.0, 0.0]}, {"beta": 1e308, "reduction": "none"}, ["param", "precision"]),
    case("beta_inf_is_zero_for_finite", SPREAD, {"beta": INF, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    case("beta_inf_infinite_difference_is_nan", {"input": [INF, -INF, 2.0], "target": [0.0, 0.0, 0.0]}, {"beta": INF, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    # beta == 0 (and -0.0) routes to l1_loss.
    # At |d| == beta the linear branch is taken: the quadratic one would overflow (0.5·d·d = inf).
    case("kink_at_huge_beta_takes_linear_branch", {"input": [1e200, -1e200], "target": [0.0, 0.0]}, {"beta": 1e200, "reduction": "none"}, ["param", "kink", "precision"]),
    case("beta_zero_is_l1", SPREAD, {"beta": 0.0, "reduction": "none"}, ["param", "kink", "quirk"]),
    case("beta_negative_zero_is_l1", SPREAD, {"beta": -0.0, "reduction": "none"}, ["param", "kink", "quirk"]),
    case("beta_zero_mean", XY, {"beta": 0.0, "reduction": "mean"}, ["param"]),
    case("beta_zero_sum", XY, {"beta": 0.0, "reduction": "sum"}, ["param"]),
    case("beta_zero_elementwise_mean", XY, {"beta": 0.0, "reduction": "elementwise_mean"}, ["param", "reduction"]),
    case("beta_zero_infinite_difference", {"input": [INF, -INF, 1.0], "target": [0.0, 0.0, 1.0]}, {"beta": 0.0, "reduction": "none"}, ["param", "nonfinite"]),
    case("beta_zero_broadcast_mean", {"input": [[0.0], [0.0], [0.0]], "target": [1.0, 2.0, 3.0]}, {"beta": 0.0, "reduction": "mean"}, ["param", "broadcast"]),
    case("beta_zero_legacy_reduce_false", XY, {"beta": 0.0, "reduce": False}, ["param", "legacy"]),
    error("beta_zero_invalid_reduction", SMALL, {"beta": 0.0, "reduction": "means"}, ["param", "reduction"]),
    *empty_cases("beta_zero_empty", {"input": empty(0, 2), "target": empty(0, 2)}, ("none", "mean", "sum"), {"beta": 0.0}),
    # Negative and NaN beta are rejected when the loss is computed.
    error("beta_negative", XY, {"beta": -1.0}, ["param"]),
    error("beta_negative_tiny", XY, {"beta": -1e-300}, ["param"]),
    error("beta_negative_inf", XY, {"beta": -INF}, ["param"]),
    error("beta_nan", XY, {"beta": NAN}, ["param", "nonfinite", "quirk"]),
    error("beta_negative_with_reduction_none", SMALL, {"beta": -0.5, "reduction": "none"}, ["param"]),
    error("beta_negative_with_legacy", SMALL, {"beta": -0.5, "reduce": False}, ["param", "legacy"]),
    error("broadcast_checked_before_beta", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, {"beta": -1.0}, ["broadcast", "param"]),
    # Infinities and NaN (beta > 0: NaN gradient).
    case("infinite_difference_linear", {"input": [INF, -INF, 1.0], "target": [0.0, 0.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("infinite_target", {"input": [0.0, 2.0], "target": [INF, -INF]}, {"beta": 0.5, "reduction": "none"}, ["nonfinite"]),
    case("inf_minus_inf_is_nan", {"input": [INF, -INF, 1.0], "target": [INF, -INF, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_input_propagates", {"input": [NAN, 1.0], "target": [0.0, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_target_mean", {"input": [0.0, 1.0], "target": [NAN, 0.0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("infinite_input_mean_is_inf", {"input": [INF, 1.0], "target": [0.0, 0.0]}, {"beta": 2.0, "reduction": "mean"}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_none", {"input": 1.5, "target": -0.5}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 0.25, "target": -0.5}, {"reduction": "mean"}, ["shape"]),
    case("one_dim_sum", {"input": [0.1, 2.2, -0.3, 0.4], "target": [0.4, 0.3, 0.2, -1.1]}, {"reduction": "sum"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    # Broadcasting: the target broadcasts against the input (torch warns).
    case("broadcast_column_against_row_mean", {"input": [[0.0], [0.0], [0.0]], "target": [1.0, 2.0, 3.0]}, {"reduction": "mean"}, ["broadcast", "quirk"]),
    case("broadcast_column_against_row_none", COLUMN, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_lower_rank_target_mean", {"input": X, "target": [1.0, -1.0, 0.5]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_zero_dim_input_mean", {"input": 0.5, "target": Y}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_input_row_larger_target", {"input": [[0.5, -1.25, 2.0]], "target": Y}, {"beta": 0.75, "reduction": "sum"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": X, "target": [[1.0, 2.0], [3.0, 4.0]]}, {"reduction": "sum"}, ["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_input_broadcast_target_none", {"input": empty(0, 3), "target": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["empty", "broadcast"]),
    # Legacy arguments.
    *legacy_cases(XY),
    case("legacy_size_average_false_with_beta", XY, {"size_average": False, "beta": 0.5}, ["legacy", "param"]),
    case("random_2d_mean", {"input": uniform(rng, (4, 5), -10.0, 10.0), "target": uniform(rng, (4, 5), -10.0, 10.0)}, {"beta": 3.0, "reduction": "mean"}, ["basic"]),    # More elements than one 128-element block of the reference's pairwise sum: every block counts.
    case("sum_over_three_hundred_elements", {"input": uniform(rng, (3, 100), -2.0, 2.0), "target": uniform(rng, (3, 100), -2.0, 2.0)}, {"reduction": "sum"}, ["shape"]),
]
