//! What git knows: the staged Markdown files and their staged content (`--staged`, for
//! the pre-commit hook), and the files changed since a revision (`--since`, for pull
//! requests). Uses the `git` command, which every repository has.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A git command that failed, with what git said.
#[derive(Debug, Clone)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn git(args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(GitError(format!("git {} failed: {msg}", args.join(" "))));
    }
    Ok(out.stdout)
}

/// The repository's top folder.
pub fn top_level() -> Result<PathBuf, GitError> {
    let out = git(&["rev-parse", "--show-toplevel"])?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

fn split_z(bytes: &[u8]) -> Vec<PathBuf> {
    bytes
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .collect()
}

/// Paths relative to the current folder, as `git diff --relative` gives them. `args`
/// end with `--`, so that nothing after the options is read as one.
fn changed(args: &[&str]) -> Result<Vec<PathBuf>, GitError> {
    let mut full = vec![
        "diff",
        "--name-only",
        "-z",
        "--relative",
        "--diff-filter=ACMRT",
    ];
    full.extend_from_slice(args);
    Ok(split_z(&git(&full)?))
}

/// Files staged for the next commit (added, copied, modified, renamed).
pub fn staged_files() -> Result<Vec<PathBuf>, GitError> {
    changed(&["--cached", "--"])
}

/// Files that differ between `rev` and the working tree.
pub fn changed_since(rev: &str) -> Result<Vec<PathBuf>, GitError> {
    // `--since=--output=x.txt` would reach git as an option and truncate x.txt: refuse
    // it, and mark the end of the options anyway (git 2.24 or later).
    if rev.starts_with('-') {
        return Err(GitError(format!(
            "`{rev}` is not a revision: it starts with `-`, as an option to git would"
        )));
    }
    changed(&["--end-of-options", rev, "--"])
}

/// The staged content of a file (what the commit will hold), not the working tree's.
pub fn staged_content(path: &Path) -> Result<Vec<u8>, GitError> {
    // `:./` keeps the name from being read as an option; `--end-of-options` says so too.
    let spec = format!(":./{}", path.to_string_lossy());
    git(&["show", "--end-of-options", &spec])
}

const HOOK_MARKER: &str = "# installed by `adlint hook install`";

/// The hook script `adlint hook install` writes.
pub fn hook_script() -> String {
    format!(
        "#!/bin/sh\n{HOOK_MARKER}; remove with `adlint hook uninstall`.\n\
         # Lints the staged Markdown as it will be committed; a finding blocks the commit.\n\
         exec adlint check --staged\n"
    )
}

fn hook_path() -> Result<PathBuf, GitError> {
    let out = git(&["rev-parse", "--git-path", "hooks/pre-commit"])?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// Writes `.git/hooks/pre-commit`; a hook that adlint did not write is kept unless `force`.
pub fn install_hook(force: bool) -> Result<PathBuf, GitError> {
    let path = hook_path()?;
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.contains(HOOK_MARKER)
        && !force
    {
        return Err(GitError(format!(
            "{} exists and was not written by adlint; use --force to replace it",
            path.display()
        )));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| GitError(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&path, hook_script())
        .map_err(|e| GitError(format!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
    }
    Ok(path)
}

/// Removes the hook if adlint wrote it.
pub fn uninstall_hook() -> Result<PathBuf, GitError> {
    let path = hook_path()?;
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing.contains(HOOK_MARKER) => {
            std::fs::remove_file(&path)
                .map_err(|e| GitError(format!("cannot remove {}: {e}", path.display())))?;
            Ok(path)
        }
        Ok(_) => Err(GitError(format!(
            "{} was not written by adlint; left as it is",
            path.display()
        ))),
        Err(_) => Err(GitError(format!(
            "no pre-commit hook at {}",
            path.display()
        ))),
    }
}
