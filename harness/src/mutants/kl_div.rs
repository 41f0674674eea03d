//! Mutants of `kl_div` (spec/kl_div.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
