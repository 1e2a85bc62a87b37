//! Text positions: lines (ended by `\n` or a lone `\r`), 1-based line and column of a
//! byte offset, UTF-16 positions for the LSP, and the line helpers fixes use. A module of
//! its own because every stage that reports or edits text needs them and none owns them.

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let (line, line_start) = line_of(text, offset);
    // A byte-order mark is not a column: editors do not show it.
    let bom = usize::from(line_start == 0 && text.starts_with('\u{feff}') && offset > 0);
    (line + 1, text[line_start..offset].chars().count() + 1 - bom)
}

/// Where every line of a text starts, for resolving many positions in one file: each
/// `line_col` alone counts from the start of the text, which is quadratic over the
/// findings of a long post. Columns are counted from a checkpoint at most [`BLOCK`]
/// bytes back, not from the line start: 100,000 findings on one long line (a paragraph
/// of links) would count that line 100,000 times.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters and UTF-16 code units before byte `k * BLOCK`, for every `k` up to the
    /// end of the text; made on the first column asked for on a long line (most files
    /// have none, and counting from the line start is cheaper there).
    checkpoints: std::sync::OnceLock<(Vec<usize>, Vec<usize>)>,
}

/// Bytes between two column checkpoints.
const BLOCK: usize = 256;

/// Up to this many bytes into a line, a column is counted from the line start.
const SHORT_LINE: usize = 4 * BLOCK;

/// Characters in a byte range on char boundaries: the bytes that start one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

/// UTF-16 code units in a byte range on char boundaries: a 4-byte character is two.
fn count_units(bytes: &[u8]) -> usize {
    count_chars(bytes) + bytes.iter().filter(|&&b| b >= 0xf0).count()
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        // Line breaks found with memchr: a byte-by-byte test was a measurable share of
        // a run over 10,000 posts with findings.
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| is_line_end(bytes, i))
                .map(|i| i + 1),
        );
        LineIndex {
            text,
            starts,
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// The line (0-based) of an offset on a char boundary, and where it starts.
    fn line(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line, self.starts[line])
    }

    /// Characters (or UTF-16 units) between `line_start` and `offset`, both on char
    /// boundaries of one line: counted directly on a short stretch, from the nearest
    /// checkpoints on a long one (so that many findings on one long line stay linear).
    fn column(&self, line_start: usize, offset: usize, utf16: bool) -> usize {
        let bytes = self.text.as_bytes();
        if offset - line_start <= SHORT_LINE {
            let part = &bytes[line_start..offset];
            return if utf16 {
                count_units(part)
            } else {
                count_chars(part)
            };
        }
        let (chars, units) = self.checkpoints.get_or_init(|| {
            // A block may end inside a character: counting the bytes that start one is
            // still right at every char boundary.
            let (mut chars, mut units) = (vec![0], vec![0]);
            for block in bytes.chunks(BLOCK) {
                chars.push(chars[chars.len() - 1] + count_chars(block));
                units.push(units[units.len() - 1] + count_units(block));
            }
            (chars, units)
        });
        let before = |at: usize| {
            let block = at / BLOCK;
            let rest = &bytes[block * BLOCK..at];
            if utf16 {
                units[block] + count_units(rest)
            } else {
                chars[block] + count_chars(rest)
            }
        };
        before(offset) - before(line_start)
    }

    /// The bytes of the line holding `offset`, its line break included.
    pub fn line_range(&self, offset: usize) -> std::ops::Range<usize> {
        let (line, start) = self.line(floor_char_boundary(self.text, offset));
        start
            ..self
                .starts
                .get(line + 1)
                .copied()
                .unwrap_or(self.text.len())
    }

    /// The same as [`line_col`], found by binary search.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let (line, line_start) = self.line(offset);
        let bom = usize::from(line_start == 0 && text.starts_with('\u{feff}') && offset > 0);
        let column = self.column(line_start, offset, false);
        (line + 1, column + 1 - bom)
    }

    /// An LSP position: 0-based line, and column in UTF-16 code units.
    pub fn utf16_position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset);
        let (line, line_start) = self.line(offset);
        (line, self.column(line_start, offset, true))
    }
}

/// Does a line end at byte `i`: a `\n`, or a lone `\r` (old Mac line ends)? CommonMark,
/// editors, LSP and SARIF all count a lone `\r` as a line break, and the human output
/// shows it as one, so every line number adlint prints counts it too.
pub fn is_line_end(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The line (0-based) of a byte offset on a char boundary, and where that line starts.
pub fn line_of(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let before = &text[..offset];
    let lone_crs = |from: usize| {
        before[from..]
            .match_indices('\r')
            .map(move |(i, _)| from + i)
            .filter(|&i| is_line_end(bytes, i))
    };
    let line = before.matches('\n').count() + lone_crs(0).count();
    let after_lf = before.rfind('\n').map_or(0, |i| i + 1);
    let start = lone_crs(after_lf).next_back().map_or(after_lf, |i| i + 1);
    (line, start)
}

/// Where the line holding byte `offset` starts (lines end at `\n` or a lone `\r`).
pub fn line_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    (0..offset.min(bytes.len()))
        .rev()
        .find(|&i| is_line_end(bytes, i))
        .map_or(0, |i| i + 1)
}

/// The line end a fix writes: the text's own (CRLF, LF, or a lone CR in a classic Mac
/// file), so that a fix never mixes two kinds in one file.
pub fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') && !text.contains('\n') {
        "\r"
    } else {
        "\n"
    }
}

/// Where the line after the one holding byte `from` starts (the end of the text for
/// the last line).
pub fn next_line_start(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    (from..bytes.len())
        .find(|&i| is_line_end(bytes, i))
        .map_or(text.len(), |i| i + 1)
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, line_col, line_of};

    #[test]
    fn line_index_agrees_with_line_col_everywhere() {
        for text in [
            "",
            "one line",
            "a\nb\n\nc",
            "crlf\r\nlines\r\n",
            "lone\rcr\r\rend",
            "\u{feff}bom first\nsecond",
            "mixed\r\n\r\rä ü\n🙂 x\r",
        ] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn columns_across_blocks_agree_with_a_plain_count() {
        // Lines longer than a block, with characters of 1 to 4 bytes across its edges.
        let text = "aä€🚀\n".repeat(3) + &"xä€🚀".repeat(200) + "\r" + &"🚀a".repeat(150);
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(
                index.line_col(offset),
                line_col(&text, offset),
                "at {offset}"
            );
            let (line, start) = line_of(&text, offset);
            let units: usize = text[start..offset].chars().map(char::len_utf16).sum();
            assert_eq!(index.utf16_position(offset), (line, units), "at {offset}");
        }
    }

    #[test]
    fn many_positions_on_one_long_line_are_linear() {
        // 4 MB on one line and 200,000 positions on it: counted from the line start,
        // that is 400 billion bytes (hours); from the checkpoints, a blink.
        let text = "[x](https://a.example/?tag=t-21) ä ".repeat(120_000);
        let started = std::time::Instant::now();
        let index = LineIndex::new(&text);
        let step = text.len() / 200_000;
        let mut last = 0;
        for offset in (0..text.len()).step_by(step) {
            let (line, column) = index.line_col(offset);
            let (_, units) = index.utf16_position(offset);
            assert!(line == 1 && column >= last && units + 1 >= column);
            last = column;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }
}
