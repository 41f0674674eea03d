//! Reads case files into [`Case`](crate::case::Case)s, checking each against its loss's
//! signature.
//!
//! Every problem is a [`LoadError`] naming the file, the case and the line; the loader never
//! panics, whatever the file holds (`spec/case-format.md` lists what it rejects).
//!
//! This module reads a file's top level (`loss`, `cases`); the rest is split by concern:
//! - `walk`: the case files under a directory;
//! - `nesting_guard`: the scan that rejects hostile nesting before the YAML parser sees it;
//! - `yaml_errors`: the parser's errors in the loader's words;
//! - `case_reader`: one entry of `cases:` into a case;
//! - `tensor`: tensors in their three forms, and the limits on their size;
//! - `line_index`: the line of a key or list item, for error messages;
//! - `describe`: how messages name YAML values;
//! - `loaded`: [`Loaded`] and [`LoadError`], and the check for repeated case names.

mod case_reader;
mod describe;
mod line_index;
mod loaded;
mod nesting_guard;
mod tensor;
mod walk;
mod yaml_errors;

use std::fs;
use std::path::Path;

use serde_yaml::Value as Yaml;

use crate::bundled;
use crate::spec::Spec;
use case_reader::CaseReader;
use describe::{describe, key_name};
use line_index::LineIndex;
pub use loaded::{LoadError, Loaded};
pub use tensor::parse_tensor;
use walk::{unreadable, Walk};

/// The case files bundled from the repository's `cases/` at build time.
pub fn load_bundled(spec: &Spec) -> Loaded {
    let mut loaded = Loaded::default();
    for (file, _, text) in bundled::CASE_FILES {
        loaded.extend(load_str(file, text, spec));
    }
    loaded
}

/// A case file, or every `*.yaml` file under a directory (recursively, in sorted order).
///
/// An entry that cannot be read (a dangling symlink, a FIFO or other non-regular file, a
/// permission error) is reported and skipped; the other files still load. Symlinked
/// directories are followed once each, so a link back to a parent does not loop.
pub fn load_path(path: &Path, spec: &Spec) -> Loaded {
    let mut loaded = Loaded::default();
    let mut walk = Walk::default();
    walk.visit(path, true);
    walk.files.sort();
    loaded.errors.extend(walk.errors);
    for file in walk.files {
        let name = file.display().to_string();
        match fs::read(&file) {
            Ok(bytes) => loaded.extend(load_bytes(&name, &bytes, spec)),
            Err(e) => loaded.errors.push(unreadable(&file, &e.to_string())),
        }
    }
    loaded
}

/// Parses the raw bytes of one case file named `file`, as read from disk: they must be UTF-8
/// (the error names the line and byte offset of the first invalid byte), then [`load_str`].
pub fn load_bytes(file: &str, bytes: &[u8], spec: &Spec) -> Loaded {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(file, text, spec),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            let bad = bytes[offset];
            let mut loaded = Loaded::default();
            loaded.errors.push(LoadError {
                file: file.to_owned(),
                case: None,
                line: Some(line),
                message: format!("not UTF-8: byte 0x{bad:02X} at offset {offset}"),
            });
            loaded
        }
    }
}

/// Parses the text of one case file named `file`.
pub fn load_str(file: &str, text: &str, spec: &Spec) -> Loaded {
    let mut loaded = Loaded::default();
    let file_error = |line: Option<usize>, message: String| LoadError {
        file: file.to_owned(),
        case: None,
        line,
        message,
    };
    // A byte-order mark (some editors write one) is not part of the YAML.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, message)) = nesting_guard::too_deep(text) {
        loaded.errors.push(file_error(Some(line), message));
        return loaded;
    }
    let lines = LineIndex::new(text);
    let yaml: Yaml = match serde_yaml::from_str(text) {
        Ok(yaml) => yaml,
        Err(e) => {
            let (line, message) = yaml_errors::rewrite(&e, &lines);
            loaded.errors.push(file_error(line, message));
            return loaded;
        }
    };
    let Some(top) = yaml.as_mapping() else {
        let blank = text.lines().all(|line| {
            let line = line.trim_start();
            line.is_empty() || line.starts_with('#')
        });
        let what = if blank {
            "the file is empty".to_owned()
        } else {
            format!("the file holds {}", describe(&yaml))
        };
        let message = format!("{what}; a case file is a mapping with the keys 'loss' and 'cases'");
        loaded.errors.push(file_error(Some(1), message));
        return loaded;
    };
    let unknown: Vec<String> = top
        .keys()
        .map(key_name)
        .filter(|key| key != "loss" && key != "cases")
        .collect();
    if let Some(first) = unknown.first() {
        let line = lines.key_line(0, lines.end(), &[first]);
        let more = match unknown.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let message = format!("unknown key '{first}'{more} (a case file has 'loss' and 'cases')");
        loaded.errors.push(file_error(line, message));
    }
    let loss_line = lines.key_line(0, lines.end(), &["loss"]);
    let loss = match yaml.get("loss") {
        Some(Yaml::String(loss)) => loss,
        Some(other) => {
            let message = format!(
                "'loss' must name a torch.nn.functional loss, not {}",
                describe(other)
            );
            loaded
                .errors
                .push(file_error(loss_line.or(Some(1)), message));
            return loaded;
        }
        None => {
            let message = "missing 'loss' (the torch.nn.functional name)".to_owned();
            loaded.errors.push(file_error(Some(1), message));
            return loaded;
        }
    };
    let Some(loss_spec) = spec.get(loss) else {
        let message = format!(
            "unknown loss '{loss}' (no spec/{loss}.md signature){}",
            crate::suggest::did_you_mean(loss, spec.losses().iter().map(|l| l.name.as_str()))
        );
        loaded.errors.push(file_error(loss_line, message));
        return loaded;
    };
    let cases_line = lines.key_line(0, lines.end(), &["cases"]);
    let entries = match yaml.get("cases") {
        Some(Yaml::Sequence(entries)) => entries,
        Some(other) => {
            let message = format!("'cases' must be a list of cases, not {}", describe(other));
            loaded
                .errors
                .push(file_error(cases_line.or(Some(1)), message));
            return loaded;
        }
        None => {
            let message = "missing 'cases' (the list of cases)".to_owned();
            loaded.errors.push(file_error(Some(1), message));
            return loaded;
        }
    };
    let starts = lines.sequence_items(cases_line.unwrap_or(1));
    for (index, entry) in entries.iter().enumerate() {
        let start = starts.get(index).copied().or(cases_line).unwrap_or(1);
        let end = starts.get(index + 1).copied().unwrap_or(lines.end());
        let reader = CaseReader {
            file,
            spec: loss_spec,
            lines: &lines,
            start,
            end,
            name: entry
                .get("name")
                .and_then(Yaml::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("#{}", index + 1)),
        };
        match reader.read(entry) {
            Ok(case) => loaded.cases.push(case),
            Err(error) => loaded.errors.push(error),
        }
    }
    // `extend` also reports names repeated within this file.
    let mut checked = Loaded::default();
    checked.extend(loaded);
    checked
}
