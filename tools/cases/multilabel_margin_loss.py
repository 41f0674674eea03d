"""Cases for torch.nn.functional.multilabel_margin_loss (torch.nn.MultiLabelMarginLoss); see spec/multilabel_margin_loss.md.

Not included, on purpose: a batch of size 0 with reduction mean or sum, where torch 2.15 returns
uninitialized memory (a torch bug); `none` with batch 0 is included.
"""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    case,
    empty,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

rng = random.Random(15)

# The worked example (the PyTorch docs' example): classes 3 and 0 are targets, the -1 ends the list.
X = [0.1, 0.2, 0.4, 0.8]
EXAMPLE = {"input": X, "target": [3, 0, -1, 1]}


def batch_targets(rng, n, c):
    """n rows of c target slots: a few distinct classes, then -1 padding (and arbitrary valid labels after it)."""
    rows = []
    for _ in range(n):
        k = rng.randint(0, c)
        labels = rng.sample(range(c), k)
        rest = [-1] + [rng.randint(-1, c - 1) for _ in range(c - k - 1)] if k < c else []
        rows.append(labels + rest)
    return rows


BATCH = {"input": uniform(rng, (3, 5), -1.0, 1.0), "target": batch_targets(rng, 3, 5)}
SMALL = {"input": [0.5, 0.1], "target": [0, -1]}

