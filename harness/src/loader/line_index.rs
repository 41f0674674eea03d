//! Line numbers for error messages. serde_yaml keeps no positions for values, so the loader
//! finds keys and list items in the text itself.

/// Line numbers of keys and list items in a YAML text, for error messages: exact for the block
/// layout the generator writes, and never worse than the case's first line.
pub(super) struct LineIndex<'a> {
    lines: Vec<&'a str>,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        LineIndex {
            lines: text.lines().collect(),
        }
    }

    /// One past the last 1-based line.
    pub(super) fn end(&self) -> usize {
        self.lines.len() + 1
    }

    /// The 1-based lines of the items of the block list that follows the line `key_line`.
    pub(super) fn sequence_items(&self, key_line: usize) -> Vec<usize> {
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
    pub(super) fn first_alias(&self) -> Option<usize> {
        (1..self.end()).find(|&n| {
            let line = self.lines[n - 1];
            line.match_indices('*').any(|(at, _)| {
                let before = line[..at].trim_end().chars().last();
                matches!(before, None | Some(':' | '-' | '[' | ',' | '{'))
            })
        })
    }

    /// The 1-based line of a second document's `---` (or of what follows a `...`).
    pub(super) fn second_document(&self) -> Option<usize> {
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
    pub(super) fn second_key_line(&self, from: usize, key: &str) -> Option<usize> {
        let first = self.key_line(from, self.end(), &[key])?;
        self.key_line(first + 1, self.end(), &[key])
    }

    /// The 1-based line of the key path `keys` (each key searched after the previous one)
    /// within lines `start..end` (1-based, end exclusive).
    pub(super) fn key_line(&self, start: usize, end: usize, keys: &[&str]) -> Option<usize> {
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
