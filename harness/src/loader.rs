//! Reads case files into [`Case`]s, checking each against its loss's signature.
//!
//! Every problem is a [`LoadError`] naming the file, the case and the line; the loader never
//! panics, whatever the file holds (`spec/case-format.md` lists what it rejects).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use lossparity_reference::{ErrorKind, Tensor};
use serde_yaml::Value as Yaml;

use crate::bundled;
use crate::case::{Case, Expected, Location, Param, Tolerance, Value};
use crate::spec::{param_from_yaml, DType, LossSpec, Role, Spec};

/// Nested lists deeper than this are rejected (no loss takes more than a handful of dims).
const MAX_NDIM: usize = 16;

/// Flow collections (`[...]`, `{...}`) nested deeper than this are rejected before the YAML
/// parser sees the text: its cost grows with the square of the depth, and a case file needs at
/// most the 16 dimensions of a tensor plus a few levels of structure.
const MAX_NESTING: usize = 64;

/// The product of a tensor's non-zero dimensions may not exceed this. A non-empty tensor's
/// elements are all in the file, so this bounds the empty ones: `{shape: [0, 100000000000000],
/// data: []}` would make an implementation allocate for its other dimensions.
const MAX_ELEMENTS: usize = 1 << 28;

/// A problem in a case file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub file: String,
    /// The case's name, when the problem is inside a case (or its index if it has no name).
    pub case: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    /// One line, `file:line: case 'name': message`; control characters a file may have put
    /// into the name or the message (a quoted `"a\nb"`) are escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", one_line(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(case) = &self.case {
            write!(f, ": case '{}'", one_line(case))?;
        }
        write!(f, ": {}", one_line(&self.message))
    }
}

/// `text` with its control characters escaped, so that it prints on one line.
fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl std::error::Error for LoadError {}

/// The cases read from one or more files, and the problems found.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The valid cases, in file order.
    pub cases: Vec<Case>,
    /// Every problem; a case with a problem is left out of `cases`.
    pub errors: Vec<LoadError>,
    /// Where each `(loss, name)` of `cases` is written, so that adding a set checks only the
    /// new cases: loading stays linear in the number of cases, however many files they are in.
    names: HashMap<(String, String), Location>,
}

impl Loaded {
    /// Adds another set, dropping (and reporting) each case whose name repeats one already
    /// loaded for the same loss.
    pub fn extend(&mut self, other: Loaded) {
        if self.names.len() != self.cases.len() {
            // `cases` was changed directly: index it afresh (first occurrences win).
            self.names.clear();
            for case in &self.cases {
                let key = (case.loss.clone(), case.name.clone());
                self.names
                    .entry(key)
                    .or_insert_with(|| case.location.clone());
            }
        }
        self.errors.extend(other.errors);
        for case in other.cases {
            let key = (case.loss.clone(), case.name.clone());
            if let Some(first) = self.names.get(&key) {
                let first = if first.file == case.location.file {
                    format!("line {}", first.line)
                } else {
                    first.to_string()
                };
                self.errors.push(LoadError {
                    file: case.location.file.clone(),
                    case: Some(case.name.clone()),
                    line: Some(case.location.line),
                    message: format!(
                        "duplicate case name for loss '{}' (first at {first})",
                        case.loss
                    ),
                });
            } else {
                self.names.insert(key, case.location.clone());
                self.cases.push(case);
            }
        }
    }
}

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

/// An error for a path that cannot be read.
fn unreadable(path: &Path, why: &str) -> LoadError {
    LoadError {
        file: path.display().to_string(),
        case: None,
        line: None,
        message: format!("cannot read: {why}"),
    }
}

/// The regular files to load under a path, and the entries that could not be read.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    errors: Vec<LoadError>,
    /// Directories already walked (canonical paths), against symlink loops.
    seen: Vec<PathBuf>,
}

