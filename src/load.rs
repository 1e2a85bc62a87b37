//! Bytes to text. UTF-8 with or without a BOM; CRLF kept as it is, since spans are
//! byte offsets into the original text. A file that is not text is an error for that
//! file only; the run goes on.

use std::path::Path;

/// Why a file could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Io(String),
    Binary,
    NotUtf8 { line: usize, column: usize },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(e) => write!(f, "cannot read the file: {e}"),
            LoadError::Binary => write!(f, "this is a binary file, not Markdown text"),
            LoadError::NotUtf8 { line, column } => write!(
                f,
                "the file is not valid UTF-8 (line {line}, byte {column}); re-save it as UTF-8 (old blogs often use Latin-1)"
            ),
        }
    }
}

/// Reads a file as text, in one allocation.
pub fn load(path: &Path) -> Result<String, LoadError> {
    // A FIFO or device named like a post would block or never end: refuse it.
    let meta =
        std::fs::metadata(path).map_err(|e| LoadError::Io(crate::discover::describe_io(&e)))?;
    if !meta.is_file() {
        return Err(LoadError::Io("not a regular file".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io(crate::discover::describe_io(&e)))?;
    decode(bytes)
}

/// Bytes to text, refusing binary data and invalid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(LoadError::Binary);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Lines end at `\n` or a lone `\r`, as everywhere in adlint.
        let ends = || (0..valid).filter(|&i| crate::packs::is_line_end(bytes, i));
        let line = ends().count() + 1;
        let line_start = ends().last().map_or(0, |i| i + 1);
        LoadError::NotUtf8 {
            line,
            column: valid - line_start + 1,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_binary_and_latin1() {
        assert_eq!(
            decode(b"\xef\xbb\xbfHallo\r\n".to_vec()).unwrap(),
            "\u{feff}Hallo\r\n"
        );
        assert_eq!(decode(b"PNG\0\x01".to_vec()), Err(LoadError::Binary));
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