CASES = [
    case("docs_example_mean", EXAMPLE, tags=["tutorial", "reduction"]),
    case("docs_example_none", EXAMPLE, {"reduction": "none"}, ["tutorial", "reduction"]),
    case("docs_example_sum", EXAMPLE, {"reduction": "sum"}, ["tutorial", "reduction"]),
    case("docs_example_elementwise_mean", EXAMPLE, {"reduction": "elementwise_mean"}, ["reduction"]),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_target_range", {"input": [0.5, 0.1], "target": [5, -1]}, {"reduction": "bogus"}, ["reduction"]),
    # Only the labels before the first -1 count; the rest is ignored (but still range-checked).
    case("labels_after_pad_ignored", {"input": X, "target": [3, 0, -1, 2]}, {"reduction": "none"}, ["tutorial"]),
    case("labels_after_pad_do_not_count_as_targets", {"input": X, "target": [3, -1, 0, 1]}, {"reduction": "none"}, ["basic"]),
    case("first_entry_pad_means_no_targets", {"input": X, "target": [-1, 0, 1, 2]}, {"reduction": "none"}, ["basic"]),
    case("single_target", {"input": X, "target": [0, -1, -1, -1]}, {"reduction": "none"}, ["basic"]),
    case("duplicate_targets_count_twice", {"input": X, "target": [0, 0, -1, -1]}, {"reduction": "none"}, ["quirk"]),
    case("duplicate_targets_three_times", {"input": X, "target": [2, 2, 2, -1]}, {"reduction": "sum"}, ["quirk"]),
    case("no_targets_all_pad", {"input": X, "target": [-1, -1, -1, -1]}, {"reduction": "none"}, ["basic"]),
    case("all_classes_targets", {"input": X, "target": [2, 0, 3, 1]}, {"reduction": "none"}, ["basic"]),
    case("margins_all_satisfied", {"input": [2.0, -1.0, 0.5, -0.5], "target": [0, -1, -1, -1]}, {"reduction": "none"}, ["basic"]),
    # At z = 1 - (x[y] - x[i]) == 0 the term is 0 and so is its gradient.
    case("kink_margin_exactly_one", {"input": [0.5, -0.5, 0.25, 0.0], "target": [0, -1, -1, -1]}, {"reduction": "none"}, ["kink"]),
    # A batch of samples.
    *reduction_cases("batch", BATCH),
    case("batch_single_row", {"input": [X], "target": [[3, 0, -1, 1]]}, {"reduction": "none"}, ["shape"]),
    case("batch_rows_with_duplicates_and_no_targets", {"input": [X, X, X], "target": [[1, 1, -1, 3], [-1, 2, 2, 2], [0, 1, 2, 3]]}, {"reduction": "none"}, ["shape", "quirk"]),
    # A 0-d input has one class.
    case("zero_dim_input_target_zero", {"input": 0.3, "target": 0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_input_target_pad", {"input": 0.3, "target": -1}, {"reduction": "sum"}, ["shape"]),
    case("zero_dim_input_one_dim_target", {"input": 0.3, "target": [0]}, {"reduction": "mean"}, ["shape"]),
    case("one_class", {"input": [0.7], "target": [0]}, {"reduction": "none"}, ["shape"]),
    # Target range: every entry, also after the first -1, must be in [-1, C).
    error("target_equals_num_classes", {"input": X, "target": [4, -1, -1, -1]}),
    error("target_below_minus_one", {"input": X, "target": [-2, 0, -1, -1]}),
    error("target_out_of_range_after_pad", {"input": X, "target": [3, -1, 4, 0]}),
    error("target_below_minus_one_after_pad", {"input": X, "target": [1, -1, -2, 0]}),
    error("target_out_of_range_in_batch", {"input": [X, X], "target": [[0, -1, -1, -1], [1, 7, -1, -1]]}),
    error("target_out_of_range_reduction_none", {"input": X, "target": [4, -1, -1, -1]}, {"reduction": "none"}),
    # Shapes: target must match the input; input must be 0-d, (C) or (N, C) with C > 0.
    error("target_shorter_than_input", {"input": X, "target": [3, 0, -1]}, tags=["shape"]),
    error("target_longer_than_input", {"input": X, "target": [3, 0, -1, 1, 2]}, tags=["shape"]),
    error("batch_target_fewer_columns", {"input": [X, X], "target": [[3, 0, -1], [1, -1, 0]]}, tags=["shape"]),
    error("batch_target_fewer_rows", {"input": [X, X], "target": [[3, 0, -1, 1]]}, tags=["shape"]),
    error("batch_input_one_dim_target", {"input": [X], "target": [3, 0, -1, 1]}, tags=["shape"]),
    error("three_dim_input", {"input": [[X, X]], "target": [[[3, 0, -1, 1], [3, 0, -1, 1]]]}, tags=["shape"]),
    error("empty_1d_input", {"input": empty(0), "target": empty(0)}, tags=["shape", "empty"]),
    error("zero_classes", {"input": empty(2, 0), "target": empty(2, 0)}, tags=["shape", "empty"]),
    error("shape_checked_before_target_range", {"input": X, "target": [9, 0, -1]}, tags=["shape"]),
    case("empty_batch_none", {"input": empty(0, 3), "target": empty(0, 3)}, {"reduction": "none"}, ["empty"]),
    case("empty_batch_legacy_reduce_false", {"input": empty(0, 3), "target": empty(0, 3)}, {"reduce": False}, ["empty", "legacy"]),
    # NaN inputs never satisfy z > 0, so they contribute nothing; infinities do.
    case("input_nan_ignored", {"input": [NAN, 0.2, 0.4, 0.8], "target": [3, 0, -1, 1]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("input_nan_at_non_target_ignored", {"input": [0.1, NAN, 0.4, 0.8], "target": [3, 0, -1, 1]}, {"reduction": "sum"}, ["nonfinite", "quirk"]),
    case("input_all_nan", {"input": [NAN, NAN, NAN, NAN], "target": [3, 0, -1, 1]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("input_inf_non_target", {"input": [0.1, INF, 0.4, 0.8], "target": [3, 0, -1, 1]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf_target", {"input": [0.1, 0.2, 0.4, INF], "target": [3, -1, -1, -1]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_neg_inf_target", {"input": [0.1, 0.2, 0.4, -INF], "target": [3, -1, -1, -1]}, {"reduction": "none"}, ["nonfinite"]),
    *legacy_cases(BATCH),
]
