//! Where people already work: the pre-commit hook (`--staged`, `hook install`), pull
//! requests (`--since`), CI reports, baselines, shards and file lists.

use std::path::Path;
use std::process::Command;

mod common;
use common::{adlint, stdout as out};

fn git(args: &[&str], dir: &Path) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

const BAD: &str = "---\nlang: en\n---\nUse code ANNA20 for 20% off at Glowkind!\n";
const GOOD: &str = "---\nlang: en\n---\n**Ad:** This post is sponsored by Glowkind.\n\nUse code ANNA20 for 20% off at Glowkind!\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(&["init", "-q"], dir.path());
    std::fs::write(dir.path().join("README.txt"), "blog\n").unwrap();
    git(&["add", "."], dir.path());
    git(&["commit", "-qm", "init"], dir.path());
    dir
}

#[test]
fn staged_content_is_what_counts() {
    let dir = repo();
    let p = dir.path();
    std::fs::write(p.join("post.md"), BAD).unwrap();
    git(&["add", "post.md"], p);
    let o = adlint(
        &["check", "--staged", "--format", "short", "--no-config"],
        p,
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("post.md:4:1: error[AD104]"), "{}", out(&o));

    // The fixed post is staged; a bad edit in the working tree is not, and does not count.
    std::fs::write(p.join("post.md"), GOOD).unwrap();
    git(&["add", "post.md"], p);
    std::fs::write(p.join("post.md"), BAD).unwrap();
    let o = adlint(&["check", "--staged", "--no-config"], p);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));

    // Line numbers are those of the staged file.
    std::fs::write(
        p.join("other.md"),
        format!("---\nlang: en\n---\n\n\n{}", "Use code ANNA20 now!\n"),
    )
    .unwrap();
    git(&["add", "other.md"], p);
    let o = adlint(
        &["check", "--staged", "--format", "short", "--no-config"],
        p,
    );
    assert!(out(&o).contains("other.md:6:1"), "{}", out(&o));
}

