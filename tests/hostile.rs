//! Hostile input: each test puts one bad file (or config, or pack) into a throw-away
//! blog next to a good post, runs the binary, and checks that adlint does not panic or
//! hang, names the bad file, still checks the good post, and exits with the right code
//! (0 clean, 1 findings or broken front matter, 2 unreadable file or bad config/pack).
//!
//! Tests marked `#[ignore = "BUG: …"]` show a bug that is not fixed yet; run them with
//! `cargo test --test hostile -- --ignored`.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::write;

/// A post that raises one warning (AD302: a German label on an English post) and no
/// error, so that it shows it was checked without changing the exit code.
const CANARY: &str = "---\nlang: en\n---\n**Werbung**\n\nI love this camera.\n";
const CANARY_SEEN: &str = "canary.md:4:3: ";

/// A post with an error finding (AD104).
const CODE_POST: &str = "---\nlang: en\n---\nUse code ANNA20 at checkout!\n";

/// No test may take longer than this, or it is a hang.
const TIMEOUT: Duration = Duration::from_secs(180);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(3000).collect::<String>();
        write!(
            f,
            "exit {:?} after {:.1?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.elapsed,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

/// Runs the binary in `dir`, failing the test on a hang or a panic.
fn adlint(dir: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("adlint {args:?} hangs: still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        elapsed: started.elapsed(),
    };
    assert!(
        matches!(run.code, Some(0..=2)),
        "exit code must be 0, 1 or 2 (101 is a panic, none a signal): {run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "a panic: {run:?}");
    run
}

/// `adlint check . --format short --no-config` in `dir`.
fn check(dir: &Path) -> Run {
    adlint(dir, &["check", ".", "--format", "short", "--no-config"])
}

/// A blog folder with the canary post in it.
fn blog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("canary.md"), CANARY).unwrap();
    dir
}

fn assert_canary_checked(run: &Run) {
    assert!(
        run.stdout.contains(CANARY_SEEN),
        "the good post was not checked: {run:?}"
    );
}

// ---------- odd but valid files ----------

#[test]
fn empty_file() {
    let dir = blog();
    write(dir.path(), "empty.md", "");
    write(dir.path(), "bom-only.md", "\u{feff}");
    write(dir.path(), "newlines.md", "\r\n\n\r\n");
    let run = check(dir.path());
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_canary_checked(&run);
    assert!(run.stdout.contains("of 4 files ("), "{run:?}");
    assert!(!run.stdout.contains("empty.md"), "{run:?}");
}

#[test]
fn only_front_matter() {
    let dir = blog();
    write(
        dir.path(),
        "fm.md",
        "---\ntitle: Hallo Welt\nlang: de\n---\n",
    );
    write(dir.path(), "fm-no-newline.md", "---\ntitle: Hallo\n---");
    write(dir.path(), "fm-toml.md", "+++\ntitle = \"Hallo\"\n+++\n");
    write(dir.path(), "fm-empty.md", "---\n---\n");
    let run = check(dir.path());
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_canary_checked(&run);
    assert!(run.stdout.contains("of 5 files ("), "{run:?}");
}

// ---------- broken front matter: a finding-level error, exit 1 ----------

