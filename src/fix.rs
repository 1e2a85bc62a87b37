//! Applying fixes: `--fix` applies the safe ones, `--diff` shows them. Edits never
//! overlap; a file is written to a temporary file in the same folder, synced and
//! renamed over the original, so an interrupted run never leaves half a file. A file
//! that changed on disk since it was read is left alone, and so are hard-linked and
//! read-only files and those whose owner cannot be kept; a symlinked post is fixed
//! where the link points (docs/safety.md).

use crate::diagnostic::{Applicability, Edit, Finding};
use std::io::Write;
use std::path::Path;

/// The result of applying fixes to one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Titles of the fixes applied, in order.
    pub applied: Vec<String>,
}

/// Applies the safe fixes of `findings` (or every fix, with `include_suggested`) to
/// `source`. Identical edits from several findings or jurisdictions are applied once;
/// an edit that overlaps one already taken is skipped (the re-check reports it).
pub fn apply(source: &str, findings: &[Finding], include_suggested: bool) -> Fixed {
    let mut edits: Vec<(Edit, String)> = Vec::new();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if fix.applicability != Applicability::Safe && !include_suggested {
            continue;
        }
        for e in &fix.edits {
            if !edits.iter().any(|(have, _)| have == e) {
                edits.push((e.clone(), fix.title.clone()));
            }
        }
    }
    edits.sort_by_key(|(e, _)| (e.span.start, e.span.end));
    let mut text = String::with_capacity(source.len() + 64);
    let mut pos = 0;
    let mut applied = Vec::new();
    for (e, title) in edits {
        let valid = e.span.start >= pos
            && e.span.end <= source.len()
            && source.is_char_boundary(e.span.start)
            && source.is_char_boundary(e.span.end);
        // Two insertions at the same point are both kept; anything else that overlaps is not.
        let overlaps = e.span.start < pos;
        // An insertion whose text already stands at the point was made by an earlier
        // fix that did not count (a house pack's marker its own words do not
        // recognise): made again, every `--fix` would add one more.
        let there = e.span.is_empty()
            && !e.replacement.is_empty()
            && source[e.span.start..].starts_with(&e.replacement);
        if !valid || overlaps || there {
            continue;
        }
        text.push_str(&source[pos..e.span.start]);
        text.push_str(&e.replacement);
        pos = e.span.end;
        if !applied.contains(&title) {
            applied.push(title);
        }
    }
    text.push_str(&source[pos..]);
    Fixed { text, applied }
}

/// How many times [`apply_until_stable`] fixes and checks again at most.
const MAX_PASSES: usize = 4;

/// Applies the safe fixes of `checked` (and the suggested ones too, for
/// `--unsafe-fixes`), checks the fixed text again and repeats until
/// no safe fix is left (at most [`MAX_PASSES`] times): one fix can bring another finding
/// to light (a marked link makes a later `Ad:` a label of its own), and `--fix` must
/// reach a fixed point in one run. Returns the fixed text, the titles of every fix
/// applied, and the check of the fixed text (`checked` itself when nothing applied).
pub fn apply_until_stable(
    engine: &crate::Engine,
    source: &str,
    path: &Path,
    settings: &crate::config::Settings,
    checked: crate::Checked,
    include_suggested: bool,
) -> (Fixed, crate::Checked) {
    let mut fixed = Fixed {
        text: source.to_string(),
        applied: Vec::new(),
    };
    let mut checked = checked;
    for _ in 0..MAX_PASSES {
        let pass = apply(&fixed.text, &checked.findings, include_suggested);
        if pass.text == fixed.text {
            break;
        }
        for title in pass.applied {
            if !fixed.applied.contains(&title) {
                fixed.applied.push(title);
            }
        }
        fixed.text = pass.text;
        checked = crate::check(engine, &fixed.text, path, settings);
    }
    (fixed, checked)
}

/// A unified diff of a fix, for `--diff`.
pub fn diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("a/{}", path.trim_start_matches('/')),
            &format!("b/{}", path.trim_start_matches('/')),
        )
        .to_string()
}

/// Why a fixed file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed on disk after it was read.
    Changed,
    /// Several names share the file; a rename would give this name a copy of its own.
    HardLinked(u64),
    /// No one may write the file: the user keeps it as it is.
    ReadOnly,
    /// The file's owner cannot be kept (only root may give a file to another user).
    Owner(std::io::Error),
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => write!(
                f,
                "the file changed on disk while adlint ran; it was not fixed"
            ),
            WriteError::HardLinked(n) => write!(
                f,
                "the file has {n} hard links and --fix would split them; it was not fixed (fix it by hand, or run --fix on a copy)"
            ),
            WriteError::ReadOnly => write!(
                f,
                "the file is read-only; it was not fixed (make it writable to fix it)"
            ),
            WriteError::Owner(e) => write!(
                f,
                "the file's owner could not be kept ({e}); it was not fixed"
            ),
            WriteError::Io(e) => write!(f, "could not write the fix: {e}"),
        }
    }
}

/// What must not change between reading a file and renaming its fix over it: the
/// inode, size, mtime and ctime.
#[cfg(unix)]
fn stamp(m: &std::fs::Metadata) -> impl PartialEq + use<> {
    use std::os::unix::fs::MetadataExt;
    let times = (m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec());
    (m.dev(), m.ino(), m.len(), times)
}

