//! Writing what adlint makes (reports, baselines, adlint.toml) without losing what was
//! there (docs/safety.md). A regular file is written to a temporary file in the same
//! folder, synced and renamed over the old one: a full disk or a crash leaves the old
//! file whole, and a reader never sees half a report.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A report or baseline being written; nothing replaces the target until [`commit`].
///
/// [`commit`]: Output::commit
pub struct Output {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
    /// The mode of the file replaced, kept; a new file gets 0666 less the umask.
    #[cfg(unix)]
    keep_mode: Option<u32>,
}

/// An error that names the target, ready to print.
fn failed(path: &Path, e: impl std::fmt::Display) -> String {
    format!("cannot write {}: {e}", path.display())
}

impl Output {
    pub fn create(path: &Path) -> Result<Output, String> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        #[cfg(unix)]
        let keep_mode = {
            use std::os::unix::fs::PermissionsExt;
            std::fs::symlink_metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.permissions().mode() & 0o7777)
        };
        let tmp = tempfile::Builder::new()
            .prefix(".adlint-tmp-")
            .tempfile_in(dir)
            .map_err(|e| failed(path, e))?;
        Ok(Output {
            path: path.to_path_buf(),
            tmp,
            #[cfg(unix)]
            keep_mode,
        })
    }

    /// Syncs and renames the temporary file over the target.
    pub fn commit(self) -> Result<(), String> {
        let path = self.path;
        let file = self.tmp.as_file();
        #[cfg(unix)]
        if let Some(mode) = self.keep_mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(|e| failed(&path, e))?;
        }
        file.sync_all().map_err(|e| failed(&path, e))?;
        self.tmp
            .persist(&path)
            .map_err(|e| failed(&path, e.error))?;
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Writes `bytes` to `path` through an [`Output`]; the error names the target.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut out = Output::create(path)?;
    out.write_all(bytes).map_err(|e| failed(path, e))?;
    out.commit()
}
