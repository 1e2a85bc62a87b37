//! Front matter: YAML between `---` fences, TOML between `+++` fences, or a JSON object
//! (Hugo's `{ … }`), only at the very start of the file (after an optional BOM). We split it off ourselves rather than use
//! pulldown-cmark's metadata blocks, which also take a `---` pair in the middle of a post.

use crate::diagnostic::Span;
use saphyr::{LoadableYamlNode, MarkedYaml, Marker, YamlData};

mod simple_yaml;
#[cfg(test)]
mod simple_yaml_tests;

/// Which syntax the front matter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    Json,
}

/// One value of the front matter, with its byte span in the original file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool, Span),
    Str(String, Span),
    Number(String, Span),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s, _) => Some(s),
            _ => None,
        }
    }

    /// The span of a scalar, or of the first scalar inside a collection.
    pub fn span(&self) -> Option<Span> {
        match self {
            Value::Bool(_, s) | Value::Str(_, s) | Value::Number(_, s) => Some(s.clone()),
            Value::List(items) => items.iter().find_map(Value::span),
            Value::Map(entries) => entries.iter().find_map(|(_, v)| v.span()),
            Value::Null => None,
        }
    }

    /// Is this a true flag or a non-empty string?
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Bool(b, _) => *b,
            Value::Str(s, _) => {
                let s = s.trim().to_ascii_lowercase();
                !(s.is_empty() || s == "false" || s == "no" || s == "none" || s == "0")
            }
            Value::Number(n, _) => n != "0",
            Value::List(items) => !items.is_empty(),
            Value::Map(entries) => !entries.is_empty(),
            Value::Null => false,
        }
    }

    /// Every string in this value (a tag list, a comma-separated string), with spans.
    pub fn strings(&self) -> Vec<(&str, Span)> {
        match self {
            Value::Str(s, span) => vec![(s.as_str(), span.clone())],
            Value::List(items) => items.iter().flat_map(Value::strings).collect(),
            _ => vec![],
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The front matter of a post.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub format: Format,
    /// The whole block, fences included.
    pub span: Span,
    /// The top-level mapping.
    pub fields: Vec<(String, Value)>,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }
}

/// A front matter that could not be read; the body is still checked.
#[derive(Debug, Clone)]
pub struct FrontMatterError {
    pub offset: usize,
    pub message: String,
    /// The body after the front matter could still be checked.
    pub body_checked: bool,
}

/// The result of splitting a file: front matter (if any) and where the body starts.
pub struct Split {
    pub front_matter: Option<Result<FrontMatter, FrontMatterError>>,
    pub body_start: usize,
}

const MAX_FRONT_MATTER: usize = 256 * 1024;
const MAX_NESTING: usize = 64;

/// Finds the front matter at the start of `source` and parses it.
pub fn split(source: &str) -> Split {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    if json_opens(rest) {
        return split_json(source, start);
    }
    let (fence, format) = if rest.starts_with("---") {
        ("---", Format::Yaml)
    } else if rest.starts_with("+++") {
        ("+++", Format::Toml)
    } else {
        return Split {
            front_matter: None,
            body_start: start,
        };
    };
    // The opening fence must be alone on its line. Lines end at `\n` or a lone `\r`
    // (classic Mac files): a CR-only file has front matter too.
    let first_line_end = crate::positions::next_line_start(rest, 0);
    if rest[fence.len()..first_line_end].trim() != "" {
        return Split {
            front_matter: None,
            body_start: start,
        };
    }
    let content_start = start + first_line_end;
    let mut pos = content_start;
    let mut close = None;
    while pos < source.len() {
        let line_end = crate::positions::next_line_start(source, pos);
        let line = source[pos..line_end].trim_end_matches(['\n', '\r']);
        if line.trim_end() == fence || (format == Format::Yaml && line.trim_end() == "...") {
            close = Some((pos, line_end));
            break;
        }
        pos = line_end;
    }
    let Some((content_end, body_start)) = close else {
        return Split {
            front_matter: Some(Err(FrontMatterError {
                offset: start,
                message: format!(
                    "the front matter opened with `{fence}` on line 1 never closes: add a `{fence}` line after it"
                ),
                body_checked: false,
            })),
            body_start: source.len(),
        };
    };
    let text = &source[content_start..content_end];
    let parsed = if text.len() > MAX_FRONT_MATTER {
        Err(FrontMatterError {
            offset: content_start,
            message: format!(
                "the front matter is {} KiB; adlint reads at most 256 KiB",
                text.len() / 1024
            ),
            body_checked: true,
        })
    } else {
        match format {
            Format::Toml => parse_toml(text, content_start),
            _ => parse_yaml(text, content_start),
        }
    };
    Split {
        front_matter: Some(parsed.map(|fields| FrontMatter {
            format,
            span: start..body_start,
            fields,
        })),
        body_start,
    }
}

