//! A fast reader for the plain YAML front matter most posts have: top-level `key: value`
//! lines, `key:` followed by a block list of scalars, and `key: [a, b]`. Anything else is
//! left to saphyr, and what this reader takes it must read exactly as saphyr does, spans
//! included (`simple_yaml_tests.rs` compares the two).

use super::{Value, scalar_text, scalar_value};
use saphyr::Scalar;
use std::borrow::Cow;

/// A `key:` with nothing after it, and the list items found under it so far.
struct OpenKey {
    key: String,
    indent: Option<usize>,
    items: Vec<Value>,
}

/// The top-level fields of `text` (which starts at byte `offset` of the file), or None
/// when `text` is outside the subset this reader knows saphyr's answer for.
pub(crate) fn parse_simple_yaml(text: &str, offset: usize) -> Option<Vec<(String, Value)>> {
    if has_unusual_char(text) {
        return None;
    }
    let mut fields: Vec<(String, Value)> = Vec::with_capacity(16);
    let mut open: Option<OpenKey> = None;
    let mut line_start = offset;
    for raw in text.split_inclusive('\n') {
        let base = line_start;
        line_start += raw.len();
        let line = raw
            .strip_suffix("\r\n")
            .or_else(|| raw.strip_suffix('\n'))
            .unwrap_or(raw);
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if let Some(open) = open.as_mut()
            && let Some(item) = body.strip_prefix("- ")
        {
            match open.indent {
                None => open.indent = Some(indent),
                Some(i) if i != indent => return None,
                Some(_) => {}
            }
            let at = line.len() - item.trim_start_matches(' ').len();
            open.items.push(scalar(line, at, base)?);
            continue;
        }
        if indent > 0 {
            return None;
        }
        close(open.take(), &mut fields);
        let key_len = body
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count();
        // Long keys are not simple keys in YAML (the limit is 1024 characters).
        if key_len == 0 || key_len > 128 || body.starts_with('-') {
            return None;
        }
        let after = body[key_len..].strip_prefix(':')?;
        if !(after.is_empty() || after.starts_with(' ')) {
            return None;
        }
        // saphyr resolves keys too: `01:` and `1:` are the same key, `true:` is a bool.
        let key = scalar_text(&Scalar::parse_from_cow(Cow::Borrowed(&body[..key_len])));
        // saphyr refuses duplicate keys; let it say so.
        if fields.iter().any(|(k, _)| *k == key) {
            return None;
        }
        let value = after.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') {
            open = Some(OpenKey {
                key,
                indent: None,
                items: Vec::new(),
            });
        } else if value.starts_with('[') {
            fields.push((key, flow_list(line, line.len() - value.len(), base)?));
        } else {
            fields.push((key, scalar(line, line.len() - value.len(), base)?));
        }
    }
    close(open, &mut fields);
    Some(fields)
}

/// Tabs, a CR not ending a line, other control characters, BOMs, Unicode line separators
/// and the non-characters U+FFFE/U+FFFF all have rules of their own in YAML; leave them to
/// saphyr. Looks at UTF-8 bytes: this runs on every post.
fn has_unusual_char(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\n' => false,
        b'\r' => at(i + 1) != b'\n',
        0..=0x1f | 0x7f => true,
        // U+0080..U+009F
        0xc2 => (0x80..=0x9f).contains(&at(i + 1)),
        // U+2028, U+2029
        0xe2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0xa8 | 0xa9),
        // U+FEFF, U+FFFE, U+FFFF
        0xef => matches!((at(i + 1), at(i + 2)), (0xbb, 0xbf) | (0xbf, 0xbe | 0xbf)),
        _ => false,
    })
}

/// An empty `key:` is null in saphyr, and a list when items follow it.
fn close(open: Option<OpenKey>, fields: &mut Vec<(String, Value)>) {
    if let Some(open) = open {
        let value = if open.indent.is_some() {
            Value::List(open.items)
        } else {
            Value::Null
        };
        fields.push((open.key, value));
    }
}

/// The scalar starting at byte `at` of `line`, which starts at byte `base` of the file.
fn scalar(line: &str, at: usize, base: usize) -> Option<Value> {
    match line.as_bytes().get(at)? {
        b'"' => quoted(line, at, '"', base),
        b'\'' => quoted(line, at, '\'', base),
        _ => plain(line, at, base),
    }
}

