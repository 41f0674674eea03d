//! Mutants of `binary_cross_entropy` (spec/binary_cross_entropy.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
