//! How error messages name the YAML values they reject.

use serde_yaml::Value as Yaml;

/// A value as a message names it: `null`, `the string "x"`, `a list`, …
pub(super) fn describe(yaml: &Yaml) -> String {
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

/// A mapping key as text (YAML allows non-string keys; they are named, in flow style on one
/// line, then rejected).
pub(super) fn key_name(key: &Yaml) -> String {
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
