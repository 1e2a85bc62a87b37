//! Issue 18, "the first ten minutes": nothing passes silently, fixes people can trust,
//! output people read, CI glue. Each test runs the binary as a new user would.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{stdout as out, write};

fn adlint(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const AMAZON: &str = "Meine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=blog-21)\n";

// ---------- item 4: an unknown jurisdiction is an error with a suggestion ----------

#[test]
fn unknown_front_matter_jurisdiction_fails_the_run_and_the_post_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "post.md",
        format!("---\ntitle: Test\njurisdiction: ger\n---\n{AMAZON}"),
    );
    let o = adlint(&["check", "--no-config", "post.md"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("front matter names unknown jurisdiction `ger` (did you mean `de`?)"),
        "{text}"
    );
    // Not skipped: the untagged link is still reported.
    assert!(text.contains("error[AD102]"), "{text}");
    assert!(
        text.contains("exit 2: 1 post names a jurisdiction adlint does not know"),
        "{text}"
    );
}

#[test]
fn unknown_command_line_jurisdictions_suggest_the_code_meant() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", AMAZON);
    for (given, meant) in [("gb", "uk"), ("en", "us"), ("ger", "de"), ("germany", "de")] {
        let o = adlint(
            &["check", "--no-config", "-j", given, "post.md"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains(&format!(
                "unknown jurisdiction `{given}`; did you mean `{meant}`?"
            )),
            "{}",
            err(&o)
        );
    }
    let o = adlint(&["explain", "AD102", "-j", "gb"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("did you mean `uk`?"), "{}", err(&o));
}

// ---------- item 5: no file matched ----------

#[test]
fn a_named_path_without_posts_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/readme.txt", "not a post\n");
    let o = adlint(&["check", "--no-config", "content"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("error: no posts found in content (include: **/*.md"),
        "{}",
        err(&o)
    );
    // The default folder may hold none: said, not failed.
    let o = adlint(&["check", "--no-config"], &dir.path().join("content"));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("warning: no posts found in ."),
        "{}",
        err(&o)
    );
}

// ---------- item 6: the summary counts problems and says why the exit code ----------

#[test]
fn broken_front_matter_is_counted_and_the_exit_code_explained() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", "---\ntitle: [bad\n---\nHello.\n");
    write(dir.path(), "b.md", "---\ntitle: fine\n---\nHello.\n");
    let o = adlint(&["check", "--no-config", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let last = out(&o).lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("Found 1 problem in 1 of 2 files ("),
        "{last}"
    );
    assert!(
        last.ends_with("; exit 1: 1 post could not be read as a post (broken front matter)"),
        "{last}"
    );
    assert!(!last.contains("0 errors"), "{last}");
}

// ---------- item 10: the last line reads like ruff's or rustc's ----------

#[test]
fn the_last_line_reads_like_rustc() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "clean.md",
        "---\ntitle: x\n---\nJust a walk in the park.\n",
    );
    let o = adlint(&["check", "--no-config", "clean.md"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let last = out(&o);
    assert!(
        last.starts_with("All checked: no problems in 1 file ("),
        "{last}"
    );
    write(
        dir.path(),
        "de/ad.md",
        format!("---\ntitle: x\nlang: de\n---\n{AMAZON}"),
    );
    let o = adlint(&["check", "--no-config", "."], dir.path());
    let last = out(&o).lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with("Found "), "{last}");
    assert!(last.contains(" in 1 of 2 files ("), "{last}");
    assert!(
        !last.contains("exit"),
        "errors explain exit 1 themselves: {last}"
    );
}

// ---------- item 7: --fix writes only fixes that cannot be wrong ----------

#[test]
fn a_label_the_text_does_not_show_is_only_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let hint = "---\ntitle: Test\nlang: es\n---\nGracias a Acme por la colaboración. Usa el código ACME20 para un 20% de descuento.\n";
    write(dir.path(), "hint.md", hint);
    // --fix leaves it alone and says why.
    let o = adlint(&["check", "--no-config", "--fix", "hint.md"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("hint.md")).unwrap(),
        hint
    );
    assert!(
        out(&o).contains("suggested fix(es) not applied: they assert what the post may not say"),
        "{}",
        out(&o)
    );
    let o = adlint(&["check", "--no-config", "hint.md"], dir.path());
    assert!(
        out(&o).contains("= suggested fix (only with --unsafe-fixes): insertar `**Publicidad**`"),
        "{}",
        out(&o)
    );
    // --diff does not show it; --diff --unsafe-fixes does.
    let o = adlint(&["check", "--no-config", "--diff", "hint.md"], dir.path());
    assert!(!out(&o).contains("Publicidad"), "{}", out(&o));
    assert!(
        err(&o).contains("`--diff --unsafe-fixes` shows them"),
        "{}",
        err(&o)
    );
    let o = adlint(
        &[
            "check",
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            "hint.md",
        ],
        dir.path(),
    );
    assert!(out(&o).contains("+**Publicidad**"), "{}", out(&o));
    // Asked for explicitly, it is written.
    let o = adlint(
        &["check", "--no-config", "--fix", "--unsafe-fixes", "hint.md"],
        dir.path(),
    );
    assert!(o.status.code().is_some());
    let fixed = std::fs::read_to_string(dir.path().join("hint.md")).unwrap();
    assert!(fixed.contains("---\n**Publicidad**\n\nGracias"), "{fixed}");
}

