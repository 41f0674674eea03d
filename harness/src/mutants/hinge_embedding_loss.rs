//! Mutants of `hinge_embedding_loss` (spec/hinge_embedding_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