/// Hugo's JSON front matter: `{` at the start, then a key or `}`. A post that opens
/// with a shortcode (`{{< werbung >}}`, `{% include %}`) is not front matter.
fn json_opens(rest: &str) -> bool {
    rest.strip_prefix('{')
        .map(str::trim_start)
        .is_some_and(|r| r.starts_with('"') || r.starts_with('}'))
}

/// The JSON object at `start`, and the body after it (and after the line end that
/// follows it, as Hugo does).
fn split_json(source: &str, start: usize) -> Split {
    let rest = &source[start..];
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<JsonFields<'_>>();
    let parsed = values.next();
    let end = start + values.byte_offset();
    let fields = match parsed {
        Some(Ok(_)) if end - start > MAX_FRONT_MATTER => Err(FrontMatterError {
            offset: start,
            message: format!(
                "the front matter is {} KiB; adlint reads at most 256 KiB",
                (end - start) / 1024
            ),
            body_checked: true,
        }),
        Some(Ok(_)) if nesting_too_deep(&source[start..end]) => Err(FrontMatterError {
            offset: start,
            message: format!("the front matter nests deeper than {MAX_NESTING} levels"),
            body_checked: true,
        }),
        Some(Ok(JsonFields(fields))) => Ok(fields
            .into_iter()
            .map(|(key, raw)| {
                // The raw value is a slice of `source`: its offset is where it starts.
                let at = raw.get().as_ptr() as usize - source.as_ptr() as usize;
                (key, json_value(raw.get(), at))
            })
            .collect()),
        // Never closed or not JSON: like a `---` that never closes, the body is unknown.
        _ => {
            return Split {
                front_matter: Some(Err(FrontMatterError {
                    offset: start,
                    message: "the front matter opened with `{` on line 1 is not a JSON object (Hugo's JSON front matter): check its quotes, commas and closing `}`".into(),
                    body_checked: false,
                })),
                body_start: source.len(),
            };
        }
    };
    // The rest of the closing line (spaces and its line end) belongs to the front matter.
    let after = &source[end..];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    let body_start = if after[spaces..].starts_with(['\n', '\r']) {
        crate::positions::next_line_start(source, end + spaces)
    } else {
        end
    };
    Split {
        front_matter: Some(fields.map(|fields| FrontMatter {
            format: Format::Json,
            span: start..body_start,
            fields,
        })),
        body_start,
    }
}

/// The top-level fields of JSON front matter in order (a map type would sort them),
/// each value as written, for its span.
struct JsonFields<'a>(Vec<(String, &'a serde_json::value::RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for JsonFields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Fields<'a> {
            type Value = JsonFields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut m: M,
            ) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry()? {
                    out.push(entry);
                }
                Ok(JsonFields(out))
            }
        }
        d.deserialize_map(Fields(std::marker::PhantomData))
    }
}

/// A JSON value written at byte `at`. A top-level string's span is its text inside the
/// quotes; anything inside a list or object gets the span of the whole value, as TOML's.
fn json_value(raw: &str, at: usize) -> Value {
    let span = if raw.starts_with('"') && raw.len() >= 2 {
        at + 1..at + raw.len() - 1
    } else {
        at..at + raw.len()
    };
    convert_json(&serde_json::from_str(raw).unwrap_or_default(), &span, 0)
}

