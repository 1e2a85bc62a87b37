//! `--format junit`: JUnit XML, the de-facto test report format of Ant and Maven
//! Surefire that GitLab (`artifacts: reports: junit:`), Jenkins, Azure Pipelines and
//! CircleCI show as test results. There is no formal spec; this follows the shape those
//! tools share (<https://github.com/testmoapp/junitxml>).
//!
//! Each checked file is a test case (`classname="adlint"`, `name=<path>`): it fails with
//! one `<failure type="<code>">` per error or warning, and errs (`<error>`) when the file
//! could not be read. Notes do not fail a file; they go to its `<system-out>`.

use super::{Diagnostic, FileOutcome, FileProblem, Summary};
use crate::diagnostic::Severity;
use std::fmt::Write;

/// The `type` of a failure that is a problem with the file, not a finding.
const PROBLEM_TYPE: &str = "adlint-problem";

pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let mut cases = String::new();
    let (mut failures, mut errors) = (0, 0);
    for o in outcomes {
        // Counted per test case, as consumers compute "passed = tests - failures -
        // errors": a file with three findings is one failed test.
        match outcome_of(o) {
            Outcome::Error => errors += 1,
            Outcome::Failure => failures += 1,
            Outcome::Pass => {}
        }
        cases.push_str(&testcase(o));
    }
    let counts = format!(
        r#"tests="{}" failures="{failures}" errors="{errors}" time="{:.3}""#,
        outcomes.len(),
        summary.elapsed_ms as f64 / 1000.0
    );
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, r#"<testsuites name="adlint" {counts}>"#);
    let _ = writeln!(out, r#"  <testsuite name="adlint" {counts} skipped="0">"#);
    out.push_str(&cases);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

enum Outcome {
    Pass,
    Failure,
    Error,
}

/// Mirrors what [`testcase`] writes: an `<error>` for a fatal problem, a `<failure>`
/// for any other problem or finding above note.
fn outcome_of(o: &FileOutcome) -> Outcome {
    if o.problems.iter().any(|p| p.fatal) {
        Outcome::Error
    } else if o.problems.iter().any(|p| p.severity != Severity::Note)
        || o.diagnostics.iter().any(|d| d.severity != Severity::Note)
    {
        Outcome::Failure
    } else {
        Outcome::Pass
    }
}

fn testcase(o: &FileOutcome) -> String {
    let mut body = String::new();
    let mut system_out = Vec::new();
    for p in &o.problems {
        if p.fatal {
            let _ = writeln!(
                body,
                r#"      <error type="{}" message="{}">{}</error>"#,
                PROBLEM_TYPE,
                escape(&p.message),
                escape(&problem_text(p))
            );
        } else if p.severity == Severity::Note {
            system_out.push(problem_text(p));
        } else {
            let _ = writeln!(
                body,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                PROBLEM_TYPE,
                escape(&p.message),
                escape(&problem_text(p))
            );
        }
    }
    for d in &o.diagnostics {
        if d.severity == Severity::Note {
            system_out.push(finding_text(d));
            continue;
        }
        let _ = writeln!(
            body,
            r#"      <failure type="{}" message="{}">{}</failure>"#,
            escape(d.code),
            escape(&headline(d)),
            escape(&finding_text(d))
        );
    }
    if !system_out.is_empty() {
        let _ = writeln!(
            body,
            "      <system-out>{}</system-out>",
            escape(&system_out.join("\n\n"))
        );
    }
    let open = format!(
        r#"    <testcase classname="adlint" name="{}" time="0""#,
        escape(&o.path)
    );
    if body.is_empty() {
        format!("{open}/>\n")
    } else {
        format!("{open}>\n{body}    </testcase>\n")
    }
}

/// `<summary>: <label> [<jurisdiction>]`: short enough for the one-line `message`.
fn headline(d: &Diagnostic) -> String {
    format!("{}: {} [{}]", d.message, d.label, d.jurisdiction)
}

/// The failure's text: where, what, and the note and help a reader needs to act.
fn finding_text(d: &Diagnostic) -> String {
    let mut s = format!(
        "{}:{}:{}: {}[{}]: {}",
        d.path,
        d.line,
        d.column,
        d.severity,
        d.code,
        headline(d)
    );
    if !d.note.is_empty() {
        let _ = write!(s, "\nnote: {}", d.note);
    }
    if !d.help.is_empty() {
        let _ = write!(s, "\nhelp: {}", d.help);
    }
    if let Some(fix) = &d.fix {
        let _ = write!(s, "\nfix: {}", fix.title);
    }
    for suggestion in &d.suggestions {
        let _ = write!(s, "\nsuggestion: {}", suggestion.title);
    }
    s
}

fn problem_text(p: &FileProblem) -> String {
    match (p.line, p.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {}: {}", p.path, p.severity, p.message),
        (Some(l), None) => format!("{}:{l}: {}: {}", p.path, p.severity, p.message),
        _ => format!("{}: {}: {}", p.path, p.severity, p.message),
    }
}

/// Escapes text for XML 1.0 content and attribute values alike. Characters XML cannot
/// carry at all (control characters other than tab and line breaks) become U+FFFD;
/// tab and line breaks become references so attribute values keep them.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(path: &str, code: &'static str, severity: Severity, line: usize) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            code,
            name: "undisclosed-affiliate-link",
            severity,
            jurisdiction: "de".to_string(),
            message: "affiliate link without a disclosure".to_string(),
            label: "this link carries an \"Amazon\" tag & <no> marker".to_string(),
            line,
            column: 22,
            end_line: line,
            end_column: 40,
            start: 100,
            end: 118,
            note: "AD102 under Germany (DE)".to_string(),
            help: "mark the link: `(Werbelink)`".to_string(),
            snippet: String::new(),
            secondary: vec![],
            fix: None,
            suggestions: vec![],
            suppressed: None,
        }
    }

    fn file(path: &str, diagnostics: Vec<Diagnostic>, problems: Vec<FileProblem>) -> FileOutcome {
        FileOutcome {
            path: path.to_string(),
            diagnostics,
            problems,
            ..FileOutcome::default()
        }
    }

    fn unreadable(path: &str) -> FileProblem {
        FileProblem {
            path: path.to_string(),
            severity: Severity::Error,
            message: "could not read: invalid UTF-8".to_string(),
            line: None,
            column: None,
            fatal: true,
            fails_run: false,
        }
    }

    fn sample() -> String {
        let outcomes = vec![
            file(
                "de/powerbanks.md",
                vec![
                    diag("de/powerbanks.md", "AD102", Severity::Error, 7),
                    diag("de/powerbanks.md", "AD203", Severity::Warning, 9),
                ],
                vec![],
            ),
            file("de/clean.md", vec![], vec![]),
            file(
                "de/noted.md",
                vec![diag("de/noted.md", "AD303", Severity::Note, 3)],
                vec![],
            ),
            file(
                "de/it's <odd>.md",
                vec![],
                vec![unreadable("de/it's <odd>.md")],
            ),
        ];
        let summary = Summary {
            elapsed_ms: 12,
            ..Summary::default()
        };
        render(&outcomes, &summary)
    }

    #[test]
    fn counts_and_structure() {
        let xml = sample();
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"adlint\""
        ));
        assert!(xml.contains(
            r#"<testsuite name="adlint" tests="4" failures="1" errors="1" time="0.012" skipped="0">"#
        ));
        assert_eq!(xml.matches("<testcase ").count(), 4);
        assert_eq!(xml.matches("<failure ").count(), 2);
        assert_eq!(xml.matches("<error ").count(), 1);
        assert!(xml.contains(r#"<testcase classname="adlint" name="de/clean.md" time="0"/>"#));
        assert!(xml.trim_end().ends_with("</testsuites>"));
    }

    #[test]
    fn failures_name_code_place_note_and_help() {
        let xml = sample();
        assert!(xml.contains(
            r#"<failure type="AD102" message="affiliate link without a disclosure: this link carries an &quot;Amazon&quot; tag &amp; &lt;no&gt; marker [de]">"#
        ));
        assert!(xml.contains(
            "de/powerbanks.md:7:22: error[AD102]: affiliate link without a disclosure: this link carries an &quot;Amazon&quot; tag &amp; &lt;no&gt; marker [de]&#10;note: AD102 under Germany (DE)&#10;help: mark the link: `(Werbelink)`</failure>"
        ));
        assert!(xml.contains(r#"<failure type="AD203""#));
    }

    #[test]
    fn notes_do_not_fail_a_file() {
        let xml = sample();
        assert!(!xml.contains(r#"type="AD303""#));
        assert!(xml.contains("<system-out>de/noted.md:3:22: note[AD303]"));
    }

    #[test]
    fn unreadable_files_are_errors_with_escaped_names() {
        let xml = sample();
        assert!(xml.contains(
            r#"<testcase classname="adlint" name="de/it&apos;s &lt;odd&gt;.md" time="0">"#
        ));
        assert!(xml.contains(
            r#"<error type="adlint-problem" message="could not read: invalid UTF-8">de/it&apos;s &lt;odd&gt;.md: error: could not read: invalid UTF-8</error>"#
        ));
    }

    #[test]
    fn non_fatal_problems_fail_the_file() {
        let mut p = unreadable("de/a.md");
        p.fatal = false;
        p.message = "front matter is not valid YAML".to_string();
        p.line = Some(2);
        p.column = Some(1);
        let xml = render(&[file("de/a.md", vec![], vec![p])], &Summary::default());
        assert!(xml.contains(r#"failures="1" errors="0""#));
        assert!(xml.contains(">de/a.md:2:1: error: front matter is not valid YAML</failure>"));
    }

    #[test]
    fn escapes_everything_xml_cannot_carry() {
        assert_eq!(escape(r#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
        assert_eq!(escape("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(escape("bell\u{7}\u{FFFF}"), "bell\u{FFFD}\u{FFFD}");
        assert_eq!(escape("Größe ✓"), "Größe ✓");
    }

    #[test]
    fn no_files_is_an_empty_suite() {
        let xml = render(&[], &Summary::default());
        assert!(xml.contains(r#"<testsuite name="adlint" tests="0" failures="0" errors="0""#));
        assert!(!xml.contains("<testcase"));
    }
}
