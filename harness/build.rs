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
