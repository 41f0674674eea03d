//! Mutants of `binary_cross_entropy_with_logits` (spec/binary_cross_entropy_with_logits.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
