//! The YAML parser's errors in the loader's words: a limit, a second document, a duplicate
//! key or an oversized integer is named plainly and placed on its line.

use super::line_index::LineIndex;

/// The line and message for an error of the YAML parser, in the loader's words where the
/// parser's are obscure.
pub(super) fn rewrite(error: &serde_yaml::Error, lines: &LineIndex) -> (Option<usize>, String) {
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