#[test]
fn a_post_declared_paid_gets_its_label_and_never_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "paid.md",
        "---\ntitle: Blender review\nlang: en\nsponsored: true\n---\nI love the Acme blender.\n",
    );
    write(
        dir.path(),
        "links.md",
        format!("---\ntitle: Powerbanks\nlang: de\n---\n{AMAZON}"),
    );
    let o = adlint(&["check", "--no-config", "--fix", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let paid = std::fs::read_to_string(dir.path().join("paid.md")).unwrap();
    assert!(paid.contains("---\n**Ad**\n\nI love"), "{paid}");
    let links = std::fs::read_to_string(dir.path().join("links.md")).unwrap();
    assert!(links.contains("tag=blog-21) (Werbelink)"), "{links}");
    assert!(links.contains("---\n**Werbung**\n\n"), "{links}");
    // No market's fix, safe or suggested, writes `{brand}` or any placeholder.
    let codes = out(&adlint(&["jurisdictions"], dir.path()));
    for code in codes
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_lowercase()))
    {
        write(
            dir.path(),
            "hint.md",
            "---\ntitle: Test\n---\nAcme paid me to write this. Use code ACME20 for 20% off.\n",
        );
        let o = adlint(
            &[
                "check",
                "--no-config",
                "-j",
                code,
                "--diff",
                "--unsafe-fixes",
                "hint.md",
            ],
            dir.path(),
        );
        assert!(!out(&o).contains('{'), "{code}: {}", out(&o));
        assert!(out(&o).contains("+**"), "{code}: {}", out(&o));
    }
}

#[test]
fn unsafe_fixes_go_with_fix_or_diff() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", AMAZON);
    let o = adlint(
        &["check", "--no-config", "--unsafe-fixes", "post.md"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--unsafe-fixes goes with --fix or --diff"));
}

// ---------- item 9: explain prints each section once, for a terminal ----------

#[test]
fn explain_prints_each_section_once_rendered_for_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let codes = out(&adlint(&["rules"], dir.path()));
    let codes: Vec<&str> = codes
        .split_whitespace()
        .filter(|w| w.starts_with("AD") && w.len() == 5)
        .collect();
    assert!(codes.len() > 10, "{codes:?}");
    for code in codes {
        let o = adlint(&["explain", code], dir.path());
        assert_eq!(o.status.code(), Some(0));
        let text = out(&o);
        for heading in [
            "What it flags",
            "Why",
            "Example",
            "What to write",
            "Not flagged",
        ] {
            let n = text.lines().filter(|l| *l == heading).count();
            assert!(n <= 1, "{code}: `{heading}` {n} times:\n{text}");
        }
        assert!(!text.contains("## "), "{code}: raw heading:\n{text}");
        assert!(!text.contains("```"), "{code}: raw code fence:\n{text}");
        // Markdown keeps the Markdown; JSON parses, sections in order.
        let md = out(&adlint(
            &["explain", code, "--format", "markdown"],
            dir.path(),
        ));
        assert!(md.starts_with(&format!("# {code} ")), "{md}");
        let json = out(&adlint(
            &["explain", code, "--format", "json", "-j", "de"],
            dir.path(),
        ));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["code"], code);
        assert_eq!(v["sections"][0]["heading"], "What it flags");
        assert_eq!(v["jurisdiction"]["code"], "de");
    }
    insta::assert_snapshot!(
        "explain_ad102",
        out(&adlint(&["explain", "AD102", "-j", "de"], dir.path()))
    );
}

// ---------- item 12: CI glue ----------

