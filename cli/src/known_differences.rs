//! The known differences of an implementation run with `lossparity run --exec`: a YAML file
//! beside its adapter (`adapters/<name>/known-differences.yaml`), the out-of-process form of the
//! list a Rust adapter passes to `Harness::known_differences`.
//!
//! ```yaml
//! - pattern: optax_*::kl_div::zero_target*
//!   reason: optax's kl_divergence gives NaN where the target is 0
//!   upstream: google-deepmind/optax#1786
//! ```

use std::path::Path;

use lossparity::KnownDifference;
use serde::Deserialize;

/// One entry as written in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    pattern: String,
    reason: String,
    #[serde(default)]
    upstream: Option<String>,
}

/// The known differences listed in the file at `path`, or an error naming the file and, where
/// the file is malformed, the line.
pub fn read(path: &Path) -> Result<Vec<KnownDifference>, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let entries: Vec<Entry> = serde_yaml::from_str(&text).map_err(|e| match e.location() {
        Some(at) => format!("{shown}:{}: {e}", at.line()),
        None => format!("{shown}: {e}"),
    })?;
    entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let entry_number = index + 1;
            if entry.pattern.split("::").count() < 3 {
                return Err(format!(
                    "{shown}: entry {entry_number}: pattern '{}' is not a trial name \
                     `adapter::loss::case` (`*` matches any run of characters)",
                    entry.pattern
                ));
            }
            if entry.reason.trim().is_empty() {
                return Err(format!(
                    "{shown}: entry {entry_number} ('{}') gives no reason",
                    entry.pattern
                ));
            }
            // The run is one process's: the entries live as long as it does.
            Ok(KnownDifference {
                pattern: leak(entry.pattern),
                reason: leak(entry.reason),
                upstream: entry.upstream.map(leak),
            })
        })
        .collect()
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Vec<KnownDifference>, String> {
        // One file per call: the tests run in parallel threads of one process.
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let file = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("lossparity-known-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{file}.yaml"));
        std::fs::write(&path, text).unwrap();
        let read = read(&path);
        std::fs::remove_file(&path).unwrap();
        read
    }

    #[test]
    fn entries_are_read_with_their_optional_upstream() {
        let known = read_text(
            "- pattern: optax_*::kl_div::*\n  reason: NaN at a zero target\n  upstream: o/o#1\n\
             - pattern: optax_f32::mse_loss::big\n  reason: overflows\n",
        )
        .unwrap();
        assert_eq!(known.len(), 2);
        assert!(known[0].matches("optax_f64::kl_div::zero"));
        assert_eq!(known[0].upstream, Some("o/o#1"));
        assert_eq!(known[1].upstream, None);
    }

    #[test]
    fn a_malformed_file_names_its_line() {
        let error = read_text("- pattern: a::b::c\n  reason: r\n  reson: typo\n").unwrap_err();
        assert!(error.contains(".yaml:3:"), "{error}");
        assert!(error.contains("reson"), "{error}");
    }

    #[test]
    fn a_pattern_that_is_not_a_trial_name_or_an_empty_reason_is_refused() {
        let error = read_text("- pattern: kl_div\n  reason: r\n").unwrap_err();
        assert!(
            error.contains("entry 1") && error.contains("not a trial name"),
            "{error}"
        );
        let error = read_text("- pattern: a::b::c\n  reason: ' '\n").unwrap_err();
        assert!(error.contains("gives no reason"), "{error}");
    }
}
