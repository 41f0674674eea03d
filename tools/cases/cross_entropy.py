"""Cases for torch.nn.functional.cross_entropy (torch.nn.CrossEntropyLoss); see spec/cross_entropy.md.

The target is class indices when every element is an integer literal, class probabilities when any
is a float literal (signature dtype `index_or_float`).

Not included, on purpose: a 1-D input with a (1,) class-index target and no label smoothing, which
torch 2.15 accepts in the forward but whose backward raises (a torch bug; the generator runs
backward). The 0-d target form is included, and so is the (1,) target with label smoothing, which
fails in the forward.
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

rng = random.Random(11)

ERROR_PATTERNS = [
    ("invalid_parameter", r"label_smoothing must be between 0\.0 and 1\.0"),
    ("invalid_parameter", r"ignore_index is not supported for floating point target"),
    # A class-index (integer) target with the input's shape, which means probabilities, or a
    # float target without it, which means class indices: the target's shape does not fit its kind.
    ("invalid_shape", r"Expected floating point type for target with class probabilities"),
    ("invalid_shape", r"expected target dtype to be Long or Byte"),
    ("invalid_shape", r"Expected input batch_size \(\d+\) to match target batch_size"),
    ("invalid_shape", r"Expected 1 or more dimensions"),
    ("invalid_shape", r"0D or 1D target tensor expected"),
    ("invalid_shape", r"For 1D input, 1D target must have size 1"),
    ("invalid_shape", r"Expected target size"),
    ("invalid_shape", r"only batches of spatial targets supported"),
    ("invalid_shape", r"^size mismatch \(got input"),
    ("invalid_shape", r"weight tensor should be defined either for all"),
    ("invalid_shape", r"Dimension out of range"),
    ("invalid_shape", r"Dimension specified as \d+ but tensor has no dimensions"),
    # Label smoothing on a K-d input views the weight as (1, C, 1, ...) and gathers from it.
    ("invalid_shape", r"Index tensor must have the same number of dimensions as input tensor"),
]


def empty_int(*shape):
    """An empty class-index tensor."""
    return {"shape": list(shape), "data": [], "dtype": "int"}


# The worked example: logits of 3 samples over 4 classes, class-index targets.
X = [[1.2, -0.4, 0.3, 2.0], [0.5, 1.5, -1.0, 0.0], [-0.3, 0.8, 2.2, -1.1]]
Y = [3, 0, 2]
XY = {"input": X, "target": Y}
W = [0.5, 2.0, 1.0, 3.0]
XYW = {**XY, "weight": W}
# Probability targets (soft labels) for the same logits.
P = [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.0, 0.25, 0.75, 0.0]]
XP = {"input": X, "target": P}
XPW = {**XP, "weight": W}
SMALL = {"input": [[0.5, -1.0]], "target": [0]}

# K-dimensional inputs: (N, C, d1), (N, C, d1, d2), (N, C, d1, d2, d3).
X3 = {"input": uniform(rng, (2, 3, 4), -2.0, 2.0), "target": [[0, 2, 1, 2], [1, 1, 0, 2]]}
X4 = {"input": uniform(rng, (2, 3, 2, 2), -2.0, 2.0), "target": [[[0, 2], [1, 1]], [[2, 0], [0, 1]]]}
X5 = {"input": uniform(rng, (2, 3, 1, 2, 2), -2.0, 2.0), "target": [[[[0, 2], [1, -100]]], [[[2, 0], [0, 1]]]]}
W3 = [0.5, 1.5, 2.0]


def probability_targets(n, c, spatial):
    """Random probability targets of shape (n, c, *spatial), each class vector normalised (3 decimals)."""
    positions = 1
    for d in spatial:
        positions *= d
    flat = [[0.0] * (c * positions) for _ in range(n)]
    for i in range(n):
        for p in range(positions):
            raw = [rng.uniform(0.05, 1.0) for _ in range(c)]
            for k in range(c):
                flat[i][k * positions + p] = round(raw[k] / sum(raw), 3)

    def nest(values, shape):
        if not shape:
            return values[0]
        step = len(values) // shape[0]
        return [nest(values[j * step:(j + 1) * step], shape[1:]) for j in range(shape[0])]

    return [nest(row, [c, *spatial]) for row in flat]


P3 = {"input": X3["input"], "target": probability_targets(2, 3, (4,))}
P4 = {"input": X4["input"], "target": probability_targets(2, 3, (2, 2))}

ONE_D = {"input": [1.2, -0.4, 0.3, 2.0], "target": 1}
ONE_D_P = {"input": [1.2, -0.4, 0.3, 2.0], "target": [0.1, 0.6, 0.3, 0.0]}

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input": [[0.5, -1.0]], "target": [0, 1]}, {"reduction": "bogus"}, ["reduction"]),
    error("invalid_reduction_checked_before_label_smoothing", SMALL, {"reduction": "bogus", "label_smoothing": 1.5}, ["reduction"]),
    # weight, class-index targets: mean divides by the weights of the targets.
    case("weight_mean_divides_by_target_weights", XYW, tags=["tutorial", "weight", "reduction"]),
    *reduction_cases("weight", XYW, reductions=("none", "sum"), tags=("weight", "reduction")),
    case("weight_negative_accepted", {**XY, "weight": [1.0, -2.0, 0.5, 1.0]}, tags=["weight"]),
    case("weight_total_zero_mean_is_nan", {**XY, "weight": [0.0, 1.0, 0.0, 0.0]}, tags=["weight", "quirk"]),
    # ignore_index.
    case("ignore_default_minus_100_mean", {"input": X, "target": [3, -100, 2]}, tags=["param"]),
    case("ignore_default_minus_100_none", {"input": X, "target": [3, -100, 2]}, {"reduction": "none"}, ["param"]),
    case("ignore_default_minus_100_weight_mean", {"input": X, "target": [3, -100, 2], "weight": W}, tags=["param", "weight"]),
    case("ignore_index_real_class_weight_mean", XYW, {"ignore_index": 2}, ["param", "weight"]),
    case("ignore_index_real_class_sum", XY, {"ignore_index": 0, "reduction": "sum"}, ["param"]),
    case("ignore_index_out_of_range_positive", {"input": X, "target": [3, 9, 2]}, {"ignore_index": 9}, ["param", "quirk"]),
    case("all_ignored_mean_is_nan", {"input": X, "target": [-100, -100, -100]}, tags=["param", "quirk"]),
    case("all_ignored_sum_is_zero", {"input": X, "target": [-100, -100, -100]}, {"reduction": "sum"}, ["param"]),
    case("all_ignored_none_is_zeros", {"input": X, "target": [-100, -100, -100]}, {"reduction": "none"}, ["param"]),
    # Shapes, class-index targets.
    case("one_dim_input_zero_dim_target_mean", ONE_D, tags=["shape"]),
    case("one_dim_input_zero_dim_target_none_is_scalar", ONE_D, {"reduction": "none"}, ["shape"]),
    case("one_dim_input_weight_sum", {**ONE_D, "weight": W}, {"reduction": "sum"}, ["shape", "weight"]),
    case("one_dim_input_ignored_target_mean_is_nan", {"input": [1.2, -0.4, 0.3, 2.0], "target": -100}, tags=["shape", "param"]),
    case("single_class_loss_is_zero", {"input": [[0.3], [-1.7]], "target": [0, 0]}, {"reduction": "none"}, ["shape"]),
    *reduction_cases("three_dim", X3, reductions=("none", "mean", "sum"), tags=("shape",)),
    case("three_dim_weight_mean", {**X3, "weight": W3}, tags=["shape", "weight"]),
    *reduction_cases("four_dim", X4, reductions=("none", "mean"), tags=("shape",)),
    case("four_dim_weight_sum", {**X4, "weight": W3}, {"reduction": "sum"}, ["shape", "weight"]),
    *reduction_cases("five_dim", X5, reductions=("none", "mean"), tags=("shape",)),
    case("three_dim_weight_1x3_accepted_without_smoothing", {**X3, "weight": [W3]}, tags=["shape", "weight", "quirk"]),
    # Logits: any real; log_softmax subtracts the maximum, so large logits are stable.
    case("large_logits_stable", {"input": [[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]], "target": [0, 2]}, {"reduction": "none"}, ["precision"]),
    case("shift_invariant", {"input": [[101.2, 99.6, 100.3, 102.0]], "target": [3]}, {"reduction": "none"}, ["precision"]),
    case("pos_inf_logit_is_nan", {"input": [[INF, 0.0, 1.0], [0.5, 0.2, 0.1]], "target": [1, 0]}, {"reduction": "none"}, ["nonfinite"]),
    case("pos_inf_logit_at_target_is_nan", {"input": [[INF, 0.0, 1.0]], "target": [0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("neg_inf_logit_at_other_class_is_finite", {"input": [[0.0, -INF, 1.0]], "target": [0]}, {"reduction": "none"}, ["nonfinite"]),
    case("neg_inf_logit_at_target_is_inf", {"input": [[-INF, 0.0, 1.0]], "target": [0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("all_neg_inf_logits_is_nan", {"input": [[-INF, -INF, -INF], [0.5, 0.2, 0.1]], "target": [1, 0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_logit_is_nan", {"input": [[NAN, 0.0, 1.0], [0.5, 0.2, 0.1]], "target": [2, 0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_logit_in_ignored_row_is_zero", {"input": [[NAN, 0.0, 1.0], [0.5, 0.2, 0.1]], "target": [-100, 0]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("nan_logit_in_ignored_row_mean", {"input": [[NAN, 0.0, 1.0], [0.5, 0.2, 0.1]], "target": [-100, 0]}, {"reduction": "mean"}, ["nonfinite", "quirk"]),
    # Label smoothing, class-index targets.
    *reduction_cases("label_smoothing", XY, {"label_smoothing": 0.1}, ("none", "mean", "sum"), tags=("param", "reduction")),
    *reduction_cases("label_smoothing_weight", XYW, {"label_smoothing": 0.1}, ("none", "mean", "sum"), tags=("param", "weight")),
    case("label_smoothing_weight_ignore_index_mean", {"input": X, "target": [3, -100, 1], "weight": W}, {"label_smoothing": 0.2}, ["param", "weight", "quirk"]),
    case("label_smoothing_ignore_index_mean", {"input": X, "target": [3, -100, 1]}, {"label_smoothing": 0.2}, ["param"]),
    case("label_smoothing_ignore_index_none", {"input": X, "target": [3, -100, 1]}, {"label_smoothing": 0.2, "reduction": "none"}, ["param"]),
    case("label_smoothing_all_ignored_mean_is_nan", {"input": X, "target": [-100, -100, -100]}, {"label_smoothing": 0.2}, ["param"]),
    case("label_smoothing_zero_explicit", XY, {"label_smoothing": 0.0}, ["param"]),
    case("label_smoothing_one", XY, {"label_smoothing": 1.0}, ["param"]),
    case("label_smoothing_one_weight_none", XYW, {"label_smoothing": 1.0, "reduction": "none"}, ["param", "weight"]),
    case("label_smoothing_negative_is_ignored", XY, {"label_smoothing": -0.5}, ["param", "quirk"]),
    case("label_smoothing_nan_is_ignored", XY, {"label_smoothing": NAN}, ["param", "quirk"]),
    case("label_smoothing_one_dim_input", ONE_D, {"label_smoothing": 0.3, "reduction": "none"}, ["param", "shape"]),
    case("label_smoothing_three_dim_weight", {**X3, "weight": W3}, {"label_smoothing": 0.25}, ["param", "shape", "weight"]),
    case("label_smoothing_four_dim_none", X4, {"label_smoothing": 0.25, "reduction": "none"}, ["param", "shape"]),
    case("label_smoothing_five_dim_ignored_mean", X5, {"label_smoothing": 0.25}, ["param", "shape"]),
    case("label_smoothing_neg_inf_other_class_is_inf", {"input": [[0.0, -INF, 1.0]], "target": [0]}, {"label_smoothing": 0.1}, ["param", "nonfinite"]),
    case("label_smoothing_large_logits", {"input": [[1000.0, -1000.0, 0.0]], "target": [0]}, {"label_smoothing": 0.1}, ["param", "precision"]),
    case("label_smoothing_three_dim_weight_3x1_sum", {**X3, "weight": [[0.5], [1.5], [2.0]]}, {"label_smoothing": 0.1, "reduction": "sum"}, ["param", "weight", "quirk"]),
    error("label_smoothing_three_dim_weight_3x1_mean", {**X3, "weight": [[0.5], [1.5], [2.0]]}, {"label_smoothing": 0.1}, ["param", "weight", "quirk"]),
    error("label_smoothing_three_dim_weight_1x3", {**X3, "weight": [W3]}, {"label_smoothing": 0.1, "reduction": "sum"}, ["param", "weight", "quirk"]),
    error("label_smoothing_one_dim_input_target_of_one", {"input": [1.2, -0.4, 0.3, 2.0], "target": [1]}, {"label_smoothing": 0.1}, ["param", "shape", "quirk"]),
    error("label_smoothing_above_one", XY, {"label_smoothing": 1.5}, ["param"]),
    error("label_smoothing_inf", XY, {"label_smoothing": INF}, ["param"]),
    error("label_smoothing_checked_before_shape", {"input": X, "target": [3, 0]}, {"label_smoothing": 1.5}, ["param"]),
    error("label_smoothing_checked_before_target_range", {"input": X, "target": [3, 0, 7]}, {"label_smoothing": 1.5}, ["param"]),
    error("label_smoothing_target_out_of_range", {"input": X, "target": [3, 0, 7]}, {"label_smoothing": 0.1}, ["param"]),
    # Probability targets: the target has the input's shape; mean divides by numel / C.
    case("probabilities_mean", XP, tags=["tutorial", "reduction"]),
    *reduction_cases("probabilities", XP, reductions=("none", "sum", "elementwise_mean")),
    case("probabilities_weight_mean_divides_by_batch", XPW, tags=["weight", "reduction", "quirk"]),
    *reduction_cases("probabilities_weight", XPW, reductions=("none", "sum"), tags=("weight", "reduction")),
    case("probabilities_one_hot_equals_indices", {"input": X, "target": [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]}, tags=["basic"]),
    case("probabilities_unnormalised_accepted", {"input": X, "target": [[0.5, 0.5, 0.5, 0.5], [2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]}, {"reduction": "none"}, ["target_values"]),
    case("probabilities_negative_accepted", {"input": X, "target": [[-0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0]]}, {"reduction": "none"}, ["target_values"]),
    case("probabilities_one_dim_none_is_scalar", ONE_D_P, {"reduction": "none"}, ["shape"]),
    case("probabilities_one_dim_mean", ONE_D_P, tags=["shape"]),
    case("probabilities_one_dim_weight_sum", {**ONE_D_P, "weight": W}, {"reduction": "sum"}, ["shape", "weight"]),
    *reduction_cases("probabilities_three_dim", P3, reductions=("none", "mean"), tags=("shape",)),
    case("probabilities_four_dim_weight_mean", {**P4, "weight": W3}, tags=["shape", "weight"]),
    case("probabilities_label_smoothing_mean", XP, {"label_smoothing": 0.2}, ["param"]),
    case("probabilities_label_smoothing_weight_none", XPW, {"label_smoothing": 0.2, "reduction": "none"}, ["param", "weight"]),
    case("probabilities_label_smoothing_one", XP, {"label_smoothing": 1.0}, ["param"]),
    case("probabilities_label_smoothing_negative_is_ignored", XP, {"label_smoothing": -0.3}, ["param", "quirk"]),
    case("probabilities_label_smoothing_three_dim_sum", P3, {"label_smoothing": 0.1, "reduction": "sum"}, ["param", "shape"]),
    case("probabilities_ignore_index_negative_accepted", XP, {"ignore_index": -1}, ["param"]),
    case("probabilities_neg_inf_logit_zero_probability_is_nan", {"input": [[-INF, 0.0, 1.0]], "target": [[0.0, 0.5, 0.5]]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("probabilities_neg_inf_logit_positive_probability_is_inf", {"input": [[-INF, 0.0, 1.0]], "target": [[0.5, 0.5, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("probabilities_large_logits", {"input": [[1000.0, -1000.0, 0.0]], "target": [[0.5, 0.25, 0.25]]}, {"reduction": "sum"}, ["precision"]),
    case("probabilities_target_nan_propagates", {"input": X, "target": [[NAN, 0.2, 0.3, 0.5], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    error("probabilities_ignore_index_non_negative", XP, {"ignore_index": 0}, ["param"]),
    error("probabilities_ignore_index_checked_before_weight", {**XP, "weight": [1.0, 2.0]}, {"ignore_index": 3}, ["param"]),
    error("probabilities_weight_two_dim", {**XP, "weight": [W]}, tags=["weight", "shape"]),
    error("probabilities_weight_wrong_size", {**XP, "weight": [1.0, 2.0, 3.0]}, tags=["weight", "shape"]),
    error("probabilities_weight_checked_before_label_smoothing", {**XP, "weight": [1.0, 2.0]}, {"label_smoothing": 1.5}, ["weight", "param"]),
    error("probabilities_label_smoothing_above_one", XP, {"label_smoothing": 1.5}, ["param"]),
    error("probabilities_zero_dim_input", {"input": 0.5, "target": 0.25}, tags=["shape"]),
    error("float_target_without_input_shape", {"input": X, "target": [3.0, 0.0, 2.0]}, tags=["shape"]),
    error("float_target_with_other_class_count", {"input": X, "target": [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]}, tags=["shape"]),
    error("float_target_three_dim_without_input_shape", {"input": X3["input"], "target": [[0.0, 2.0, 1.0, 2.0], [1.0, 1.0, 0.0, 2.0]]}, tags=["shape"]),
    error("float_target_wrong_shape_label_smoothing_above_one", {"input": X, "target": [3.0, 0.0, 2.0]}, {"label_smoothing": 2.0}, ["shape", "param"]),
    # An integer target with the input's shape means probabilities, which must be floating.
    error("integer_target_with_input_shape", {"input": X, "target": [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0]]}, tags=["shape", "quirk"]),
    error("integer_target_with_input_shape_one_dim", {"input": [1.2, -0.4, 0.3, 2.0], "target": [1, 0, 0, 0]}, tags=["shape", "quirk"]),
    error("integer_target_zero_dim_input", {"input": 0.5, "target": 0}, tags=["shape"]),
    # Out-of-range class indices and shape errors, as for nll_loss.
    error("target_equal_to_num_classes", {"input": X, "target": [3, 4, 2]}),
    error("target_minus_one_not_ignored", {"input": X, "target": [3, -1, 2]}),
    error("target_out_of_range_reduction_none", {"input": X, "target": [3, 0, 5]}, {"reduction": "none"}),
    error("target_out_of_range_three_dim", {"input": X3["input"], "target": [[0, 2, 1, 3], [1, 1, 0, 2]]}, tags=["shape"]),
    error("target_out_of_range_one_dim_input", {"input": [1.2, -0.4, 0.3, 2.0], "target": 4}, tags=["shape"]),
    error("zero_classes_target_zero", {"input": empty(2, 0), "target": [0, 0]}, tags=["empty"]),
    error("batch_size_mismatch", {"input": X, "target": [3, 0]}, tags=["shape"]),
    error("two_dim_target_for_two_dim_input", {"input": X, "target": [[3], [0], [2]]}, tags=["shape"]),
    error("zero_dim_target_for_two_dim_input", {"input": X, "target": 1}, tags=["shape"]),
    error("zero_dim_input_with_index_target", {"input": 0.5, "target": [0]}, tags=["shape"]),
    error("one_dim_input_target_of_two", {"input": [1.2, -0.4, 0.3, 2.0], "target": [1, 2]}, tags=["shape"]),
    error("three_dim_wrong_spatial_size", {"input": X3["input"], "target": [[0, 2, 1], [1, 1, 0]]}, tags=["shape"]),
    error("four_dim_target_wrong_ndim", {"input": X4["input"], "target": [[0, 2, 1, 1], [2, 0, 0, 1]]}, tags=["shape"]),
    error("weight_wrong_size", {**XY, "weight": [1.0, 2.0, 3.0]}, tags=["weight"]),
    error("weight_two_dim_for_two_dim_input", {**XY, "weight": [W]}, tags=["weight", "shape"]),
    # Empty tensors.
    *empty_cases("empty_batch", {"input": empty(0, 3), "target": empty_int(0)}, ("none", "mean", "sum", "elementwise_mean")),
    *empty_cases("empty_batch_label_smoothing", {"input": empty(0, 3), "target": empty_int(0)}, ("none", "mean", "sum"), {"label_smoothing": 0.2}),
    case("empty_batch_label_smoothing_weight_mean", {"input": empty(0, 3), "target": empty_int(0), "weight": [1.0, 2.0, 3.0]}, {"label_smoothing": 0.2}, ["empty", "weight"]),
    *empty_cases("empty_spatial_three_dim", {"input": empty(2, 3, 0), "target": empty_int(2, 0)}, ("none", "mean", "sum")),
    *empty_cases("empty_batch_probabilities", {"input": empty(0, 3), "target": empty(0, 3)}, ("none", "mean", "sum")),
    *empty_cases("zero_classes_probabilities", {"input": empty(2, 0), "target": empty(2, 0)}, ("none", "mean", "sum")),
    *empty_cases("zero_classes_all_ignored", {"input": empty(2, 0), "target": [-100, -100]}, ("none", "mean", "sum")),
    case("zero_classes_all_ignored_label_smoothing_none_is_nan", {"input": empty(2, 0), "target": [-100, -100]}, {"label_smoothing": 0.1, "reduction": "none"}, ["empty", "quirk"]),
    *legacy_cases(XYW),
    case("legacy_reduce_false_probabilities", XPW, {"reduce": False}, ["legacy"]),
    case("legacy_size_average_false_label_smoothing", XYW, {"size_average": False, "label_smoothing": 0.1}, ["legacy", "param"]),
]

# More classes than one block of the reference's pairwise sum (128): the log-sum-exp of a
# row adds several blocks. A separate generator, so the cases above keep their values.
wide_rng = random.Random(300)
CASES += [
    case("three_hundred_classes", {"input": uniform(wide_rng, (2, 300), -3.0, 3.0), "target": [17, 251]}, {"reduction": "none"}, ["shape"]),
]
# 256 classes: the log-sum-exp adds exactly two full blocks of 128.
CASES += [
    case("two_hundred_fifty_six_classes", {"input": uniform(wide_rng, (1, 256), -3.0, 3.0), "target": [200]}, {"reduction": "none"}, ["shape"]),
]
