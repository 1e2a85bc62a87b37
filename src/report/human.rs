//! rustc-style output through codespan-reporting, and the one-line `short` format.

use super::{Diagnostic, FileProblem, Summary};
use crate::Checked;
use crate::diagnostic::{Finding, Severity};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use std::io::Write;
use termcolor::{Buffer, Color, ColorSpec, WriteColor};

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note => CsSeverity::Note,
    }
}

fn buffer(color: bool) -> Buffer {
    if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    }
}

fn clamp(source: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = crate::positions::floor_char_boundary(source, span.start);
    let end = crate::positions::floor_char_boundary(source, span.end.max(start));
    start..end
}

/// A source line longer than this (in bytes) is not shown under a finding, only its
/// place: printed under each of thousands of findings on one line (a paragraph of
/// links), the output would grow with their square (500 links: 18 MB).
const MAX_SHOWN_LINE: usize = 1000;

/// Every finding and problem of one file, rendered like rustc.
pub fn render(path: &str, source: &str, checked: &Checked, color: bool) -> String {
    // Most posts have no finding: their lines are never counted.
    let lines = std::cell::OnceCell::new();
    let lines = || lines.get_or_init(|| crate::positions::LineIndex::new(source));
    let long =
        |span: &std::ops::Range<usize>| lines().line_range(span.start).len() > MAX_SHOWN_LINE;
    let at = |span: &std::ops::Range<usize>| {
        let (line, column) = lines().line_col(span.start);
        format!("{}:{line}:{column}", super::printable(path, false))
    };
    // Control characters in a post (escape sequences) must not reach the terminal; each
    // becomes one printable byte, so spans stay where they are. A lone carriage return
    // (old Mac line end) becomes `\n`: it is a line break, as everywhere in adlint.
    let shown = sanitise(source);
    let source = shown.as_str();
    // File names and text quoted from the post may hold escapes too (item 18).
    let text = |s: &str| super::printable(s, true).into_owned();
    let file = SimpleFile::new(super::printable(path, false), source);
    let config = Config::default();
    let mut out = buffer(color);
    for p in &checked.problems {
        let mut d = CsDiagnostic::new(cs_severity(p.severity)).with_message(text(&p.message));
        match &p.span {
            Some(span) if long(span) => d = d.with_notes(vec![format!("at {}", at(span))]),
            Some(span) => d = d.with_label(Label::primary((), clamp(source, span.clone()))),
            None => {}
        }
        let _ = term::emit_to_write_style(&mut out, &config, &file, &d);
    }
    for group in group_by_place(&checked.findings) {
        let f = group[0];
        if crate::judge::registry::find(f.code).is_none() {
            continue;
        }
        let mut labels = Vec::new();
        let mut places = Vec::new();
        if long(&f.span) || f.secondary.iter().any(|s| long(&s.span)) {
            // The places alone, each with what its label would say.
            places.push(format!("at {}: {}", at(&f.span), text(&f.label)));
            for s in &f.secondary {
                places.push(format!("see {}: {}", at(&s.span), text(&s.message)));
            }
        } else {
            labels.push(
                Label::primary((), clamp(source, f.span.clone())).with_message(text(&f.label)),
            );
            for s in &f.secondary {
                labels.push(
                    Label::secondary((), clamp(source, s.span.clone()))
                        .with_message(text(&s.message)),
                );
            }
        }
        let codes: Vec<String> = group
            .iter()
            .map(|g| g.jurisdiction.to_uppercase())
            .collect();
        let mut notes = places;
        notes.extend(group.iter().map(|g| format!("note: {}", g.note)));
        // One label often satisfies several markets ("Werbung" for DE, AT and CH): then
        // say it once, for all of them.
        let same_fix = group
            .iter()
            .all(|g| g.fix.as_ref().map(|x| &x.edits) == f.fix.as_ref().map(|x| &x.edits));
        if group.len() > 1 && same_fix && f.fix.is_some() {
            notes.push(format!(
                "help: {} (this satisfies {})",
                f.help,
                codes.join(", ")
            ));
        } else if group.len() > 1 {
            notes.extend(
                group
                    .iter()
                    .map(|g| format!("help ({}): {}", g.jurisdiction.to_uppercase(), g.help)),
            );
        } else {
            notes.push(format!("help: {}", f.help));
        }
        match &f.fix {
            Some(fix) if fix.applicability == crate::diagnostic::Applicability::Safe => {
                notes.push(format!("fix: {}", fix.title));
            }
            Some(fix) => notes.push(format!(
                "suggested fix (only with --unsafe-fixes): {}",
                fix.title
            )),
            None => {}
        }
        let mut suggested: Vec<&str> = Vec::new();
        for s in group.iter().flat_map(|g| &g.suggestions) {
            if !suggested.contains(&s.title.as_str()) {
                suggested.push(&s.title);
                notes.push(format!("suggestion (not applied by --fix): {}", s.title));
            }
        }
        // Two findings of one market at one place (a post-level and a per-link AD102)
        // name the market once.
        let mut jurisdictions: Vec<&str> = Vec::new();
        for g in group {
            if !jurisdictions.contains(&g.jurisdiction.as_str()) {
                jurisdictions.push(&g.jurisdiction);
            }
        }
        let d = CsDiagnostic::new(cs_severity(f.severity))
            .with_code(f.code)
            .with_message(format!("{} [{}]", f.headline(), jurisdictions.join(", ")))
            .with_labels(labels)
            .with_notes(notes.iter().map(|n| text(n)).collect());
        let _ = term::emit_to_write_style(&mut out, &config, &file, &d);
    }
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// The source as shown under findings: each hostile character (see
/// [`super::is_hostile`]) becomes a printable one of the same length in bytes and
/// characters, so that spans and columns stay where they are: `?` for one byte, `¿`
/// for two (C1 controls, U+061C), `�` for three (bidirectional controls).
fn sanitise(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    for (i, c) in source.char_indices() {
        if c == '\r' && crate::positions::is_line_end(bytes, i) {
            out.push('\n');
        } else if c != '\n' && super::is_hostile(c) {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{fffd}',
            });
        } else {
            out.push(c);
        }
    }
    out
}

