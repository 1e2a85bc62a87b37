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
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    git_os(&args)
}

fn git_os(args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let shown: Vec<_> = args.iter().map(|a| a.to_string_lossy()).collect();
        return Err(GitError(format!("git {} failed: {msg}", shown.join(" "))));
    }
    Ok(out.stdout)
}

/// The repository's top folder.
pub fn top_level() -> Result<PathBuf, GitError> {
    let out = git(&["rev-parse", "--show-toplevel"])?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// A path as git wrote it: bytes, not necessarily UTF-8 (a name in Latin-1 is still a
/// file that can be read and checked; a lossy copy would name no file at all).
fn path_of(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

fn split_z(bytes: &[u8]) -> Vec<PathBuf> {
    bytes
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(path_of)
        .collect()
}

/// `--staged` and `--since` need a work tree: outside a repository git would print its
/// whole usage, and in a bare one nothing is staged. Say so in a sentence instead.
fn need_work_tree(flag: &str) -> Result<(), GitError> {
    let out = Command::new("git")
        .args(["rev-parse", "--is-bare-repository", "--is-inside-work-tree"])
        .output()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    let said = String::from_utf8_lossy(&out.stdout);
    let mut answers = said.split_whitespace();
    match (out.status.success(), answers.next(), answers.next()) {
        (true, _, Some("true")) => Ok(()),
        (true, Some("true"), _) => Err(GitError(format!(
            "{flag}: this is a bare git repository; it has no work tree and nothing is staged. Run adlint in a clone, or name the files to check"
        ))),
        (true, ..) => Err(GitError(format!(
            "{flag}: this folder is inside a git repository's own folder (.git), not its work tree; run adlint in the work tree"
        ))),
        (false, ..) => Err(GitError(format!(
            "{flag}: {} is not in a git repository; run adlint inside one, or name the files to check (`adlint check content/`)",
            std::env::current_dir()
                .map_or_else(|_| "this folder".into(), |d| d.display().to_string())
        ))),
    }
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

/// Files staged for the next commit (added, copied, modified, renamed), as regular
/// files: a submodule (mode 160000) or a symlink (120000) named `*.md` is not a post,
/// and `git show` of it would fail and block every commit.
pub fn staged_files() -> Result<Vec<PathBuf>, GitError> {
    need_work_tree("--staged")?;
    // `--raw` gives each file's mode; `--no-renames` one path per entry.
    let out = git(&[
        "diff",
        "--cached",
        "--raw",
        "-z",
        "--no-renames",
        "--relative",
        "--diff-filter=ACMRT",
        "--",
    ])?;
    let mut files = Vec::new();
    let mut fields = out.split(|&b| b == 0);
    while let (Some(head), Some(path)) = (fields.next(), fields.next()) {
        // `:100644 100644 <sha> <sha> M`: the second mode is the staged one.
        let mode = head.split(|&b| b == b' ').nth(1).unwrap_or_default();
        if mode.starts_with(b"100") {
            files.push(path_of(path));
        }
    }
    Ok(files)
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
    need_work_tree("--since")?;
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
    // Built from the name's bytes, so a name that is not UTF-8 is found too.
    let mut spec = std::ffi::OsString::from(":./");
    spec.push(path.as_os_str());
    git_os(&[
        "show".as_ref(),
        "--end-of-options".as_ref(),
        spec.as_os_str(),
    ])
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
