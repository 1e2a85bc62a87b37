//! `--format github`: GitHub Actions workflow commands
//! (<https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>),
//! one `::error`, `::warning` or `::notice` line per finding, which the runner turns
//! into annotations on the pull request's diff:
//!
//! ```text
//! ::error file=de/a.md,line=7,col=22,endLine=7,endColumn=40,title=AD102 affiliate link without a disclosure::this link … [de]. mark the link …
//! ```
//!
//! Values are escaped as the Actions toolkit does (`escapeData`, `escapeProperty` in
//! `@actions/core`): `%`, CR and LF everywhere, and `:` and `,` in properties too.
//!
//! GitHub shows at most 10 annotations of each severity per step, so [`step_summary`]
//! renders every finding as a Markdown table for `$GITHUB_STEP_SUMMARY`.

use super::sarif::repo_path;
use super::{Diagnostic, FileOutcome, FileProblem, Summary};
use crate::diagnostic::Severity;
use std::fmt::Write;

pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let _ = summary; // the runner counts annotations itself
    let mut out = String::new();
    for o in outcomes {
        for p in &o.problems {
            out.push_str(&problem(p));
        }
        for d in &o.diagnostics {
            out.push_str(&annotation(d));
        }
    }
    out
}

fn annotation(d: &Diagnostic) -> String {
    let mut props = format!(
        "file={},line={}",
        property(&shown(&repo_path(&d.path))),
        d.line
    );
    // Columns only mean something on one line: GitHub refuses `col`/`endColumn` on an
    // annotation whose start and end lines differ.
    if d.line == d.end_line {
        let _ = write!(
            props,
            ",col={},endLine={},endColumn={}",
            d.column, d.end_line, d.end_column
        );
    } else {
        let _ = write!(props, ",endLine={}", d.end_line);
    }
    let title = format!("{} {}", d.code, d.message);
    let _ = write!(props, ",title={}", property(title.trim()));
    format!(
        "::{} {props}::{}\n",
        command(d.severity),
        data(&shown(&text(d)))
    )
}

/// `<label> [<jurisdiction>]. <help>`: the title already names the code and summary.
fn text(d: &Diagnostic) -> String {
    let mut s = format!("{} [{}]", d.label, d.jurisdiction);
    if !d.help.is_empty() {
        let _ = write!(s, ". {}", d.help);
    }
    s
}

fn problem(p: &FileProblem) -> String {
    let mut props = format!("file={}", property(&shown(&repo_path(&p.path))));
    if let Some(line) = p.line {
        let _ = write!(props, ",line={line}");
        if let Some(col) = p.column {
            let _ = write!(props, ",col={col}");
        }
    }
    props.push_str(",title=adlint");
    format!(
        "::{} {props}::{}\n",
        command(p.severity),
        data(&shown(&p.message))
    )
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Escapes and bidirectional controls from file names and posts, escaped: the log
/// viewer would act on them. Line breaks are kept for [`data`] to encode.
fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if super::is_hostile(c) && c != '\n' && c != '\r' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A command's message: `%` first, so the escapes it introduces are not escaped again.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: the message escapes plus the separators `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Rows beyond this are counted, not listed: GitHub refuses a step summary over 1 MiB.
const MAX_ROWS: usize = 1000;

/// Every finding and unreadable file as Markdown, to append to `$GITHUB_STEP_SUMMARY`.
pub fn step_summary(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let mut out = String::from("## adlint\n\n");
    let _ = writeln!(out, "{}\n", totals(summary));
    let findings: Vec<&Diagnostic> = outcomes.iter().flat_map(|o| &o.diagnostics).collect();
    if !findings.is_empty() {
        out.push_str("| file | line | code | jurisdiction | message |\n");
        out.push_str("|---|---:|---|---|---|\n");
        for d in findings.iter().take(MAX_ROWS) {
            let mut message = format!("{}: {}", d.message, d.label);
            if !d.help.is_empty() {
                let _ = write!(message, ". {}", d.help);
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&repo_path(&d.path)),
                d.line,
                cell(d.code),
                cell(&d.jurisdiction),
                cell(&message)
            );
        }
        if findings.len() > MAX_ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more findings; the job log lists them all.",
                findings.len() - MAX_ROWS
            );
        }
    }
    let problems: Vec<&FileProblem> = outcomes.iter().flat_map(|o| &o.problems).collect();
    if !problems.is_empty() {
        out.push_str("\n### Problems\n\n| file | line | message |\n|---|---:|---|\n");
        for p in problems {
            let line = p.line.map_or_else(String::new, |l| l.to_string());
            let _ = writeln!(
                out,
                "| {} | {line} | {} |",
                cell(&repo_path(&p.path)),
                cell(&p.message)
            );
        }
    }
    out
}

fn totals(s: &Summary) -> String {
    let files = s.files_checked + s.files_failed;
    if s.errors + s.warnings + s.notes == 0 {
        return format!("No findings in {files} {}.", plural(files, "file"));
    }
    let mut parts = vec![
        plural_count(s.errors, "error"),
        plural_count(s.warnings, "warning"),
    ];
    if s.notes > 0 {
        parts.push(plural_count(s.notes, "note"));
    }
    format!(
        "Found {} in {files} {} ({} with findings).",
        parts.join(", "),
        plural(files, "file"),
        s.files_with_findings
    )
}

