//! Issue 18, "the first ten minutes": nothing passes silently, fixes people can trust,
//! output people read, CI glue. Each test runs the binary as a new user would.

use std::path::Path;
use std::process::{Command, Output};

fn adlint(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const AMAZON: &str = "Meine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=blog-21)\n";

// ---------- item 4: an unknown jurisdiction is an error with a suggestion ----------

#[test]
fn unknown_front_matter_jurisdiction_fails_the_run_and_the_post_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "post.md",
        &format!("---\ntitle: Test\njurisdiction: ger\n---\n{AMAZON}"),
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
        &format!("---\ntitle: x\nlang: de\n---\n{AMAZON}"),
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
