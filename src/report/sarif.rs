//! `--format sarif`: a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange
//! Format, <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>) that
//! validates against `sarif-schema-2.1.0.json` and stays inside the subset GitHub code
//! scanning reads (<https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>).
//!
//! One run: the driver lists every rule of the registry (so code scanning can tell "ran
//! and found nothing" from "unknown rule" and close fixed alerts), one result per
//! finding, and the files that could not be checked as tool notifications.
//!
//! Suppressed findings are left out: GitHub does not honour SARIF `suppressions` by
//! default and would open an alert for each of them.
//!
//! The helpers [`fingerprints`], [`message`] and [`repo_path`] are shared with the
//! GitLab and GitHub formats, so every CI report names a finding the same way.

use super::{Diagnostic, FileOutcome, FileProblem, Summary};
use crate::diagnostic::Severity;
use crate::judge::registry::{self, Rule};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The schema's own `id`; GitHub accepts any `$schema` but needs `version` 2.1.0.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/adlint/adlint";
const RULES_DOC: &str = "https://github.com/adlint/adlint/blob/main/docs/rules.md";
/// The key of our entry in `partialFingerprints`; bump the version if the hashed
/// fields ever change, so old and new fingerprints are never compared.
pub const FINGERPRINT_KEY: &str = "adlint/v1";

pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let _ = summary; // the totals are implied by the results; kept for a uniform signature
    let mut rules: Vec<Value> = registry::ALL.iter().map(rule_descriptor).collect();
    // A code the registry does not know (a house pack's) still needs a descriptor, or
    // `ruleIndex` would point nowhere.
    let mut extra: HashMap<&str, usize> = HashMap::new();
    let mut results = Vec::new();
    for o in outcomes {
        for (d, fp) in o.diagnostics.iter().zip(fingerprints(&o.diagnostics)) {
            let index = match registry::ALL.iter().position(|r| r.code == d.code) {
                Some(i) => i,
                None => *extra.entry(d.code).or_insert_with(|| {
                    rules.push(unknown_descriptor(d));
                    rules.len() - 1
                }),
            };
            results.push(result(d, index, &fp));
        }
    }
    let problems: Vec<&FileProblem> = outcomes.iter().flat_map(|o| &o.problems).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "adlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": !problems.iter().any(|p| p.fatal),
                "toolExecutionNotifications":
                    problems.iter().map(|p| notification(p)).collect::<Vec<_>>(),
            }],
            // Our columns count characters (Unicode scalar values), not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn rule_descriptor(rule: &Rule) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": registry::section(rule, "What it flags") },
        "help": { "text": rule.doc, "markdown": rule.doc },
        "helpUri": format!("{RULES_DOC}#{}", rule.code.to_lowercase()),
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

fn unknown_descriptor(d: &Diagnostic) -> Value {
    let mut v = json!({
        "id": d.code,
        "shortDescription": { "text": if d.message.is_empty() { d.code } else { &d.message } },
        "defaultConfiguration": { "level": level(d.severity) },
    });
    if !d.name.is_empty() {
        v["name"] = json!(d.name);
    }
    v
}

fn result(d: &Diagnostic, rule_index: usize, fingerprint: &str) -> Value {
    let mut r = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": message(d) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact(&d.path),
                "region": {
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line,
                    // Both SARIF and `Diagnostic` put the end column one past the last
                    // character, so it carries over as is.
                    "endColumn": d.end_column,
                },
            }
        }],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        "properties": { "jurisdiction": d.jurisdiction },
    });
    if !d.secondary.is_empty() {
        // Secondary places carry only a start, so the region names a start; SARIF then
        // reads it as running to the end of that line.
        r["relatedLocations"] = d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut loc = json!({
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": artifact(&d.path),
                        "region": { "startLine": s.line, "startColumn": s.column },
                    },
                });
                if !s.message.is_empty() {
                    loc["message"] = json!({ "text": s.message });
                }
                loc
            })
            .collect();
    }
    // The fix, then the suggestions that are never applied (their applicability says so).
    let fixes: Vec<Value> = d
        .fix
        .iter()
        .chain(&d.suggestions)
        .map(|fix| {
            json!({
                "description": { "text": fix.title },
                "artifactChanges": [{
                    "artifactLocation": artifact(&d.path),
                    // Edit spans are byte ranges into the file as read (BOM included),
                    // which is exactly what a binary region addresses.
                    "replacements": fix.edits.iter().map(|e| json!({
                        "deletedRegion": {
                            "byteOffset": e.span.start,
                            "byteLength": e.span.end.saturating_sub(e.span.start),
                        },
                        "insertedContent": { "text": e.replacement },
                    })).collect::<Vec<_>>(),
                }],
                "properties": { "applicability": fix.applicability },
            })
        })
        .collect();
    if !fixes.is_empty() {
        r["fixes"] = json!(fixes);
    }
    r
}