#[test]
fn front_matter_that_never_closes() {
    let dir = blog();
    write(
        dir.path(),
        "unclosed.md",
        "---\ntitle: Test\nlang: de\n\nUse code ANNA20.\n",
    );
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains(
            "unclosed.md:1:1: error: the front matter opened with `---` on line 1 never closes"
        ),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn invalid_yaml() {
    let dir = blog();
    write(
        dir.path(),
        "bad.md",
        "---\ntitle: [oops\nlang: en\n---\nUse code ANNA20 at checkout!\n",
    );
    write(dir.path(), "tabs.md", "---\ntitle:\n\t- x\n---\nHallo\n");
    write(dir.path(), "scalar.md", "---\njust a string\n---\nHallo\n");
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout
            .contains("bad.md:3:5: error: the front matter is not valid YAML"),
        "{run:?}"
    );
    assert!(run.stdout.contains("tabs.md:"), "{run:?}");
    assert!(
        run.stdout
            .contains("scalar.md:2:1: error: the front matter is not a mapping"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("bad.md:5:1: error[AD104]"),
        "the body is still checked: {run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn invalid_toml_front_matter() {
    let dir = blog();
    write(
        dir.path(),
        "bad.md",
        "+++\ntitle = \"unclosed\nlang = \"en\"\n+++\nUse code ANNA20 at checkout!\n",
    );
    let deep = format!("+++\nx = {}\n+++\nHallo\n", "[".repeat(10_000));
    write(dir.path(), "deep.md", deep);
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout
            .contains("bad.md:2:18: error: the front matter is not valid TOML"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("deep.md:2:1: error: the front matter nests deeper than 64 levels"),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn yaml_bomb_deep_nesting() {
    let dir = blog();
    write(
        dir.path(),
        "brackets.md",
        format!("---\nx: {}\n---\nHallo\n", "[".repeat(10_000)),
    );
    write(
        dir.path(),
        "braces.md",
        format!("---\nx: {}\n---\nHallo\n", "{a: ".repeat(10_000)),
    );
    // Indentation nesting, 300 levels.
    let mut indented = String::from("---\n");
    for i in 0..300 {
        indented.push_str(&" ".repeat(i));
        indented.push_str("a:\n");
    }
    indented.push_str("---\nHallo\n");
    write(dir.path(), "indented.md", indented);
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    for name in ["brackets.md", "braces.md", "indented.md"] {
        assert!(
            run.stdout
                .contains(&format!("{name}:2:1: error: the front matter nests deeper")),
            "{name}: {run:?}"
        );
    }
    assert_canary_checked(&run);
}

#[test]
fn yaml_bomb_compact_nesting() {
    let dir = blog();
    write(
        dir.path(),
        "dashes.md",
        format!("---\nx:\n  {}y\n---\nHallo\n", "- ".repeat(20_000)),
    );
    write(
        dir.path(),
        "keys.md",
        format!("---\n{}y\n---\nHallo\n", "? ".repeat(20_000)),
    );
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("dashes.md:"), "{run:?}");
    assert!(run.stdout.contains("keys.md:"), "{run:?}");
    assert_canary_checked(&run);
}

#[test]
fn yaml_bomb_billion_laughs() {
    let dir = blog();
    let mut laughs =
        String::from("---\nlang: en\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        let refs = vec![format!("*{prev}"); 9].join(", ");
        laughs.push_str(&format!("b{i}: &b{i} [{refs}]\n"));
    }
    laughs.push_str("---\nUse code ANNA20 at checkout!\n");
    write(dir.path(), "laughs.md", laughs);
    // Aliases of a mapping, used as keys and merged.
    let merges = "---\nbase: &b {title: Werbung, lang: de}\nx: {<<: *b}\ny: [*b, *b, *b, *b]\n*b : z\n---\nHallo\n";
    write(dir.path(), "merges.md", merges);
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains("laughs.md:") && run.stdout.contains("billion-laughs"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("error[AD104]"),
        "the body is still checked: {run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn front_matter_over_the_size_limit() {
    let dir = blog();
    let big = format!(
        "---\ntitle: x\nbody: \"{}\"\n---\nUse code ANNA20 at checkout!\n",
        "a".repeat(300 * 1024)
    );
    write(dir.path(), "big-fm.md", big);
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains(
            "big-fm.md:2:1: error: the front matter is 300 KiB; adlint reads at most 256 KiB"
        ),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

// ---------- files that are not text: exit 2, the run goes on ----------

#[test]
fn latin1_bytes() {
    let dir = blog();
    write(dir.path(), "latin1.md", b"Hallo\nGr\xfc\xdfe aus K\xf6ln\n");
    let run = check(dir.path());
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stdout
            .contains("latin1.md: error: the file is not valid UTF-8 (line 2, byte 3)"),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn binary_file_named_md() {
    let dir = blog();
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(4096))
        .collect();
    write(dir.path(), "image.md", png);
    // No NUL byte, but not UTF-8 either.
    let noisy: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 128 + 128) as u8).collect();
    write(dir.path(), "noise.md", noisy);
    let run = check(dir.path());
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stdout
            .contains("image.md: error: this is a binary file, not Markdown text"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("noise.md: error: the file is not valid UTF-8"),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn nul_bytes_after_the_binary_sniff_are_text() {
    let dir = blog();
    let mut text = "Hallo Welt. ".repeat(1000);
    text.push_str("\0\0 Use code ANNA20 at checkout!\n");
    write(dir.path(), "late-nul.md", text);
    let run = check(dir.path());
    assert!(run.code == Some(1) || run.code == Some(2), "{run:?}");
    assert!(run.stdout.contains("late-nul.md"), "{run:?}");
    assert_canary_checked(&run);
}

// ---------- big and deep Markdown ----------

/// Size of the big-file test in MiB (`ADLINT_BIG_MB` to change it). A debug build
/// checks 50 MB in about 15 s thanks to `[profile.dev.package."*"] opt-level = 2` in
/// Cargo.toml; without it (dependencies unoptimised) it took 4.5 minutes.
fn big_size() -> usize {
    std::env::var("ADLINT_BIG_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50)
}

#[test]
fn big_markdown_file() {
    let dir = blog();
    let chunk = "## Abschnitt\n\nIch habe die neue Kamera zwei Wochen lang getestet. Die Bildqualität \
                 ist gut, der Akku hält lange. Mehr dazu auf [meiner Seite](https://example.com/page). \
                 *Fazit*: lohnt sich. 🚀\n\n- Punkt eins\n- Punkt zwei\n\n```\ncode here\n```\n\n";
    let target = big_size() * 1024 * 1024;
    let mut text = String::with_capacity(target + chunk.len() + 64);
    text.push_str("---\nlang: de\ntitle: Test\n---\n");
    while text.len() < target {
        text.push_str(chunk);
    }
    write(dir.path(), "big.md", &text);
    let run = check(dir.path());
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_canary_checked(&run);
    assert!(
        run.elapsed < Duration::from_secs(60 * big_size() as u64 / 50 + 5),
        "too slow: {run:?}"
    );
    eprintln!(
        "{} MiB checked in {:.1?} (with start-up)",
        big_size(),
        run.elapsed
    );
}

#[test]
fn ten_thousand_nested_lists() {
    let dir = blog();
    write(
        dir.path(),
        "lists.md",
        format!("{}Use code ANNA20 at checkout!\n", "- ".repeat(10_000)),
    );
    write(
        dir.path(),
        "ordered.md",
        format!("{}Hallo\n", "1. ".repeat(10_000)),
    );
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains("lists.md:1:20001: error[AD104]"),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn ten_thousand_nested_blockquotes() {
    let dir = blog();
    write(
        dir.path(),
        "quotes.md",
        format!("{} Use code ANNA20 at checkout!\n", ">".repeat(10_000)),
    );
    let mut lines = String::new();
    for i in 1..=2_000 {
        lines.push_str(&">".repeat(i));
        lines.push_str(" line\n");
    }
    write(dir.path(), "quote-lines.md", lines);
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains("quotes.md:1:10002: error[AD104]"),
        "{run:?}"
    );
    assert_canary_checked(&run);
}

#[test]
fn deep_inline_nesting() {
    let dir = blog();
    write(
        dir.path(),
        "emphasis.md",
        format!("{}Werbung{}\n", "*_".repeat(5_000), "_*".repeat(5_000)),
    );
    write(
        dir.path(),
        "links.md",
        format!("{}x{}\n", "[".repeat(10_000), "](u)".repeat(10_000)),
    );
    write(
        dir.path(),
        "html.md",
        format!(
            "{}Werbung{}\n",
            "<small>".repeat(10_000),
            "</small>".repeat(10_000)
        ),
    );
    write(
        dir.path(),
        "comments.md",
        format!("{}\n", "<!-- a -->".repeat(10_000)),
    );
    let run = check(dir.path());
    assert!(run.code == Some(0) || run.code == Some(1), "{run:?}");
    assert_canary_checked(&run);
}

#[test]
fn a_single_five_megabyte_line() {
    let dir = blog();
    let mut line = String::from("Use code ANNA20 at checkout! ");
    while line.len() < 5 * 1024 * 1024 {
        line.push_str("word ä 🚀 ");
    }
    line.push('\n');
    write(dir.path(), "line.md", line);
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("line.md:1:1: error[AD104]"), "{run:?}");
    assert_canary_checked(&run);
}

#[test]
fn html_link_closed_in_a_later_paragraph() {
    let dir = blog();
    write(
        dir.path(),
        "html.md",
        "Hier kaufen: <a href=\"https://www.amazon.de/dp/B3?tag=q-21\">Shop\n\nx</a>\n",
    );
    let run = check(dir.path());
    assert!(run.stdout.contains("html.md:"), "{run:?}");
    assert_canary_checked(&run);
}

// ---------- the file system ----------

#[cfg(unix)]
#[test]
fn symlink_loop_inside_the_folder() {
    use std::os::unix::fs::symlink;
    let dir = blog();
    let p = dir.path();
    symlink("b.md", p.join("a.md")).unwrap();
    symlink("a.md", p.join("b.md")).unwrap();
    std::fs::create_dir(p.join("loop")).unwrap();
    symlink("..", p.join("loop/up")).unwrap();
    symlink("../loop", p.join("loop/self")).unwrap();
    // Walking never follows symlinks: the loop is not entered and not an error.
    let run = check(p);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_canary_checked(&run);
    assert!(run.stdout.contains("of 1 file ("), "{run:?}");
    // Named on the command line, the loop is an unreadable file.
    let run = adlint(
        p,
        &[
            "check",
            "a.md",
            "canary.md",
            "--format",
            "short",
            "--no-config",
        ],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("a.md: error: cannot read"), "{run:?}");
    assert_canary_checked(&run);
}

#[cfg(unix)]
#[test]
fn named_symlink_to_a_folder_is_walked() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "real/canary.md", CANARY);
    symlink("real", p.join("content")).unwrap();
    let run = adlint(p, &["check", "content", "--format", "short", "--no-config"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains("canary.md:4:3: warning[AD302]"),
        "{run:?}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = blog();
    let secret = dir.path().join("secret.md");
    std::fs::write(&secret, "Hallo\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(&secret).is_ok();
    let run = check(dir.path());
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_canary_checked(&run);
    if readable_anyway {
        eprintln!("running as root: the unreadable file could be read, exit code not checked");
        assert_eq!(run.code, Some(0), "{run:?}");
        return;
    }
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stdout
            .contains("secret.md: error: cannot read the file: permission denied"),
        "{run:?}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = blog();
    let closed = dir.path().join("closed");
    std::fs::create_dir(&closed).unwrap();
    std::fs::write(closed.join("post.md"), "Hallo\n").unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read_dir(&closed).is_ok();
    let run = check(dir.path());
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_canary_checked(&run);
    if readable_anyway {
        eprintln!("running as root: the closed folder could be read, exit code not checked");
        return;
    }
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("closed"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn path_that_is_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = blog();
    let folder = dir.path().join(OsStr::from_bytes(b"d\xe9j\xe0"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join(OsStr::from_bytes(b"caf\xe9.md")), CODE_POST).unwrap();
    let run = check(dir.path());
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout
            .contains("d\u{fffd}j\u{fffd}/caf\u{fffd}.md:4:1: error[AD104]"),
        "{run:?}"
    );
    assert_canary_checked(&run);
    // JSON output stays valid JSON.
    let run = adlint(
        dir.path(),
        &["check", ".", "--format", "json", "--no-config"],
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 2, "{run:?}");
}

// ---------- bad config and packs: exit 2 ----------

#[test]
fn config_with_unknown_keys() {
    let dir = blog();
    write(dir.path(), "adlint.toml", "exlude = [\"drafts\"]\n");
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("adlint.toml:1:1")
            && run.stderr.contains("unknown field `exlude`")
            && run.stderr.contains("did you mean `exclude`?"),
        "{run:?}"
    );
    write(dir.path(), "adlint.toml", "[rules]\nAD102 = \"warn\"\n");
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("adlint.toml:2:9") && run.stderr.contains("did you mean `warning`?"),
        "{run:?}"
    );
    write(
        dir.path(),
        "adlint.toml",
        "[[overrides]]\npaths = [\"a\"]\njurisdiction = [\"de\"]\n",
    );
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("adlint.toml:3:1")
            && run.stderr.contains("did you mean `jurisdictions`?"),
        "{run:?}"
    );
}

#[test]
fn config_unknown_key_reported_is_the_first_in_the_file() {
    let dir = blog();
    write(
        dir.path(),
        "adlint.toml",
        "jurisdictons = [\"de\"]\nexlude = [\"x\"]\n",
    );
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("adlint.toml:1:1") && run.stderr.contains("`jurisdictons`"),
        "{run:?}"
    );
    // Every unknown key is reported, in file order, each with its line and a suggestion.
    let first = run.stderr.find("`jurisdictons`").unwrap();
    let second = run.stderr.find("adlint.toml:2:1: unknown field `exlude`");
    assert!(second.is_some_and(|s| s > first), "{run:?}");
    assert!(run.stderr.contains("did you mean `exclude`"), "{run:?}");
}

#[test]
fn config_that_is_not_toml_or_has_bad_values() {
    let dir = blog();
    for (config, expected) in [
        ("jurisdictions = [\"de\"\n", "adlint.toml:"),
        ("\0\u{1}", "adlint.toml:"),
        ("exclude = [\"[\"]\n", "invalid glob `[`"),
        ("[rules]\nAD999 = \"off\"\n", "`AD999` is not a rule code"),
        ("jurisdictions = [\"xx\"]\n", "unknown jurisdiction `xx`"),
        ("packs = [\"missing.toml\"]\n", "missing.toml"),
    ] {
        write(dir.path(), "adlint.toml", config);
        let run = adlint(dir.path(), &["check", "--format", "short"]);
        assert_eq!(run.code, Some(2), "{config:?}: {run:?}");
        assert!(run.stderr.contains(expected), "{config:?}: {run:?}");
    }
}

#[test]
fn config_label_with_an_unknown_language() {
    let dir = blog();
    write(
        dir.path(),
        "adlint.toml",
        "[[labels]]\nid = \"advertising\"\nlang = \"xx\"\nforms = [\"reklaam\"]\n",
    );
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("adlint.toml") && run.stderr.contains("unknown language `xx`"),
        "{run:?}"
    );
}

#[test]
fn config_label_error_names_the_config_file() {
    let dir = blog();
    write(
        dir.path(),
        "house.toml",
        "[[labels]]\nid = \"advertising\"\nlang = \"xx\"\nforms = [\"reklaam\"]\n",
    );
    let run = adlint(dir.path(), &["check", "--config", "house.toml"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("house.toml") && run.stderr.contains("[[labels]]")
            || run.stderr.contains("house.toml:1"),
        "{run:?}"
    );
}

const HOUSE_CONFIG: &str = "jurisdictions = [\"house\"]\npacks = [\"./house-rules.toml\"]\n";

#[test]
fn pack_with_an_unknown_extends() {
    let dir = blog();
    write(dir.path(), "adlint.toml", HOUSE_CONFIG);
    write(
        dir.path(),
        "house-rules.toml",
        "code = \"house\"\nname = \"House\"\nextends = \"zz\"\n",
    );
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("house-rules.toml") && run.stderr.contains("`extends = \"zz\"`"),
        "{run:?}"
    );
}

#[test]
fn broken_packs() {
    let dir = blog();
    write(dir.path(), "adlint.toml", HOUSE_CONFIG);
    for (pack, expected) in [
        (
            "code = \"house\"\nname = \"House\"\nextends = \"house\"\n",
            "cycle",
        ),
        (
            "code = \"house\"\nname = \"H\"\nextends = \"de\"\ncolour = 1\n",
            "house-rules.toml:4:1",
        ),
        (
            "code = \"house\"\nname = \"H\"\n",
            "missing table `[labels]`",
        ),
        (
            "code = \"house\"\nname = \"H\"\nextends = \"de\"\nlanguages = [\"xx\"]\n",
            "language `xx`",
        ),
        (
            "code = \"house\"\nname = \"H\"\nextends = \"de\"\n[labels]\naccepted = [\"nope\"]\n",
            "unknown label id `nope`",
        ),
        (
            "code = \"house\"\nname = \"H\"\nextends = \"de\"\n[placement]\nrule = \"start\"\nrefs = [\"NOPE\"]\n",
            "reference `NOPE`",
        ),
        (
            "code = \"house\"\nname = \"H\"\nextends = \"de\"\n[placement]\nrule = \"soon\"\n",
            "house-rules.toml:5:8",
        ),
        ("\u{feff}\0", "house-rules.toml"),
    ] {
        write(dir.path(), "house-rules.toml", pack);
        let run = adlint(dir.path(), &["check", "--format", "short"]);
        assert_eq!(run.code, Some(2), "{pack:?}: {run:?}");
        assert!(run.stderr.contains(expected), "{pack:?}: {run:?}");
    }
}

#[test]
fn huge_pack() {
    let dir = blog();
    write(dir.path(), "adlint.toml", HOUSE_CONFIG);
    write(dir.path(), "post.md", CODE_POST);
    let mut pack = String::from("code = \"house\"\nname = \"House\"\nextends = \"us\"\n");
    pack.push_str(&format!(
        "brands = [{}]\n",
        (0..10_000)
            .map(|i| format!("\"Brand{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let ids: Vec<String> = (0..10_000).map(|i| format!("\"H-{i}\"")).collect();
    pack.push_str(&format!(
        "[placement]\nrule = \"anywhere\"\nrefs = [{}]\n",
        ids.join(", ")
    ));
    for i in 0..10_000 {
        pack.push_str(&format!(
            "[[references]]\nid = \"H-{i}\"\ntitle = \"House reference {i}: a rule of the house\"\nurl = \"https://example.com/{i}\"\n"
        ));
    }
    write(dir.path(), "house-rules.toml", pack);
    let run = adlint(dir.path(), &["check", "--format", "short"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("post.md:4:1: error[AD104]"), "{run:?}");
    assert!(run.stdout.contains("[house]"), "{run:?}");
    eprintln!("huge pack: {:.1?}", run.elapsed);
}

// ---------- fixing hostile files ----------

#[test]
fn fix_after_front_matter_without_a_final_newline() {
    let dir = tempfile::tempdir().unwrap();
    let post = "---\ntitle: Gesponsert von Nivea\nlang: de\n---";
    write(dir.path(), "post.md", post);
    let run = adlint(
        dir.path(),
        &[
            "check",
            "post.md",
            "--fix",
            "--no-config",
            "--format",
            "short",
        ],
    );
    let fixed = std::fs::read_to_string(dir.path().join("post.md")).unwrap();
    assert!(!fixed.contains("---**"), "{fixed:?}");
    assert!(!run.stdout.contains("never closes"), "{run:?}");
}

#[test]
fn fix_on_hostile_files_keeps_them_intact() {
    let dir = tempfile::tempdir().unwrap();
    let posts: &[(&str, &[u8])] = &[
        ("latin1.md", b"Gr\xfc\xdfe\nUse code ANNA20\n"),
        ("binary.md", b"\x89PNG\0\0"),
        (
            "unclosed.md",
            b"---\nlang: de\n[x](https://www.amazon.de/dp/B0?tag=x-21)\n",
        ),
    ];
    for (name, content) in posts {
        write(dir.path(), name, content);
    }
    let run = adlint(
        dir.path(),
        &["check", ".", "--fix", "--no-config", "--format", "short"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    for (name, content) in posts {
        assert_eq!(
            &std::fs::read(dir.path().join(name)).unwrap(),
            content,
            "{name} was changed"
        );
    }
}

// ---------- what the output shows of a hostile file ----------

#[test]
fn control_characters_in_a_post_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "esc.md",
        "Use code ANNA20 at checkout! \u{1b}]0;pwned\u{7}\u{1b}[2J\rFound 0 errors\n",
    );
    let run = adlint(
        dir.path(),
        &["check", "esc.md", "--no-config", "--color", "never"],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("esc.md:1:1"), "{run:?}");
    for c in ['\u{1b}', '\u{7}', '\r'] {
        assert!(!run.stdout.contains(c), "{c:?} printed raw: {run:?}");
    }
}

#[test]
fn a_lone_carriage_return_is_a_line_break_everywhere() {
    // Old Mac line ends: CommonMark, editors, LSP and SARIF count `\r` as a line break;
    // so do every output format, the shown source and suppression comments.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "mac.md",
        "Hallo\rUse code ANNA20 at checkout!\r",
    );
    write(
        dir.path(),
        "mac-suppressed.md",
        "Hallo\r<!-- adlint-disable-next-line AD104 -->\rUse code LISA15 now!\r",
    );
    let args = [
        "check",
        "mac.md",
        "--no-config",
        "--color",
        "never",
        "-j",
        "us",
    ];
    let human = adlint(dir.path(), &args);
    assert_eq!(human.code, Some(1), "{human:?}");
    assert!(human.stdout.contains("mac.md:2:1"), "{human:?}");
    assert!(human.stdout.contains("2 │ Use code ANNA20"), "{human:?}");
    assert!(!human.stdout.contains('\r'), "{human:?}");
    let short = adlint(dir.path(), &[&args[..], &["--format", "short"]].concat());
    assert!(short.stdout.contains("mac.md:2:1:"), "{short:?}");
    let json = adlint(dir.path(), &[&args[..], &["--format", "json"]].concat());
    assert!(json.stdout.contains("\"line\": 2"), "{json:?}");
    let suppressed = adlint(
        dir.path(),
        &["check", "mac-suppressed.md", "--no-config", "-j", "us"],
    );
    assert_eq!(suppressed.code, Some(0), "{suppressed:?}");
}

#[test]
fn a_byte_order_mark_is_not_a_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bom.md",
        "\u{feff}Use code ANNA20 at checkout!\n",
    );
    let run = check(dir.path());
    assert!(run.stdout.contains("bom.md:1:1: error[AD104]"), "{run:?}");
}
