"""Cases for torch.nn.functional.ctc_loss (torch.nn.CTCLoss); see spec/ctc_loss.md.

Not included, on purpose: target labels outside [0, C) (PyTorch reads out of bounds) or equal to
`blank` (not checked, meaningless); see the spec's "Excluded from the cases". Padding entries of
`(N, S)` targets beyond a sample's target length are never read, so any value is allowed there.

The log-probabilities are log_softmax of seeded-random logits, rounded to 4 decimals (so rows sum
to 1 only approximately; PyTorch does not check normalisation).
"""

import math
import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    case,
    empty,
    error,
    invalid_reduction_cases,
)

ERROR_PATTERNS = [
    ("invalid_shape", r"Dimension out of range"),
    ("invalid_shape", r"log_probs tensor must not be empty"),
    ("invalid_shape", r"Expected \d+-dimensional tensor, but got \d+-dimensional tensor for argument #1 'log_probs'"),
    ("invalid_shape", r"Expected 1 to 2 dimensions, but got \d+-dimensional tensor for argument #2 'targets'"),
    ("invalid_parameter", r"blank must be in label range"),
    ("invalid_shape", r"(input|target)_lengths must be of size batch_size"),
    ("invalid_value", r"Expected (input|target)_lengths to have value at (least|most) -?\d+"),
    ("invalid_shape", r"Expected tensor to have size (at least )?\d+ at dimension \d, but got size \d+ for argument #2 'targets'"),
]

rng = random.Random(12)


def log_probs(t, n, c, scale=1.5):
    """A (t, n, c) nested list of rounded log_softmax rows of random logits; n=None gives (t, c)."""

    def row():
        logits = [rng.uniform(-scale, scale) for _ in range(c)]
        top = max(logits)
        lse = top + math.log(sum(math.exp(v - top) for v in logits))
        return [round(v - lse, 4) for v in logits]

    if n is None:
        return [row() for _ in range(t)]
    return [[row() for _ in range(n)] for _ in range(t)]


def select(lp, b):
    """Sample b of a (T, N, C) nested list, as (T, C)."""
    return [frame[b] for frame in lp]


def with_value(lp, t, b, c, value):
    """A copy of a (T, N, C) nested list with one entry replaced."""
    copy = [[list(row) for row in frame] for frame in lp]
    copy[t][b][c] = value
    return copy


# The worked example: T=5 frames, N=2 samples, C=4 classes (blank 0); targets "1 2 2" and "3 1",
# padded to S=3; the second sample uses only 4 of the 5 frames.
LP = log_probs(5, 2, 4)
PADDED = {"log_probs": LP, "targets": [[1, 2, 2], [3, 1, 0]], "input_lengths": [5, 4], "target_lengths": [3, 2]}
CONCATENATED = {**PADDED, "targets": [1, 2, 2, 3, 1]}
# One sample, unbatched: (T, C) log_probs, 1-D targets of exactly the target length, 0-d lengths.
LP1 = log_probs(4, None, 3)
UNBATCHED = {"log_probs": LP1, "targets": [1, 2], "input_lengths": 4, "target_lengths": 2}
# A batch of 3 where the middle sample cannot be aligned ("1 1" needs 3 frames, it has 2).
LPI = log_probs(4, 3, 3)
IMPOSSIBLE = {"log_probs": LPI, "targets": [[1, 2], [1, 1], [2, 0]], "input_lengths": [4, 2, 3], "target_lengths": [2, 2, 1]}
# A larger random batch with concatenated targets (labels 1..4, blank 0).
LPR = log_probs(8, 3, 5, scale=2.5)
RANDOM_LENGTHS = [4, 1, 3]
RANDOM = {
    "log_probs": LPR,
    "targets": [rng.randint(1, 4) for _ in range(sum(RANDOM_LENGTHS))],
    "input_lengths": [8, 5, 7],
    "target_lengths": RANDOM_LENGTHS,
}
SMALL = {"log_probs": log_probs(2, 1, 2), "targets": [[1]], "input_lengths": [2], "target_lengths": [1]}

