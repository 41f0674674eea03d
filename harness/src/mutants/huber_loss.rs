//! Mutants of `huber_loss` (spec/huber_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