impl Walk {
    /// Visits `path`: a directory's `*.yaml`/`*.yml` files and subdirectories, or a file
    /// (`named` when the user gave it, so that its extension does not matter).
    fn visit(&mut self, path: &Path, named: bool) {
        // `metadata` follows symlinks: a dangling one fails here, and is reported.
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) => return self.errors.push(unreadable(path, &e.to_string())),
        };
        if metadata.is_dir() {
            self.visit_dir(path);
        } else if !named && !has_yaml_extension(path) {
            // Not a case file.
        } else if metadata.is_file() {
            self.files.push(path.to_path_buf());
        } else {
            // Opening a FIFO would block until a writer comes; devices never end.
            self.errors.push(unreadable(path, "not a regular file"));
        }
    }

    fn visit_dir(&mut self, dir: &Path) {
        match fs::canonicalize(dir) {
            Ok(canonical) if self.seen.contains(&canonical) => return,
            Ok(canonical) => self.seen.push(canonical),
            Err(e) => return self.errors.push(unreadable(dir, &e.to_string())),
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.errors.push(unreadable(dir, &e.to_string())),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => self.errors.push(unreadable(dir, &e.to_string())),
            }
        }
        paths.sort();
        for path in paths {
            let is_dir = fs::metadata(&path).is_ok_and(|m| m.is_dir());
            if is_dir || has_yaml_extension(&path) {
                self.visit(&path, false);
            }
        }
    }
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
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
            Loaded {
                errors: vec![LoadError {
                    file: file.to_owned(),
                    case: None,
                    line: Some(line),
                    message: format!("not UTF-8: byte 0x{bad:02X} at offset {offset}"),
                }],
                ..Loaded::default()
            }
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
    if let Some(line) = deepest(text).or_else(|| deepest_block(text)) {
        let message = format!(
            "nesting deeper than {MAX_NESTING} levels (a tensor has at most {MAX_NDIM} \
             dimensions)"
        );
        loaded.errors.push(file_error(Some(line), message));
        return loaded;
    }
    let lines = LineIndex::new(text);
    let yaml: Yaml = match serde_yaml::from_str(text) {
        Ok(yaml) => yaml,
        Err(e) => {
            let (line, message) = yaml_error(&e, &lines);
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

/// The 1-based line where flow collections (`[`, `{`) may nest deeper than [`MAX_NESTING`],
/// in one linear scan, before the YAML parser (whose time grows with the square of the
/// nesting) sees the text.
///
/// The scan follows quoted strings and comments as YAML does, but it cannot always tell where
/// a quoted string starts (`it's` inside a plain scalar is not one), so it errs on the safe
/// side: every `[` or `{` outside a comment counts as an opening, even one that seems to be
/// inside a string, while a `]` or `}` counts as a closing only where the scan is sure it is
/// outside any string. Its depth is therefore never less than the parser's; brackets inside
/// real strings can only make it reject a file, never let a deep one through.
fn deepest(text: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Comment,
        Single,
        Double,
    }
    let mut state = State::Plain;
    let mut depth = 0usize;
    let mut line = 1;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        let after_space = previous.is_whitespace();
        let at_token = after_space || matches!(previous, '[' | '{' | ',' | ':');
        previous = c;
        if (c == '[' || c == '{') && state != State::Comment {
            depth += 1;
            if depth > MAX_NESTING {
                return Some(line);
            }
            continue;
        }
        match state {
            State::Comment if c == '\n' => state = State::Plain,
            State::Double if c == '\\' => {
                if chars.next() == Some('\n') {
                    line += 1;
                }
                previous = ' ';
            }
            State::Double if c == '"' => state = State::Plain,
            State::Single if c == '\'' => {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    state = State::Plain;
                }
            }
            State::Plain if c == '#' && after_space => state = State::Comment,
            State::Plain if c == '"' && at_token => state = State::Double,
            State::Plain if c == '\'' && at_token => state = State::Single,
            State::Plain if c == ']' || c == '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The 1-based line of the first line that opens more than [`MAX_NESTING`] block collections
/// at once (`- - - - 1`, `? ? ? x`), if one does. Block nesting over several lines needs
/// indentation as deep as the nesting, so the YAML parser's own limit bounds it in time.
fn deepest_block(text: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let mut rest = line.trim_start();
            let mut levels = 0;
            while let Some(after) = ["- ", "-\t", "? ", "?\t", ": ", ":\t"]
                .iter()
                .find_map(|indicator| rest.strip_prefix(indicator))
            {
                levels += 1;
                if levels > MAX_NESTING {
                    return true;
                }
                rest = after.trim_start();
            }
            false
        })
        .map(|index| index + 1)
}

