//! Case folding that keeps byte offsets, shared by the vocabulary (its forms), the
//! trigger words of patterns and the detector (each block): in a module of its own so
//! that `vocabulary` and `triggers` do not import each other for it.

/// Lowercases without changing byte offsets: a character whose lowercase form has
/// another length in UTF-8 (rare: 'İ', 'ẞ') is kept as it is.
pub fn fold_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_case_into(text, &mut out);
    out
}

/// Whether [`fold_case`] would change anything beyond ASCII letters (which the form
/// automaton matches in either case). Most non-ASCII text in posts is lowercase
/// (German ä ö ü ß, French é è): then the block is matched as it is, without a copy.
pub fn folds_beyond_ascii(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        i = next_non_ascii(bytes, i);
        let Some(&b) = bytes.get(i) else {
            return false;
        };
        // U+00DF..U+00FF (ß à … ÿ, and ÷): lowercase or caseless, the common case.
        if b == 0xC3 && bytes.get(i + 1).is_some_and(|&n| n >= 0x9F) {
            i += 2;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            return true;
        };
        if fold_char(c) != c {
            return true;
        }
        i += c.len_utf8();
    }
}

/// The first byte at or after `from` that is not ASCII (or the length), eight bytes
/// at a time.
fn next_non_ascii(bytes: &[u8], mut from: usize) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if word & HIGH_BITS != 0 {
            break;
        }
        from += 8;
    }
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b >= 0x80)
        .map_or(bytes.len(), |p| from + p)
}

/// A character's lowercase form when it is one character of the same UTF-8 length.
fn fold_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// [`fold_case`] into a buffer that is reused from block to block.
pub fn fold_case_into(text: &str, out: &mut String) {
    out.clear();
    let mut rest = text;
    while !rest.is_empty() {
        // Runs of ASCII are copied and lowercased in bulk; only other characters are
        // decoded one by one.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        out.push(fold_char(c));
        rest = &rest[c.len_utf8()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_beyond_ascii_agrees_with_fold_case() {
        // For every character of the first planes, alone and beside ASCII letters: the
        // block may be matched unfolded exactly when folding changes ASCII letters only.
        for c in (0x80u32..0x3_0000).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("Ab{c}Cd"), format!("{c}{c}x")] {
                let ascii_only = text.to_ascii_lowercase();
                let changes_more = fold_case(&text) != ascii_only;
                assert_eq!(folds_beyond_ascii(&text), changes_more, "{c:?} in {text:?}");
            }
        }
        assert!(!folds_beyond_ascii("Grüße aus Köln, AFFILIATE"));
        assert!(folds_beyond_ascii("Über uns"));
    }

    #[test]
    fn folding_keeps_offsets() {
        let s = "WERBUNG Pubblicità PUBBLICITÀ İstanbul ẞ";
        assert_eq!(fold_case(s).len(), s.len());
        assert!(fold_case(s).starts_with("werbung pubblicità pubblicità"));
    }
}
