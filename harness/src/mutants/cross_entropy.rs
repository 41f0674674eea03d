//! Mutants of `cross_entropy` (spec/cross_entropy.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
