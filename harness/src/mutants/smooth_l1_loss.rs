//! Mutants of `smooth_l1_loss` (spec/smooth_l1_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
