//! Findings to output, sorted by file and position. Every format renders the same
//! findings; lines and columns are computed here, and only here.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Finding, Severity, Span};
use crate::{Checked, Problem};
use serde::Serialize;

/// Does this character change what a terminal or a log viewer shows, rather than show
/// itself? Control characters (escape sequences, bells, carriage returns, C1 controls)
/// and the bidirectional controls that reorder text ("Trojan Source": U+202E makes a
/// line read backwards) and the line and paragraph separators.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Text from a file name or a post, safe to print: every [`is_hostile`] character
/// written as an escape (`\u{1b}`, `\u{202e}`), except line breaks when `keep_lines`.
pub fn printable(s: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let escape = |c: char| is_hostile(c) && !(keep_lines && c == '\n');
    if !s.chars().any(escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn position(source: &str, offset: usize) -> (usize, usize) {
    crate::positions::line_col(source, offset)
}

/// One finding with everything a format needs, lines and columns resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub jurisdiction: String,
    pub message: String,
    pub label: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub start: usize,
    pub end: usize,
    pub note: String,
    pub help: String,
    pub snippet: String,
    pub secondary: Vec<SecondaryPosition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<crate::diagnostic::Fix>,
    /// Fixes that are only shown, never applied (see `Finding::suggestions`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<crate::diagnostic::Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<SuppressionInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecondaryPosition {
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuppressionInfo {
    pub reason: Option<String>,
}

/// A problem with a file (unreadable, broken front matter, unknown code in a comment).
#[derive(Debug, Clone, Serialize)]
pub struct FileProblem {
    pub path: String,
    pub severity: Severity,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The file could not be checked at all.
    pub fatal: bool,
    /// The post asks for what adlint cannot do (an unknown jurisdiction): like a bad
    /// argument, the run ends with exit 2 although the post was checked.
    #[serde(skip)]
    pub fails_run: bool,
}

/// What checking one file produced, ready to print.
#[derive(Debug, Clone, Default)]
pub struct FileOutcome {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: Vec<Diagnostic>,
    pub problems: Vec<FileProblem>,
    /// Human or short output for this file.
    pub rendered: String,
    pub lang: Option<String>,
    pub jurisdictions: Vec<String>,
    /// The file was checked, but its fix could not be written (counted apart from the
    /// files that could not be read).
    pub fix_not_written: bool,
}

pub fn resolve(
    path: &str,
    source: &str,
    f: &Finding,
    suppressed: Option<Option<String>>,
) -> Diagnostic {
    resolve_in(
        path,
        &crate::positions::LineIndex::new(source),
        f,
        suppressed,
    )
}

/// [`resolve`] with the file's line index built once for all its findings.
pub fn resolve_in(
    path: &str,
    lines: &crate::positions::LineIndex,
    f: &Finding,
    suppressed: Option<Option<String>>,
) -> Diagnostic {
    let rule = crate::judge::registry::find(f.code);
    let (line, column) = lines.line_col(f.span.start);
    let (end_line, end_column) = lines.line_col(f.span.end);
    Diagnostic {
        path: path.to_string(),
        code: f.code,
        name: rule.map_or("", |r| r.name),
        severity: f.severity,
        jurisdiction: f.jurisdiction.clone(),
        message: f.headline().to_string(),
        label: f.label.clone(),
        line,
        column,
        end_line,
        end_column,
        start: f.span.start,
        end: f.span.end,
        note: f.note.clone(),
        help: f.help.clone(),
        snippet: f.snippet.clone(),
        secondary: f
            .secondary
            .iter()
            .map(|s| {
                let (line, column) = lines.line_col(s.span.start);
                SecondaryPosition {
                    line,
                    column,
                    start: s.span.start,
                    end: s.span.end,
                    message: s.message.clone(),
                }
            })
            .collect(),
        fix: f.fix.clone(),
        suggestions: f.suggestions.clone(),
        suppressed: suppressed.map(|reason| SuppressionInfo { reason }),
    }
}

fn problem(path: &str, lines: &crate::positions::LineIndex, p: &Problem) -> FileProblem {
    let pos = p.span.as_ref().map(|s: &Span| lines.line_col(s.start));
    FileProblem {
        path: path.to_string(),
        severity: p.severity,
        message: p.message.clone(),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        fatal: false,
        fails_run: p.fails_run,
    }
}

/// Which output to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
}

/// Builds a file's outcome from a check, rendering text formats now so the source can
/// be dropped: memory stays bounded however many files a run has.
pub fn outcome(
    path: &str,
    source: &str,
    checked: &Checked,
    format: Format,
    color: bool,
) -> FileOutcome {
    // Most posts have no finding: their lines are never counted.
    let lines = std::cell::OnceCell::new();
    let lines = || lines.get_or_init(|| crate::positions::LineIndex::new(source));
    let diagnostics: Vec<Diagnostic> = checked
        .findings
        .iter()
        .map(|f| resolve_in(path, lines(), f, None))
        .collect();
    let suppressed = checked
        .suppressed
        .iter()
        .map(|s| resolve_in(path, lines(), &s.finding, Some(s.reason.clone())))
        .collect();
    let problems: Vec<FileProblem> = checked
        .problems
        .iter()
        .map(|p| problem(path, lines(), p))
        .collect();
    let rendered = match format {
        Format::Human => human::render(path, source, checked, color),
        Format::Short => human::render_short(&diagnostics, &problems),
        Format::Json => String::new(),
    };
    FileOutcome {
        path: path.to_string(),
        diagnostics,
        suppressed,
        problems,
        rendered,
        lang: checked.lang.clone(),
        jurisdictions: checked.jurisdictions.clone(),
        fix_not_written: false,
    }
}

/// An outcome for a file that could not be read.
pub fn failed(path: &str, message: String, format: Format, color: bool) -> FileOutcome {
    let p = FileProblem {
        path: path.to_string(),
        severity: Severity::Error,
        message,
        line: None,
        column: None,
        fatal: true,
        fails_run: false,
    };
    let rendered = match format {
        Format::Human => human::render_problem_line(&p, color),
        Format::Short => human::render_short(&[], std::slice::from_ref(&p)),
        Format::Json => String::new(),
    };
    FileOutcome {
        path: path.to_string(),
        problems: vec![p],
        rendered,
        ..FileOutcome::default()
    }
}

/// Totals for the summary line and the JSON summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files_checked: usize,
    pub files_with_findings: usize,
    pub files_failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
    pub problems: usize,
    /// Files checked whose fix could not be written.
    #[serde(skip_serializing_if = "is_zero")]
    pub fixes_not_written: usize,
    pub elapsed_ms: u128,
    /// Files with a finding or a problem (the "7" of "in 7 of 14 files").
    #[serde(skip)]
    pub files_flagged: usize,
    /// Problems that end the run with exit 2 (an unknown jurisdiction in front matter).
    #[serde(skip)]
    pub invalid: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    pub fn add(&mut self, o: &FileOutcome) {
        // A fix that could not be written is not a file that could not be read.
        let fatal = o.problems.iter().any(|p| p.fatal) && !o.fix_not_written;
        self.fixes_not_written += usize::from(o.fix_not_written);
        if fatal {
            self.files_failed += 1;
        } else {
            self.files_checked += 1;
        }
        if !o.diagnostics.is_empty() {
            self.files_with_findings += 1;
        }
        for d in &o.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.notes += 1,
            }
        }
        let problem = o
            .problems
            .iter()
            .any(|p| !p.fatal && p.severity == Severity::Error);
        if !o.diagnostics.is_empty() || problem {
            self.files_flagged += 1;
        }
        self.invalid += o.problems.iter().filter(|p| p.fails_run).count();
        self.suppressed += o.suppressed.len();
        self.problems += o
            .problems
            .iter()
            .filter(|p| !p.fatal && p.severity == Severity::Error)
            .count();
        // A warning about the file (an adlint comment never closed) is a warning too:
        // "0 warnings" after thousands of them told nothing.
        self.warnings += o
            .problems
            .iter()
            .filter(|p| !p.fatal && p.severity == Severity::Warning)
            .count();
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn hostile_characters_are_escaped() {
        assert_eq!(printable("plain ä 🚀\ttab", false), "plain ä 🚀\ttab");
        assert_eq!(
            printable("a\u{1b}]0;x\u{7}b\rc\u{9b}d", false),
            "a\\u{1b}]0;x\\u{7}b\\u{d}c\\u{9b}d"
        );
        assert_eq!(
            printable("code \u{202e}02ANNA", false),
            "code \\u{202e}02ANNA"
        );
        assert_eq!(printable("two\nlines", true), "two\nlines");
        assert_eq!(printable("two\nlines", false), "two\\u{a}lines");
    }
}
