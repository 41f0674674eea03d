//! Mutants of `cosine_embedding_loss` (spec/cosine_embedding_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
