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
    changed(&["--end-of-options", rev, "--"]).map_err(|e| {
        // CI checks out one commit by default (actions/checkout `fetch-depth: 1`): the
        // base of a pull request is not there, and git's own message does not say why.
        let shallow = git(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|o| String::from_utf8_lossy(&o).trim() == "true");
        if shallow {
            GitError(format!(
                "--since {rev}: this clone is shallow and does not have `{rev}`; fetch more history (actions/checkout: `fetch-depth: 0`; or `git fetch --unshallow`)"
            ))
        } else {
            e
        }
    })
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

/// What `install_hook` did.
pub struct Installed {
    pub path: PathBuf,
    /// Where the hook adlint replaced was kept.
    pub backup: Option<PathBuf>,
}

fn backup_path(hook: &Path) -> PathBuf {
    hook.with_file_name("pre-commit.adlint-backup")
}

/// Writes `.git/hooks/pre-commit`; a hook that adlint did not write is kept unless
/// `force`, and then moved to `pre-commit.adlint-backup`. The hook is written through a
/// temporary file and a rename, so a hook that is a symlink (to a hook shared by
/// several repositories) is replaced as a link, never written through.
pub fn install_hook(force: bool) -> Result<Installed, GitError> {
    let path = hook_path()?;
    let err = |what: &str, p: &Path, e: std::io::Error| {
        GitError(format!("cannot {what} {}: {e}", p.display()))
    };
    // `symlink_metadata`: a dangling link is still the user's hook.
    let exists = std::fs::symlink_metadata(&path).is_ok();
    let ours = std::fs::read_to_string(&path).is_ok_and(|t| t.contains(HOOK_MARKER));
    let mut backup = None;
    if exists && !ours {
        if !force {
            return Err(GitError(format!(
                "{} exists and was not written by adlint; use --force to replace it (it is kept as pre-commit.adlint-backup)",
                path.display()
            )));
        }
        let to = backup_path(&path);
        if std::fs::symlink_metadata(&to).is_ok() {
            return Err(GitError(format!(
                "{} exists already; move it away first, so that no hook is lost",
                to.display()
            )));
        }
        // A rename moves a symlink itself, not the file it points to.
        std::fs::rename(&path, &to).map_err(|e| err("move", &path, e))?;
        backup = Some(to);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| err("create", dir, e))?;
    }
    // adlint's own hook, as a link: the link goes, not the file it points to.
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(&path).map_err(|e| err("remove", &path, e))?;
    }
    // Executable: 0777 less the umask.
    let mut out = crate::output::Output::create_with_mode(&path, 0o777).map_err(GitError)?;
    std::io::Write::write_all(&mut out, hook_script().as_bytes())
        .map_err(|e| err("write", &path, e))?;
    out.commit().map_err(GitError)?;
    Ok(Installed { path, backup })
}

/// Removes the hook if adlint wrote it, and puts back the one it replaced; returns the
/// hook's path and the backup restored.
pub fn uninstall_hook() -> Result<(PathBuf, Option<PathBuf>), GitError> {
    let path = hook_path()?;
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing.contains(HOOK_MARKER) => {
            std::fs::remove_file(&path)
                .map_err(|e| GitError(format!("cannot remove {}: {e}", path.display())))?;
            // The hook `install --force` replaced comes back.
            let backup = backup_path(&path);
            if std::fs::symlink_metadata(&backup).is_ok() {
                std::fs::rename(&backup, &path)
                    .map_err(|e| GitError(format!("cannot restore {}: {e}", backup.display())))?;
                return Ok((path, Some(backup)));
            }
            Ok((path, None))
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
