//! Known differences: failures an adapter's maintainers have explained, which do not fail the
//! run, and which fail it again once they stop failing (the list is stale).

use std::fmt;

use crate::runner::{Evaluation, Outcome};

/// A difference from PyTorch that an adapter knows about: the trials whose names match
/// `pattern` fail, for `reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownDifference {
    /// A trial-name pattern, `adapter::loss::case` (with `::grad` for a gradient check), where
    /// `*` matches any run of characters: `candle_*::binary_cross_entropy_with_logits::large_*`.
    pub pattern: &'static str,
    /// Why the implementation differs, in one line.
    pub reason: &'static str,
    /// The upstream issue or pull request, where one exists (`huggingface/candle#2561`).
    pub upstream: Option<&'static str>,
}

impl KnownDifference {
    /// Whether the trial named `id` is one this difference covers.
    pub fn matches(&self, id: &str) -> bool {
        glob_matches(self.pattern, id)
    }

    /// Whether this difference can cover trials of the adapter named `adapter`: the pattern's
    /// first `::`-separated part matches the name. An adapter run alone (one dtype per test
    /// binary, say) passes only these to [`crate::Harness::known_differences`], since the
    /// harness fails an entry that lists no trial of its run.
    pub fn concerns_adapter(&self, adapter: &str) -> bool {
        let pattern = self.pattern.split("::").next().unwrap_or_default();
        glob_matches(pattern, adapter)
    }
}

impl fmt::Display for KnownDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reason)?;
        if let Some(upstream) = self.upstream {
            write!(f, " ({upstream})")?;
        }
        Ok(())
    }
}

/// What a trial reports to libtest, given its outcome and any known difference covering it.
#[derive(Clone, Debug, PartialEq)]
pub enum TrialResult {
    /// The trial passes.
    Pass,
    /// The trial fails, with this message.
    Fail(String),
    /// The trial is ignored, for this reason (unsupported, or a known difference).
    Ignore(String),
}

impl Evaluation {
    /// What this evaluation's trial reports: a known difference that fails is ignored with
    /// its reason; one that passes, or that the adapter does not even run, is a stale entry
    /// and fails.
    pub fn trial_result(&self) -> TrialResult {
        match (&self.outcome, &self.known) {
            (Outcome::Passed(_), None) => TrialResult::Pass,
            (Outcome::Ignored(reason), None) => TrialResult::Ignore(reason.clone()),
            (Outcome::Failed(failure), None) => TrialResult::Fail(format!(
                "{}\n{}",
                failure.message,
                crate::case::Shown(&self.case)
            )),
            (Outcome::Failed(_), Some(known)) => {
                TrialResult::Ignore(format!("known difference: {known}"))
            }
            (Outcome::Passed(_), Some(known)) => TrialResult::Fail(format!(
                "stale known difference: '{}' ({known}) lists this trial, but it now passes; \
                 remove it from the list",
                known.pattern
            )),
            (Outcome::Ignored(reason), Some(known)) => TrialResult::Fail(format!(
                "stale known difference: '{}' ({known}) lists this trial, but the adapter does \
                 not run it ({reason})",
                known.pattern
            )),
        }
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters (also empty) and
/// every other character matches itself.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t) = (0, 0);
    // The position after the last `*` seen, and the text position it is currently matched to.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p + 1, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((after_star, matched)) = backtrack {
            // Let the last `*` swallow one more character.
            p = after_star;
            t = matched + 1;
            backtrack = Some((after_star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn star_matches_any_run() {
        assert!(glob_matches(
            "candle_*::bce::large_*",
            "candle_f32::bce::large_logits"
        ));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "abc"));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("a*b*c", "aXbYbZ"));
        assert!(!glob_matches("kl_div::x", "kl_div::x::grad"));
        assert!(glob_matches("kl_div::x*", "kl_div::x::grad"));
    }
}
