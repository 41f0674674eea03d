//! The README tells the truth: its table lists every loss with its current case count, CI runs
//! the two commands it starts with, and every relative link in it and in the pages it leads to
//! resolves.

use std::collections::BTreeMap;
use std::fs;

use lossparity::__private::Loss;

fn repository_file(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

#[test]
fn the_loss_table_lists_every_loss_with_its_case_count() {
    let loaded = lossparity::Harness::new().load();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &loaded.cases {
        *counts.entry(&case.loss).or_default() += 1;
    }
    let readme = repository_file("README.md");
    // The table's rows (after its header and separator) are the registry's losses, in order.
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| loss (`torch.nn.functional`) |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .collect();
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|row| row.split('`').nth(1))
        .collect();
    let registry: Vec<&str> = Loss::ALL.iter().map(|loss| loss.name()).collect();
    assert_eq!(
        names, registry,
        "README's table of losses vs the registry (python3 tools/loss_table.py)"
    );
    for (row, loss) in rows.iter().zip(Loss::ALL) {
        let count = counts.get(loss.name()).copied().unwrap_or(0);
        assert!(
            row.contains(&format!("| {count} |")),
            "README says {row:?} but {loss} has {count} cases (python3 tools/loss_table.py)"
        );
    }
    let total = format!(
        "| **{} losses** | | **{}** |",
        Loss::ALL.len(),
        loaded.cases.len()
    );
    assert!(
        readme.contains(&total),
        "README lacks the total row {total:?}"
    );
}

#[test]
fn ci_runs_the_two_commands_the_readme_starts_with() {
    let readme = repository_file("README.md");
    let ci = repository_file(".ci/run");
    let commands: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("```sh"))
        .skip(1)
        .take(2)
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run -p lossparity-cli -- run",
            "cargo test --workspace"
        ]
    );
    for command in commands {
        assert!(
            ci.lines().any(|l| l.trim() == command),
            "{command} is not in .ci/run"
        );
    }
}

/// Every relative link in the repository's Markdown (README.md, spec/*.md, CONTRIBUTING.md, the
/// crates' READMEs, …) points to a file or directory that exists, and every `#anchor` into a
/// Markdown file to one of its headings, so that moving a page or renaming a heading cannot
/// silently break the README's way into the documentation.
#[test]
fn every_relative_link_in_the_markdown_resolves() {
    let root = std::path::PathBuf::from(format!("{}/..", env!("CARGO_MANIFEST_DIR")));
    let mut pages = Vec::new();
    markdown_files(&root, &mut pages);
    assert!(
        pages.iter().any(|p| p.ends_with("README.md")) && pages.len() > 30,
        "found only {pages:?}"
    );
    let mut broken = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap();
        let shown = page.strip_prefix(&root).unwrap().display().to_string();
        for target in relative_links(&text) {
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path)
            };
            if !file.exists() {
                broken.push(format!("{shown}: {target}: no such file"));
                continue;
            }
            let Some(anchor) = anchor else { continue };
            if file.extension().is_some_and(|e| e == "md")
                && !heading_anchors(&fs::read_to_string(&file).unwrap())
                    .iter()
                    .any(|a| a == anchor)
            {
                broken.push(format!("{shown}: {target}: no heading with that anchor"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The Markdown files under `dir`, not following symlinks (`harness/spec` is `spec/` again) and
/// skipping build output and hidden directories.
fn markdown_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() && name != "target" && !name.starts_with('.') {
            markdown_files(&path, out);
        } else if kind.is_file() && name.ends_with(".md") {
            out.push(path);
        }
    }
}

/// The text with fenced code blocks blanked out (their lines kept, empty).
fn outside_code_blocks(markdown: &str) -> Vec<&str> {
    let mut fenced = false;
    markdown
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                ""
            } else if fenced {
                ""
            } else {
                line
            }
        })
        .collect()
}

/// `text` without its inline code spans (a run of backticks up to the next run of as many).
fn without_code_spans(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let after = &rest[start + ticks..];
        let fence = "`".repeat(ticks);
        match after.find(&fence) {
            Some(end) => rest = after[end + ticks..].trim_start_matches('`'),
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The targets of the inline links `[text](target)` outside code that are neither absolute URLs
/// nor e-mail addresses.
fn relative_links(markdown: &str) -> Vec<String> {
    let text = without_code_spans(&outside_code_blocks(markdown).join("\n"));
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let target = rest[..rest.find(')')?].split_whitespace().next()?;
            let absolute = target.contains("://") || target.starts_with("mailto:");
            (!absolute).then(|| target.to_owned())
        })
        .collect()
}

/// The anchors GitHub gives a page's headings: the heading's text in lower case, without
/// punctuation, spaces as hyphens; `-1`, `-2`, … on repeats.
fn heading_anchors(markdown: &str) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors = Vec::new();
    for line in outside_code_blocks(markdown) {
        let level = line.len() - line.trim_start_matches('#').len();
        if !(1..=6).contains(&level) || !line[level..].starts_with(' ') {
            continue;
        }
        let title = line[level..].trim().trim_end_matches('#').trim();
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let repeats = seen.entry(slug.clone()).or_default();
        anchors.push(match *repeats {
            0 => slug,
            n => format!("{slug}-{n}"),
        });
        *repeats += 1;
    }
    anchors
}
