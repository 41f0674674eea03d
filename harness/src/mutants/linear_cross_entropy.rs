//! Mutants of `linear_cross_entropy` (spec/linear_cross_entropy.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