fn convert_json(value: &serde_json::Value, span: &Span, depth: usize) -> Value {
    use serde_json::Value as J;
    if depth > MAX_NESTING {
        return Value::Null;
    }
    match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b, span.clone()),
        J::Number(n) => Value::Number(n.to_string(), span.clone()),
        J::String(s) => Value::Str(s.clone(), span.clone()),
        J::Array(items) => Value::List(
            items
                .iter()
                .map(|v| convert_json(v, span, depth + 1))
                .collect(),
        ),
        J::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), convert_json(v, span, depth + 1)))
                .collect(),
        ),
    }
}

/// Deep nesting is refused before parsing: the YAML parser and the value tree recurse.
fn nesting_too_deep(text: &str) -> bool {
    // Going deeper than MAX_NESTING takes more opening brackets than that, and counting
    // them is much cheaper than tracking depth; this runs on every post.
    let opening = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if opening > MAX_NESTING {
        let mut depth = 0usize;
        for b in text.bytes() {
            match b {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return true;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    // Indentation, and compact nesting on one line (`- - - x`, `? ? x`). Either needs a
    // line longer than MAX_NESTING * 2; most lines are shorter, and splitting them is slow.
    text.lines().filter(|l| l.len() > MAX_NESTING * 2).any(|l| {
        let compact = l
            .split_whitespace()
            .take_while(|t| *t == "-" || *t == "?" || *t == ":")
            .count();
        l.len() - l.trim_start().len() > MAX_NESTING * 4 || compact > MAX_NESTING
    })
}

fn parse_yaml(text: &str, offset: usize) -> Result<Vec<(String, Value)>, FrontMatterError> {
    if nesting_too_deep(text) {
        return Err(FrontMatterError {
            offset,
            message: format!("the front matter nests deeper than {MAX_NESTING} levels"),
            body_checked: true,
        });
    }
    // Most posts' front matter is a dozen `key: value` lines; saphyr costs far more than
    // they need, so a narrow reader takes them and saphyr gets the rest.
    if let Some(fields) = simple_yaml::parse_simple_yaml(text, offset) {
        return Ok(fields);
    }
    parse_yaml_saphyr(text, offset)
}

/// The full YAML reader, also the reference that the fast path is tested against.
fn parse_yaml_saphyr(text: &str, offset: usize) -> Result<Vec<(String, Value)>, FrontMatterError> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let to_byte = |m: &Marker| -> usize {
        let line = m.line().saturating_sub(1).min(line_starts.len() - 1);
        let line_start = line_starts[line];
        let line_text = &text[line_start..];
        let col = line_text
            .char_indices()
            .nth(m.col())
            .map_or(line_text.len(), |(i, _)| i);
        offset + line_start + col
    };
    let docs = MarkedYaml::load_from_str(text).map_err(|e| FrontMatterError {
        offset: to_byte(e.marker()),
        message: format!("the front matter is not valid YAML: {}", e.info()),
        body_checked: true,
    })?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(vec![]);
    };
    match convert_yaml(&doc, &to_byte, 0) {
        Value::Map(fields) => Ok(fields),
        Value::Null => Ok(vec![]),
        _ => Err(FrontMatterError {
            offset,
            message: "the front matter is not a mapping of `key: value` lines".into(),
            body_checked: true,
        }),
    }
}

fn convert_yaml(node: &MarkedYaml, to_byte: &dyn Fn(&Marker) -> usize, depth: usize) -> Value {
    if depth > MAX_NESTING {
        return Value::Null;
    }
    let span = to_byte(&node.span.start)..to_byte(&node.span.end).max(to_byte(&node.span.start));
    match &node.data {
        YamlData::Value(scalar) => scalar_value(scalar, span),
        YamlData::Sequence(items) => Value::List(
            items
                .iter()
                .map(|i| convert_yaml(i, to_byte, depth + 1))
                .collect(),
        ),
        YamlData::Mapping(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    let key = match &k.data {
                        YamlData::Value(s) => scalar_text(s),
                        _ => String::new(),
                    };
                    (key, convert_yaml(v, to_byte, depth + 1))
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => convert_yaml(inner, to_byte, depth + 1),
        YamlData::Representation(s, _, _) => Value::Str(s.to_string(), span),
        _ => Value::Null,
    }
}

/// A resolved scalar as a value; shared with the fast path so both type it alike.
fn scalar_value(scalar: &saphyr::Scalar, span: Span) -> Value {
    match scalar {
        saphyr::Scalar::Null => Value::Null,
        saphyr::Scalar::Boolean(b) => Value::Bool(*b, span),
        saphyr::Scalar::Integer(i) => Value::Number(i.to_string(), span),
        saphyr::Scalar::FloatingPoint(f) => Value::Number(f.to_string(), span),
        saphyr::Scalar::String(s) => Value::Str(s.to_string(), span),
    }
}

fn scalar_text(s: &saphyr::Scalar) -> String {
    match s {
        saphyr::Scalar::Null => "null".into(),
        saphyr::Scalar::Boolean(b) => b.to_string(),
        saphyr::Scalar::Integer(i) => i.to_string(),
        saphyr::Scalar::FloatingPoint(f) => f.to_string(),
        saphyr::Scalar::String(s) => s.to_string(),
    }
}

fn parse_toml(text: &str, offset: usize) -> Result<Vec<(String, Value)>, FrontMatterError> {
    if nesting_too_deep(text) {
        return Err(FrontMatterError {
            offset,
            message: format!("the front matter nests deeper than {MAX_NESTING} levels"),
            body_checked: true,
        });
    }
    // TOML knows no lone `\r` line end (classic Mac files): read it as `\n`, which keeps
    // every offset.
    let unix;
    let text = if text.contains('\r') {
        let b = text.as_bytes();
        unix = text
            .char_indices()
            .map(|(i, c)| {
                if c == '\r' && b.get(i + 1) != Some(&b'\n') {
                    '\n'
                } else {
                    c
                }
            })
            .collect::<String>();
        unix.as_str()
    } else {
        text
    };
    let table: toml::Spanned<toml::Table> = toml::from_str(text).map_err(|e| FrontMatterError {
        offset: offset + e.span().map_or(0, |s| s.start),
        message: format!("the front matter is not valid TOML: {}", e.message().trim()),
        body_checked: true,
    })?;
    // toml::Table drops spans; find each top-level value's line to point at it.
    let mut fields = Vec::new();
    for (key, value) in table.into_inner() {
        let span = find_toml_value(text, &key)
            .map_or(offset..offset, |s| offset + s.start..offset + s.end);
        fields.push((key, convert_toml(&value, &span, 0)));
    }
    Ok(fields)
}

fn find_toml_value(text: &str, key: &str) -> Option<Span> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let eq = line.find('=')?;
            let value_start = eq + 1 + (line[eq + 1..].len() - line[eq + 1..].trim_start().len());
            let value_end = line.trim_end().len();
            return Some(pos + value_start..pos + value_end.max(value_start));
        }
        pos += line.len();
    }
    None
}