/// The line and message for an error of the YAML parser, in the loader's words where the
/// parser's are obscure.
fn yaml_error(error: &serde_yaml::Error, lines: &LineIndex) -> (Option<usize>, String) {
    let line = error.location().map(|l| l.line());
    let text = error.to_string();
    // serde_yaml prefixes the path of the value it was reading (`cases[0].inputs: ...`).
    let (path, detail) = match text.split_once(": ") {
        Some((path, detail)) if !path.contains(' ') => (format!("{path}: "), detail),
        _ => (String::new(), text.as_str()),
    };
    let detail = detail.split(" at line ").next().unwrap_or(detail);
    if detail == "recursion limit exceeded" {
        let message = "nested more than 128 levels deep (an alias counts as the value it \
                       stands for)";
        return (line, message.to_owned());
    }
    if detail == "repetition limit exceeded" {
        let message = "aliases expand to too many values (an alias bomb?)";
        return (line.or_else(|| lines.first_alias()), message.to_owned());
    }
    if detail.contains("more than one document") {
        let message = "more than one YAML document ('---'); a case file is one document";
        return (lines.second_document(), message.to_owned());
    }
    if let Some(number) = detail
        .strip_prefix("invalid type: integer `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(number, _)| number)
    {
        let message = format!("{path}the integer {number} does not fit in 64 bits");
        return (line, message);
    }
    if let Some(key) = detail
        .strip_prefix("duplicate entry with key ")
        .map(|key| key.trim_matches('"'))
    {
        let line = lines.second_key_line(line.unwrap_or(1), key).or(line);
        return (line, format!("{path}duplicate key '{key}'"));
    }
    (line, format!("not valid YAML: {text}"))
}

/// Reads one entry of `cases:`, attributing problems to its lines.
struct CaseReader<'a> {
    file: &'a str,
    spec: &'a LossSpec,
    lines: &'a LineIndex<'a>,
    start: usize,
    end: usize,
    name: String,
}

