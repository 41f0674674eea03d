//! The guard against hostile nesting: a linear scan of the raw text that rejects a file
//! nesting deeper than [`MAX_NESTING`] before the YAML parser, whose time grows with the
//! square of the depth, sees it.

use super::tensor::MAX_NDIM;

/// Flow collections (`[...]`, `{...}`) nested deeper than this are rejected before the YAML
/// parser sees the text: its cost grows with the square of the depth, and a case file needs at
/// most the 16 dimensions of a tensor plus a few levels of structure.
const MAX_NESTING: usize = 64;

/// The 1-based line at which `text` nests deeper than [`MAX_NESTING`] levels, in flow or in
/// block style, and the message saying so; `None` when the text may go to the parser.
pub(super) fn too_deep(text: &str) -> Option<(usize, String)> {
    let line = deepest_flow(text).or_else(|| deepest_block(text))?;
    let message = format!(
        "nesting deeper than {MAX_NESTING} levels (a tensor has at most {MAX_NDIM} dimensions)"
    );
    Some((line, message))
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
fn deepest_flow(text: &str) -> Option<usize> {
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
