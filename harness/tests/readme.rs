//! The README tells the truth: its table lists every loss with its current case count, and CI
//! runs the two commands it starts with.

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