#[test]
fn hook_install_refuses_foreign_hooks_and_uninstalls() {
    let dir = repo();
    let p = dir.path();
    let hook = p.join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    assert_eq!(adlint(&["hook", "install"], p).status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    assert_eq!(
        adlint(&["hook", "install", "--force"], p).status.code(),
        Some(0)
    );
    assert!(
        std::fs::read_to_string(&hook)
            .unwrap()
            .contains("adlint check --staged")
    );
    assert_eq!(
        adlint(&["hook", "install"], p).status.code(),
        Some(0),
        "re-installing our own hook is fine"
    );
    assert_eq!(adlint(&["hook", "uninstall"], p).status.code(), Some(0));
    // The hook --force replaced comes back (tests/safety.rs, item 6).
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    assert_eq!(adlint(&["hook", "uninstall"], p).status.code(), Some(2));
}

#[test]
fn since_checks_only_changed_markdown() {
    let dir = repo();
    let p = dir.path();
    std::fs::write(p.join("old.md"), BAD).unwrap();
    git(&["add", "."], p);
    git(&["commit", "-qm", "old"], p);
    std::fs::write(p.join("new.md"), BAD).unwrap();
    std::fs::write(p.join("notes.txt"), BAD).unwrap();
    git(&["add", "."], p);
    git(&["commit", "-qm", "new"], p);
    let o = adlint(
        &[
            "check",
            "--since",
            "HEAD~1",
            "--format",
            "short",
            "-q",
            "--no-config",
        ],
        p,
    );
    assert_eq!(
        out(&o).trim(),
        "new.md:4:1: error[AD104] discount code without a disclosure: “Use code ANNA20” looks like a brand discount code [us]"
    );
    assert_eq!(
        adlint(&["check", "--since", "no-such-rev", "--no-config"], p)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn baseline_round_trip_survives_edits_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("a.md"), BAD).unwrap();
    let o = adlint(
        &["check", "--write-baseline", "baseline.json", "--no-config"],
        p,
    );
    // Written: exit 0, though it recorded findings (issue 18, item 12).
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        adlint(&["check", "--baseline", "baseline.json", "--no-config"], p)
            .status
            .code(),
        Some(0)
    );
    // An edit elsewhere moves the finding down two lines: still known.
    std::fs::write(
        p.join("a.md"),
        BAD.replace("---\nUse", "---\nA new intro.\n\nUse"),
    )
    .unwrap();
    let o = adlint(&["check", "--baseline", "baseline.json", "--no-config"], p);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // A new finding is reported; a fixed one makes its entry stale.
    std::fs::write(
        p.join("a.md"),
        "---\nlang: en\n---\nMy autumn routine. Use code MAYA15 for 15% off at Glowkind!\n",
    )
    .unwrap();
    let o = adlint(
        &[
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "short",
            "--no-config",
        ],
        p,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("MAYA15"), "{}", out(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 baseline entry no longer match"));
}

#[test]
fn sarif_validates_against_the_schema() {
    let o = adlint(
        &["check", "fixtures/blog", "--format", "sarif", "--no-config"],
        Path::new("."),
    );
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let results = report["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert!(
            r["ruleId"].is_string()
                && r["level"].is_string()
                && r["partialFingerprints"].is_object()
        );
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
}

#[test]
fn gitlab_junit_github_and_output_file() {
    let dir = Path::new(".");
    let o = adlint(
        &[
            "check",
            "fixtures/blog",
            "--format",
            "gitlab",
            "--no-config",
        ],
        dir,
    );
    let issues: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &issues[0];
    for key in [
        "description",
        "check_name",
        "fingerprint",
        "severity",
        "location",
    ] {
        assert!(!first[key].is_null(), "{key}");
    }

    let o = adlint(
        &["check", "fixtures/blog", "--format", "junit", "--no-config"],
        dir,
    );
    let xml = out(&o);
    assert!(xml.starts_with("<?xml"));
    assert_eq!(
        xml.matches("<testcase ").count(),
        14,
        "one test case per file"
    );
    assert!(xml.contains("<failure type=\"AD102\""));
    assert_eq!(
        xml.matches("<testsuite ").count(),
        xml.matches("</testsuite>").count()
    );

    let o = adlint(
        &[
            "check",
            "fixtures/blog/de/powerbanks.md",
            "--format",
            "github",
            "--no-config",
        ],
        dir,
    );
    assert!(
        out(&o).starts_with("::error file=fixtures/blog/de/powerbanks.md,line=7,"),
        "{}",
        out(&o)
    );

    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.sarif");
    let o = adlint(
        &[
            "check",
            "fixtures/blog",
            "--format",
            "sarif",
            "--output",
            report.to_str().unwrap(),
            "--no-config",
        ],
        dir,
    );
    assert!(
        out(&o).contains("error[AD102]"),
        "the terminal still gets the human output"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
}

#[test]
fn shards_partition_the_files_and_files_from_reads_a_list() {
    let dir = Path::new(".");
    let all = out(&adlint(
        &[
            "check",
            "fixtures/rules",
            "--format",
            "short",
            "-q",
            "--no-config",
        ],
        dir,
    ));
    let mut joined: Vec<String> = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let part = out(&adlint(
            &[
                "check",
                "fixtures/rules",
                "--format",
                "short",
                "-q",
                "--shard",
                &shard,
                "--no-config",
            ],
            dir,
        ));
        joined.extend(part.lines().map(String::from));
    }
    joined.sort();
    let mut expected: Vec<String> = all.lines().map(String::from).collect();
    expected.sort();
    assert_eq!(joined, expected, "every finding in exactly one shard");
    assert_eq!(
        adlint(&["check", "--shard", "4/3", "--no-config"], dir)
            .status
            .code(),
        Some(2)
    );

    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("list.txt");
    std::fs::write(
        &list,
        "fixtures/blog/de/powerbanks.md\nfixtures/blog/notes.txt\n\n",
    )
    .unwrap();
    let o = adlint(
        &[
            "check",
            "--files-from",
            list.to_str().unwrap(),
            "--format",
            "short",
            "-q",
            "--no-config",
        ],
        dir,
    );
    // powerbanks.md: three unmarked links and no "Werbung" at the start.
    assert_eq!(out(&o).lines().count(), 4, "{}", out(&o));
}

#[test]
fn statistics_count_per_code_and_jurisdiction() {
    let o = adlint(
        &[
            "check",
            "fixtures/blog",
            "--statistics",
            "-q",
            "--format",
            "short",
            "--no-config",
        ],
        Path::new("."),
    );
    let s = out(&o);
    assert!(
        s.contains("     4  AD102  de   undisclosed-affiliate-link"),
        "{s}"
    );
}

#[test]
fn drafts_are_checked_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("_drafts")).unwrap();
    std::fs::write(
        p.join("draft.md"),
        BAD.replace("lang: en", "lang: en\ndraft: true"),
    )
    .unwrap();
    std::fs::write(
        p.join("unpublished.md"),
        BAD.replace("lang: en", "lang: en\npublished: false"),
    )
    .unwrap();
    std::fs::write(p.join("_drafts/idea.md"), BAD).unwrap();
    std::fs::write(p.join("live.md"), BAD).unwrap();
    let all = out(&adlint(
        &["check", "--format", "short", "-q", "--no-config"],
        p,
    ));
    assert_eq!(all.lines().count(), 4, "{all}");
    let live = out(&adlint(
        &[
            "check",
            "--format",
            "short",
            "-q",
            "--skip-drafts",
            "--no-config",
        ],
        p,
    ));
    assert_eq!(
        live.lines()
            .map(|l| l.split(':').next().unwrap())
            .collect::<Vec<_>>(),
        vec!["live.md"]
    );
}

#[test]
fn site_shortcode_names_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let post = "---\nlang: de\n---\n{{< mein-hinweis >}}\n\nMeine Kamera: {{< shoplink id=\"4711\" >}} (Werbelink)\n\nUnd {{< shoplink id=\"4712\" >}} hier.\n";
    std::fs::write(p.join("post.md"), post).unwrap();
    let before = out(&adlint(
        &["check", "--format", "short", "-q", "--no-config"],
        p,
    ));
    // Unknown shortcodes are neither labels nor links; the "(Werbelink)" the author
    // wrote still says the post has an affiliate link, and no "Werbung" stands above it.
    assert_eq!(before.lines().count(), 1, "{before}");
    assert!(
        before.contains("„Werbelink“ sagt, dass der Beitrag Affiliate-Links enthält"),
        "{before}"
    );
    std::fs::write(
        p.join("adlint.toml"),
        "[site]\ndisclosure_shortcodes = [\"mein-hinweis\"]\nlink_shortcodes = [\"shoplink\"]\n",
    )
    .unwrap();
    let after = out(&adlint(&["check", "--format", "short", "-q"], p));
    assert_eq!(after.lines().count(), 1, "{after}");
    assert!(after.starts_with("post.md:8:5: error[AD102]"), "{after}");
}