/// A one-line flow list of plain words, `[travel, gear]`, as a key's value.
fn flow_list(line: &str, at: usize, base: usize) -> Option<Value> {
    let inner = &line[at + 1..];
    let close = inner.find(']')?;
    let after = &inner[close + 1..];
    let rest = after.trim_start_matches(' ');
    if !(rest.is_empty() || (rest.starts_with('#') && rest.len() < after.len())) {
        return None;
    }
    let mut items = Vec::new();
    if inner[..close].trim_start_matches(' ').is_empty() {
        return Some(Value::List(items));
    }
    let mut start = at + 1;
    // Each piece between commas, trimmed; an empty one (`[a,,b]`, `[a, ]`) is refused.
    for piece in inner[..close].split(',') {
        let word = piece.trim_matches(' ');
        let lead = piece.len() - piece.trim_start_matches(' ').len();
        let bytes = word.as_bytes();
        // Plain words only: quotes, nesting, `:` and `#` have flow rules of their own.
        let first_ok = bytes.first().is_some_and(|b| {
            b.is_ascii_alphanumeric()
                || *b == b'_'
                || (*b == b'-' && bytes.get(1).is_some_and(u8::is_ascii_digit))
        });
        if !first_ok || word.contains(['[', ']', '{', '}', ':', '#', '"', '\'', '?', '&', '*', '!'])
        {
            return None;
        }
        let from = base + start + lead;
        items.push(scalar_value(
            &Scalar::parse_from_cow(Cow::Borrowed(word)),
            from..from + word.len(),
        ));
        start += piece.len() + 1;
    }
    Some(Value::List(items))
}

/// A quoted scalar without escapes, alone on its line but for a comment.
fn quoted(line: &str, at: usize, quote: char, base: usize) -> Option<Value> {
    let inner = &line[at + 1..];
    let close = inner.find(quote)?;
    let content = &inner[..close];
    let after = &inner[close + 1..];
    // `\` escapes need unescaping. (`''` in single quotes is refused below: the second
    // quote is trailing content.)
    if quote == '"' && content.contains('\\') {
        return None;
    }
    let rest = after.trim_start_matches(' ');
    if !(rest.is_empty() || (rest.starts_with('#') && rest.len() < after.len())) {
        return None;
    }
    // saphyr ends a quoted scalar's span after the blanks and comment that follow it.
    Some(Value::Str(
        content.to_string(),
        base + at..base + line.len(),
    ))
}

/// A one-line plain scalar, typed as saphyr types it (`true`, `~`, `0x1F`, `1e3`).
fn plain(line: &str, at: usize, base: usize) -> Option<Value> {
    let rest = &line[at..];
    let bytes = rest.as_bytes();
    // Indicators start other kinds of nodes; `-5` and `-.5` are plain.
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&bytes[0])
        && !(bytes[0] == b'-'
            && bytes
                .get(1)
                .is_some_and(|b| b.is_ascii_digit() || *b == b'.'))
    {
        return None;
    }
    // One pass: ` #` starts a comment; `: ` or a final `:` would make a nested mapping.
    let mut end = bytes.len();
    for i in 1..bytes.len() {
        match bytes[i] {
            b'#' if bytes[i - 1] == b' ' => {
                end = i;
                break;
            }
            b':' if bytes.get(i + 1).is_none_or(|b| *b == b' ') => return None,
            _ => {}
        }
    }
    let text = rest[..end].trim_end_matches(' ');
    let span = base + at..base + at + text.len();
    Some(scalar_value(
        &Scalar::parse_from_cow(Cow::Borrowed(text)),
        span,
    ))
}

#[cfg(test)]
mod tests {
    use super::has_unusual_char;

    /// The byte test against its definition on characters, for every character.
    #[test]
    fn unusual_chars_are_found_by_their_bytes() {
        let unusual = |c: char| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
                )
        };
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for text in [format!("a{c}b"), format!("{c}"), format!("x{c}{c}\n")] {
                assert_eq!(has_unusual_char(&text), unusual(c), "{c:?}");
            }
        }
        assert!(!has_unusual_char("a\r\nb\r\n"));
        assert!(has_unusual_char("a\rb") && has_unusual_char("a\r") && has_unusual_char("\r\r\n"));
    }
}
