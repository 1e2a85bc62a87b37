//! `--format json`: one object, `{"version":1, "diagnostics":[…], "suppressed":[…],
//! "problems":[…], "files_checked":N, "summary":{…}}` (DESIGN.md; the count comes after
//! the arrays because it is known only at the end, docs/performance.md).
//!
//! The object is written as the run goes: each file's diagnostics the moment the file
//! is checked, so memory stays the same however many posts a run checks. Suppressed
//! findings and file problems, which come after the diagnostics, wait in temporary
//! files, not in memory (a baseline can suppress thousands).

use super::{FileOutcome, Summary};
use serde::Serialize;
use std::io::{self, BufWriter, Seek, Write};

/// The JSON report being written.
#[derive(Default)]
pub struct JsonStream {
    /// The first write that failed: `finish` reports it, so a report with a hole is
    /// never taken for a whole one.
    failed: Option<io::Error>,
    diagnostics: usize,
    suppressed: Spool,
    problems: Spool,
}

/// Array items kept aside until their array's turn.
#[derive(Default)]
struct Spool {
    file: Option<BufWriter<SpoolFile>>,
    count: usize,
}

/// Where spooled items wait: a temporary file, or memory in the WebAssembly build,
/// which has no file system and reports one post at a time (docs/playground.md).
#[cfg(not(target_arch = "wasm32"))]
type SpoolFile = std::fs::File;
#[cfg(target_arch = "wasm32")]
type SpoolFile = io::Cursor<Vec<u8>>;

#[cfg(not(target_arch = "wasm32"))]
fn spool_file() -> io::Result<SpoolFile> {
    tempfile::tempfile()
}

#[cfg(target_arch = "wasm32")]
fn spool_file() -> io::Result<SpoolFile> {
    Ok(io::Cursor::new(Vec::new()))
}

impl Spool {
    fn push(&mut self, item: &[u8]) -> io::Result<()> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(BufWriter::new(spool_file()?)),
        };
        file.write_all(separator(self.count == 0))?;
        file.write_all(item)?;
        self.count += 1;
        Ok(())
    }

    /// Writes `"name": [ … ]` with the spooled items.
    fn write_array(self, out: &mut dyn Write, name: &str) -> io::Result<()> {
        write!(out, ",\n  \"{name}\": [")?;
        if let Some(file) = self.file {
            let mut file = file.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            io::copy(&mut io::BufReader::new(file), out)?;
        }
        close_array(out, self.count)
    }
}

impl JsonStream {
    pub fn start(out: &mut dyn Write) -> io::Result<JsonStream> {
        write!(out, "{{\n  \"version\": 1,\n  \"diagnostics\": [")?;
        Ok(JsonStream::default())
    }

    /// Writes a file's diagnostics; a failed write is kept for `finish` to report.
    pub fn add(&mut self, out: &mut dyn Write, outcome: &FileOutcome) {
        match Items::of(outcome) {
            Ok(items) => self.add_items(out, &items),
            Err(e) => {
                self.failed.get_or_insert(e);
            }
        }
    }

    /// Writes a file's items rendered beforehand ([`Items::of`], on the thread that
    /// checked the file).
    pub fn add_items(&mut self, out: &mut dyn Write, items: &Items) {
        if self.failed.is_none()
            && let Err(e) = self.write_items(out, items)
        {
            self.failed = Some(e);
        }
    }

    fn write_items(&mut self, out: &mut dyn Write, items: &Items) -> io::Result<()> {
        for d in items.diagnostics.iter() {
            out.write_all(separator(self.diagnostics == 0))?;
            out.write_all(d)?;
            self.diagnostics += 1;
        }
        for d in items.suppressed.iter() {
            self.suppressed.push(d)?;
        }
        for p in items.problems.iter() {
            self.problems.push(p)?;
        }
        Ok(())
    }

    pub fn finish(self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        close_array(out, self.diagnostics)?;
        self.suppressed.write_array(out, "suppressed")?;
        self.problems.write_array(out, "problems")?;
        write!(
            out,
            ",\n  \"files_checked\": {},\n  \"summary\": {}\n}}\n",
            summary.files_checked,
            indented(summary)?
        )
    }
}

/// The whole report at once, for callers that hold every outcome (tests, the LSP).
pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let mut out = Vec::new();
    let written = JsonStream::start(&mut out).and_then(|mut stream| {
        for o in outcomes {
            stream.add(&mut out, o);
        }
        stream.finish(&mut out, summary)
    });
    match written {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\":{:?}}}\n", e.to_string()),
    }
}

/// A file's array items as JSON text, each laid out as `serde_json`'s pretty printer
/// lays out a whole report. Rendering is most of the cost of a report with many
/// findings, so the threads that check files do it, and the writer only copies bytes.
#[derive(Debug, Default)]
pub struct Items {
    diagnostics: ItemList,
    suppressed: ItemList,
    problems: ItemList,
}

impl Items {
    pub fn of(outcome: &FileOutcome) -> io::Result<Items> {
        let mut items = Items::default();
        for d in &outcome.diagnostics {
            items.diagnostics.push(d)?;
        }
        for d in &outcome.suppressed {
            items.suppressed.push(d)?;
        }
        for p in &outcome.problems {
            items.problems.push(p)?;
        }
        Ok(items)
    }
}

