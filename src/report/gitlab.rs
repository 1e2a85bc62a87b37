//! `--format gitlab`: a GitLab Code Quality report, the subset of the Code Climate
//! issue format GitLab reads (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>):
//! a JSON array of `{description, check_name, fingerprint, severity, location: {path,
//! lines: {begin}}}`, uploaded as `artifacts: reports: codequality:`.
//!
//! The fingerprint is the one SARIF uses, so both name a finding alike; GitLab compares
//! it between the source and target branch to tell new findings from old ones.

use super::sarif::{fingerprints, fnv1a64, message, repo_path};
use super::{FileOutcome, FileProblem, Summary};
use crate::diagnostic::Severity;
use serde::Serialize;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// The name files that could not be checked are reported under, so they are not missing
/// from the merge request silently.
const PROBLEM_CHECK: &str = "adlint-problem";

pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let _ = summary; // GitLab counts the issues itself
    let mut issues = Vec::new();
    for o in outcomes {
        for (d, fingerprint) in o.diagnostics.iter().zip(fingerprints(&o.diagnostics)) {
            issues.push(Issue {
                description: message(d),
                check_name: d.code.to_string(),
                fingerprint,
                severity: severity(d.severity),
                location: Location {
                    path: repo_path(&d.path),
                    lines: Lines { begin: d.line },
                },
            });
        }
        issues.extend(o.problems.iter().map(problem));
    }
    let mut s =
        serde_json::to_string_pretty(&issues).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn problem(p: &FileProblem) -> Issue {
    let path = repo_path(&p.path);
    let key = format!("{path}\0{PROBLEM_CHECK}\0{}", p.message);
    Issue {
        description: p.message.clone(),
        check_name: PROBLEM_CHECK.to_string(),
        // Problems have no snippet, so their message stands in for it.
        fingerprint: format!("{:016x}", fnv1a64(key.as_bytes())),
        severity: severity(p.severity),
        // GitLab needs a line; a file that could not be read has none, so its first.
        location: Location {
            path,
            lines: Lines {
                begin: p.line.unwrap_or(1),
            },
        },
    }
}

/// Code Climate has five levels (info, minor, major, critical, blocker); ours map to the
/// middle three, so an error shows as a real problem without claiming to be a blocker.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Diagnostic;
    use serde_json::{Value, json};

    fn diag(path: &str, code: &'static str, severity: Severity, line: usize) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            code,
            name: "undisclosed-affiliate-link",
            severity,
            jurisdiction: "de".to_string(),
            message: "affiliate link without a disclosure".to_string(),
            label: "this link carries an affiliate tag".to_string(),
            line,
            column: 22,
            end_line: line,
            end_column: 40,
            start: 100,
            end: 118,
            note: "AD102 under Germany".to_string(),
            help: "mark the link: `(Werbelink)`".to_string(),
            snippet: "[die Anker 737](https://amzn.to/x)".to_string(),
            secondary: vec![],
            fix: None,
            suggestions: vec![],
            suppressed: None,
        }
    }

    fn render_json(outcomes: &[FileOutcome]) -> Value {
        serde_json::from_str(&render(outcomes, &Summary::default())).unwrap()
    }

    #[test]
    fn one_issue_per_finding() {
        let o = FileOutcome {
            path: "./de\\powerbanks.md".to_string(),
            diagnostics: vec![
                diag("./de\\powerbanks.md", "AD102", Severity::Error, 7),
                diag("./de\\powerbanks.md", "AD203", Severity::Warning, 9),
                diag("./de\\powerbanks.md", "AD303", Severity::Note, 11),
            ],
            ..FileOutcome::default()
        };
        let v = render_json(&[o]);
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), 3);
        let first = &issues[0];
        assert_eq!(
            first["description"],
            "affiliate link without a disclosure: this link carries an affiliate tag [de]. mark the link: `(Werbelink)`"
        );
        assert_eq!(first["check_name"], "AD102");
        assert_eq!(first["severity"], "major");
        assert_eq!(
            first["location"],
            json!({ "path": "de/powerbanks.md", "lines": { "begin": 7 } })
        );
        let fp = first["fingerprint"].as_str().unwrap();
        assert_eq!(fp.len(), 16);
        assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(issues[1]["severity"], "minor");
        assert_eq!(issues[2]["severity"], "info");
        // Exactly the fields GitLab reads, nothing it could trip on.
        let mut keys: Vec<&String> = first.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "check_name",
                "description",
                "fingerprint",
                "location",
                "severity"
            ]
        );
    }

    #[test]
    fn fingerprints_match_sarif_and_stay_unique() {
        let d = diag("de/a.md", "AD102", Severity::Error, 7);
        let mut again = d.clone();
        again.line = 30;
        let o = FileOutcome {
            path: "de/a.md".to_string(),
            diagnostics: vec![d.clone(), again],
            ..FileOutcome::default()
        };
        let v = render_json(&[o]);
        assert_eq!(v[0]["fingerprint"], fingerprints(&[d])[0].as_str());
        // GitLab shows only the first of equal fingerprints.
        assert_ne!(v[0]["fingerprint"], v[1]["fingerprint"]);
    }

    #[test]
    fn unreadable_files_are_reported() {
        let o = FileOutcome {
            path: "de/broken.md".to_string(),
            problems: vec![FileProblem {
                path: "de/broken.md".to_string(),
                severity: Severity::Error,
                message: "could not read: permission denied".to_string(),
                line: None,
                column: None,
                fatal: true,
                fails_run: false,
            }],
            ..FileOutcome::default()
        };
        let v = render_json(&[o]);
        assert_eq!(v[0]["check_name"], PROBLEM_CHECK);
        assert_eq!(v[0]["severity"], "major");
        assert_eq!(
            v[0]["location"],
            json!({ "path": "de/broken.md", "lines": { "begin": 1 } })
        );
    }

    #[test]
    fn nothing_found_is_an_empty_array() {
        assert_eq!(render(&[], &Summary::default()).trim(), "[]");
    }
}
