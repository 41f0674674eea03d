//! Mutants of `ctc_loss` (spec/ctc_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
