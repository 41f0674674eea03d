//! Mutants of `triplet_margin_with_distance_loss` (spec/triplet_margin_with_distance_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