#[test]
fn write_baseline_exits_0_when_it_wrote_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "de/post.md",
        format!("---\nlang: de\n---\n{AMAZON}"),
    );
    let o = adlint(
        &[
            "check",
            "--no-config",
            "--write-baseline",
            "baseline.json",
            "de",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(dir.path().join("baseline.json").is_file());
    assert!(
        out(&o).contains("; exit 0: the findings were written to the baseline"),
        "{}",
        out(&o)
    );
    // With the baseline, nothing new: exit 0; without, the findings: exit 1.
    let o = adlint(
        &["check", "--no-config", "--baseline", "baseline.json", "de"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let o = adlint(&["check", "--no-config", "de"], dir.path());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn exit_zero_select_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    // A gift (AD103) and a discount code (AD104), under Italy.
    let post = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/blog/zaino-da-trekking.md"
    );
    let o = adlint(&["check", "--no-config", "--exit-zero", post], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("; exit 0: --exit-zero"), "{}", out(&o));
    let codes = |args: &[&str]| -> Vec<String> {
        let o = adlint(
            &[
                &["check", "--no-config", "--format", "short", "-q"],
                args,
                &[post],
            ]
            .concat(),
            dir.path(),
        );
        let mut c: Vec<String> = out(&o)
            .lines()
            .filter_map(|l| l.split(['[', ']']).nth(1).map(str::to_string))
            .collect();
        c.dedup();
        c
    };
    assert_eq!(codes(&[]), vec!["AD103", "AD104"]);
    assert_eq!(codes(&["--select", "AD103"]), vec!["AD103"]);
    assert_eq!(codes(&["--ignore", "AD103"]), vec!["AD104"]);
    assert_eq!(
        codes(&["--select", "AD1", "--ignore", "ad104"]),
        vec!["AD103"]
    );
    assert_eq!(codes(&["--select", "AD103,AD104"]), vec!["AD103", "AD104"]);
    let o = adlint(
        &["check", "--no-config", "--select", "XY9", post],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("--select: `XY9` is not a rule code or prefix"),
        "{}",
        err(&o)
    );
}

#[test]
fn since_on_a_shallow_clone_says_to_fetch_more_history() {
    let git = |dir: &Path, args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    let origin = tempfile::tempdir().unwrap();
    git(origin.path(), &["init", "-q", "-b", "main"]);
    for i in 0..3 {
        write(
            origin.path(),
            &format!("post{i}.md"),
            "---\ntitle: x\n---\nHello.\n",
        );
        git(origin.path(), &["add", "."]);
        git(origin.path(), &["commit", "-q", "-m", &format!("c{i}")]);
    }
    let base = String::from_utf8_lossy(
        &Command::new("git")
            .args(["rev-parse", "HEAD~2"])
            .current_dir(origin.path())
            .output()
            .unwrap()
            .stdout,
    )
    .trim()
    .to_string();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let o = adlint(
        &["check", "--no-config", "--since", &base],
        &clone.path().join("c"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("this clone is shallow") && err(&o).contains("fetch-depth: 0"),
        "{}",
        err(&o)
    );
}

// ---------- item 11: help, man page, completions ----------

#[test]
fn check_help_is_one_line_per_flag_with_examples_and_no_repository_files() {
    let dir = tempfile::tempdir().unwrap();
    let short = out(&adlint(&["check", "-h"], dir.path()));
    let options: Vec<&str> = short
        .lines()
        .skip_while(|l| *l != "Options:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(options.len() > 20, "{short}");
    for l in &options {
        // A continuation line would start with spaces only, then words.
        assert!(
            l.trim_start().starts_with('-'),
            "a flag's help runs over one line: {l:?}\n{short}"
        );
    }
    let long = out(&adlint(&["check", "--help"], dir.path()));
    assert!(
        long.contains("Example: adlint check --since origin/main"),
        "{long}"
    );
    assert!(long.contains("Examples:\n  adlint check "), "{long}");
    for file in ["DESIGN.md", "docs/", "rules/", ".rs"] {
        assert!(!long.contains(file), "`{file}` in check --help:\n{long}");
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, sign) in [
        ("bash", "_adlint()"),
        ("zsh", "#compdef adlint"),
        ("fish", "complete -c adlint"),
    ] {
        let o = adlint(&["completions", shell], dir.path());
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(out(&o).contains(sign), "{shell}: {}", out(&o));
        assert!(out(&o).contains("unsafe-fixes"), "{shell}");
    }
    let o = adlint(&["completions", "tcsh"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let man = out(&adlint(&["man"], dir.path()));
    assert!(man.contains(".TH adlint 1"), "{man}");
    assert!(man.contains("check"), "{man}");
}
