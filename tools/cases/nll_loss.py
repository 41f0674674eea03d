"""Cases for torch.nn.functional.nll_loss (torch.nn.NLLLoss); see spec/nll_loss.md.

Not included, on purpose: a 1-D input with a (1,) target, which torch 2.15 accepts in the forward
but whose backward raises (a torch bug; the generator runs backward). The 0-d target form is
included.
"""

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

rng = random.Random(7)

ERROR_PATTERNS = [
    ("invalid_shape", r"Expected input batch_size \(\d+\) to match target batch_size"),
    ("invalid_shape", r"Expected 1 or more dimensions"),
    ("invalid_shape", r"0D or 1D target tensor expected"),
    ("invalid_shape", r"For 1D input, 1D target must have size 1"),
    ("invalid_shape", r"Expected target size"),
    ("invalid_shape", r"only batches of spatial targets supported"),
    ("invalid_shape", r"^size mismatch \(got input"),
    ("invalid_shape", r"weight tensor should be defined either for all"),
    # A 0-d target with an (N, C) or larger input: torch reads a batch size the target lacks.
    ("invalid_shape", r"Dimension specified as 0 but tensor has no dimensions"),
    ("invalid_shape", r"ArrayRef: invalid slice"),
]


def empty_int(*shape):
    """An empty class-index tensor."""
    return {"shape": list(shape), "data": [], "dtype": "int"}


# The worked example: log-probabilities of 3 samples over 4 classes.
X = [[-1.2, -0.9, -2.1, -1.5], [-0.4, -2.2, -1.8, -2.6], [-1.9, -1.1, -0.7, -2.4]]
Y = [1, 0, 2]
XY = {"input": X, "target": Y}
W = [0.5, 2.0, 1.0, 3.0]
XYW = {**XY, "weight": W}
SMALL = {"input": [[-0.5, -1.0]], "target": [0]}

