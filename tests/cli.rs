//! The binary as a user runs it: the example blog, formats, exit codes, config, bad input.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::stdout;

fn adlint(args: &[&str], dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adlint"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    cmd.output().expect("the binary runs")
}

/// The summary line carries a time, `(0.01s)`; blank it for snapshots.
fn without_timing(s: &str) -> String {
    let time = regex::Regex::new(r"\(\d+\.\d+s\)").unwrap();
    s.lines()
        .map(|l| {
            if l.starts_with("Found") || l.starts_with("All checked") || l.starts_with("Checked") {
                time.replace(l, "([time])").into_owned()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn example_blog_human_output() {
    let o = adlint(
        &["check", "fixtures/blog", "--color", "never", "--no-config"],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    // A German post's findings are in German (`--message-language post`, the default),
    // the law cited as the pack gives it; an English post's stay in English.
    assert!(out.contains("error[AD102]: Affiliate-Link ohne Kennzeichnung [de]"));
    assert!(out.contains("fixtures/blog/de/powerbanks.md:7:22"));
    assert!(out.contains("= note: AD102 (undisclosed-affiliate-link) in Deutschland (DE)"));
    assert!(out.contains("(LG München I, Endurteil v. 26.02.2019 – 33 O 2855/18;"));
    assert!(out.contains("warning[AD203]: the disclosure is buried [us]"));
    assert!(out.contains("= help:"));
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
    insta::assert_snapshot!("example_blog_human", without_timing(&out));
}

#[test]
fn same_input_same_output_whatever_the_thread_count() {
    let one = adlint(
        &[
            "check",
            "fixtures",
            "--format",
            "short",
            "--threads",
            "1",
            "--no-config",
            "-q",
        ],
        None,
    );
    let many = adlint(
        &[
            "check",
            "fixtures",
            "--format",
            "short",
            "--threads",
            "8",
            "--no-config",
            "-q",
        ],
        None,
    );
    assert_eq!(stdout(&one), stdout(&many));
    assert!(!stdout(&one).is_empty());
}

#[test]
fn json_follows_the_contract() {
    let o = adlint(
        &["check", "fixtures/blog", "--format", "json", "--no-config"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert!(v["files_checked"].as_u64().unwrap() >= 10);
    let d = &v["diagnostics"][0];
    for key in [
        "path",
        "code",
        "name",
        "severity",
        "jurisdiction",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "start",
        "end",
    ] {
        assert!(!d[key].is_null(), "diagnostic lacks `{key}`: {d}");
    }
    assert!(v["summary"]["errors"].as_u64().unwrap() > 0);
}

#[test]
fn clean_post_exits_zero_and_findings_exit_one() {
    let clean = adlint(
        &[
            "check",
            "fixtures/rules/AD102/pass/de-werbelink-marker.md",
            "--no-config",
        ],
        None,
    );
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let bad = adlint(
        &["check", "fixtures/blog/de/powerbanks.md", "--no-config"],
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn explicit_jurisdictions_apply_to_every_post() {
    let o = adlint(
        &[
            "check",
            "fixtures/blog/de/powerbanks.md",
            "--jurisdiction",
            "us,de",
            "--format",
            "short",
            "--no-config",
        ],
        None,
    );
    let out = stdout(&o);
    assert!(out.contains("[us]") && out.contains("[de]"), "{out}");
}

#[test]
fn unknown_jurisdiction_and_bad_config_exit_two() {
    let o = adlint(
        &[
            "check",
            "fixtures/blog",
            "--jurisdiction",
            "xx",
            "--no-config",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown jurisdiction `xx`"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("adlint.toml"), "jurisdiction = [\"de\"]\n").unwrap();
    std::fs::write(dir.path().join("post.md"), "Hallo\n").unwrap();
    let o = adlint(&["check"], Some(dir.path()));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("adlint.toml:1:1") && err.contains("did you mean `jurisdictions`"),
        "{err}"
    );
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("binary.md"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::write(p.join("latin1.md"), b"Gr\xfc\xdfe aus K\xf6ln\n").unwrap();
    std::fs::write(p.join("empty.md"), b"").unwrap();
    std::fs::write(
        p.join("unclosed.md"),
        "---\ntitle: x\n\nNo end of front matter\n",
    )
    .unwrap();
    std::fs::write(
        p.join("bad-yaml.md"),
        "---\ntitle: [oops\n---\nUse code ANNA20 at checkout!\n",
    )
    .unwrap();
    std::fs::write(
        p.join("good.md"),
        "---\nlang: en\n---\nI bought this myself at the shop down the road.\n",
    )
    .unwrap();
    let o = adlint(&["check", ".", "--format", "short", "--no-config"], Some(p));
    assert_eq!(
        o.status.code(),
        Some(2),
        "a file that could not be read makes the run incomplete"
    );
    let out = stdout(&o);
    assert!(
        out.contains("binary.md: error: this is a binary file"),
        "{out}"
    );
    assert!(
        out.contains("latin1.md: error: the file is not valid UTF-8 (line 1, byte 3)"),
        "{out}"
    );
    assert!(
        out.contains(
            "unclosed.md:1:1: error: the front matter opened with `---` on line 1 never closes"
        ),
        "{out}"
    );
    assert!(
        out.contains("bad-yaml.md:3:1: error: the front matter is not valid YAML"),
        "{out}"
    );
    assert!(
        out.contains("bad-yaml.md:4:1: error[AD104]"),
        "the body is still checked: {out}"
    );
}

#[test]
fn walking_honours_gitignore_exclude_and_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let bad = "---\nlang: en\n---\nUse code ANNA20 for 20% off!\n";
    std::fs::create_dir_all(p.join("posts/drafts")).unwrap();
    std::fs::create_dir_all(p.join("node_modules/pkg")).unwrap();
    std::fs::write(p.join("posts/a.md"), bad).unwrap();
    std::fs::write(p.join("posts/b.markdown"), bad).unwrap();
    std::fs::write(p.join("posts/c.mdx"), bad).unwrap();
    std::fs::write(p.join("posts/d.txt"), bad).unwrap();
    std::fs::write(p.join("posts/drafts/e.md"), bad).unwrap();
    std::fs::write(p.join("posts/ignored.md"), bad).unwrap();
    std::fs::write(p.join("node_modules/pkg/readme.md"), bad).unwrap();
    std::fs::write(p.join(".gitignore"), "ignored.md\n").unwrap();
    std::fs::write(
        p.join("adlint.toml"),
        "exclude = [\"drafts\", \"node_modules\"]\n",
    )
    .unwrap();
    let o = adlint(&["check", "--format", "short", "-q"], Some(p));
    let files: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(files, vec!["posts/a.md", "posts/b.markdown", "posts/c.mdx"]);
    // A named file is checked whatever its extension.
    let o = adlint(
        &["check", "posts/d.txt", "--format", "short", "-q"],
        Some(p),
    );
    assert!(stdout(&o).contains("posts/d.txt:4:1"), "{}", stdout(&o));
}

#[test]
fn config_severities_overrides_and_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("archive")).unwrap();
    let post = "---\nlang: en\n---\nUse code ANNA20 for 20% off!\n";
    std::fs::write(p.join("new.md"), post).unwrap();
    std::fs::write(p.join("archive/old.md"), post).unwrap();
    std::fs::write(
        p.join("quiet.md"),
        "---\nlang: en\n---\n<!-- adlint-disable-next-line AD104 -- agreed with legal -->\nUse code ANNA20 for 20% off!\n",
    )
    .unwrap();
    std::fs::write(
        p.join("adlint.toml"),
        "[[overrides]]\npaths = [\"archive/**\"]\nrules = { AD104 = \"warning\" }\n",
    )
    .unwrap();
    let o = adlint(&["check", "--format", "json"], Some(p));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let sev = |path: &str| {
        diags
            .iter()
            .find(|d| d["path"] == path)
            .map(|d| d["severity"].clone())
    };
    assert_eq!(sev("new.md"), Some("error".into()));
    assert_eq!(sev("archive/old.md"), Some("warning".into()));
    assert_eq!(sev("quiet.md"), None);
    assert_eq!(
        v["suppressed"][0]["suppressed"]["reason"],
        "agreed with legal"
    );
}

#[test]
fn explain_cites_the_law() {
    let o = adlint(&["explain", "AD301", "--jurisdiction", "de"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("What it flags") && out.contains("What to write"));
    assert!(out.contains("In Germany (DE)"));
    assert!(
        out.contains("I ZR 2/11"),
        "the GOOD NEWS II ruling is cited: {out}"
    );
    let o = adlint(&["explain", "AD999"], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rules_and_jurisdictions_list() {
    let out = stdout(&adlint(&["rules"], None));
    assert_eq!(out.lines().count(), 11);
    assert!(out.contains("AD102  undisclosed-affiliate-link"));
    let out = stdout(&adlint(&["jurisdictions"], None));
    for code in ["us", "de", "nl", "dk", "it", "uk", "fr", "es", "at", "eu"] {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{code} "))),
            "{code} missing:\n{out}"
        );
    }
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let o = adlint(&["init"], Some(dir.path()));
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.path().join("adlint.toml").exists());
    assert_eq!(
        adlint(&["init"], Some(dir.path())).status.code(),
        Some(2),
        "no silent overwrite"
    );
    std::fs::write(dir.path().join("p.md"), "Hello\n").unwrap();
    assert_eq!(adlint(&["check"], Some(dir.path())).status.code(), Some(0));
}

#[test]
fn docs_are_generated_from_the_registry_and_packs() {
    let rules = stdout(&adlint(&["docs", "rules"], None));
    let on_disk = std::fs::read_to_string("docs/rules.md").unwrap_or_default();
    assert!(
        rules == on_disk,
        "docs/rules.md is stale: run `cargo run -- docs rules > docs/rules.md`"
    );
    let j = stdout(&adlint(&["docs", "jurisdictions"], None));
    let on_disk = std::fs::read_to_string("docs/jurisdictions.md").unwrap_or_default();
    assert!(
        j == on_disk,
        "docs/jurisdictions.md is stale: run `cargo run -- docs jurisdictions > docs/jurisdictions.md`"
    );
}

#[test]
fn fix_inserts_labels_keeps_bytes_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // CRLF, a BOM, no trailing newline: all kept.
    let de = "\u{feff}---\r\nlang: de\r\n---\r\n\r\nMeine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=x-21) ist super.\r\nIn Zusammenarbeit mit Samsung entstand dieser Test.";
    std::fs::write(p.join("de.md"), de).unwrap();
    let diff = adlint(&["check", "de.md", "--diff", "--no-config"], Some(p));
    assert_eq!(diff.status.code(), Some(1));
    assert!(stdout(&diff).contains("+**Werbung**"), "{}", stdout(&diff));
    assert_eq!(
        std::fs::read_to_string(p.join("de.md")).unwrap(),
        de,
        "--diff changes nothing"
    );

    let first = adlint(&["check", "de.md", "--fix", "--no-config"], Some(p));
    assert_eq!(
        first.status.code(),
        Some(0),
        "everything was fixable: {}",
        stdout(&first)
    );
    let fixed = std::fs::read_to_string(p.join("de.md")).unwrap();
    assert!(
        fixed.starts_with(
            "\u{feff}---\r\nlang: de\r\n---\r\n\r\n**Werbung**\r\n\r\nMeine Empfehlung"
        ),
        "{fixed:?}"
    );
    assert!(fixed.contains("(https://www.amazon.de/dp/B0?tag=x-21) (Werbelink) ist super."));
    assert!(
        fixed.ends_with("dieser Test."),
        "no newline added at the end"
    );
    // Every byte of the original is still there, in order.
    let mut rest = fixed.as_str();
    for c in de.chars() {
        let at = rest.find(c).expect("original byte kept");
        rest = &rest[at + c.len_utf8()..];
    }
    let second = adlint(&["check", "de.md", "--fix", "--no-config"], Some(p));
    assert!(stdout(&second).contains("Applied 0 fix(es)"));
    assert_eq!(
        std::fs::read_to_string(p.join("de.md")).unwrap(),
        fixed,
        "a second --fix changes nothing"
    );
}

#[test]
fn fix_reaches_a_fixed_point_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("content/de")).unwrap();
    // Once the link is marked, `Ad:` is judged as a label (insufficient in DE), whose
    // fix is the label at the top: one --fix does both.
    let post = "Mein Tipp: [Anker](https://www.amazon.de/dp/B0?tag=x-21) Ad:\n";
    std::fs::write(p.join("content/de/post.md"), post).unwrap();
    let diff = adlint(&["check", ".", "--diff", "--no-config"], Some(p));
    assert!(stdout(&diff).contains("+**Werbung**"), "{}", stdout(&diff));
    assert!(stdout(&diff).contains("(Werbelink)"), "{}", stdout(&diff));
    adlint(&["check", ".", "--fix", "--no-config"], Some(p));
    let fixed = std::fs::read_to_string(p.join("content/de/post.md")).unwrap();
    assert!(
        fixed.starts_with("**Werbung**") && fixed.contains("(Werbelink)"),
        "{fixed:?}"
    );
    let second = adlint(&["check", ".", "--fix", "--no-config"], Some(p));
    assert!(
        stdout(&second).contains("Applied 0 fix(es)"),
        "{}",
        stdout(&second)
    );
    assert_eq!(
        std::fs::read_to_string(p.join("content/de/post.md")).unwrap(),
        fixed
    );
}

#[test]
fn house_pack_worked_example() {
    let dir = Path::new("fixtures/config/house-pack");
    let doc = std::fs::read_to_string("docs/packs.md").unwrap();
    let pack = std::fs::read_to_string(dir.join("house-rules.toml")).unwrap();
    assert!(
        doc.contains(&pack),
        "docs/packs.md must show house-rules.toml as it is"
    );
    let o = adlint(&["check", "--format", "short", "-q"], Some(dir));
    let out = stdout(&o);
    let found: Vec<&str> = out
        .lines()
        .map(|l| l.split(": ").nth(1).unwrap_or(""))
        .collect();
    assert!(
        out.contains("posts/glowkind-serum.md:6:45: error[AD101]"),
        "{out}"
    );
    assert!(
        out.contains("posts/glowkind-serum.md:8:11: error[AD102]"),
        "{out}"
    );
    assert!(
        out.contains("posts/labelled-late.md:8:3: error[AD201]"),
        "{out}"
    );
    assert!(!out.contains("posts/labelled.md"), "{out}");
    assert_eq!(found.len(), 3, "{out}");
}

#[test]
fn a_late_label_on_its_own_line_gets_a_removal_suggestion_never_applied() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let words =
        "Ich wasche das Gesicht morgens nur mit Wasser und trage danach eine Creme auf. ".repeat(4);
    let post = format!(
        "---\nlang: de\njurisdiction: de\n---\n\n{words}\n\nMit dem Rabattcode LISA15 gibt es 15 Prozent.\n\n**Werbung**\n\nMehr Text.\n"
    );
    std::fs::write(p.join("late.md"), &post).unwrap();
    std::fs::write(
        p.join("inline.md"),
        post.replace("**Werbung**", "Dies ist **Werbung** für Kneipp."),
    )
    .unwrap();

    let human = stdout(&adlint(&["check", "late.md", "--no-config"], Some(p)));
    assert!(human.contains("error[AD201]"), "{human}");
    assert!(
        human.contains("dann das späte „Werbung“ entfernen"),
        "help: {human}"
    );
    assert!(
        human.contains("suggestion (not applied by --fix): das späte „Werbung“ entfernen"),
        "{human}"
    );

    let json = stdout(&adlint(
        &["check", "late.md", "--no-config", "--format", "json"],
        Some(p),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "AD201");
    assert_eq!(d["fix"]["applicability"], "safe");
    let s = &d["suggestions"][0];
    assert_eq!(s["applicability"], "suggested");
    let edit = &s["edits"][0];
    let (start, end) = (
        edit["span"]["start"].as_u64().unwrap() as usize,
        edit["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &post[start..end],
        "**Werbung**\n\n",
        "the line and the blank line after it"
    );

    let sarif = stdout(&adlint(
        &["check", "late.md", "--no-config", "--format", "sarif"],
        Some(p),
    ));
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let fixes = &v["runs"][0]["results"][0]["fixes"];
    assert_eq!(fixes.as_array().map(Vec::len), Some(2), "{sarif}");
    assert_eq!(fixes[1]["properties"]["applicability"], "suggested");
    assert_eq!(
        fixes[1]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["byteOffset"],
        start
    );

    // --fix adds the label at the top and deletes nothing.
    adlint(&["check", "late.md", "--no-config", "--fix"], Some(p));
    let fixed = std::fs::read_to_string(p.join("late.md")).unwrap();
    assert!(
        fixed.contains("---\n\n**Werbung**\n\nIch wasche"),
        "{fixed:?}"
    );
    assert!(fixed.ends_with("**Werbung**\n\nMehr Text.\n"), "{fixed:?}");

    // A late label inside a sentence is not deleted, not even as a suggestion.
    let json = stdout(&adlint(
        &["check", "inline.md", "--no-config", "--format", "json"],
        Some(p),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "AD201", "{json}");
    assert!(v["diagnostics"][0].get("suggestions").is_none(), "{json}");
}

/// A folder is walked while it is checked (on its own thread, a chunk at a time); the
/// report must still be in sorted path order, as for a list of files given up front.
/// Names chosen where a walk order and a sort could disagree (`a` before `a.md` and
/// `a-b`, capitals, non-ASCII, depth), and more files than one chunk.
#[test]
fn a_walked_folder_is_reported_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let post = "---\nlang: en\n---\nUse code ANNA20 at checkout!\n";
    let mut names: Vec<String> = vec![
        "a.md".into(),
        "a/z.md".into(),
        "a/b/c.md".into(),
        "a-b/x.md".into(),
        "a.b/y.md".into(),
        "B.md".into(),
        "b.md".into(),
        "ä.md".into(),
        "z/ä/ö.md".into(),
        "_posts/2024-01-01-x.md".into(),
    ];
    names.extend((0..1300).map(|i| format!("bulk/{}/p{i}.md", i % 7)));
    for n in &names {
        let p = dir.path().join(n);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, post).unwrap();
    }
    let list = dir.path().join("list.txt");
    std::fs::write(&list, names.join("\n")).unwrap();
    let args = ["--format", "short", "--no-config", "-q"];
    let walked = adlint(&[&["check", "."][..], &args].concat(), Some(dir.path()));
    let listed = adlint(
        &[&["check", "--files-from", "list.txt"][..], &args].concat(),
        Some(dir.path()),
    );
    assert_eq!(walked.status.code(), Some(1));
    let walked = stdout(&walked);
    assert_eq!(walked.lines().count(), names.len());
    assert_eq!(walked, stdout(&listed));
    let paths: Vec<&str> = walked
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(paths, sorted);
}

#[test]
fn version_lists_the_built_in_packs_with_their_dates() {
    let long = adlint(&["--version"], None);
    let sub = adlint(&["version"], None);
    assert!(long.status.success() && sub.status.success());
    let text = stdout(&sub);
    assert_eq!(
        stdout(&long),
        text,
        "`--version` and `version` say the same"
    );
    assert!(text.starts_with(&format!("adlint {}\n", env!("CARGO_PKG_VERSION"))));
    let short = stdout(&adlint(&["-V"], None));
    assert_eq!(
        short.trim(),
        format!("adlint {}", env!("CARGO_PKG_VERSION"))
    );
    // Every pack `adlint jurisdictions` knows, with the same date, as the loader sees it.
    let list = stdout(&adlint(&["jurisdictions"], None));
    let mut packs = 0;
    for row in list.lines().skip(1) {
        let code = row.split_whitespace().next().unwrap();
        let date = row.split_whitespace().last().unwrap();
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{code} "))
                    && l.trim_end().ends_with(date)),
            "{code} {date} is not in\n{text}"
        );
        packs += 1;
    }
    assert!(packs >= 18, "{list}");
    assert!(text.contains("languages: ") && text.contains("de, en"));
}