/// Findings of several jurisdictions about the same problem at the same place are shown
/// once, with every jurisdiction that raises it (findings arrive sorted by place).
pub fn group_by_place(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for f in findings {
        // Only the groups at the same start can match: looking further back would be
        // quadratic over thousands of findings.
        match groups
            .iter_mut()
            .rev()
            .take_while(|g| g[0].span.start == f.span.start)
            .find(|g| g[0].code == f.code && g[0].span == f.span && g[0].severity == f.severity)
        {
            Some(g) => g.push(f),
            None => groups.push(vec![f]),
        }
    }
    groups
}

/// A file-level error with no source to show.
pub fn render_problem_line(p: &FileProblem, color: bool) -> String {
    let mut out = buffer(color);
    let _ = out.set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true));
    let _ = write!(out, "error");
    let _ = out.reset();
    let _ = writeln!(
        out,
        ": {}: {}\n",
        super::printable(&p.path, false),
        super::printable(&p.message, true)
    );
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// `path:line:col: severity[CODE] message (jurisdiction)`: one line per finding.
pub fn render_short(diagnostics: &[Diagnostic], problems: &[FileProblem]) -> String {
    // One line per finding: line breaks are escaped too.
    let p = |s: &str| super::printable(s, false).into_owned();
    let mut s = String::new();
    for pr in problems {
        let (path, message) = (p(&pr.path), p(&pr.message));
        match (pr.line, pr.column) {
            (Some(l), Some(c)) => {
                s.push_str(&format!("{path}:{l}:{c}: {}: {message}\n", pr.severity))
            }
            _ => s.push_str(&format!("{path}: {}: {message}\n", pr.severity)),
        }
    }
    for d in diagnostics {
        s.push_str(&format!(
            "{}:{}:{}: {}[{}] {}: {} [{}]\n",
            p(&d.path),
            d.line,
            d.column,
            d.severity,
            d.code,
            d.message,
            p(&d.label),
            d.jurisdiction
        ));
    }
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "a, b and c".
fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The closing line, as ruff's or rustc's: what was found in how many files, and,
/// where the exit code is not plain from the counts, why it is what it is (a file
/// that could not be read, a post adlint could not read as a post, warnings only).
pub fn summary_line(s: &Summary, color: bool) -> String {
    let mut out = buffer(color);
    let secs = s.elapsed_ms as f64 / 1000.0;
    let files = s.files_checked + s.files_failed;
    let files_text = plural(files, "file", "files");
    let bold = ColorSpec::new().set_bold(true).clone();
    let mut parts = Vec::new();
    for (n, one, many) in [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.notes, "note", "notes"),
        (s.problems, "problem", "problems"),
    ] {
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    }
    let suppressed = if s.suppressed > 0 {
        format!(", {} suppressed", s.suppressed)
    } else {
        String::new()
    };
    let _ = out.set_color(&bold);
    if parts.is_empty() && s.files_failed == 0 {
        let _ = write!(out, "All checked");
        let _ = out.reset();
        let _ = write!(
            out,
            ": no problems in {files_text}{suppressed} ({secs:.2}s)"
        );
    } else if parts.is_empty() {
        let _ = write!(out, "Checked");
        let _ = out.reset();
        let _ = write!(
            out,
            " {}{suppressed} ({secs:.2}s)",
            plural(s.files_checked, "file", "files")
        );
    } else {
        let _ = write!(out, "Found");
        let _ = out.reset();
        let _ = write!(
            out,
            " {} in {} of {files_text}{suppressed} ({secs:.2}s)",
            and_list(&parts),
            s.files_flagged
        );
    }
    // Why the exit code is what it is, where the counts alone do not say.
    let why = if s.files_failed > 0 {
        Some(format!(
            "exit 2: {} could not be read",
            plural(s.files_failed, "file", "files")
        ))
    } else if s.invalid > 0 {
        Some(format!(
            "exit 2: {} a jurisdiction adlint does not know",
            plural(s.invalid, "post names", "posts name")
        ))
    } else if s.errors == 0 && s.problems > 0 {
        Some(format!(
            "exit 1: {} could not be read as a post (broken front matter)",
            plural(s.problems, "post", "posts")
        ))
    } else if s.errors == 0 && s.warnings + s.notes > 0 {
        Some("exit 0: warnings and notes do not fail the run".to_string())
    } else {
        None
    };
    if let Some(why) = why {
        let _ = write!(out, "; {why}");
    }
    if s.fixes_not_written > 0 {
        let _ = write!(
            out,
            "; the fixes of {} could not be written",
            plural(s.fixes_not_written, "file", "files")
        );
    }
    let _ = writeln!(out);
    String::from_utf8_lossy(out.as_slice()).into_owned()
}
