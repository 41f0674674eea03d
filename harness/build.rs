//! Embeds `spec/*.md` and `cases/**/*.yaml` into the crate, so that the signatures and the
//! bundled cases reach every dependent crate through cargo alone.
//!
//! Both are read from this package's own directory: in the repository `harness/spec` and
//! `harness/cases` are symlinks to the top-level `spec/` and `cases/` (the one copy a person
//! edits), and `cargo package` stores the files they point to, so a crate built from crates.io
//! finds them in the same place. A conformance suite that bundles nothing would pass every run
//! with zero trials, so a missing or empty directory fails the build instead.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let package = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // Both sets are checked before anything is printed, so that the output of a failing build
    // holds the reason alone.
    let bundles = [
        ("SPEC_FILES", "spec", "md"),
        ("CASE_FILES", "cases", "yaml"),
    ]
    .map(|(name, what, extension)| {
        let dir = package.join(what);
        let mut files = Vec::new();
        if let Err(error) = collect(&dir, extension, &mut files) {
            missing(what, extension, &dir, &format!("cannot read it: {error}"));
        }
        if files.is_empty() {
            missing(what, extension, &dir, "it holds none");
        }
        files.sort();
        (name, dir, files)
    });
    let mut out = String::new();
    for (name, dir, files) in &bundles {
        println!("cargo:rerun-if-changed={}", dir.display());
        out.push_str(&format!(
            "/// `(path relative to the package, path as compiled, contents)` of every file in \
             {}/.\n",
            dir.file_name().and_then(|n| n.to_str()).unwrap_or_default()
        ));
        out.push_str(&format!("pub static {name}: &[(&str, &str, &str)] = &[\n"));
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let relative = file.strip_prefix(&package).expect("under the package");
            let compiled = file.display().to_string();
            out.push_str(&format!(
                "    ({:?}, {compiled:?}, include_str!({compiled:?})),\n",
                relative.to_string_lossy().replace('\\', "/"),
            ));
        }
        out.push_str("];\n");
    }
    out.push_str("/// The PyTorch release the case files were generated with.\n");
    out.push_str(&format!(
        "pub const PYTORCH_VERSION: &str = {:?};\n",
        pytorch_version(&bundles[1].2)
    ));
    let dest = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("bundled.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Fails the build: the suite would otherwise bundle no `what` and pass with nothing checked.
fn missing(what: &str, extension: &str, dir: &Path, why: &str) -> ! {
    let files = if what == "spec" { "spec" } else { "case" };
    panic!(
        "lossparity bundles no {files} files: no `*.{extension}` under {} ({why}). lossparity \
         embeds its spec and case files at build time and does not build without them (a suite \
         with no cases would pass with nothing checked). In a git checkout, harness/{what} is a \
         symlink to the top-level {what}/ (on Windows, clone with `git -c core.symlinks=true`); \
         a package made by `cargo package` holds {what}/ itself.",
        dir.display()
    )
}

/// Adds every file with `extension` under `dir`, recursively, to `files`.
fn collect(dir: &Path, extension: &str, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, extension, files)?;
        } else if path.extension().is_some_and(|e| e == extension) {
            files.push(path);
        }
    }
    Ok(())
}

/// The PyTorch version every case file's generated header names (`… with torch 2.15.0 …`);
/// the files must agree, since one release decides every expected value.
fn pytorch_version(case_files: &[PathBuf]) -> String {
    let mut versions = std::collections::BTreeMap::<String, Vec<&Path>>::new();
    for file in case_files {
        let text = fs::read_to_string(file).unwrap_or_default();
        let first = text.lines().next().unwrap_or_default();
        let version = first
            .split_once(" with torch ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .unwrap_or_else(|| {
                panic!(
                    "{}: the first line names no PyTorch version (`… with torch X.Y.Z …`); case \
                     files are written by tools/generate.py",
                    file.display()
                )
            });
        versions.entry(version.to_owned()).or_default().push(file);
    }
    if versions.len() != 1 {
        panic!("the case files come from different PyTorch versions: {versions:?}");
    }
    versions.into_keys().next().expect("one version")
}