/// Rendered items, one buffer for all of them.
#[derive(Debug, Default)]
struct ItemList {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl ItemList {
    /// Appends an item, each of its lines but the first indented by four more spaces.
    fn push(&mut self, item: &impl Serialize) -> io::Result<()> {
        let mut ser = serde_json::Serializer::with_formatter(&mut self.text, Nested::default());
        item.serialize(&mut ser).map_err(io::Error::other)?;
        self.ends.push(self.text.len());
        Ok(())
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start..end])
    }
}

/// `serde_json`'s pretty layout (two spaces a level) for a value nested two levels deep
/// in the report, written in one pass.
#[derive(Default)]
struct Nested {
    /// Levels open inside the item.
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn newline<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"\n    ")?;
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own when the collection is not empty.
    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(out)?;
        }
        out.write_all(bracket)
    }

    /// An array item or an object key starts a line, after a comma unless it is first.
    fn item<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.newline(out)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn separator(first: bool) -> &'static [u8] {
    if first { b"\n    " } else { b",\n    " }
}

fn close_array(out: &mut dyn Write, count: usize) -> io::Result<()> {
    if count == 0 {
        out.write_all(b"]")
    } else {
        out.write_all(b"\n  ]")
    }
}

/// Pretty JSON of a value nested one level deep (strings hold no raw newlines, so
/// indenting line by line is safe).
fn indented(value: &impl Serialize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    Ok(text.replace('\n', "\n  "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Diagnostic;

    /// A disk that fills up in the middle of a run: `finish` reports the failed write
    /// (and `check` then keeps the half report from replacing the output file).
    #[test]
    fn a_failed_write_is_reported_at_the_end() {
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.0 < buf.len() {
                    return Err(io::Error::other("disk full"));
                }
                self.0 -= buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let finding = crate::diagnostic::Finding {
            message: String::new(),
            code: "AD101",
            jurisdiction: "de".into(),
            severity: crate::diagnostic::Severity::Error,
            span: 0..7,
            label: "label".into(),
            secondary: vec![],
            note: String::new(),
            help: String::new(),
            fix: None,
            suggestions: vec![],
            snippet: "Anzeige".into(),
        };
        let outcome = FileOutcome {
            path: "a.md".into(),
            diagnostics: vec![crate::report::resolve("a.md", "Anzeige\n", &finding, None)],
            suppressed: vec![],
            problems: vec![],
            rendered: String::new(),
            lang: None,
            jurisdictions: vec![],
            fix_not_written: false,
        };
        // Room for the opening of the report, not for the diagnostic.
        let mut out = Full(40);
        let mut stream = JsonStream::start(&mut out).unwrap();
        stream.add(&mut out, &outcome);
        let err = stream
            .finish(&mut Vec::new(), &Summary::default())
            .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        // With room enough, the same report finishes.
        let mut room = Full(1 << 20);
        let mut stream = JsonStream::start(&mut room).unwrap();
        stream.add(&mut room, &outcome);
        assert!(stream.finish(&mut room, &Summary::default()).is_ok());
    }

    /// The streamed report is the document `serde_json` would print for the same
    /// values (keys in this module's order).
    #[test]
    fn streamed_equals_pretty_printed() {
        let source = "Anzeige \"quoted\"\nline two\n";
        let diag = |code: &'static str| -> Diagnostic {
            let finding = crate::diagnostic::Finding {
                message: String::new(),
                code,
                jurisdiction: "de".into(),
                severity: crate::diagnostic::Severity::Error,
                span: 0..7,
                label: "a \"label\"".into(),
                secondary: vec![],
                note: "note".into(),
                help: "help".into(),
                fix: None,
                suggestions: vec![],
                snippet: "Anzeige".into(),
            };
            super::super::resolve("a.md", source, &finding, None)
        };
        let outcome = FileOutcome {
            path: "a.md".into(),
            diagnostics: vec![diag("AD101"), diag("AD102")],
            suppressed: vec![diag("AD103")],
            problems: vec![],
            rendered: String::new(),
            lang: None,
            jurisdictions: vec![],
            fix_not_written: false,
        };
        let summary = Summary {
            files_checked: 1,
            errors: 2,
            ..Summary::default()
        };
        let streamed = render(&[outcome.clone(), outcome.clone()], &summary);
        let expected = serde_json::json!({
            "version": 1,
            "diagnostics": [&outcome.diagnostics[0], &outcome.diagnostics[1],
                            &outcome.diagnostics[0], &outcome.diagnostics[1]],
            "suppressed": [&outcome.suppressed[0], &outcome.suppressed[0]],
            "problems": [],
            "files_checked": 1,
            "summary": &summary,
        });
        let parsed: serde_json::Value = serde_json::from_str(&streamed).unwrap();
        assert_eq!(parsed, expected);
        // Same layout as serde_json's pretty printer, key for key.
        let mut pretty = String::new();
        pretty.push_str(&serde_json::to_string_pretty(&expected).unwrap());
        pretty.push('\n');
        let reorder = |s: &str| {
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            serde_json::to_string_pretty(&v).unwrap()
        };
        assert_eq!(reorder(&streamed), reorder(&pretty));
        assert!(streamed.starts_with("{\n  \"version\": 1,\n  \"diagnostics\": [\n    {"));
        assert!(streamed.ends_with("}\n}\n"));
    }
}