#[cfg(not(unix))]
fn stamp(m: &std::fs::Metadata) -> impl PartialEq + use<> {
    (m.len(), m.modified().ok())
}

/// Writes `text` over the file at `path` (the file a symlink points to, not the link),
/// keeping its owner and mode, if it still holds `original`; a hard-linked or read-only
/// file is left alone. The text goes to a temporary file in the same folder, synced and
/// renamed over the file; the file is looked at once more right before the rename.
pub fn write_atomically(path: &Path, original: &str, text: &str) -> Result<(), WriteError> {
    // A symlinked post: fix the file it points to. A rename over the link would make
    // the link a copy and leave the real post unfixed.
    let path = &std::fs::canonicalize(path).map_err(WriteError::Io)?;
    let before = std::fs::metadata(path).map_err(WriteError::Io)?;
    // No write bit at all: the user wants it kept (root could write it anyway).
    if before.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    // A rename gives this name a new inode: the other names would keep the old text.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if before.nlink() > 1 {
            return Err(WriteError::HardLinked(before.nlink()));
        }
    }
    // Nothing is written for a file that already changed.
    if std::fs::read(path).map_err(WriteError::Io)? != original.as_bytes() {
        return Err(WriteError::Changed);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".adlint-fix-")
        .tempfile_in(dir)
        .map_err(WriteError::Io)?;
    tmp.write_all(text.as_bytes()).map_err(WriteError::Io)?;
    // The new inode gets the old one's owner and mode.
    #[cfg(unix)]
    keep_owner_and_mode(tmp.as_file(), &before)?;
    #[cfg(not(unix))]
    std::fs::set_permissions(tmp.path(), before.permissions()).map_err(WriteError::Io)?;
    tmp.as_file().sync_all().map_err(WriteError::Io)?;
    test_pause();
    // The last look, after the slow part (writing and syncing): the same inode, size,
    // mtime and ctime as before, and the same bytes as were checked (compared in full,
    // which is what a content hash would stand for). What is left is the moment
    // between this look and the rename (docs/safety.md).
    let now = std::fs::read(path).map_err(WriteError::Io)?;
    let meta = std::fs::metadata(path).map_err(WriteError::Io)?;
    if now != original.as_bytes() || stamp(&meta) != stamp(&before) {
        return Err(WriteError::Changed);
    }
    tmp.persist(path).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

/// Gives `file` the owner and mode of `old`; an owner that cannot be kept (not root,
/// someone else's file) is an error, so the post is left alone.
#[cfg(unix)]
fn keep_owner_and_mode(file: &std::fs::File, old: &std::fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let now = file.metadata().map_err(WriteError::Io)?;
    if (now.uid(), now.gid()) != (old.uid(), old.gid()) {
        std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))
            .map_err(WriteError::Owner)?;
    }
    // After the chown, which clears the set-user-ID and set-group-ID bits.
    file.set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o7777))
        .map_err(WriteError::Io)
}

/// Debug builds only: with `ADLINT_TEST_FIX_PAUSE=FILE`, makes FILE and waits (up to a
/// minute) until it is removed, right before the last look at the file, so that a test
/// can edit the post meanwhile (tests/safety.rs, item 4).
fn test_pause() {
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var_os("ADLINT_TEST_FIX_PAUSE") {
        let marker = Path::new(&marker);
        if std::fs::write(marker, "").is_ok() {
            let started = std::time::Instant::now();
            while marker.exists() && started.elapsed().as_secs() < 60 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Severity};

    fn finding(start: usize, end: usize, text: &str, applicability: Applicability) -> Finding {
        Finding {
            message: String::new(),
            code: "AD101",
            jurisdiction: "de".into(),
            severity: Severity::Error,
            span: start..end,
            label: String::new(),
            secondary: vec![],
            note: String::new(),
            help: String::new(),
            fix: Some(Fix {
                title: format!("insert {text}"),
                applicability,
                edits: vec![Edit {
                    span: start..end,
                    replacement: text.into(),
                }],
            }),
            suggestions: vec![],
            snippet: String::new(),
        }
    }

    #[test]
    fn identical_edits_apply_once_and_overlaps_are_skipped() {
        let src = "abcdef";
        let fs = vec![
            finding(0, 0, "X", Applicability::Safe),
            finding(0, 0, "X", Applicability::Safe),
            finding(2, 4, "Y", Applicability::Safe),
            finding(3, 5, "Z", Applicability::Safe),
            finding(6, 6, "S", Applicability::Suggested),
        ];
        let fixed = apply(src, &fs, false);
        assert_eq!(fixed.text, "XabYef");
        assert_eq!(fixed.applied.len(), 2);
        assert_eq!(apply(src, &fs, true).text, "XabYefS");
    }

    #[test]
    fn an_insertion_already_in_place_is_not_made_again() {
        let src = "[a](u) (PL).";
        let fs = vec![finding(6, 6, " (PL)", Applicability::Safe)];
        assert_eq!(apply(src, &fs, false).text, src);
        assert!(apply(src, &fs, false).applied.is_empty());
        assert_eq!(apply("[a](u).", &fs[..], false).text, "[a](u) (PL).");
    }

    #[test]
    fn writes_keep_permissions_and_refuse_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("post.md");
        std::fs::write(&p, "old\r\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomically(&p, "old\r\n", "new\r\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new\r\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert!(matches!(
            write_atomically(&p, "old\r\n", "x"),
            Err(WriteError::Changed)
        ));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new\r\n");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