CASES = [
    case("default_mean", PADDED, tags=["tutorial", "reduction"]),
    case("padded_none", PADDED, {"reduction": "none"}, ["tutorial", "reduction"]),
    case("padded_sum", PADDED, {"reduction": "sum"}, ["reduction"]),
    case("padded_mean", PADDED, {"reduction": "mean"}, ["reduction"]),
    case("padded_elementwise_mean", PADDED, {"reduction": "elementwise_mean"}, ["reduction"]),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {**SMALL, "input_lengths": [2, 2]}, {"reduction": "bogus"}, ["reduction"]),
    # The same targets, concatenated into one 1-D tensor: the same losses.
    case("concatenated_none", CONCATENATED, {"reduction": "none"}, ["tutorial", "shape"]),
    case("concatenated_mean", CONCATENATED, {"reduction": "mean"}, ["shape"]),
    case("concatenated_sum", CONCATENATED, {"reduction": "sum"}, ["shape"]),
    # Padding beyond a sample's target length is never read, whatever it holds.
    case("padding_never_read", {**PADDED, "targets": [[1, 2, 2, -1, 99], [3, 1, 7, 0, -5]]}, {"reduction": "none"}, ["quirk"]),
    case("padding_wider_than_needed", {**PADDED, "targets": [[1, 2, 2, 0, 0, 0], [3, 1, 0, 0, 0, 0]]}, {"reduction": "mean"}, ["shape"]),
    # Unbatched: (T, C) log_probs; the output of 'none' is 0-d.
    case("unbatched_none", UNBATCHED, {"reduction": "none"}, ["shape"]),
    case("unbatched_mean_divides_by_target_length", UNBATCHED, {"reduction": "mean"}, ["shape", "reduction"]),
    case("unbatched_sum", UNBATCHED, {"reduction": "sum"}, ["shape", "reduction"]),
    case("unbatched_one_element_lengths", {**UNBATCHED, "input_lengths": [4], "target_lengths": [2]}, {"reduction": "none"}, ["shape"]),
    case("unbatched_padded_2d_targets", {**UNBATCHED, "targets": [[1, 2, 0, 0]]}, {"reduction": "none"}, ["shape", "quirk"]),
    case("unbatched_shorter_input_length", {**UNBATCHED, "input_lengths": 3}, {"reduction": "none"}, ["shape"]),
    error("unbatched_1d_targets_must_not_be_padded", {**UNBATCHED, "targets": [1, 2, 0]}, tags=["shape", "quirk"]),
    # Batched with a single sample; the length tensors may have any shape with N elements.
    case("batch_of_one", {"log_probs": [[r] for r in LP1], "targets": [[1, 2]], "input_lengths": [4], "target_lengths": [2]}, {"reduction": "none"}, ["shape"]),
    case("batch_of_one_zero_dim_lengths", {"log_probs": [[r] for r in LP1], "targets": [[1, 2]], "input_lengths": 4, "target_lengths": 2}, {"reduction": "none"}, ["shape", "quirk"]),
    case("lengths_as_column_tensors", {**PADDED, "input_lengths": [[5], [4]], "target_lengths": [[3], [2]]}, {"reduction": "none"}, ["shape", "quirk"]),
    # blank other than 0.
    case("blank_last_class", {"log_probs": LP, "targets": [[1, 2, 2], [0, 1, 0]], "input_lengths": [5, 4], "target_lengths": [3, 2]}, {"blank": 3, "reduction": "none"}, ["param"]),
    case("blank_middle_class", {"log_probs": LP, "targets": [[1, 3, 3], [0, 1, 0]], "input_lengths": [5, 5], "target_lengths": [3, 2]}, {"blank": 2, "reduction": "mean"}, ["param"]),
    case("blank_zero_explicit", PADDED, {"blank": 0, "reduction": "sum"}, ["param"]),
    error("blank_equals_num_classes", PADDED, {"blank": 4}, ["param"]),
    error("blank_negative", PADDED, {"blank": -1}, ["param"]),
    error("blank_checked_before_lengths", {**PADDED, "input_lengths": [5]}, {"blank": 9}, ["param"]),
    # Repeated labels need a blank between them: "1 1" takes 3 frames, "1 2" only 2.
    case("repeated_label_needs_separating_blank", {"log_probs": log_probs(3, 3, 3), "targets": [[1, 1], [1, 1], [1, 2]], "input_lengths": [2, 3, 2], "target_lengths": [2, 2, 2]}, {"reduction": "none"}, ["tutorial", "quirk", "nonfinite"]),
    case("repeated_label_three_times", {"log_probs": log_probs(6, 1, 2), "targets": [[1, 1, 1]], "input_lengths": [6], "target_lengths": [3]}, {"reduction": "none"}, ["basic"]),
    case("repeated_label_three_times_too_short", {"log_probs": log_probs(6, 1, 2), "targets": [[1, 1, 1]], "input_lengths": [4], "target_lengths": [3]}, {"reduction": "none"}, ["nonfinite"]),
    case("target_as_long_as_input", {"log_probs": log_probs(3, 1, 4), "targets": [[1, 2, 3]], "input_lengths": [3], "target_lengths": [3]}, {"reduction": "none"}, ["basic"]),
    # Impossible alignments: inf, or 0 with zero_infinity (before the reduction).
    case("impossible_alignment_none", IMPOSSIBLE, {"reduction": "none"}, ["nonfinite"]),
    case("impossible_alignment_mean_is_inf", IMPOSSIBLE, {"reduction": "mean"}, ["nonfinite"]),
    case("impossible_alignment_sum_is_inf", IMPOSSIBLE, {"reduction": "sum"}, ["nonfinite"]),
    case("zero_infinity_none", IMPOSSIBLE, {"reduction": "none", "zero_infinity": True}, ["param"]),
    case("zero_infinity_mean", IMPOSSIBLE, {"reduction": "mean", "zero_infinity": True}, ["param", "reduction"]),
    case("zero_infinity_sum", IMPOSSIBLE, {"reduction": "sum", "zero_infinity": True}, ["param", "reduction"]),
    case("zero_infinity_false_explicit", IMPOSSIBLE, {"reduction": "none", "zero_infinity": False}, ["param"]),
    case("zero_infinity_finite_losses_unchanged", PADDED, {"reduction": "none", "zero_infinity": True}, ["param"]),
    # Empty targets (length 0): the loss of the all-blank path; mean divides by max(0, 1) = 1.
    case("empty_target_padded", {**PADDED, "target_lengths": [0, 2]}, {"reduction": "none"}, ["empty"]),
    case("empty_target_mean_divides_by_one", {**PADDED, "target_lengths": [0, 2]}, {"reduction": "mean"}, ["empty", "reduction"]),
    case("all_targets_empty_padded_zero_width", {"log_probs": LP, "targets": empty(2, 0), "input_lengths": [5, 3], "target_lengths": [0, 0]}, {"reduction": "none"}, ["empty"]),
    case("all_targets_empty_concatenated", {"log_probs": LP, "targets": {**empty(0), "dtype": "int"}, "input_lengths": [5, 3], "target_lengths": [0, 0]}, {"reduction": "mean"}, ["empty"]),
    case("unbatched_empty_target", {"log_probs": LP1, "targets": {**empty(0), "dtype": "int"}, "input_lengths": 4, "target_lengths": 0}, {"reduction": "sum"}, ["empty", "shape"]),
    # Input length 0: -0.0 for an empty target, inf otherwise.
    case("input_length_zero", {**PADDED, "input_lengths": [0, 0], "target_lengths": [0, 2]}, {"reduction": "none"}, ["empty", "nonfinite"]),
    case("input_length_zero_zero_infinity", {**PADDED, "input_lengths": [0, 0], "target_lengths": [0, 2]}, {"reduction": "mean", "zero_infinity": True}, ["empty", "param"]),
    # Frames at or after a sample's input length are ignored, whatever they hold.
    case("frames_after_input_length_ignored", {**PADDED, "log_probs": with_value(with_value(LP, 4, 1, 0, NAN), 4, 1, 3, INF)}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    # Single frames.
    case("one_frame_one_label", {"log_probs": log_probs(1, 2, 3), "targets": [[2], [1]], "input_lengths": [1, 1], "target_lengths": [1, 1]}, {"reduction": "none"}, ["basic"]),
    case("one_frame_empty_target", {"log_probs": log_probs(1, 1, 3), "targets": [[1]], "input_lengths": [1], "target_lengths": [0]}, {"reduction": "none"}, ["basic"]),
    # log_probs are not checked to be normalised: raw logits give a (possibly negative) "loss".
    case("unnormalised_logits_accepted", {"log_probs": [[[2.0, 1.5, 0.5]], [[1.0, 3.0, -1.0]], [[0.5, 0.5, 2.5]]], "targets": [[1, 2]], "input_lengths": [3], "target_lengths": [2]}, {"reduction": "none"}, ["quirk"]),
    # A likelihood below the smallest double: the final log-sum-exp shifts by the larger state.
    case("tiny_likelihood_does_not_underflow", {"log_probs": [[[-0.5, -800.0, -1.0]]], "targets": [[1]], "input_lengths": [1], "target_lengths": [1]}, {"reduction": "none"}, ["precision"]),
    # Log-probabilities 1000 apart: each log-sum-exp must shift by its largest term, or exp overflows.
    case("log_sum_exp_shifts_by_step_term", {"log_probs": [[[0.0, -1000.0]], [[0.0, 0.0]], [[0.0, 0.0]]], "targets": [[1]], "input_lengths": [3], "target_lengths": [1]}, {"reduction": "none"}, ["precision"]),
    case("log_sum_exp_skip_term_far_below", {"log_probs": [[[0.0, 0.0, 0.0]], [[0.0, -1000.0, 0.0]], [[0.0, 0.0, 0.0]]], "targets": [[1, 2]], "input_lengths": [3], "target_lengths": [2]}, {"reduction": "none"}, ["precision"]),
    case("log_sum_exp_skip_term_far_above", {"log_probs": [[[0.0, 0.0, 0.0]], [[-1000.0, 0.0, -1000.0]], [[0.0, 0.0, 0.0]]], "targets": [[1, 2]], "input_lengths": [3], "target_lengths": [2]}, {"reduction": "none"}, ["precision"]),
    case("uniform_probabilities", {"log_probs": [[[math.log(1 / 3)] * 3]] * 4, "targets": [[1, 2]], "input_lengths": [4], "target_lengths": [2]}, {"reduction": "none"}, ["basic"]),
    # Non-finite log_probs.
    case("all_neg_inf_is_inf", {"log_probs": [[[-INF] * 3] * 2] * 3, "targets": [[1, 2], [2, 1]], "input_lengths": [3, 3], "target_lengths": [2, 1]}, {"reduction": "none"}, ["nonfinite"]),
    case("all_neg_inf_zero_infinity_mean", {"log_probs": [[[-INF] * 3] * 2] * 3, "targets": [[1, 2], [2, 1]], "input_lengths": [3, 3], "target_lengths": [2, 1]}, {"reduction": "mean", "zero_infinity": True}, ["nonfinite", "param"]),
    case("neg_inf_forces_single_path", {"log_probs": [[[-INF, 0.0, -INF]], [[0.0, -INF, -INF]], [[-INF, -INF, 0.0]]], "targets": [[1, 2]], "input_lengths": [3], "target_lengths": [2]}, {"reduction": "none"}, ["nonfinite", "tutorial"]),
    case("neg_inf_in_unused_class", {**UNBATCHED, "log_probs": [[-0.5, -1.2, -INF], [-0.7, -0.9, -INF], [-1.0, -0.6, -INF], [-0.3, -1.5, -INF]], "targets": [1]*1, "target_lengths": 1}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_log_prob_propagates", {**PADDED, "log_probs": with_value(LP, 4, 0, 0, NAN)}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_log_prob_mean", {**PADDED, "log_probs": with_value(LP, 4, 0, 0, NAN)}, {"reduction": "mean"}, ["nonfinite"]),
    # Label 1 of "1 2 2" at frame 2 of 5 lies on no complete alignment (2, blank, 2 need 3 more
    # frames), so a NaN there never reaches the loss.
    case("nan_off_every_alignment_ignored", {**PADDED, "log_probs": with_value(LP, 2, 0, 1, NAN)}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("pos_inf_log_prob_is_nan", {**PADDED, "log_probs": with_value(LP, 1, 0, 1, INF)}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("pos_inf_single_frame_is_neg_inf", {"log_probs": [[[INF, -1.0, -2.0]]], "targets": [[1]], "input_lengths": [1], "target_lengths": [0]}, {"reduction": "none", "zero_infinity": True}, ["nonfinite", "quirk"]),
    # A larger random batch.
    case("random_concatenated_none", RANDOM, {"reduction": "none"}, ["basic"]),
    case("random_concatenated_mean", RANDOM, {"reduction": "mean"}, ["basic"]),
    case("random_blank_4", {**RANDOM, "targets": [t - 1 for t in RANDOM["targets"]]}, {"blank": 4, "reduction": "sum"}, ["param"]),
    # Errors: log_probs must be 3-D after unsqueezing a non-3-D tensor at dim 1, and not empty.
    error("log_probs_zero_dim", {"log_probs": 0.5, "targets": [1], "input_lengths": 1, "target_lengths": 1}, tags=["shape"]),
    error("log_probs_one_dim", {"log_probs": [-0.5, -1.0, -0.2], "targets": [1], "input_lengths": 1, "target_lengths": 1}, tags=["shape"]),
    error("log_probs_four_dim", {"log_probs": [LP], "targets": [[1, 2, 2], [3, 1, 0]], "input_lengths": [5, 4], "target_lengths": [3, 2]}, tags=["shape"]),
    error("log_probs_empty_time", {"log_probs": empty(0, 2, 4), "targets": [[1], [2]], "input_lengths": [0, 0], "target_lengths": [1, 1]}, tags=["shape", "empty"]),
    error("log_probs_empty_batch", {"log_probs": empty(5, 0, 4), "targets": {**empty(0, 2), "dtype": "int"}, "input_lengths": {**empty(0), "dtype": "int"}, "target_lengths": {**empty(0), "dtype": "int"}}, tags=["shape", "empty"]),
    error("log_probs_no_classes", {"log_probs": empty(5, 2, 0), "targets": [[1], [2]], "input_lengths": [5, 5], "target_lengths": [1, 1]}, tags=["shape", "empty"]),
    error("log_probs_empty_checked_before_dims", {"log_probs": empty(0, 2, 2, 4), "targets": [[1], [2]], "input_lengths": [0, 0], "target_lengths": [1, 1]}, tags=["shape", "empty"]),
    # targets must be 1-D or 2-D.
    error("targets_zero_dim", {**UNBATCHED, "targets": 1, "target_lengths": 1}, tags=["shape"]),
    error("targets_three_dim", {**PADDED, "targets": [[[1, 2, 2]], [[3, 1, 0]]]}, tags=["shape"]),
    # One length per sample.
    error("input_lengths_wrong_count", {**PADDED, "input_lengths": [5, 4, 3]}, tags=["shape"]),
    error("target_lengths_wrong_count", {**PADDED, "target_lengths": [3]}, tags=["shape"]),
    error("zero_dim_lengths_with_batch_of_two", {**PADDED, "input_lengths": 5}, tags=["shape"]),
    # Lengths against the targets' shape.
    error("concatenated_length_sum_mismatch", {**CONCATENATED, "target_lengths": [3, 1]}, tags=["shape"]),
    error("padded_wrong_number_of_rows", {**PADDED, "targets": [[1, 2, 2], [3, 1, 0], [1, 1, 1]]}, tags=["shape"]),
    error("target_length_longer_than_padded_width", {**PADDED, "target_lengths": [4, 2]}, tags=["shape"]),
    error("target_length_negative_padded", {**PADDED, "target_lengths": [3, -1]}),
    error("target_length_negative_concatenated", {**CONCATENATED, "target_lengths": [6, -1]}),
    error("target_length_negative_checked_before_rows", {**PADDED, "targets": [[1, 2, 2]], "target_lengths": [-1, 2]}),
    # Input lengths within [0, T].
    error("input_length_longer_than_time", {**PADDED, "input_lengths": [6, 4]}),
    error("input_length_negative", {**PADDED, "input_lengths": [5, -1]}),
    error("target_shape_checked_before_input_lengths", {**PADDED, "input_lengths": [9, 4], "target_lengths": [4, 2]}, tags=["shape"]),
]
