//! The paths to check. Named files are always checked, whatever their extension;
//! folders are walked for the config's `include` globs (`*.md`, `*.markdown`, `*.mdx`,
//! `*.html`), honouring `.gitignore` (also outside a git repository, so a blog folder behaves the
//! same before and after `git init`), hidden folders skipped, and the config's
//! `exclude`. Symlinks are never followed, so a walk never leaves the tree.

use crate::config::Settings;
use crate::load::describe_io;
use std::path::{Path, PathBuf};

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

/// What a walk meets: a file to check, or a path it could not read.
#[derive(Debug)]
pub enum Found {
    File(PathBuf),
    Error(DiscoverError),
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
        walk(root, settings, &mut |found| {
            match found {
                Found::File(f) => files.push(f),
                Found::Error(e) => errors.push(e),
            }
            true
        });
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Walks one folder in the order of sorted paths (each folder's entries by name, depth
/// first: what `Path`'s ordering gives), so that a run can check files while the walk
/// goes on and still report them in order. `found` returns false to stop the walk.
pub fn walk(root: &Path, settings: &Settings, found: &mut dyn FnMut(Found) -> bool) {
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(true)
        .parents(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let keep_going = match entry {
            Ok(entry) => {
                let Some(ft) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if !ft.is_file() || !wanted(path, settings) {
                    continue;
                }
                found(Found::File(clean(path)))
            }
            Err(e) => found(Found::Error(DiscoverError {
                path: root.to_path_buf(),
                message: e.to_string(),
            })),
        };
        if !keep_going {
            return;
        }
    }
}

fn clean(path: &Path) -> PathBuf {
    path.strip_prefix("./").unwrap_or(path).to_path_buf()
}

/// Is a walked file one to check?
pub fn wanted(path: &Path, settings: &Settings) -> bool {
    let rel = settings.relative(path);
    let rel: &Path = &rel;
    settings.include.is_match(rel)
        && !settings.exclude.is_match(rel)
        && !in_template_folder(rel)
        && (!is_html(path) || html_post(path, rel))
}

/// Folders of templates, never posts, whatever the config includes: Hugo's
/// `archetypes/default.md` (`date = {{ .Date }}`), layouts and partials, Jekyll's and
/// Eleventy's `_includes` and `_layouts`, and themes (with their example sites).
const NEVER_POSTS: &[&str] = &[
    "archetypes",
    "layouts",
    "_layouts",
    "partials",
    "_partials",
    "_includes",
    "themes",
];

fn in_template_folder(rel: &Path) -> bool {
    // The file's folders only: a post may be called `layouts.md`.
    rel.parent().is_some_and(|dir| {
        dir.components()
            .any(|c| NEVER_POSTS.iter().any(|t| c.as_os_str() == *t))
    })
}

pub fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Folders of templates: their `.html` files start with front matter too (`layout:`),
/// but they are layouts, not posts.
const TEMPLATE_FOLDERS: &[&str] = &["_layouts", "_includes", "layouts"];

/// An `.html` file is a post (Jekyll `_posts/*.html`, Eleventy) only when it starts
/// with a front matter fence; built pages (`_site/`) and plain templates do not. Only
/// the first bytes are read, so a walk over a built site stays fast. `rel` is the path
/// from the config's folder (template folders above it do not count).
pub fn html_post(path: &Path, rel: &Path) -> bool {
    if rel
        .components()
        .any(|c| TEMPLATE_FOLDERS.iter().any(|t| c.as_os_str() == *t))
    {
        return false;
    }
    let mut head = [0u8; 16];
    // Without blocking: a FIFO named `x.html` must not stop the run.
    let n = crate::load::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .unwrap_or(0);
    starts_with_fence(&head[..n])
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// `---` alone on the first line (after an optional BOM), as the front matter parser wants.
fn starts_with_fence(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let Some(rest) = head.strip_prefix(b"---") else {
        return false;
    };
    rest.iter()
        .find(|b| **b != b' ' && **b != b'\t')
        .is_some_and(|b| *b == b'\n' || *b == b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_posts_start_with_a_fence() {
        assert!(starts_with_fence(b"---\nlayo"));
        assert!(starts_with_fence(b"---\r\ntit"));
        assert!(starts_with_fence(b"\xef\xbb\xbf---\n"));
        assert!(starts_with_fence(b"---  \n"));
        assert!(!starts_with_fence(b"<!DOCTYP"));
        assert!(!starts_with_fence(b"----\n"));
        assert!(!starts_with_fence(b"--- x\n"));
        assert!(!starts_with_fence(b"---"));
    }
}