fn convert_toml(value: &toml::Value, span: &Span, depth: usize) -> Value {
    if depth > MAX_NESTING {
        return Value::Null;
    }
    match value {
        toml::Value::String(s) => Value::Str(s.clone(), span.clone()),
        toml::Value::Boolean(b) => Value::Bool(*b, span.clone()),
        toml::Value::Integer(i) => Value::Number(i.to_string(), span.clone()),
        toml::Value::Float(f) => Value::Number(f.to_string(), span.clone()),
        toml::Value::Datetime(d) => Value::Str(d.to_string(), span.clone()),
        toml::Value::Array(items) => Value::List(
            items
                .iter()
                .map(|v| convert_toml(v, span, depth + 1))
                .collect(),
        ),
        toml::Value::Table(t) => Value::Map(
            t.iter()
                .map(|(k, v)| (k.clone(), convert_toml(v, span, depth + 1)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_spans_point_into_the_file() {
        let src = "---\ntitle: Hallo Welt\nsponsored: true\ntags: [a, werbung]\n---\nBody\n";
        let split = split(src);
        let fm = split.front_matter.unwrap().unwrap();
        let Value::Str(title, span) = fm.get("title").unwrap() else {
            panic!()
        };
        assert_eq!(title, "Hallo Welt");
        assert_eq!(&src[span.clone()], "Hallo Welt");
        let Value::Bool(true, span) = fm.get("sponsored").unwrap() else {
            panic!()
        };
        assert_eq!(&src[span.clone()], "true");
        let tags = fm.get("tags").unwrap().strings();
        assert_eq!(&src[tags[1].1.clone()], "werbung");
        assert_eq!(&src[split.body_start..], "Body\n");
    }

    #[test]
    fn toml_front_matter() {
        let src = "+++\ntitle = \"Anzeige: Test\"\nsponsored = true\n+++\nBody";
        let split = split(src);
        let fm = split.front_matter.unwrap().unwrap();
        assert_eq!(fm.get("title").unwrap().as_str(), Some("Anzeige: Test"));
        assert_eq!(&src[fm.get("sponsored").unwrap().span().unwrap()], "true");
    }

    #[test]
    fn unclosed_and_invalid_front_matter_are_errors() {
        assert!(
            split("---\ntitle: x\nno end")
                .front_matter
                .unwrap()
                .is_err()
        );
        let bad = split("---\ntitle: [unclosed\n---\nbody");
        assert!(bad.front_matter.unwrap().is_err());
        assert_eq!(bad.body_start, "---\ntitle: [unclosed\n---\n".len());
    }

    #[test]
    fn yaml_bombs_are_refused() {
        let deep = format!("---\nx: {}\n---\n", "[".repeat(10_000));
        assert!(split(&deep).front_matter.unwrap().is_err());
        let mut laughs = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            laughs.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        laughs.push_str("---\nbody");
        assert!(split(&laughs).front_matter.unwrap().is_err());
    }

    /// The limits hold exactly, with the cheap checks that skip most of the work.
    #[test]
    fn nesting_limits_are_exact() {
        let n = MAX_NESTING;
        assert!(!nesting_too_deep(&"[".repeat(n)));
        assert!(nesting_too_deep(&"[".repeat(n + 1)));
        assert!(!nesting_too_deep(&"[]".repeat(n + 1)));
        assert!(!nesting_too_deep(&format!("{}x", "- ".repeat(n))));
        assert!(nesting_too_deep(&format!("{}x", "- ".repeat(n + 1))));
        assert!(nesting_too_deep(&"- ".repeat(n + 1)));
        assert!(!nesting_too_deep(&format!("{}x", " ".repeat(n * 4))));
        assert!(nesting_too_deep(&format!("{}x", " ".repeat(n * 4 + 1))));
    }

    #[test]
    fn json_front_matter_and_cr_only_lines() {
        let src = "{\n  \"title\": \"Anzeige: Test\",\n  \"tags\": [\"a\"],\n  \"draft\": false\n}\r\nBody";
        let split = split(src);
        let fm = split.front_matter.unwrap().unwrap();
        assert_eq!(fm.format, Format::Json);
        assert_eq!(
            &src[fm.get("title").unwrap().span().unwrap()],
            "Anzeige: Test"
        );
        assert_eq!(
            fm.fields
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>(),
            ["title", "tags", "draft"]
        );
        assert_eq!(&src[split.body_start..], "Body");
        // A shortcode at the start is not JSON; broken JSON is an error.
        assert!(super::split("{{< werbung >}}\nText").front_matter.is_none());
        assert!(
            super::split("{\"title\": \"x\"\nText")
                .front_matter
                .unwrap()
                .is_err()
        );
        // Lines that end in a lone `\r`.
        for src in [
            "---\rtitle: Werbung\r---\rBody",
            "+++\rtitle = \"Werbung\"\r+++\rBody",
        ] {
            let split = super::split(src);
            let fm = split.front_matter.unwrap().unwrap();
            assert_eq!(
                fm.get("title").unwrap().as_str(),
                Some("Werbung"),
                "{src:?}"
            );
            assert_eq!(&src[split.body_start..], "Body");
        }
    }

    #[test]
    fn a_rule_in_the_body_is_not_front_matter() {
        let split = split("Intro\n\n---\ntitle: x\n---\n");
        assert!(split.front_matter.is_none());
        assert_eq!(split.body_start, 0);
    }
}
