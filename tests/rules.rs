//! Every fixture under fixtures/rules/<CODE>/{fire,pass}/ is a post with `lang` and
//! `jurisdiction` in its front matter: a `fire` post must raise its folder's code, a
//! `pass` post must raise nothing at all. The findings of all fixtures are also kept
//! as one snapshot, so any change in a message or position shows up in review.

use adlint::{Engine, config::Settings};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn codes() -> Vec<String> {
    adlint::judge::registry::ALL
        .iter()
        .map(|r| r.code.to_string())
        .collect()
}

#[test]
fn fire_and_pass_fixtures() {
    let engine = Engine::new(&Default::default()).unwrap();
    let settings = Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let mut failures = Vec::new();
    let mut snapshot = String::new();
    for code in codes() {
        for kind in ["fire", "pass"] {
            for path in files(&Path::new("fixtures/rules").join(&code).join(kind)) {
                let source = std::fs::read_to_string(&path).unwrap();
                let checked = adlint::check(&engine, &source, &path, &settings);
                let found: Vec<String> = checked
                    .findings
                    .iter()
                    .map(|f| format!("{}[{}]", f.code, f.jurisdiction))
                    .collect();
                let _ = writeln!(
                    snapshot,
                    "{}: {}",
                    path.display(),
                    if found.is_empty() {
                        "-".to_string()
                    } else {
                        found.join(" ")
                    }
                );
                for f in &checked.findings {
                    let (line, col) = adlint::report::position(&source, f.span.start);
                    let _ = writeln!(snapshot, "    {line}:{col} {} {}", f.code, f.label);
                }
                if !checked.problems.is_empty() {
                    failures.push(format!(
                        "{}: problems {:?}",
                        path.display(),
                        checked.problems
                    ));
                }
                let fired = checked.findings.iter().any(|f| f.code == code);
                if kind == "fire" && !fired {
                    failures.push(format!(
                        "{}: expected {code}, got [{}]",
                        path.display(),
                        found.join(", ")
                    ));
                }
                if kind == "pass" && !checked.findings.is_empty() {
                    failures.push(format!(
                        "{}: expected nothing, got [{}]",
                        path.display(),
                        found.join(", ")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    insta::assert_snapshot!("rule_fixtures", snapshot);
}

/// Each rule has posts that must fire and posts that must not, in the languages of the
/// first issue (where the rule can apply in that language's market).
#[test]
fn every_rule_has_fixtures_in_every_language() {
    let mut missing = Vec::new();
    for code in codes() {
        for kind in ["fire", "pass"] {
            let names: Vec<String> = files(&Path::new("fixtures/rules").join(&code).join(kind))
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect();
            if names.is_empty() {
                missing.push(format!("{code}/{kind}: no fixture"));
            }
            for lang in ["en", "de", "nl", "da", "it"] {
                let waived = fixture_waiver(&code, kind, lang);
                if !waived && !names.iter().any(|n| n.starts_with(&format!("{lang}-"))) {
                    missing.push(format!("{code}/{kind}: no {lang}- fixture"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing fixtures:\n{}",
        missing.join("\n")
    );
}

/// Combinations where a rule cannot fire in a language's markets (listed in
/// fixtures/rules/README.md with the reason).
fn fixture_waiver(code: &str, kind: &str, lang: &str) -> bool {
    let waivers = std::fs::read_to_string("fixtures/rules/WAIVERS").unwrap_or_default();
    waivers.lines().any(|l| {
        let mut parts = l.split_whitespace();
        parts.next() == Some(code) && parts.next() == Some(kind) && parts.next() == Some(lang)
    })
}

/// fixtures/packs/<pack>/fire/<case>.<CODE>.md must raise CODE under that pack (written in
/// the market's language); fixtures/packs/<pack>/pass/*.md must raise nothing.
#[test]
fn every_pack_passes_and_fails_its_fixtures() {
    let engine = Engine::new(&Default::default()).unwrap();
    let settings = Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let mut failures = Vec::new();
    for code in engine.rules.jurisdictions.keys() {
        let dir = Path::new("fixtures/packs").join(code);
        let fire = files(&dir.join("fire"));
        let pass = files(&dir.join("pass"));
        let names: Vec<String> = fire
            .iter()
            .chain(&pass)
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        for required in [
            "accepted-label-start.md",
            "article-about-advertising.md",
            "own-purchase.md",
            "unmarked-affiliate-link.AD102.md",
            "gifted-product.AD103.md",
        ] {
            if !names.iter().any(|n| n == required) {
                failures.push(format!("{code}: no {required}"));
            }
        }
        if !names.iter().any(|n| n.starts_with("late-label")) {
            failures.push(format!("{code}: no late-label case"));
        }
        for path in fire.iter().chain(&pass) {
            let source = std::fs::read_to_string(path).unwrap();
            let checked = adlint::check(&engine, &source, path, &settings);
            let found: Vec<&str> = checked.findings.iter().map(|f| f.code).collect();
            let name = path.file_name().unwrap().to_string_lossy();
            let expected = name
                .trim_end_matches(".md")
                .rsplit_once('.')
                .map(|(_, c)| c.to_string());
            match expected {
                Some(c) if path.starts_with(dir.join("fire")) && !found.contains(&c.as_str()) => {
                    failures.push(format!("{}: expected {c}, got {found:?}", path.display()));
                }
                Some(_) if path.starts_with(dir.join("fire")) => {}
                _ if !found.is_empty() => failures.push(format!(
                    "{}: expected nothing, got {found:?}",
                    path.display()
                )),
                _ => {}
            }
            if checked.jurisdictions != vec![code.clone()] {
                failures.push(format!(
                    "{}: judged under {:?}",
                    path.display(),
                    checked.jurisdictions
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// ruff's convergence test: on every fixture, the safe fixes remove the findings they
/// claim to fix, and fixing the fixed text again changes nothing.
#[test]
fn safe_fixes_converge_on_every_fixture() {
    let engine = Engine::new(&Default::default()).unwrap();
    let settings = Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let mut failures = Vec::new();
    let mut dirs = vec![];
    for root in ["fixtures/rules", "fixtures/packs"] {
        for entry in std::fs::read_dir(root).unwrap() {
            let d = entry.unwrap().path();
            dirs.push(d.join("fire"));
            dirs.push(d.join("pass"));
        }
    }
    for dir in dirs {
        for path in files(&dir) {
            let source = std::fs::read_to_string(&path).unwrap();
            let before = adlint::check(&engine, &source, &path, &settings);
            let fixed = adlint::fix::apply(&source, &before.findings, false);
            let after = adlint::check(&engine, &fixed.text, &path, &settings);
            for f in &before.findings {
                let safe = f
                    .fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == adlint::diagnostic::Applicability::Safe);
                if safe
                    && after
                        .findings
                        .iter()
                        .any(|g| g.code == f.code && g.jurisdiction == f.jurisdiction)
                {
                    failures.push(format!(
                        "{}: the safe fix for {} [{}] did not remove it",
                        path.display(),
                        f.code,
                        f.jurisdiction
                    ));
                }
            }
            let again = adlint::fix::apply(&fixed.text, &after.findings, false);
            if again.text != fixed.text
                && !fixed.applied.is_empty()
                && after.findings.iter().all(|f| f.fix.is_none())
            {
                failures.push(format!(
                    "{}: a second fix changed the text again",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
