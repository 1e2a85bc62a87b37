//! Writing what adlint makes (reports, baselines, adlint.toml, the git hook) without
//! losing what was there (docs/safety.md):
//!
//! - a regular file (or none yet) is written to a temporary file in the same folder,
//!   synced and renamed over the old one: a full disk or a crash leaves the old file
//!   whole, and a reader never sees half a report. A new file gets 0666 less the umask
//!   (what `>` in a shell gives), a replaced one keeps its mode (and owner, for root);
//! - a character device or a FIFO (`/dev/null`, `>(…)`) is written to in place: a
//!   rename would replace the device node with a file;
//! - `/dev/stdout`, `/dev/stderr` and any other path to the process's own standard
//!   output or error are written through the handle already open, so that a redirected
//!   output is appended to, not rewound;
//! - a symbolic link is never written through to a regular file (an attacker's
//!   `report.json -> ~/.bashrc`), nor to a block device.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A report or baseline being written; a regular file is replaced only by [`commit`].
///
/// [`commit`]: Output::commit
pub struct Output {
    path: PathBuf,
    to: To,
}

enum To {
    /// A regular file: the temporary file to rename over it, and the old file's metadata.
    Replace(tempfile::NamedTempFile, Option<std::fs::Metadata>),
    /// A device or FIFO, open for writing.
    Direct(std::fs::File),
    Stdout(io::Stdout),
    Stderr(io::Stderr),
}

/// An error that names the target, ready to print.
fn failed(path: &Path, e: impl std::fmt::Display) -> String {
    format!("cannot write {}: {e}", path.display())
}

impl Output {
    /// Decides how to write `path` (see the module's doc) and opens it; nothing is
    /// replaced yet. A new file gets 0666 less the umask.
    pub fn create(path: &Path) -> Result<Output, String> {
        Output::create_with_mode(path, 0o666)
    }

    /// [`Output::create`], with the mode a new file gets (less the umask).
    pub fn create_with_mode(path: &Path, mode: u32) -> Result<Output, String> {
        let to = match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => replace(path, None, mode)?,
            Err(e) => return Err(failed(path, e)),
            Ok(m) if m.file_type().is_symlink() => {
                // Followed only to see what it leads to.
                let target = std::fs::metadata(path).map_err(|e| failed(path, e))?;
                if target.is_file() && !is_std(&target) {
                    return Err(failed(
                        path,
                        "it is a symbolic link to a file; adlint does not write through links (name the file itself, or remove the link)",
                    ));
                }
                special(path, &target)?
            }
            Ok(m) if m.is_file() => replace(path, Some(m), mode)?,
            Ok(m) => special(path, &m)?,
        };
        Ok(Output {
            path: path.to_path_buf(),
            to,
        })
    }

    /// Finishes the write: a regular file is synced and renamed over the target.
    pub fn commit(self) -> Result<(), String> {
        let path = self.path;
        match self.to {
            To::Replace(mut tmp, old) => {
                tmp.flush().map_err(|e| failed(&path, e))?;
                #[cfg(unix)]
                if let Some(old) = &old {
                    use std::os::unix::fs::{MetadataExt, PermissionsExt};
                    // The replaced file's owner (only root can keep another user's) and mode.
                    let _ =
                        std::os::unix::fs::fchown(tmp.as_file(), Some(old.uid()), Some(old.gid()));
                    tmp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o777))
                        .map_err(|e| failed(&path, e))?;
                }
                #[cfg(not(unix))]
                let _ = old;
                tmp.as_file().sync_all().map_err(|e| failed(&path, e))?;
                tmp.persist(&path).map_err(|e| failed(&path, e.error))?;
            }
            To::Direct(mut f) => f.flush().map_err(|e| failed(&path, e))?,
            To::Stdout(mut s) => s.flush().map_err(|e| failed(&path, e))?,
            To::Stderr(mut s) => s.flush().map_err(|e| failed(&path, e))?,
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.to {
            To::Replace(f, _) => f.write(buf),
            To::Direct(f) => f.write(buf),
            To::Stdout(s) => s.write(buf),
            To::Stderr(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.to {
            To::Replace(f, _) => f.flush(),
            To::Direct(f) => f.flush(),
            To::Stdout(s) => s.flush(),
            To::Stderr(s) => s.flush(),
        }
    }
}

/// A temporary file beside `path`, to be renamed over it.
fn replace(path: &Path, old: Option<std::fs::Metadata>, mode: u32) -> Result<To, String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".adlint-tmp-");
    // tempfile's default is 0600; a report is shared like any file the user makes. The
    // kernel takes the umask off.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let tmp = builder.tempfile_in(dir).map_err(|e| failed(path, e))?;
    Ok(To::Replace(tmp, old))
}

/// A target that is not a regular file (`meta` is what a link leads to).
fn special(path: &Path, meta: &std::fs::Metadata) -> Result<To, String> {
    if meta.is_dir() {
        return Err(failed(path, "it is a folder"));
    }
    if is_same(meta, &stdio_meta(1)) {
        return Ok(To::Stdout(io::stdout()));
    }
    if is_same(meta, &stdio_meta(2)) {
        return Ok(To::Stderr(io::stderr()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if !(t.is_char_device() || t.is_fifo()) {
            return Err(failed(
                path,
                "it is neither a file nor a character device or FIFO",
            ));
        }
    }
    // Opened as it is: no create, no truncate (a FIFO waits here for its reader).
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| failed(path, e))?;
    // What was opened is what was looked at: a path swapped for a regular file in
    // between would be overwritten in place.
    let opened = f.metadata().map_err(|e| failed(path, e))?;
    if opened.is_file() {
        return Err(failed(
            path,
            "it changed into a regular file while it was opened",
        ));
    }
    Ok(To::Direct(f))
}

/// Is `meta` the file behind standard output (1) or error (2)?
fn is_std(meta: &std::fs::Metadata) -> bool {
    is_same(meta, &stdio_meta(1)) || is_same(meta, &stdio_meta(2))
}

#[cfg(unix)]
// Borrowing a raw descriptor is unsafe by signature.
#[allow(unsafe_code)]
fn stdio_meta(fd: i32) -> Option<std::fs::Metadata> {
    use std::os::fd::BorrowedFd;
    // SAFETY: 1 and 2 stay open for the whole process; the clone is our own descriptor.
    let owned = unsafe { BorrowedFd::borrow_raw(fd) }
        .try_clone_to_owned()
        .ok()?;
    std::fs::File::from(owned).metadata().ok()
}

#[cfg(not(unix))]
fn stdio_meta(_fd: i32) -> Option<std::fs::Metadata> {
    None
}

#[cfg(unix)]
fn is_same(a: &std::fs::Metadata, b: &Option<std::fs::Metadata>) -> bool {
    use std::os::unix::fs::MetadataExt;
    b.as_ref()
        .is_some_and(|b| a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn is_same(_a: &std::fs::Metadata, _b: &Option<std::fs::Metadata>) -> bool {
    false
}

/// Writes `bytes` to `path` through an [`Output`]; the error names the target.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut out = Output::create(path)?;
    out.write_all(bytes).map_err(|e| failed(path, e))?;
    out.commit()
}
