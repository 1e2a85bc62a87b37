//! Bytes to text. UTF-8 with or without a BOM; CRLF kept as it is, since spans are
//! byte offsets into the original text. A file that is not text is an error for that
//! file only; the run goes on.
//!
//! Every other file adlint reads (the config, house packs, a site generator's config
//! and templates, `--baseline`, `--files-from`) goes through [`read_input`]: regular
//! files only, opened without blocking, and no larger than a limit, so that a name
//! pointing at `/dev/zero` or a FIFO cannot hang a run or fill the memory.

use std::io::Read;
use std::path::Path;

/// Why a file could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Io(String),
    Binary,
    /// Starts with a UTF-16 byte-order mark (Windows editors save "Unicode" so).
    Utf16,
    NotUtf8 {
        line: usize,
        column: usize,
    },
    /// A FIFO, device, socket or folder: reading it could block or never end.
    NotRegular(&'static str),
    /// Larger than the limit for this kind of file (`limit` in bytes).
    TooLarge {
        size: u64,
        limit: u64,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(e) => write!(f, "cannot read the file: {e}"),
            LoadError::Binary => write!(f, "this is a binary file, not Markdown text"),
            LoadError::Utf16 => write!(
                f,
                "the file is UTF-16, not UTF-8; convert it with `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8 && mv FILE.utf8 FILE` (or re-save it as UTF-8 in your editor)"
            ),
            LoadError::NotRegular(kind) => write!(
                f,
                "not a regular file but {kind}; adlint reads only regular files (a symlink to one is fine)"
            ),
            LoadError::TooLarge { size, limit } => write!(
                f,
                "the file is too large ({}); adlint reads at most {} here",
                mib(*size),
                mib(*limit)
            ),
            LoadError::NotUtf8 { line, column } => write!(
                f,
                "the file is not valid UTF-8 (line {line}, byte {column}); re-save it as UTF-8 (old blogs often use Latin-1)"
            ),
        }
    }
}

/// How much of a file decides whether it is binary: a NUL byte in it.
const HEAD: usize = 8192;

/// The most memory set aside from a file's size before reading it (a larger file still
/// reads, growing as it goes).
const MAX_PREALLOC: usize = 64 << 20;

/// Reads a file as text: open, one `fstat`, and reads into a buffer of the file's size
/// (checking thousands of posts, the system calls per file add up).
pub fn load(path: &Path) -> Result<String, LoadError> {
    let (mut file, size) = open_regular(path)?;
    read(&mut file, size)
}

/// The most adlint reads of a config, a house pack or a site generator's file.
pub const CONFIG_LIMIT: u64 = 16 << 20;

/// The most adlint reads of a baseline or a list of files: they grow with the blog.
pub const LIST_LIMIT: u64 = 256 << 20;

/// Reads a file that is not a post (config, pack, baseline, list of files) as text:
/// a regular file (after symlinks) of at most `limit` bytes, opened without blocking.
/// The error does not name the file: the caller does, with what the file is for.
pub fn read_input(path: &Path, limit: u64) -> Result<String, LoadError> {
    let (file, size) = open_regular(path)?;
    if size > limit {
        return Err(LoadError::TooLarge { size, limit });
    }
    read_limited(file, size, limit)
}

/// Reads at most `limit` bytes of a stream whose size is not known (standard input).
pub fn read_stream(reader: impl Read, limit: u64) -> Result<String, LoadError> {
    read_limited(reader, 0, limit)
}

/// [`read`], stopping one byte past `limit`: a file that grows while it is read, or
/// that reports no size (`/proc`), stays bounded too.
fn read_limited(reader: impl Read, size: u64, limit: u64) -> Result<String, LoadError> {
    let mut capped = reader.take(limit.saturating_add(1));
    let text = read(&mut capped, size)?;
    if text.len() as u64 > limit {
        return Err(LoadError::TooLarge {
            size: text.len() as u64,
            limit,
        });
    }
    Ok(text)
}

/// Opens a regular file without blocking, and its size. A FIFO or device would block
/// or never end; it is refused before anything is read.
fn open_regular(path: &Path) -> Result<(std::fs::File, u64), LoadError> {
    let io = |e: std::io::Error| LoadError::Io(describe_io(&e));
    let file = open(path).map_err(io)?;
    // `fstat` on the opened file: the type after symlinks, with no race against a swap.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(LoadError::NotRegular(kind(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a file either"
    }
}