fn notification(p: &FileProblem) -> Value {
    let mut region = json!({});
    if let Some(line) = p.line {
        region["startLine"] = json!(line);
    }
    if let Some(column) = p.column {
        region["startColumn"] = json!(column);
    }
    let mut location = json!({ "artifactLocation": artifact(&p.path) });
    if p.line.is_some() {
        location["region"] = region;
    }
    json!({
        "level": level(p.severity),
        "message": { "text": p.message },
        "locations": [{ "physicalLocation": location }],
        "properties": { "fatal": p.fatal },
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `<summary>: <label> [<jurisdiction>]. <help>`: the one-line text of a finding in the
/// CI formats, leaving out whatever part is empty.
pub fn message(d: &Diagnostic) -> String {
    let mut s = d.message.clone();
    if !d.label.is_empty() {
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&d.label);
    }
    if !d.jurisdiction.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("[{}]", d.jurisdiction));
    }
    if !d.help.is_empty() {
        s.push_str(". ");
        s.push_str(&d.help);
    }
    s
}

/// The path as CI systems want it: forward slashes, no leading `./`.
pub fn repo_path(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_string()
}

/// An `artifactLocation`: relative paths are relative to the checkout (`%SRCROOT%`, what
/// GitHub resolves them against); absolute ones become `file:` URIs.
fn artifact(path: &str) -> Value {
    let p = repo_path(path);
    let b = p.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/';
    if drive {
        json!({ "uri": format!("file:///{}:{}", &p[..1], encode_uri_path(&p[2..])) })
    } else if p.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_uri_path(&p)) })
    } else {
        json!({ "uri": encode_uri_path(&p), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes what may not stand in a URI path (RFC 3986 `pchar` plus `/`). `:` is
/// encoded too, so a relative path's first segment is never read as a scheme.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One fingerprint per diagnostic of one file, in order: a hash of path, code,
/// jurisdiction and the normalised snippet — never the line, so editing elsewhere in the
/// file keeps it. The same finding twice in a file (one link repeated) is told apart by
/// its occurrence number, as GitHub does for its own line hashes; GitLab shows only the
/// first of equal fingerprints.
pub fn fingerprints(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let snippet = d.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
            let key = format!(
                "{}\0{}\0{}\0{}",
                repo_path(&d.path),
                d.code,
                d.jurisdiction,
                snippet.to_lowercase()
            );
            let base = fnv1a64(key.as_bytes());
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            let hash = if *n == 1 {
                base
            } else {
                fnv1a64(format!("{key}\0{n}").as_bytes())
            };
            format!("{hash:016x}")
        })
        .collect()
}

/// FNV-1a, 64 bits: tiny, and the same on every run and platform (std's hasher is
/// seeded at random).
pub(super) fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Fix};
    use crate::report::SecondaryPosition;

    fn diag(path: &str, code: &'static str, line: usize, snippet: &str) -> Diagnostic {
        let rule = registry::find(code);
        Diagnostic {
            path: path.to_string(),
            code,
            name: rule.map_or("", |r| r.name),
            severity: Severity::Error,
            jurisdiction: "de".to_string(),
            message: rule.map_or_else(String::new, |r| r.summary.to_string()),
            label: "this link carries an affiliate tag".to_string(),
            line,
            column: 22,
            end_line: line,
            end_column: 40,
            start: 100,
            end: 118,
            note: "AD102 under Germany".to_string(),
            help: "mark the link: `(Werbelink)`".to_string(),
            snippet: snippet.to_string(),
            secondary: vec![],
            fix: None,
            suggestions: vec![],
            suppressed: None,
        }
    }

    fn outcome(path: &str, diagnostics: Vec<Diagnostic>) -> FileOutcome {
        FileOutcome {
            path: path.to_string(),
            diagnostics,
            ..FileOutcome::default()
        }
    }

    fn sample() -> Vec<FileOutcome> {
        let mut with_fix = diag(
            "de/powerbanks.md",
            "AD102",
            7,
            "[die Anker 737](https://amzn.to/x)",
        );
        with_fix.fix = Some(Fix {
            title: "add `(Werbelink)` after the link".to_string(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: 118..118,
                replacement: " (Werbelink)".to_string(),
            }],
        });
        let mut late = diag(
            "de/galaxy watch.md",
            "AD201",
            7,
            "In Kooperation mit Samsung",
        );
        late.severity = Severity::Warning;
        late.secondary = vec![SecondaryPosition {
            line: 27,
            column: 3,
            start: 900,
            end: 907,
            message: "the label only stands here".to_string(),
        }];
        let mut unknown = diag("de/house.md", "HOUSE1", 2, "x");
        unknown.severity = Severity::Note;
        let failed = FileOutcome {
            path: "de/unreadable.md".to_string(),
            problems: vec![FileProblem {
                path: "de/unreadable.md".to_string(),
                severity: Severity::Error,
                message: "stream did not contain valid UTF-8".to_string(),
                line: None,
                column: None,
                fatal: true,
                fails_run: false,
            }],
            ..FileOutcome::default()
        };
        vec![
            outcome("de/powerbanks.md", vec![with_fix]),
            outcome("de/galaxy watch.md", vec![late]),
            outcome("de/house.md", vec![unknown]),
            failed,
        ]
    }

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).expect("SARIF output is JSON")
    }

    /// The OASIS SARIF 2.1.0 schema, kept in tests/data so the test always runs.
    fn schema_validator() -> Option<jsonschema::Validator> {
        let path = std::env::var("ADLINT_SARIF_SCHEMA").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/sarif-schema-2.1.0.json"
            )
            .to_string()
        });
        let text = std::fs::read_to_string(&path)
            .expect("tests/data/sarif-schema-2.1.0.json is in the repository");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles");
        Some(validator)
    }

    fn assert_valid(log: &Value) {
        let Some(v) = schema_validator() else { return };
        let errors: Vec<String> = v
            .iter_errors(log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "schema errors: {errors:#?}");
    }

    #[test]
    fn validates_against_the_schema() {
        let log = parse(&render(&sample(), &Summary::default()));
        assert_valid(&log);
        let empty = parse(&render(&[], &Summary::default()));
        assert_valid(&empty);
    }

    #[test]
    fn the_schema_check_catches_a_broken_log() {
        // Guards the test above: a validator that accepts everything proves nothing.
        let Some(v) = schema_validator() else { return };
        let mut log = parse(&render(&sample(), &Summary::default()));
        log["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!v.is_valid(&log));
        let mut log = parse(&render(&sample(), &Summary::default()));
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            json!(0);
        assert!(!v.is_valid(&log));
    }

    #[test]
    fn driver_lists_every_rule_with_docs() {
        let log = parse(&render(&[], &Summary::default()));
        assert_eq!(log["version"], "2.1.0");
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "adlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), registry::ALL.len());
        let ad102 = &rules[1];
        assert_eq!(ad102["id"], "AD102");
        assert_eq!(ad102["name"], "undisclosed-affiliate-link");
        assert_eq!(
            ad102["shortDescription"]["text"],
            "affiliate link without a disclosure"
        );
        assert!(
            ad102["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .starts_with("A link whose URL")
        );
        assert!(
            ad102["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What to write")
        );
        assert_eq!(
            ad102["helpUri"],
            "https://github.com/adlint/adlint/blob/main/docs/rules.md#ad102"
        );
        assert_eq!(ad102["defaultConfiguration"]["level"], "error");
        assert_eq!(log["runs"][0]["results"], json!([]));
        assert_eq!(
            log["runs"][0]["invocations"][0]["executionSuccessful"],
            true
        );
    }

    #[test]
    fn results_carry_place_message_and_fix() {
        let log = parse(&render(&sample(), &Summary::default()));
        let run = &log["runs"][0];
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "AD102");
        assert_eq!(
            run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "AD102"
        );
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["message"]["text"],
            "affiliate link without a disclosure: this link carries an affiliate tag [de]. mark the link: `(Werbelink)`"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"],
            json!({ "uri": "de/powerbanks.md", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            loc["region"],
            json!({ "startLine": 7, "startColumn": 22, "endLine": 7, "endColumn": 40 })
        );
        assert_eq!(r["properties"]["jurisdiction"], "de");
        let fix = &r["fixes"][0];
        assert_eq!(
            fix["description"]["text"],
            "add `(Werbelink)` after the link"
        );
        assert_eq!(
            fix["artifactChanges"][0]["replacements"][0],
            json!({ "deletedRegion": { "byteOffset": 118, "byteLength": 0 }, "insertedContent": { "text": " (Werbelink)" } })
        );

        let late = &run["results"][1];
        assert_eq!(late["level"], "warning");
        assert_eq!(
            late["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "de/galaxy%20watch.md"
        );
        let related = &late["relatedLocations"][0];
        assert_eq!(
            related["physicalLocation"]["region"],
            json!({ "startLine": 27, "startColumn": 3 })
        );
        assert_eq!(related["message"]["text"], "the label only stands here");
        assert!(late.get("fixes").is_none());
    }

    #[test]
    fn an_unknown_code_gets_its_own_descriptor() {
        let log = parse(&render(&sample(), &Summary::default()));
        let run = &log["runs"][0];
        let r = &run["results"][2];
        assert_eq!(r["level"], "note");
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(index, registry::ALL.len());
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "HOUSE1");
    }

    #[test]
    fn unreadable_files_become_notifications() {
        let log = parse(&render(&sample(), &Summary::default()));
        let inv = &log["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "error");
        assert_eq!(n["message"]["text"], "stream did not contain valid UTF-8");
        assert_eq!(
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "de/unreadable.md"
        );
    }

    #[test]
    fn fingerprints_ignore_lines_and_whitespace_but_not_identity() {
        let a = diag("de/a.md", "AD102", 7, "[Die Anker](https://amzn.to/x)");
        let mut moved = diag("de/a.md", "AD102", 40, "[die   anker](https://amzn.to/x)\n");
        moved.column = 1;
        let fp = |d: &Diagnostic| fingerprints(std::slice::from_ref(d))[0].clone();
        assert_eq!(fp(&a), fp(&moved));
        assert_eq!(fp(&a).len(), 16);
        assert!(fp(&a).chars().all(|c| c.is_ascii_hexdigit()));
        let mut other_market = a.clone();
        other_market.jurisdiction = "at".to_string();
        assert_ne!(fp(&a), fp(&other_market));
        assert_ne!(
            fp(&a),
            fp(&diag(
                "de/b.md",
                "AD102",
                7,
                "[Die Anker](https://amzn.to/x)"
            ))
        );
        assert_ne!(
            fp(&a),
            fp(&diag(
                "de/a.md",
                "AD101",
                7,
                "[Die Anker](https://amzn.to/x)"
            ))
        );
        // Windows and Unix runs of the same checkout agree.
        assert_eq!(
            fp(&a),
            fp(&diag(
                "de\\a.md",
                "AD102",
                7,
                "[Die Anker](https://amzn.to/x)"
            ))
        );
        // Pinned: the value must never change between versions, or every alert reopens.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_repeated_finding_gets_a_second_fingerprint() {
        let d = diag("de/a.md", "AD102", 7, "[x](https://amzn.to/x)");
        let mut again = d.clone();
        again.line = 9;
        let fps = fingerprints(&[d.clone(), again]);
        assert_ne!(fps[0], fps[1]);
        assert_eq!(fps[0], fingerprints(&[d])[0]);
    }

    #[test]
    fn paths_become_uris() {
        assert_eq!(
            artifact("./posts\\de/ä.md"),
            json!({ "uri": "posts/de/%C3%A4.md", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("/home/me/blog/a.md"),
            json!({ "uri": "file:///home/me/blog/a.md" })
        );
        assert_eq!(
            artifact("C:\\blog\\a b.md"),
            json!({ "uri": "file:///C:/blog/a%20b.md" })
        );
        assert_eq!(artifact("a:b.md")["uri"], "a%3Ab.md");
    }
}
