//! Mutants of `triplet_margin_loss` (spec/triplet_margin_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
