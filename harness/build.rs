//! Embeds the repository's `spec/*.md` and `cases/**/*.yaml` into the crate, so that the
//! signatures and the bundled cases reach every dependent crate through cargo alone.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest
        .parent()
        .expect("harness/ lives in the workspace root");
    let mut out = String::new();
    for (name, dir, extension) in [
        ("SPEC_FILES", root.join("spec"), "md"),
        ("CASE_FILES", root.join("cases"), "yaml"),
    ] {
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect(&dir, extension, &mut files);
        files.sort();
        out.push_str(&format!(
            "/// `(path relative to the repository, contents)` of every file in {}/.\n",
            dir.file_name().and_then(|n| n.to_str()).unwrap_or_default()
        ));
        out.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let relative = file.strip_prefix(root).expect("under the root");
            out.push_str(&format!(
                "    ({:?}, include_str!({:?})),\n",
                relative.to_string_lossy().replace('\\', "/"),
                file.display().to_string()
            ));
        }
        out.push_str("];\n");
    }
    out.push_str("/// The PyTorch release the case files were generated with.\n");
    out.push_str(&format!(
        "pub const PYTORCH_VERSION: &str = {:?};\n",
        pytorch_version(&root.join("cases"))
    ));
    let dest = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("bundled.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, extension: &str, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extension, files);
        } else if path.extension().is_some_and(|e| e == extension) {
            files.push(path);
        }
    }
}

/// The PyTorch version every case file's generated header names (`… with torch 2.15.0 …`);
/// the files must agree, since one release decides every expected value.
fn pytorch_version(cases: &Path) -> String {
    let mut files = Vec::new();
    collect(cases, "yaml", &mut files);
    let mut versions = std::collections::BTreeMap::<String, Vec<PathBuf>>::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_default();
        let first = text.lines().next().unwrap_or_default();
        let version = first
            .split_once(" with torch ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .unwrap_or_else(|| {
                panic!(
                    "{}: the first line names no PyTorch version (`… with torch X.Y.Z …`); \
                     case files are written by tools/generate.py",
                    file.display()
                )
            });
        versions.entry(version.to_owned()).or_default().push(file);
    }
    match versions.len() {
        1 => versions.into_keys().next().expect("one version"),
        _ => panic!("case files come from different PyTorch versions: {versions:?}"),
    }
}