# K-dimensional inputs: (N, C, d1), (N, C, d1, d2), (N, C, d1, d2, d3).
X3 = {"input": uniform(rng, (2, 3, 4), -3.0, 0.0), "target": [[0, 2, 1, 2], [1, 1, 0, 2]]}
X4 = {"input": uniform(rng, (2, 3, 2, 2), -3.0, 0.0), "target": [[[0, 2], [1, 1]], [[2, 0], [0, 1]]]}
X5 = {"input": uniform(rng, (2, 3, 2, 1, 2), -3.0, 0.0), "target": [[[[0, 2]], [[1, 1]]], [[[2, 0]], [[0, -100]]]]}
# Enough positions that the kernel's cascade of partial sums folds (every 16 positions).
N_BIG = 40
BIG = {
    "input": uniform(rng, (N_BIG, 5), -4.0, 0.0, 6),
    "target": [rng.choice([0, 1, 2, 3, 4, 4, -100]) for _ in range(N_BIG)],
    "weight": [0.3, 1.7, 0.9, 2.2, 1.1],
}
# Terms of ±1e16 among ones: each +1 is lost beside 1e16 unless the cascade grouped it with other
# ones first, so the sum shows exactly which partial sums the kernel folds, and when.
CANCEL = {
    "input": [[{10: 1e16, 16: 1e16, 26: -1e16, 36: -1e16}.get(p, -1.0)] for p in range(40)],
    "target": [0] * 40,
}
BIG3 = {
    "input": uniform(rng, (3, 4, 13), -4.0, 0.0, 6),
    "target": [[rng.randrange(4) for _ in range(13)] for _ in range(3)],
}

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input": [[-0.5, -1.0]], "target": [0, 1]}, {"reduction": "bogus"}, ["reduction"]),
    error("invalid_reduction_checked_before_target_range", {"input": [[-0.5, -1.0]], "target": [5]}, {"reduction": "bogus"}, ["reduction"]),
    # weight: mean divides by the weights of the targets, not by N.
    case("weight_mean_divides_by_target_weights", XYW, tags=["tutorial", "weight", "reduction"]),
    *reduction_cases("weight", XYW, reductions=("none", "sum", "elementwise_mean"), tags=("weight", "reduction")),
    case("weight_zero_for_one_target", {**XY, "weight": [1.0, 0.0, 1.0, 1.0]}, {"reduction": "mean"}, ["weight"]),
    case("weight_negative_accepted", {**XY, "weight": [1.0, -2.0, 0.5, 1.0]}, {"reduction": "mean"}, ["weight"]),
    case("weight_nan_at_unused_class_ignored", {**XY, "weight": [1.0, 2.0, 0.5, NAN]}, {"reduction": "mean"}, ["weight", "nonfinite"]),
    case("weight_nan_at_target_class", {**XY, "weight": [1.0, NAN, 0.5, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_total_zero_mean_is_nan", {**XY, "weight": [0.0, 0.0, 0.0, 1.0]}, {"reduction": "mean"}, ["weight", "quirk"]),
    case("weight_total_zero_sum", {**XY, "weight": [0.0, 0.0, 0.0, 1.0]}, {"reduction": "sum"}, ["weight"]),
    case("weight_cancelling_to_zero_total", {"input": [[-1.0, -2.0], [-0.5, -0.25]], "target": [0, 1], "weight": [1.0, -1.0]}, {"reduction": "mean"}, ["weight", "nonfinite"]),
    # ignore_index: the default -100, a real class, a value out of range (never range-checked).
    case("ignore_default_minus_100_mean", {"input": X, "target": [1, -100, 2]}, tags=["param"]),
    case("ignore_default_minus_100_none", {"input": X, "target": [1, -100, 2]}, {"reduction": "none"}, ["param"]),
    case("ignore_default_minus_100_sum", {"input": X, "target": [1, -100, 2]}, {"reduction": "sum"}, ["param"]),
    case("ignore_default_with_weight_mean", {"input": X, "target": [1, -100, 3], "weight": W}, tags=["param", "weight"]),
    case("ignore_index_real_class_mean", {"input": X, "target": [1, 1, 2]}, {"ignore_index": 1}, ["param"]),
    case("ignore_index_real_class_none", {"input": X, "target": [1, 1, 2]}, {"ignore_index": 1, "reduction": "none"}, ["param"]),
    case("ignore_index_real_class_weight_mean", {"input": X, "target": [1, 0, 2], "weight": W}, {"ignore_index": 0}, ["param", "weight"]),
    case("ignore_index_out_of_range_positive", {"input": X, "target": [1, 7, 2]}, {"ignore_index": 7}, ["param", "quirk"]),
    case("ignore_index_minus_one", {"input": X, "target": [-1, 0, 2]}, {"ignore_index": -1, "reduction": "sum"}, ["param"]),
    error("target_minus_100_not_ignored_with_other_ignore_index", {"input": X, "target": [1, -100, 2]}, {"ignore_index": 0}, ["param"]),
    case("all_ignored_mean_is_nan", {"input": X, "target": [-100, -100, -100]}, tags=["param", "quirk"]),
    case("all_ignored_sum_is_zero", {"input": X, "target": [-100, -100, -100]}, {"reduction": "sum"}, ["param"]),
    case("all_ignored_none_is_zeros", {"input": X, "target": [-100, -100, -100]}, {"reduction": "none"}, ["param"]),
    case("all_ignored_with_weight_mean_is_nan", {"input": X, "target": [3, 3, 3], "weight": W}, {"ignore_index": 3}, ["param", "weight"]),
    # Shapes.
    case("one_dim_input_zero_dim_target_mean", {"input": [-1.2, -0.9, -2.1], "target": 1}, tags=["shape"]),
    case("one_dim_input_zero_dim_target_none_is_scalar", {"input": [-1.2, -0.9, -2.1], "target": 1}, {"reduction": "none"}, ["shape", "quirk"]),
    case("one_dim_input_with_weight_sum", {"input": [-1.2, -0.9, -2.1], "target": 2, "weight": [1.0, 2.0, 3.0]}, {"reduction": "sum"}, ["shape", "weight"]),
    case("one_dim_input_with_weight_mean", {"input": [-1.2, -0.9, -2.1], "target": 2, "weight": [1.0, 2.0, 3.0]}, {"reduction": "mean"}, ["shape", "weight"]),
    case("one_dim_input_ignored_mean_is_nan", {"input": [-1.2, -0.9, -2.1], "target": -100}, tags=["shape", "param"]),
    case("one_dim_input_ignored_none", {"input": [-1.2, -0.9, -2.1], "target": -100}, {"reduction": "none"}, ["shape", "param"]),
    case("single_class", {"input": [[-0.3], [-1.7]], "target": [0, 0]}, {"reduction": "none"}, ["shape"]),
    *reduction_cases("three_dim", X3, reductions=("none", "mean", "sum"), tags=("shape",)),
    case("three_dim_weight_mean", {**X3, "weight": [0.5, 1.5, 2.0]}, tags=["shape", "weight"]),
    *reduction_cases("four_dim", X4, reductions=("none", "mean", "sum"), tags=("shape",)),
    case("four_dim_weight_mean", {**X4, "weight": [0.5, 1.5, 2.0]}, tags=["shape", "weight"]),
    case("four_dim_ignore_index", {**X4, "weight": [0.5, 1.5, 2.0]}, {"ignore_index": 2}, ["shape", "weight", "param"]),
    *reduction_cases("five_dim", X5, reductions=("none", "mean", "sum"), tags=("shape",)),
    case("five_dim_weight_mean", {**X5, "weight": [0.5, 1.5, 2.0]}, tags=["shape", "weight"]),
    case("three_dim_weight_3x1_accepted", {**X3, "weight": [[0.5], [1.5], [2.0]]}, tags=["shape", "weight", "quirk"]),
    case("four_dim_weight_1x3_accepted", {**X4, "weight": [[0.5, 1.5, 2.0]]}, {"reduction": "sum"}, ["shape", "weight", "quirk"]),
    case("four_dim_single_class_zero_dim_weight", {"input": [[[[-0.5, -1.5]]]], "target": [[[0, 0]]], "weight": 2.0}, tags=["shape", "weight", "quirk"]),
    # The cascade summation of the kernel.
    case("cascade_40_rows_weight_mean", BIG, tags=["precision", "weight"]),
    case("cascade_40_rows_sum", {"input": BIG["input"], "target": BIG["target"]}, {"reduction": "sum"}, ["precision"]),
    case("cascade_order_visible_through_cancellation", CANCEL, {"reduction": "sum"}, ["precision"]),
    case("cascade_three_dim_39_positions_mean", BIG3, tags=["precision", "shape"]),
    # Input values: any real is used, only the target entry is read.
    case("positive_inputs_accepted", {"input": [[0.5, 2.0, -1.0], [3.0, -0.25, 1.0]], "target": [1, 0]}, {"reduction": "none"}, ["target_values"]),
    case("nan_at_non_target_ignored", {"input": [[NAN, -1.0, -2.0], [-0.5, INF, -1.5]], "target": [1, 2]}, {"reduction": "mean"}, ["nonfinite"]),
    case("nan_at_target_propagates", {"input": [[NAN, -1.0], [-0.5, -1.5]], "target": [0, 1]}, {"reduction": "mean"}, ["nonfinite"]),
    case("neg_inf_at_target_is_inf", {"input": [[-INF, -1.0], [-0.5, -1.5]], "target": [0, 1]}, {"reduction": "none"}, ["nonfinite"]),
    case("neg_inf_at_target_mean_is_inf", {"input": [[-INF, -1.0], [-0.5, -1.5]], "target": [0, 1]}, {"reduction": "mean"}, ["nonfinite"]),
    case("pos_inf_at_target_is_neg_inf", {"input": [[INF, -1.0], [-0.5, -1.5]], "target": [0, 1]}, {"reduction": "sum"}, ["nonfinite"]),
    case("inf_times_zero_weight_is_nan", {"input": [[-INF, -1.0], [-0.5, -1.5]], "target": [0, 1], "weight": [0.0, 1.0]}, {"reduction": "none"}, ["nonfinite", "weight"]),
    # Empty tensors.
    *empty_cases("empty_batch", {"input": empty(0, 3), "target": empty_int(0)}, ("none", "mean", "sum", "elementwise_mean")),
    case("empty_batch_with_weight_mean", {"input": empty(0, 3), "target": empty_int(0), "weight": [1.0, 2.0, 3.0]}, tags=["empty", "weight"]),
    *empty_cases("empty_batch_three_dim", {"input": empty(0, 3, 2), "target": empty_int(0, 2)}, ("none", "mean", "sum")),
    *empty_cases("empty_spatial_three_dim", {"input": empty(2, 3, 0), "target": empty_int(2, 0)}, ("none", "mean", "sum")),
    *empty_cases("empty_spatial_four_dim", {"input": empty(2, 3, 0, 2), "target": empty_int(2, 0, 2)}, ("none", "mean")),
    *empty_cases("zero_classes_all_ignored", {"input": empty(2, 0), "target": [-100, -100]}, ("none", "mean", "sum")),
    case("zero_classes_one_dim_ignored_mean", {"input": empty(0), "target": -100}, tags=["empty"]),
    # Out-of-range targets (any reduction), and every shape error.
    error("target_equal_to_num_classes", {"input": X, "target": [1, 4, 2]}),
    error("target_minus_one_not_ignored", {"input": X, "target": [1, -1, 2]}),
    error("target_out_of_range_reduction_none", {"input": X, "target": [1, 9, 2]}, {"reduction": "none"}),
    error("target_out_of_range_reduction_sum", {"input": X, "target": [1, 9, 2]}, {"reduction": "sum"}),
    error("target_out_of_range_three_dim", {"input": X3["input"], "target": [[0, 2, 1, 3], [1, 1, 0, 2]]}, tags=["shape"]),
    error("target_out_of_range_four_dim_none", {"input": X4["input"], "target": [[[0, 2], [1, 1]], [[2, 0], [0, -2]]]}, {"reduction": "none"}, ["shape"]),
    error("target_out_of_range_one_dim_input", {"input": [-1.2, -0.9, -2.1], "target": 3}, tags=["shape"]),
    error("zero_classes_target_zero", {"input": empty(2, 0), "target": [0, 0]}, tags=["empty"]),
    error("batch_size_mismatch", {"input": X, "target": [1, 0]}, tags=["shape"]),
    error("batch_size_mismatch_three_dim", {"input": X3["input"], "target": [[0, 2, 1, 2]]}, tags=["shape"]),
    error("two_dim_target_for_two_dim_input", {"input": X, "target": [[1], [0], [2]]}, tags=["shape"]),
    error("zero_dim_target_for_two_dim_input", {"input": X, "target": 1}, tags=["shape"]),
    error("zero_dim_target_for_empty_batch", {"input": empty(0, 3), "target": 0}, tags=["shape", "empty"]),
    error("zero_dim_input", {"input": -0.5, "target": 0}, tags=["shape"]),
    error("one_dim_input_target_of_two", {"input": [-1.2, -0.9, -2.1], "target": [1, 2]}, tags=["shape"]),
    error("one_dim_input_empty_target", {"input": [-1.2, -0.9, -2.1], "target": empty_int(0)}, tags=["shape", "empty"]),
    error("one_dim_input_two_dim_target", {"input": [-1.2, -0.9, -2.1], "target": [[1]]}, tags=["shape"]),
    error("three_dim_wrong_spatial_size", {"input": X3["input"], "target": [[0, 2, 1], [1, 1, 0]]}, tags=["shape"]),
    error("three_dim_target_missing_spatial_dim", {"input": X3["input"], "target": [0, 1]}, tags=["shape"]),
    error("four_dim_target_wrong_ndim", {"input": X4["input"], "target": [[0, 2, 1, 1], [2, 0, 0, 1]]}, tags=["shape"]),
    error("four_dim_target_wrong_size", {"input": X4["input"], "target": [[[0, 2, 1], [1, 1, 0]], [[2, 0, 1], [0, 1, 1]]]}, tags=["shape"]),
    error("zero_classes_three_dim_nonempty_target", {"input": empty(2, 0, 3), "target": [[-100, -100, -100], [-100, -100, -100]]}, tags=["shape", "empty", "quirk"]),
    error("weight_wrong_size", {**XY, "weight": [1.0, 2.0, 3.0]}, tags=["weight"]),
    error("weight_two_dim_for_two_dim_input", {**XY, "weight": [[1.0, 2.0, 3.0, 4.0]]}, tags=["weight", "shape"]),
    error("weight_zero_dim_for_single_class_two_dim_input", {"input": [[-0.3], [-1.7]], "target": [0, 0], "weight": 2.0}, tags=["weight", "shape"]),
    error("weight_wrong_size_four_dim", {**X4, "weight": [1.0, 2.0]}, tags=["weight", "shape"]),
    error("shape_checked_before_target_range", {"input": X, "target": [1, 9]}, tags=["shape"]),
    *legacy_cases(XYW),
]
