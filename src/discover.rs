//! The paths to check. Named files are always checked, whatever their extension;
//! folders are walked for the config's `include` globs (`*.md`, `*.markdown`, `*.mdx`),
//! honouring `.gitignore` (also outside a git repository, so a blog folder behaves the
//! same before and after `git init`), hidden folders skipped, and the config's
//! `exclude`. Symlinks are never followed, so a walk never leaves the tree.

use crate::config::Settings;
use std::path::{Path, PathBuf};

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

/// The files to check, sorted and without duplicates.
pub fn discover(paths: &[PathBuf], settings: &Settings) -> (Vec<PathBuf>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        // A path the user names is followed even through a symlink; the walk inside it
        // never follows one.
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(DiscoverError {
                    path: root.clone(),
                    message: format!("cannot read: {}", describe_io(&e)),
                });
                continue;
            }
        };
        if !meta.is_dir() {
            // A named file is checked whatever its name (a symlink named explicitly too).
            files.push(root.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(false)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .ignore(true)
            .parents(true)
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let Some(ft) = entry.file_type() else {
                        continue;
                    };
                    if !ft.is_file() {
                        continue;
                    }
                    let path = entry.path();
                    if wanted(path, settings) {
                        files.push(clean(path));
                    }
                }
                Err(e) => errors.push(DiscoverError {
                    path: root.clone(),
                    message: e.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn clean(path: &Path) -> PathBuf {
    path.strip_prefix("./").unwrap_or(path).to_path_buf()
}

/// Is a walked file one to check?
pub fn wanted(path: &Path, settings: &Settings) -> bool {
    let rel = settings.relative(path);
    settings.include.is_match(rel) && !settings.exclude.is_match(rel)
}

pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