fn plural_count(n: usize, word: &str) -> String {
    format!("{n} {}", plural(n, word))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Text safe inside a table cell: `|` would end the cell, a line break the row, and
/// `<`/`&` could open HTML (labels quote raw `<a href>` tags from posts).
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(path: &str, severity: Severity, line: usize, end_line: usize) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            code: "AD102",
            name: "undisclosed-affiliate-link",
            severity,
            jurisdiction: "de".to_string(),
            message: "affiliate link without a disclosure".to_string(),
            label: "this link carries an Amazon Associates affiliate tag".to_string(),
            line,
            column: 22,
            end_line,
            end_column: 40,
            start: 100,
            end: 118,
            note: "AD102 under Germany".to_string(),
            help: "mark the link: `(Werbelink)`".to_string(),
            snippet: String::new(),
            secondary: vec![],
            fix: None,
            suggestions: vec![],
            suppressed: None,
        }
    }

    fn file(path: &str, diagnostics: Vec<Diagnostic>) -> FileOutcome {
        FileOutcome {
            path: path.to_string(),
            diagnostics,
            ..FileOutcome::default()
        }
    }

    #[test]
    fn one_command_per_finding() {
        let out = render(
            &[file(
                "./de/powerbanks.md",
                vec![
                    diag("./de/powerbanks.md", Severity::Error, 7, 7),
                    diag("./de/powerbanks.md", Severity::Warning, 9, 9),
                    diag("./de/powerbanks.md", Severity::Note, 11, 11),
                ],
            )],
            &Summary::default(),
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=de/powerbanks.md,line=7,col=22,endLine=7,endColumn=40,\
             title=AD102 affiliate link without a disclosure\
             ::this link carries an Amazon Associates affiliate tag [de]. mark the link: `(Werbelink)`"
        );
        assert!(lines[1].starts_with("::warning file=de/powerbanks.md,line=9,"));
        assert!(lines[2].starts_with("::notice file=de/powerbanks.md,line=11,"));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn columns_only_on_one_line() {
        let out = annotation(&diag("a.md", Severity::Error, 7, 9));
        assert!(
            out.starts_with("::error file=a.md,line=7,endLine=9,title="),
            "{out}"
        );
        assert!(!out.contains("col="));
    }

    #[test]
    fn escapes_data_and_properties() {
        let mut d = diag("de/a,b:c%.md", Severity::Error, 1, 1);
        d.label = "50% off\r\nwith code: X, Y".to_string();
        let out = annotation(&d);
        assert!(out.contains("file=de/a%2Cb%3Ac%25.md,"), "{out}");
        // In the message only %, CR and LF are escaped; `:` and `,` stay.
        assert!(
            out.contains("::50%25 off%0D%0Awith code: X, Y [de]"),
            "{out}"
        );
        assert_eq!(out.matches('\n').count(), 1);
        assert_eq!(property("a:b,c%d\n"), "a%3Ab%2Cc%25d%0A");
        // Terminal escapes and bidirectional controls are written as escapes.
        d.label = "x\u{1b}[2J\u{202e}y".to_string();
        assert!(annotation(&d).contains("::x\\u{1b}[2J\\u{202e}y [de]"));
        assert_eq!(data("100%\n"), "100%25%0A");
    }

    #[test]
    fn unreadable_files_are_errors() {
        let o = FileOutcome {
            path: "de/x.md".to_string(),
            problems: vec![FileProblem {
                path: "de/x.md".to_string(),
                severity: Severity::Error,
                message: "could not read: invalid UTF-8".to_string(),
                line: None,
                column: None,
                fatal: true,
                fails_run: false,
            }],
            ..FileOutcome::default()
        };
        assert_eq!(
            render(&[o], &Summary::default()),
            "::error file=de/x.md,title=adlint::could not read: invalid UTF-8\n"
        );
    }

    #[test]
    fn step_summary_tables_every_finding() {
        let mut d = diag("de/a|b.md", Severity::Error, 7, 7);
        d.label = "raw <a href=\"x\"> link\nhere".to_string();
        let summary = Summary {
            files_checked: 14,
            files_with_findings: 1,
            errors: 1,
            ..Summary::default()
        };
        let md = step_summary(&[file("de/a|b.md", vec![d])], &summary);
        assert!(
            md.starts_with(
                "## adlint\n\nFound 1 error, 0 warnings in 14 files (1 with findings).\n\n"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "| file | line | code | jurisdiction | message |\n|---|---:|---|---|---|\n"
            )
        );
        assert!(md.contains(
            "| de/a\\|b.md | 7 | AD102 | de | affiliate link without a disclosure: raw &lt;a href=\"x\"&gt; link here. mark the link: `(Werbelink)` |\n"
        ), "{md}");
    }

    #[test]
    fn step_summary_without_findings() {
        let summary = Summary {
            files_checked: 3,
            ..Summary::default()
        };
        assert_eq!(
            step_summary(&[], &summary),
            "## adlint\n\nNo findings in 3 files.\n\n"
        );
    }

    #[test]
    fn step_summary_caps_rows_and_lists_problems() {
        let many: Vec<Diagnostic> = (1..=MAX_ROWS + 5)
            .map(|l| diag("a.md", Severity::Warning, l, l))
            .collect();
        let mut o = file("a.md", many);
        o.problems.push(FileProblem {
            path: "a.md".to_string(),
            severity: Severity::Warning,
            message: "unknown code AD999 in a comment".to_string(),
            line: Some(3),
            column: Some(1),
            fatal: false,
            fails_run: false,
        });
        let md = step_summary(&[o], &Summary::default());
        assert_eq!(md.matches("| a.md | ").count(), MAX_ROWS + 1);
        assert!(md.contains("… and 5 more findings"));
        assert!(md.contains("### Problems\n\n| file | line | message |\n|---|---:|---|\n| a.md | 3 | unknown code AD999 in a comment |\n"));
    }
}