impl CaseReader<'_> {
    /// An error at the line of the key path `keys` inside this case (or at its start).
    fn error(&self, keys: &[&str], message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_owned(),
            case: Some(self.name.clone()),
            line: self
                .lines
                .key_line(self.start, self.end, keys)
                .or(Some(self.start)),
            message: message.into(),
        }
    }

    fn read(&self, entry: &Yaml) -> Result<Case, LoadError> {
        let map = entry
            .as_mapping()
            .ok_or_else(|| self.error(&[], "a case must be a mapping"))?;
        const KEYS: [&str; 6] = ["name", "params", "inputs", "expected", "tolerance", "tags"];
        for key in map.keys() {
            let key = key_name(key);
            if !KEYS.contains(&key.as_str()) {
                return Err(self.error(
                    &[&key],
                    format!("unknown key '{key}' (a case has {})", KEYS.join(", ")),
                ));
            }
        }
        let name = match entry.get("name") {
            Some(Yaml::String(name)) if !name.trim().is_empty() => name.clone(),
            Some(Yaml::String(_)) => {
                return Err(self.error(&["name"], "'name' must be a non-empty string"))
            }
            Some(other) => {
                let message = format!("'name' must be a non-empty string, not {}", describe(other));
                return Err(self.error(&["name"], message));
            }
            None => return Err(self.error(&[], "missing 'name'")),
        };
        let expected_yaml = entry
            .get("expected")
            .ok_or_else(|| self.error(&[], "missing 'expected'"))?;
        let expected_error = expected_yaml
            .get("error")
            .and_then(Yaml::as_str)
            .and_then(ErrorKind::from_name);
        let params = self.params(entry.get("params"), expected_error)?;
        let inputs = self.inputs(entry.get("inputs"))?;
        let expected = self.expected(expected_yaml, &inputs)?;
        let tolerance = entry
            .get("tolerance")
            .map(|t| self.tolerance(t))
            .transpose()?;
        let tags = match entry.get("tags") {
            None => Vec::new(),
            Some(Yaml::Sequence(tags)) => tags
                .iter()
                .map(|t| t.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| self.error(&["tags"], "'tags' must be a list of strings"))?,
            Some(_) => return Err(self.error(&["tags"], "'tags' must be a list of strings")),
        };
        Ok(Case {
            loss: self.spec.name.clone(),
            name,
            params,
            inputs,
            expected,
            tolerance,
            tags,
            location: Location {
                file: self.file.to_owned(),
                line: self.start,
            },
        })
    }

    fn params(
        &self,
        yaml: Option<&Yaml>,
        expected_error: Option<ErrorKind>,
    ) -> Result<BTreeMap<String, Param>, LoadError> {
        let mut params = BTreeMap::new();
        let Some(yaml) = yaml else {
            return Ok(params);
        };
        let map = yaml.as_mapping().ok_or_else(|| {
            let message = format!(
                "'params' must map parameter names to values, not {}",
                describe(yaml)
            );
            self.error(&["params"], message)
        })?;
        for (key, value) in map {
            let key = key_name(key);
            let at = ["params", key.as_str()];
            let param_spec = self.spec.param(&key).ok_or_else(|| {
                let known: Vec<&str> = self.spec.params.iter().map(|p| p.name.as_str()).collect();
                self.error(
                    &at,
                    format!(
                        "unknown parameter '{key}' for {}{} (it takes {})",
                        self.spec.name,
                        crate::suggest::did_you_mean(&key, known.iter().copied()),
                        known.join(", ")
                    ),
                )
            })?;
            let must_be = format!(
                "parameter '{key}' must be {}{}",
                type_name(param_spec.kind),
                if param_spec.nullable { " or null" } else { "" }
            );
            let value = param_from_yaml(value).map_err(|e| match value {
                Yaml::Number(_) => self.error(&at, format!("parameter '{key}': {e}")),
                other => self.error(&at, format!("{must_be}, not {}", describe(other))),
            })?;
            if !param_spec.accepts_type(&value) {
                return Err(self.error(&at, format!("{must_be}, not {}", param_text(&value))));
            }
            params.insert(key, value);
        }
        for (key, value) in &params {
            let Some(param_spec) = self.spec.param(key) else {
                continue;
            };
            // PyTorch ignores the value (so need not reject it) when an overriding
            // parameter such as a legacy `reduce` is given.
            let overridden = param_spec
                .ignored_when_given
                .iter()
                .any(|other| params.get(other).is_some_and(|p| !p.is_null()));
            // A case expecting an error may hold a bad value: PyTorch rejects it, or rejects
            // another argument first (some losses check shapes before the reduction).
            let expects_error = expected_error.is_some();
            if !param_spec.allows(value) && !overridden && !expects_error {
                let allowed: Vec<String> = param_spec
                    .allowed
                    .iter()
                    .flatten()
                    .map(|p| p.to_string())
                    .collect();
                return Err(self.error(
                    &["params", key],
                    format!(
                        "{} is not an allowed value of '{key}' ({}); a case may use it only \
                         if it expects an error",
                        param_text(value),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(params)
    }

    fn inputs(&self, yaml: Option<&Yaml>) -> Result<BTreeMap<String, Value>, LoadError> {
        let map = match yaml {
            Some(Yaml::Mapping(map)) => map,
            Some(other) => {
                let message = format!(
                    "'inputs' must map input names to tensors, not {}",
                    describe(other)
                );
                return Err(self.error(&["inputs"], message));
            }
            None => return Err(self.error(&[], "missing 'inputs'")),
        };
        let mut inputs = BTreeMap::new();
        for (key, value) in map {
            let key = key_name(key);
            let at = ["inputs", key.as_str()];
            let input_spec = self.spec.input(&key).ok_or_else(|| {
                let known: Vec<&str> = self.spec.inputs.iter().map(|i| i.name.as_str()).collect();
                self.error(
                    &at,
                    format!(
                        "unknown input '{key}' for {} (it takes {})",
                        self.spec.name,
                        known.join(", ")
                    ),
                )
            })?;
            let tensor = parse_tensor(value, input_spec.dtype)
                .map_err(|e| self.error(&at, format!("input '{key}': {e}")))?;
            inputs.insert(key, tensor);
        }
        for input in &self.spec.inputs {
            if !input.optional && !inputs.contains_key(&input.name) {
                return Err(self.error(
                    &["inputs"],
                    format!("missing required input '{}'", input.name),
                ));
            }
        }
        Ok(inputs)
    }

    fn expected(
        &self,
        yaml: &Yaml,
        inputs: &BTreeMap<String, Value>,
    ) -> Result<Expected, LoadError> {
        let map = yaml.as_mapping().ok_or_else(|| {
            self.error(
                &["expected"],
                "'expected' must be {error: ...} or {output: ...}",
            )
        })?;
        for key in map.keys() {
            let key = key_name(key);
            if !["output", "grad", "error"].contains(&key.as_str()) {
                return Err(self.error(
                    &["expected", &key],
                    format!("unknown key '{key}' in 'expected' (output, grad or error)"),
                ));
            }
        }
        match (yaml.get("error"), yaml.get("output")) {
            (Some(error), None) => {
                if yaml.get("grad").is_some() {
                    return Err(self.error(&["expected", "grad"], "an error case has no 'grad'"));
                }
                let at = ["expected", "error"];
                let kind = error
                    .as_str()
                    .and_then(ErrorKind::from_name)
                    .ok_or_else(|| {
                        self.error(
                            &at,
                            "'error' must be invalid_shape, invalid_value or invalid_parameter",
                        )
                    })?;
                if !self.spec.errors.contains(&kind) {
                    return Err(self.error(
                        &at,
                        format!(
                            "{} does not raise {kind} according to {}",
                            self.spec.name, self.spec.file
                        ),
                    ));
                }
                Ok(Expected::Error(kind))
            }
            (None, Some(output)) => {
                let output = parse_float_tensor(output)
                    .map_err(|e| self.error(&["expected", "output"], format!("output: {e}")))?;
                let mut grad = BTreeMap::new();
                if let Some(grads) = yaml.get("grad") {
                    let grads = grads.as_mapping().ok_or_else(|| {
                        self.error(
                            &["expected", "grad"],
                            "'grad' must map input names to tensors",
                        )
                    })?;
                    for (key, value) in grads {
                        let key = key_name(key);
                        let at = ["expected", "grad", key.as_str()];
                        let is_prediction = self
                            .spec
                            .input(&key)
                            .is_some_and(|i| i.role == Role::Prediction);
                        let Some(input) = inputs.get(&key).filter(|_| is_prediction) else {
                            return Err(self.error(
                                &at,
                                format!("grad '{key}' is not a prediction input of this case"),
                            ));
                        };
                        let tensor = parse_float_tensor(value)
                            .map_err(|e| self.error(&at, format!("grad '{key}': {e}")))?;
                        if tensor.shape() != input.shape() {
                            return Err(self.error(
                                &at,
                                format!(
                                    "grad '{key}' has shape {:?} but the input has {:?}",
                                    tensor.shape(),
                                    input.shape()
                                ),
                            ));
                        }
                        grad.insert(key, tensor);
                    }
                }
                Ok(Expected::Output { output, grad })
            }
            _ => Err(self.error(
                &["expected"],
                "'expected' must hold exactly one of 'output' and 'error'",
            )),
        }
    }

    fn tolerance(&self, yaml: &Yaml) -> Result<Tolerance, LoadError> {
        let at = ["tolerance"];
        let map = yaml
            .as_mapping()
            .ok_or_else(|| self.error(&at, "'tolerance' must be {rtol: .., atol: ..}"))?;
        let mut tolerance = Tolerance {
            rtol: 0.0,
            atol: 0.0,
        };
        for (key, value) in map {
            let key = key_name(key);
            let number = value
                .as_f64()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    self.error(
                        &["tolerance", &key],
                        format!("'{key}' must be a number >= 0"),
                    )
                })?;
            match key.as_str() {
                "rtol" => tolerance.rtol = number,
                "atol" => tolerance.atol = number,
                _ => {
                    return Err(self.error(
                        &["tolerance", &key],
                        format!("unknown key '{key}' in 'tolerance' (rtol, atol)"),
                    ))
                }
            }
        }
        Ok(tolerance)
    }
}

fn type_name(kind: crate::spec::ParamType) -> &'static str {
    match kind {
        crate::spec::ParamType::Bool => "a boolean",
        crate::spec::ParamType::Int => "an integer",
        crate::spec::ParamType::Float => "a number",
        crate::spec::ParamType::String => "a string",
    }
}

/// A mapping key as text (YAML allows non-string keys; they are named, in flow style on one
/// line, then rejected).
fn key_name(key: &Yaml) -> String {
    match key {
        Yaml::String(s) => s.clone(),
        other => flow(other),
    }
}

/// A value in YAML flow style, on one line (`[a, {b: 1}]`).
fn flow(yaml: &Yaml) -> String {
    match yaml {
        Yaml::Null => "null".to_owned(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => format!("{s:?}"),
        Yaml::Sequence(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Yaml::Mapping(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", flow(k), flow(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Yaml::Tagged(tagged) => format!("{} {}", tagged.tag, flow(&tagged.value)),
    }
}

/// A parameter value as the case file wrote it (strings quoted, so `'1'` is not `1`).
fn param_text(value: &Param) -> String {
    match value {
        Param::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn parse_float_tensor(yaml: &Yaml) -> Result<Tensor<f64>, String> {
    match parse_tensor(yaml, DType::Float)? {
        Value::Float(t) => Ok(t),
        Value::Int(_) => Err("expected a float tensor".into()),
    }
}

/// A tensor in any of the case format's three forms: a number (0-d), a rectangular nested
/// list, or `{shape: [...], data: [...]}` with flat row-major data.
pub fn parse_tensor(yaml: &Yaml, dtype: DType) -> Result<Value, String> {
    let (shape, elements, written) = match yaml {
        Yaml::Mapping(map) => {
            for key in map.keys() {
                let key = key_name(key);
                if !["shape", "data", "dtype"].contains(&key.as_str()) {
                    return Err(format!(
                        "unknown key '{key}' (a tensor mapping has shape, data and dtype)"
                    ));
                }
            }
            let written = match yaml.get("dtype").map(Yaml::as_str) {
                None => None,
                Some(Some("int")) => Some(DType::Int),
                Some(Some("float")) => Some(DType::Float),
                Some(_) => return Err("'dtype' must be int or float".into()),
            };
            let shape: Vec<usize> = yaml
                .get("shape")
                .and_then(Yaml::as_sequence)
                .ok_or("'shape' must be a list of sizes")?
                .iter()
                .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
                .collect::<Option<_>>()
                .ok_or("'shape' must be a list of non-negative integers")?;
            if shape.len() > MAX_NDIM {
                return Err(format!("more than {MAX_NDIM} dimensions"));
            }
            let data = yaml
                .get("data")
                .and_then(Yaml::as_sequence)
                .ok_or("'data' must be a flat list of numbers")?;
            if let Some(at) = data.iter().position(|d| d.is_sequence() || d.is_mapping()) {
                return Err(format!(
                    "'data' must be a flat list of numbers, but element {at} is {}",
                    describe(&data[at])
                ));
            }
            check_extent(&shape)?;
            let numel = lossparity_reference::tensor::numel_of(&shape);
            if numel != Some(data.len()) {
                return Err(format!(
                    "shape {shape:?} needs {} elements but data has {}",
                    numel.map_or("too many".to_owned(), |n| n.to_string()),
                    data.len()
                ));
            }
            (shape, data.iter().collect::<Vec<_>>(), written)
        }
        _ => {
            let mut shape = Vec::new();
            let mut probe = yaml;
            while let Yaml::Sequence(items) = probe {
                shape.push(items.len());
                if shape.len() > MAX_NDIM {
                    return Err(format!("more than {MAX_NDIM} dimensions"));
                }
                match items.first() {
                    Some(first) => probe = first,
                    None => break,
                }
            }
            let mut elements = Vec::new();
            flatten(yaml, &shape, &mut Vec::new(), &mut elements)?;
            (shape, elements, None)
        }
    };
    let dtype = match (dtype, written) {
        (DType::IndexOrFloat, Some(written)) => written,
        // Integer literals throughout make class indices; an empty tensor without `dtype: int`
        // is a float tensor.
        (DType::IndexOrFloat, None) if !elements.is_empty() => {
            let is_int = |e: &&Yaml| matches!(e, Yaml::Number(n) if !n.is_f64());
            if elements.iter().all(is_int) {
                DType::Int
            } else {
                DType::Float
            }
        }
        (DType::IndexOrFloat, None) => DType::Float,
        (dtype, Some(written)) if written != dtype => {
            return Err(format!(
                "'dtype' says {} but the input is {}",
                dtype_name(written),
                dtype_name(dtype)
            ))
        }
        (dtype, _) => dtype,
    };
    match dtype {
        DType::Int => {
            let data = elements
                .iter()
                .map(|e| int_element(e))
                .collect::<Result<Vec<_>, _>>()?;
            Tensor::new(shape, data)
                .map(Value::Int)
                .map_err(|e| e.message)
        }
        _ => {
            let data = elements
                .iter()
                .map(|e| float_element(e))
                .collect::<Result<Vec<_>, _>>()?;
            Tensor::new(shape, data)
                .map(Value::Float)
                .map_err(|e| e.message)
        }
    }
}

/// Rejects a shape whose non-zero dimensions multiply to more than [`MAX_ELEMENTS`], before
/// anything is allocated for it.
fn check_extent(shape: &[usize]) -> Result<(), String> {
    let extent = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= MAX_ELEMENTS);
    match extent {
        Some(_) => Ok(()),
        None => Err(format!(
            "shape {shape:?} is too large: its non-zero dimensions multiply to more than \
             {MAX_ELEMENTS}"
        )),
    }
}

fn dtype_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Float => "float",
        DType::Int => "int",
        DType::IndexOrFloat => "index_or_float",
    }
}

/// Checks that `yaml` has exactly `shape` and collects its elements in row-major order.
fn flatten<'a>(
    yaml: &'a Yaml,
    shape: &[usize],
    index: &mut Vec<usize>,
    out: &mut Vec<&'a Yaml>,
) -> Result<(), String> {
    match (yaml, shape.split_first()) {
        (Yaml::Sequence(items), Some((&size, rest))) => {
            if items.len() != size {
                return Err(format!(
                    "ragged nested list: the list at index {index:?} has {} elements where \
                     {size} were expected",
                    items.len()
                ));
            }
            for (i, item) in items.iter().enumerate() {
                index.push(i);
                flatten(item, rest, index, out)?;
                index.pop();
            }
            Ok(())
        }
        (Yaml::Sequence(_), None) => Err(format!(
            "ragged nested list: a list at index {index:?} where a number was expected"
        )),
        (_, Some(_)) => Err(format!(
            "ragged nested list: a number at index {index:?} where a list was expected"
        )),
        (element, None) => {
            out.push(element);
            Ok(())
        }
    }
}

fn float_element(yaml: &Yaml) -> Result<f64, String> {
    match yaml {
        Yaml::Number(n) => n.as_f64().ok_or_else(|| format!("{n} is not a number")),
        other => Err(format!("expected a number, found {}", describe(other))),
    }
}

fn int_element(yaml: &Yaml) -> Result<i64, String> {
    match yaml {
        Yaml::Number(n) if !n.is_f64() => n
            .as_i64()
            .ok_or_else(|| format!("{n} does not fit in a 64-bit integer")),
        Yaml::Number(n) => Err(format!("expected an integer, found {n}")),
        other => Err(format!("expected an integer, found {}", describe(other))),
    }
}

fn describe(yaml: &Yaml) -> String {
    match yaml {
        Yaml::Null => "null".into(),
        Yaml::Bool(b) => format!("the boolean {b}"),
        Yaml::String(s) => format!("the string {s:?}"),
        Yaml::Sequence(_) => "a list".into(),
        Yaml::Mapping(_) => "a mapping".into(),
        Yaml::Tagged(t) => format!("a value tagged {}", t.tag),
        Yaml::Number(n) => n.to_string(),
    }
}

/// Line numbers of keys and list items in a YAML text, for error messages. serde_yaml keeps
/// no positions for values, so the loader finds them in the text: exact for the block layout
/// the generator writes, and never worse than the case's first line.
struct LineIndex<'a> {
    lines: Vec<&'a str>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        LineIndex {
            lines: text.lines().collect(),
        }
    }

    /// One past the last 1-based line.
    fn end(&self) -> usize {
        self.lines.len() + 1
    }

    /// The 1-based lines of the items of the block list that follows the line `key_line`.
    fn sequence_items(&self, key_line: usize) -> Vec<usize> {
        let mut items = Vec::new();
        let mut item_indent = None;
        for (i, line) in self.lines.iter().enumerate().skip(key_line) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let is_item = trimmed == "-" || trimmed.starts_with("- ");
            match item_indent {
                None if is_item => item_indent = Some(indent),
                None => break,
                Some(expected) if indent < expected || (indent == expected && !is_item) => break,
                _ => {}
            }
            if is_item && Some(indent) == item_indent {
                items.push(i + 1);
            }
        }
        items
    }

    /// The 1-based line of the first alias (`*name`), for an alias bomb.
    fn first_alias(&self) -> Option<usize> {
        (1..self.end()).find(|&n| {
            let line = self.lines[n - 1];
            line.match_indices('*').any(|(at, _)| {
                let before = line[..at].trim_end().chars().last();
                matches!(before, None | Some(':' | '-' | '[' | ',' | '{'))
            })
        })
    }

    /// The 1-based line of a second document's `---` (or of what follows a `...`).
    fn second_document(&self) -> Option<usize> {
        let mut content = false;
        for (i, line) in self.lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if line.starts_with("---") || line.starts_with("...") {
                if content {
                    return Some(i + 1);
                }
            } else if !trimmed.is_empty() && !trimmed.starts_with('#') {
                content = true;
            }
        }
        None
    }

    /// The 1-based line of the second `key:` at or after line `from`.
    fn second_key_line(&self, from: usize, key: &str) -> Option<usize> {
        let first = self.key_line(from, self.end(), &[key])?;
        self.key_line(first + 1, self.end(), &[key])
    }

    /// The 1-based line of the key path `keys` (each key searched after the previous one)
    /// within lines `start..end` (1-based, end exclusive).
    fn key_line(&self, start: usize, end: usize, keys: &[&str]) -> Option<usize> {
        let mut from = start.max(1);
        let mut found = None;
        for key in keys {
            let line =
                (from..end.min(self.end())).find(|&n| contains_key(self.lines[n - 1], key))?;
            found = Some(line);
            from = line;
        }
        found
    }
}

/// Whether `line` has `key:` as a mapping key (after indentation, `- `, `{` or `,`).
fn contains_key(line: &str, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let mut search = 0;
    while let Some(offset) = line[search..].find(key) {
        let at = search + offset;
        let before = line[..at].trim_end().chars().last();
        let after = line[at + key.len()..].trim_start();
        let starts_key = matches!(before, None | Some('-' | '{' | ',' | '"' | '\''));
        let quoted_end = after.strip_prefix(['"', '\'']).unwrap_or(after);
        if starts_key && quoted_end.starts_with(':') {
            return true;
        }
        search = at + key.len().max(1);
        if search >= line.len() {
            break;
        }
    }
    false
}