/// `17.0 MiB`, for messages about sizes.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// Opens without blocking: opening a FIFO for reading waits for a writer, before its
/// type could be checked. (No effect on regular files.)
#[cfg(unix)]
pub fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
pub fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads text of about `size` bytes into one buffer of that size plus one byte (so the
/// end shows without growing it). A file larger than [`HEAD`] is read head first, so
/// that a binary file (an image named `.md`) is refused without reading the rest. The
/// result is that of [`decode`] on the whole.
pub fn read(reader: &mut impl std::io::Read, size: u64) -> Result<String, LoadError> {
    let io = |e: std::io::Error| LoadError::Io(describe_io(&e));
    let expected = usize::try_from(size)
        .unwrap_or(usize::MAX)
        .min(MAX_PREALLOC)
        .saturating_add(1);
    let mut bytes = vec![0u8; expected.min(HEAD)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            sniff(&bytes[..filled.min(HEAD)])?;
            let grow = if bytes.len() < expected {
                expected
            } else {
                bytes.len() * 2
            };
            bytes.resize(grow, 0);
        }
        match reader.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    bytes.truncate(filled);
    decode(bytes)
}

/// UTF-16 (told by its byte-order mark) or binary (a NUL byte) from the head of a file.
/// UTF-16 first: its ASCII letters come with NUL bytes, and "binary" would mislead.
fn sniff(head: &[u8]) -> Result<(), LoadError> {
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return Err(LoadError::Utf16);
    }
    if head.contains(&0) {
        return Err(LoadError::Binary);
    }
    Ok(())
}

/// Bytes to text, refusing binary data, UTF-16 and invalid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    sniff(&bytes[..bytes.len().min(HEAD)])?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Lines end at `\n` or a lone `\r`, as everywhere in adlint.
        let ends = || (0..valid).filter(|&i| crate::positions::is_line_end(bytes, i));
        let line = ends().count() + 1;
        let line_start = ends().next_back().map_or(0, |i| i + 1);
        LoadError::NotUtf8 {
            line,
            column: valid - line_start + 1,
        }
    })
}

/// An I/O error as a reader needs it: the common kinds in words, the rest as the system
/// says (shared with the walk, which reports the folders it cannot read).
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that fails once more than `limit` bytes are asked for.
    struct Limited<'a> {
        data: &'a [u8],
        pos: usize,
        limit: usize,
    }

    impl std::io::Read for Limited<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.pos >= self.limit && self.pos < self.data.len() {
                return Err(std::io::Error::other("read past the head"));
            }
            let n = buf
                .len()
                .min(self.data.len() - self.pos)
                .min(self.limit.max(self.pos) - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    #[test]
    fn a_binary_file_is_refused_from_its_head() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.resize(1 << 20, b'x');
        let mut r = Limited {
            data: &png,
            pos: 0,
            limit: HEAD,
        };
        assert_eq!(read(&mut r, png.len() as u64), Err(LoadError::Binary));
        // Text is read whole, and the results are those of `decode`.
        for data in [
            b"Hallo\r\n".repeat(5000),
            [b"x".repeat(HEAD).as_slice(), b"\0 after the head"].concat(),
            [b"x".repeat(HEAD + 10).as_slice(), b"Gr\xfc\xdfe"].concat(),
            b"short\0".to_vec(),
        ] {
            let mut r = Limited {
                data: &data,
                pos: 0,
                limit: usize::MAX,
            };
            assert_eq!(read(&mut r, data.len() as u64), decode(data.clone()));
        }
    }

    #[test]
    fn text_binary_and_latin1() {
        assert_eq!(
            decode(b"\xef\xbb\xbfHallo\r\n".to_vec()).unwrap(),
            "\u{feff}Hallo\r\n"
        );
        assert_eq!(decode(b"PNG\0\x01".to_vec()), Err(LoadError::Binary));
        // UTF-16 with its byte-order mark, either byte order: not "binary".
        assert_eq!(decode(b"\xff\xfeH\0i\0".to_vec()), Err(LoadError::Utf16));
        assert_eq!(decode(b"\xfe\xff\0H\0i".to_vec()), Err(LoadError::Utf16));
        assert_eq!(
            decode(b"ok\nGr\xfc\xdfe".to_vec()),
            Err(LoadError::NotUtf8 { line: 2, column: 3 })
        );
        assert_eq!(
            decode(b"ok\r\nja\rGr\xfc\xdfe".to_vec()),
            Err(LoadError::NotUtf8 { line: 3, column: 3 })
        );
    }
}
