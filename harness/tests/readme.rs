//! The README tells the truth: its table lists every loss with its current case count, and CI
//! runs the two commands it starts with.

use std::collections::BTreeMap;
use std::fs;

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
    for loss in lossparity::__private::Spec::bundled().losses() {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", loss.name)))
            .unwrap_or_else(|| panic!("README has no row for {}", loss.name));
        let count = counts.get(loss.name.as_str()).copied().unwrap_or(0);
        assert!(
            row.contains(&format!("| {count} |")),
            "README says {row:?} but {} has {count} cases (python3 tools/loss_table.py)",
            loss.name
        );
    }
    let total = format!(
        "| **{} losses** | | **{}** |",
        counts.len(),
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
