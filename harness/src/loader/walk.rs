//! The case files under a path: a directory's `*.yaml`/`*.yml` files, recursively, and an
//! error for each entry that cannot be read, without blocking on a FIFO or looping on a
//! symlink.

use std::fs;
use std::path::{Path, PathBuf};

use super::LoadError;

/// An error for a path that cannot be read.
pub(super) fn unreadable(path: &Path, why: &str) -> LoadError {
    LoadError {
        file: path.display().to_string(),
        case: None,
        line: None,
        message: format!("cannot read: {why}"),
    }
}

/// The regular files to load under a path, and the entries that could not be read.
#[derive(Default)]
pub(super) struct Walk {
    pub(super) files: Vec<PathBuf>,
    pub(super) errors: Vec<LoadError>,
    /// Directories already walked (canonical paths), against symlink loops.
    seen: Vec<PathBuf>,
}

impl Walk {
    /// Visits `path`: a directory's `*.yaml`/`*.yml` files and subdirectories, or a file
    /// (`named` when the user gave it, so that its extension does not matter).
    pub(super) fn visit(&mut self, path: &Path, named: bool) {
        // `metadata` follows symlinks: a dangling one fails here, and is reported.
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) => return self.errors.push(unreadable(path, &e.to_string())),
        };
        if metadata.is_dir() {
            self.visit_dir(path);
        } else if !named && !has_yaml_extension(path) {
            // Not a case file.
        } else if metadata.is_file() {
            self.files.push(path.to_path_buf());
        } else {
            // Opening a FIFO would block until a writer comes; devices never end.
            self.errors.push(unreadable(path, "not a regular file"));
        }
    }

    fn visit_dir(&mut self, dir: &Path) {
        match fs::canonicalize(dir) {
            Ok(canonical) if self.seen.contains(&canonical) => return,
            Ok(canonical) => self.seen.push(canonical),
            Err(e) => return self.errors.push(unreadable(dir, &e.to_string())),
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.errors.push(unreadable(dir, &e.to_string())),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => self.errors.push(unreadable(dir, &e.to_string())),
            }
        }
        paths.sort();
        for path in paths {
            let is_dir = fs::metadata(&path).is_ok_and(|m| m.is_dir());
            if is_dir || has_yaml_extension(&path) {
                self.visit(&path, false);
            }
        }
    }
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}
