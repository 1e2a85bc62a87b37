//! adlint's own writes must never lose a byte (issue 16, items 1–7 and 13): reports,
//! baselines, `--fix`, the git hook, and what git is asked. Each test works in a
//! temporary folder of its own, runs the binary and checks what is on disk afterwards.
//! No test touches a real device: devices are reached through symlinks and FIFOs the
//! test makes (only `/dev/null` and `/dev/full`, which nothing can harm).
//! docs/safety.md has the table of attacks and the test of each.

// libc calls the tests need: geteuid, mkfifo, and a memory limit set between fork
// and exec.
#![allow(unsafe_code)]
#![cfg(unix)]

use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::write;

/// A post with an error finding that `--fix` cannot fix (AD104), so a report has text.
const CODE_POST: &str = "---\nlang: en\n---\nUse code ANNA20 at checkout!\n";

/// A German post whose affiliate link `--fix` marks (AD102, a safe fix).
const FIXABLE: &str = "---\ntitle: Test\nlang: de\n---\nMeine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=blog-21)\n";

const TIMEOUT: Duration = Duration::from_secs(120);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(3000).collect::<String>();
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

/// Runs the binary in `dir` after `tweak` adjusts the command (stdout, limits, env);
/// fails the test on a hang or a panic.
fn adlint_with(dir: &Path, args: &[&str], tweak: impl FnOnce(&mut Command)) -> Run {
    let started = Instant::now();
    // ADLINT_TEST_BIN runs the tests against another build (an older one, to see them fail).
    let bin = std::env::var("ADLINT_TEST_BIN").unwrap_or(env!("CARGO_BIN_EXE_adlint").into());
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tweak(&mut cmd);
    let mut child = cmd.spawn().expect("the binary starts");
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut s);
            }
            s
        })
    };
    let out = reader(child.stdout.take().map(|p| Box::new(p) as _));
    let err = reader(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("adlint {args:?} hangs: still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    };
    assert!(
        matches!(run.code, Some(0..=2)),
        "exit code must be 0, 1 or 2 (101 is a panic, none a signal): {run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "a panic: {run:?}");
    run
}

fn adlint(dir: &Path, args: &[&str]) -> Run {
    adlint_with(dir, args, |_| {})
}

/// A blog folder with one post (`post.md`, an AD104 error) in it.
fn blog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", CODE_POST);
    dir
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Names in `dir` (temporary files left behind show up here).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

// ---------- 7. a report on a full disk keeps the old one ----------

/// Limits the files the child writes to `bytes` (RLIMIT_FSIZE), as a full disk would;
/// SIGXFSZ is ignored so that the write fails (EFBIG) instead of killing the process.
fn file_size_limit(cmd: &mut Command, bytes: u64) {
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
}

#[test]
fn item07_a_report_that_cannot_be_written_keeps_the_old_one() {
    let dir = blog();
    let old = "an old report that must survive\n".repeat(4);
    for (flag, format) in [
        ("--output", "short"),
        ("--output", "sarif"),
        ("--output", "json"),
        ("--write-baseline", "short"),
    ] {
        write(dir.path(), "report.txt", &old);
        let run = adlint_with(
            dir.path(),
            &[
                "check",
                "post.md",
                "--no-config",
                "--format",
                format,
                flag,
                "report.txt",
            ],
            |c| file_size_limit(c, 64),
        );
        assert_eq!(run.code, Some(2), "{flag} {format}: {run:?}");
        assert!(
            run.stderr.contains("cannot write report.txt"),
            "{flag} {format}: the message names the report: {run:?}"
        );
        assert_eq!(read(dir.path().join("report.txt")), old, "{flag} {format}");
        assert_eq!(
            names(dir.path()),
            ["post.md", "report.txt"],
            "no temporary file left"
        );
    }
}

// ---------- 2. a device, FIFO or /dev/stdout is written to, never replaced ----------

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn item02_a_fifo_report_is_written_into_the_fifo() {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let dir = blog();
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    for format in ["json", "sarif", "short"] {
        // Opened before adlint runs (without blocking), so adlint's open finds a reader;
        // read after it ends: the report is small enough for the pipe's buffer.
        let mut reader = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo)
            .unwrap();
        let run = adlint(
            dir.path(),
            &[
                "check",
                ".",
                "--no-config",
                "--format",
                format,
                "--output",
                "report.fifo",
            ],
        );
        assert_eq!(run.code, Some(1), "{format}: {run:?}");
        let mut got = Vec::new();
        let _ = reader.read_to_end(&mut got);
        assert!(
            String::from_utf8_lossy(&got).contains("AD104"),
            "{format}: the report went into the FIFO: {run:?}"
        );
        let meta = std::fs::symlink_metadata(&fifo).unwrap();
        assert!(meta.file_type().is_fifo(), "{format}: still a FIFO");
    }
    assert_eq!(names(dir.path()), ["post.md", "report.fifo"]);
}

#[test]
fn item02_a_link_to_dev_null_or_stdout_stays_a_link() {
    let dir = blog();
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null")).unwrap();
    std::os::unix::fs::symlink("/dev/stdout", dir.path().join("stdout")).unwrap();
    for format in ["json", "sarif"] {
        let run = adlint(
            dir.path(),
            &[
                "check",
                ".",
                "--no-config",
                "--format",
                format,
                "--output",
                "null",
            ],
        );
        assert_eq!(run.code, Some(1), "{format}: {run:?}");
        let run = adlint(
            dir.path(),
            &[
                "check",
                ".",
                "--no-config",
                "--format",
                format,
                "--output",
                "stdout",
            ],
        );
        assert_eq!(run.code, Some(1), "{format}: {run:?}");
        assert!(
            run.stdout.contains("\"AD104\""),
            "{format}: the report went to standard output: {run:?}"
        );
        for link in ["null", "stdout"] {
            let meta = std::fs::symlink_metadata(dir.path().join(link)).unwrap();
            assert!(
                meta.file_type().is_symlink(),
                "{format}: {link} is still a link"
            );
        }
    }
    assert_eq!(names(dir.path()), ["null", "post.md", "stdout"]);
}

// ---------- 1. a report never replaces a post, follows a link out, or hides its mode ----------

#[test]
fn item01_a_report_over_a_checked_post_is_refused_without_force() {
    let dir = blog();
    write(dir.path(), "drafts/old.md", CODE_POST);
    let cases: &[&[&str]] = &[
        &["check", ".", "--output", "post.md"],
        &["check", ".", "--write-baseline", "post.md"],
        &[
            "check", "post.md", "--output", "post.md", "--format", "json",
        ],
        // Not checked yet, but a post in a checked folder: the next run would check it.
        &["check", ".", "--output", "drafts/new.md"],
        &["check", "drafts", "--output", "drafts/old.md"],
    ];
    for args in cases {
        let mut args = args.to_vec();
        args.push("--no-config");
        let run = adlint(dir.path(), &args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains("--force"), "{args:?}: {run:?}");
        assert_eq!(read(dir.path().join("post.md")), CODE_POST, "{args:?}");
        assert_eq!(
            read(dir.path().join("drafts/old.md")),
            CODE_POST,
            "{args:?}"
        );
        assert!(!dir.path().join("drafts/new.md").exists(), "{args:?}");
    }
    // A report outside the checked folder, or with another extension, is fine.
    let run = adlint(
        dir.path(),
        &["check", "drafts", "--no-config", "--output", "report.md"],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    // One file for both: refused, --force or not.
    let run = adlint(
        dir.path(),
        &[
            "check",
            "drafts",
            "--no-config",
            "--output",
            "r.json",
            "--write-baseline",
            "./r.json",
            "--force",
        ],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("both name"), "{run:?}");
    // --force says the user means it.
    let run = adlint(
        dir.path(),
        &[
            "check",
            ".",
            "--no-config",
            "--output",
            "post.md",
            "--force",
        ],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        read(dir.path().join("post.md")).contains("AD104"),
        "{run:?}"
    );
}

#[test]
fn item01_a_report_never_follows_a_link_out() {
    let root = tempfile::tempdir().unwrap();
    let blog = root.path().join("blog");
    write(&blog, "post.md", CODE_POST);
    write(root.path(), "outside/secret.txt", "keep me\n");
    std::os::unix::fs::symlink("../outside/secret.txt", blog.join("report.json")).unwrap();
    for args in [
        &["--format", "json", "--output", "report.json"][..],
        &["--format", "short", "--output", "report.json"],
        &["--write-baseline", "report.json"],
        &["--format", "json", "--output", "report.json", "--force"],
    ] {
        let mut all = vec!["check", ".", "--no-config"];
        all.extend_from_slice(args);
        let run = adlint(&blog, &all);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains("symbolic link"), "{args:?}: {run:?}");
        assert_eq!(read(root.path().join("outside/secret.txt")), "keep me\n");
        let meta = std::fs::symlink_metadata(blog.join("report.json")).unwrap();
        assert!(meta.file_type().is_symlink(), "{args:?}: the link is kept");
        assert_eq!(names(&blog), ["post.md", "report.json"], "{args:?}");
    }
    // Refused before anything is checked: --fix has not touched a post.
    write(&blog, "fix.md", FIXABLE);
    let run = adlint(
        &blog,
        &[
            "check",
            ".",
            "--no-config",
            "--fix",
            "--output",
            "report.json",
        ],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(read(blog.join("fix.md")), FIXABLE, "{run:?}");
}

/// Runs the child with `mask` as its umask.
fn umask(cmd: &mut Command, mask: libc::mode_t) {
    // SAFETY: umask is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            libc::umask(mask);
            Ok(())
        });
    }
}

#[test]
fn item01_a_new_report_gets_the_mode_of_a_plain_file() {
    let dir = blog();
    for (mask, mode) in [(0o022, 0o644), (0o027, 0o640)] {
        for (flag, format) in [
            ("--output", "json"),
            ("--output", "sarif"),
            ("--write-baseline", "short"),
        ] {
            let _ = std::fs::remove_file(dir.path().join("report.out"));
            let run = adlint_with(
                dir.path(),
                &[
                    "check",
                    ".",
                    "--no-config",
                    "--format",
                    format,
                    flag,
                    "report.out",
                ],
                |c| umask(c, mask),
            );
            // A written baseline is the job done: exit 0 (issue 18, item 12).
            let want = if flag == "--write-baseline" { 0 } else { 1 };
            assert_eq!(run.code, Some(want), "{run:?}");
            let got = std::fs::metadata(dir.path().join("report.out"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(got, mode, "{flag} {format} under umask {mask:o}: {got:o}");
        }
    }
}

// ---------- 13. a failed write is exit 2 with a message ----------

#[test]
fn item13_a_failed_write_to_stdout_or_a_report_is_exit_2() {
    if !Path::new("/dev/full").exists() {
        eprintln!("no /dev/full here: skipped");
        return;
    }
    let dir = blog();
    for format in ["human", "short", "json", "sarif", "github"] {
        let run = adlint_with(
            dir.path(),
            &["check", ".", "--no-config", "--format", format],
            |c| {
                let full = std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap();
                c.stdout(full);
            },
        );
        assert_eq!(run.code, Some(2), "{format}: {run:?}");
        assert!(
            run.stderr.contains("cannot write to standard output"),
            "{format}: {run:?}"
        );
    }
    // The other commands print too (`print!` panicked on a failed write).
    let run = adlint_with(dir.path(), &["rules"], |c| {
        c.stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        );
    });
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("cannot write to standard output"),
        "{run:?}"
    );
    // A report on a full device, reached through a link made here.
    std::os::unix::fs::symlink("/dev/full", dir.path().join("full")).unwrap();
    for format in ["json", "sarif", "short"] {
        let run = adlint(
            dir.path(),
            &[
                "check",
                ".",
                "--no-config",
                "--format",
                format,
                "--output",
                "full",
            ],
        );
        assert_eq!(run.code, Some(2), "{format}: {run:?}");
        assert!(
            run.stderr.contains("cannot write full"),
            "{format}: {run:?}"
        );
        let meta = std::fs::symlink_metadata(dir.path().join("full")).unwrap();
        assert!(meta.file_type().is_symlink(), "{format}: the link is kept");
    }
}

// ---------- 3. a revision is never an option to git ----------

/// A git repository with one committed post, isolated from the user's git config.
fn repo() -> tempfile::TempDir {
    let dir = blog();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "post.md"]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    dir
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn item03_a_revision_that_looks_like_an_option_is_refused() {
    let dir = repo();
    write(dir.path(), "x.txt", "keep me\n");
    for rev in ["--output=x.txt", "-ox.txt", "--no-index"] {
        let since = format!("--since={rev}");
        let run = adlint_with(dir.path(), &["check", &since, "--no-config"], |c| {
            c.env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", dir.path());
        });
        assert_eq!(run.code, Some(2), "{rev}: {run:?}");
        assert!(run.stderr.contains("starts with `-`"), "{rev}: {run:?}");
        assert_eq!(read(dir.path().join("x.txt")), "keep me\n", "{rev}");
    }
    // A real revision still works.
    write(dir.path(), "post.md", format!("{CODE_POST}\nMore.\n"));
    let run = adlint_with(dir.path(), &["check", "--since=HEAD", "--no-config"], |c| {
        c.env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", dir.path());
    });
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("AD104"), "{run:?}");
}

// ---------- 6. hook install keeps the user's hook and never writes through a link ----------

#[test]
fn item06_hook_install_force_keeps_a_backup_and_leaves_a_linked_hook_alone() {
    let dir = repo();
    let hooks = dir.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let user_hook = "#!/bin/sh\necho the user's own hook\n";
    write(dir.path(), "shared/hook.sh", user_hook);
    let shared = dir.path().join("shared/hook.sh");
    std::os::unix::fs::symlink(&shared, hooks.join("pre-commit")).unwrap();
    let env = |c: &mut Command| {
        c.env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", dir.path());
    };
    // Without --force the hook is kept.
    let run = adlint_with(dir.path(), &["hook", "install"], env);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(read(&shared), user_hook);

    let run = adlint_with(dir.path(), &["hook", "install", "--force"], env);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(read(&shared), user_hook, "the shared file is not written");
    let hook = hooks.join("pre-commit");
    assert!(std::fs::symlink_metadata(&hook).unwrap().is_file());
    assert!(read(&hook).contains("adlint check --staged"));
    assert_eq!(
        std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111,
        0o111
    );
    let backup = hooks.join("pre-commit.adlint-backup");
    assert_eq!(
        std::fs::read_link(&backup).unwrap(),
        shared,
        "the old hook, kept"
    );
    assert!(run.stdout.contains("pre-commit.adlint-backup"), "{run:?}");

    // Installing again replaces adlint's own hook and keeps the backup.
    let run = adlint_with(dir.path(), &["hook", "install", "--force"], env);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(std::fs::read_link(&backup).unwrap(), shared);

    // Uninstalling puts the user's hook back.
    let run = adlint_with(dir.path(), &["hook", "uninstall"], env);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(std::fs::read_link(&hook).unwrap(), shared, "{run:?}");
    assert!(!backup.exists());
    assert_eq!(read(&shared), user_hook);
}

#[test]
fn item06_a_plain_user_hook_is_kept_as_a_backup() {
    let dir = repo();
    let hooks = dir.path().join(".git/hooks");
    let user_hook = "#!/bin/sh\nexit 0\n";
    write(&hooks, "pre-commit", user_hook);
    let run = adlint_with(dir.path(), &["hook", "install", "--force"], |c| {
        c.env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", dir.path());
    });
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(read(hooks.join("pre-commit.adlint-backup")), user_hook);
    assert!(read(hooks.join("pre-commit")).contains("adlint"));
    assert!(run.stdout.contains("pre-commit.adlint-backup"), "{run:?}");
}

// ---------- 4. an edit made while --fix runs is not lost ----------

#[test]
// The pause it needs is compiled into debug builds only.
#[cfg_attr(not(debug_assertions), ignore = "needs a debug build's fix pause")]
fn item04_an_edit_made_while_fix_runs_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", FIXABLE);
    let marker = dir.path().join("paused");
    // Debug builds pause with the fixed text written and synced, right before the last
    // look at the file and the rename, while this marker exists (the slow part of a
    // real run: a large post, a slow disk).
    let run = std::thread::scope(|s| {
        let runner = s.spawn(|| {
            adlint_with(
                dir.path(),
                &[
                    "check",
                    "post.md",
                    "--no-config",
                    "--fix",
                    "--format",
                    "short",
                ],
                |c| {
                    c.env("ADLINT_TEST_FIX_PAUSE", &marker);
                },
            )
        });
        let started = Instant::now();
        while !marker.exists() && !runner.is_finished() {
            assert!(started.elapsed() < TIMEOUT, "adlint never paused");
            std::thread::sleep(Duration::from_millis(5));
        }
        // The user saves an edit while adlint is about to write its fix.
        let mut post = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("post.md"))
            .unwrap();
        std::io::Write::write_all(&mut post, b"\nAn edit made meanwhile.\n").unwrap();
        drop(post);
        let _ = std::fs::remove_file(&marker);
        runner.join().unwrap()
    });
    assert_eq!(
        read(dir.path().join("post.md")),
        format!("{FIXABLE}\nAn edit made meanwhile.\n"),
        "{run:?}"
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("changed on disk"), "{run:?}");
    assert_eq!(names(dir.path()), ["post.md"], "no temporary file left");
}

// ---------- 5. --fix edits the file a link points to, keeps owner and mode ----------

fn fix(dir: &Path, name: &str) -> Run {
    adlint(
        dir,
        &["check", name, "--no-config", "--fix", "--format", "short"],
    )
}

#[test]
fn item05_fix_through_a_symlink_fixes_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real/post.md", FIXABLE);
    std::os::unix::fs::symlink("real/post.md", dir.path().join("link.md")).unwrap();
    let run = fix(dir.path(), "link.md");
    assert_eq!(run.code, Some(0), "{run:?}");
    let meta = std::fs::symlink_metadata(dir.path().join("link.md")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link is kept: {run:?}");
    let fixed = read(dir.path().join("real/post.md"));
    assert!(
        fixed.contains("(Werbelink)"),
        "the target is fixed: {fixed:?}"
    );
    assert_eq!(names(&dir.path().join("real")), ["post.md"]);
}

#[test]
fn item05_a_hard_linked_post_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", FIXABLE);
    std::fs::hard_link(dir.path().join("a.md"), dir.path().join("b.md")).unwrap();
    let run = fix(dir.path(), "a.md");
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("hard link"), "{run:?}");
    assert_eq!(read(dir.path().join("a.md")), FIXABLE);
    assert_eq!(
        std::fs::metadata(dir.path().join("b.md")).unwrap().nlink(),
        2
    );
}

#[test]
fn item05_a_read_only_post_is_left_alone() {
    // Root may write it all the same: the mode says the user wants it kept.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ro.md", FIXABLE);
    let ro = dir.path().join("ro.md");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = fix(dir.path(), "ro.md");
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("read-only"), "{run:?}");
    assert_eq!(read(&ro), FIXABLE);
    assert_eq!(
        std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn item05_fix_keeps_owner_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", FIXABLE);
    let post = dir.path().join("post.md");
    std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o604)).unwrap();
    // Only root can give a file away; as another user the owner is ours anyway.
    let owner = if is_root() {
        std::os::unix::fs::chown(&post, Some(4242), Some(4343)).unwrap();
        (4242, 4343)
    } else {
        let m = std::fs::metadata(&post).unwrap();
        (m.uid(), m.gid())
    };
    let run = fix(dir.path(), "post.md");
    assert_eq!(run.code, Some(0), "{run:?}");
    let meta = std::fs::metadata(&post).unwrap();
    assert!(read(&post).contains("(Werbelink)"), "{run:?}");
    assert_eq!(meta.permissions().mode() & 0o7777, 0o604);
    assert_eq!((meta.uid(), meta.gid()), owner, "the owner is kept");
}

#[test]
fn item05_a_post_whose_owner_cannot_be_kept_is_left_alone() {
    // Only root can set this up: someone else's writable post in a shared folder,
    // fixed by an ordinary user, who could rename over it but not give it back.
    if !is_root() {
        eprintln!("not root: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    write(dir.path(), "post.md", FIXABLE);
    let post = dir.path().join("post.md");
    std::os::unix::fs::chown(&post, Some(4242), Some(4242)).unwrap();
    std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o666)).unwrap();
    let run = adlint_with(
        dir.path(),
        &[
            "check",
            "post.md",
            "--no-config",
            "--fix",
            "--format",
            "short",
        ],
        |c| {
            c.uid(65534).gid(65534);
        },
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("owner could not be kept"), "{run:?}");
    assert_eq!(read(&post), FIXABLE);
    let meta = std::fs::metadata(&post).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4242, 4242));
    assert_eq!(names(dir.path()), ["post.md"], "no temporary file left");
}

// ---------- issue 16, item 16: JSON front matter, CR-only files ----------

#[test]
fn item16_json_front_matter_is_read_and_a_label_never_goes_above_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let json =
        "{\n  \"title\": \"Kamera im Test\",\n  \"lang\": \"de\",\n  \"tags\": [\"kamera\"]\n}\n";
    // An English sentence: only the front matter says the post is German.
    let post = format!("{json}\nMy pick: [Anker](https://www.amazon.de/dp/B0?tag=blog-21)\n");
    write(dir.path(), "json.md", &post);
    let run = adlint(
        dir.path(),
        &["check", "json.md", "--no-config", "--format", "json"],
    );
    // The front matter is front matter: its `lang: de` puts the post under DE.
    assert!(run.stdout.contains("\"jurisdiction\": \"de\""), "{run:?}");
    let run = fix(dir.path(), "json.md");
    let fixed = read(dir.path().join("json.md"));
    assert!(
        fixed.starts_with(json),
        "the front matter stays first: {fixed:?} {run:?}"
    );
    assert!(fixed.contains("(Werbelink)"), "{fixed:?} {run:?}");

    // A paid post, whose label goes at the top of the body: below the front matter,
    // in a JSON, YAML or TOML post with CR-only, CRLF or LF line ends.
    for (name, fm) in [
        (
            "json",
            "{\"title\": \"Test\", \"lang\": \"de\", \"sponsored\": true}\n",
        ),
        ("yaml", "---\ntitle: Test\nlang: de\nsponsored: true\n---\n"),
        (
            "toml",
            "+++\ntitle = \"Test\"\nlang = \"de\"\nsponsored = true\n+++\n",
        ),
    ] {
        for newline in ["\n", "\r\n", "\r"] {
            let fm = fm.replace('\n', newline);
            let post = format!("{fm}Die Kamera im Test.{newline}");
            let file = format!("{name}.md");
            write(dir.path(), &file, &post);
            let run = fix(dir.path(), &file);
            let fixed = read(dir.path().join(&file));
            let shown = format!("{name} {newline:?}: {fixed:?} {run:?}");
            assert!(fixed.starts_with(&fm), "front matter first: {shown}");
            assert!(fixed.len() > post.len(), "a label was inserted: {shown}");
            let rest = fixed.replace(newline, "");
            assert!(
                !rest.contains(['\r', '\n']),
                "one kind of line end: {shown}"
            );
        }
    }
}

// ---------- issue 16, item 17: --staged never blocks a commit for a file it would not check ----------

fn in_repo(dir: &Path, args: &[&str]) -> Run {
    adlint_with(dir, args, |c| {
        c.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap());
    })
}

#[test]
fn item17_staged_names_that_are_not_utf8_and_submodules_named_md() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    // A post named in Latin-1 is a post: checked, with its finding.
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(dir.path().join(name), CODE_POST).unwrap();
    let out = Command::new("git")
        .arg("add")
        .arg(name)
        .current_dir(dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let run = in_repo(
        dir.path(),
        &["check", "--staged", "--no-config", "--format", "short"],
    );
    assert_eq!(run.code, Some(1), "checked, not failed: {run:?}");
    assert!(run.stdout.contains("AD104"), "{run:?}");
    git(dir.path(), &["commit", "-q", "-m", "latin-1"]);

    // A submodule named `notes.md` is no post: the commit goes through.
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let info = format!("160000,{},notes.md", head.trim());
    git(dir.path(), &["update-index", "--add", "--cacheinfo", &info]);
    let run = in_repo(dir.path(), &["check", "--staged", "--no-config"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(!run.stderr.contains("git show"), "{run:?}");
}

#[test]
fn item17_staged_in_a_bare_repository_or_outside_one_says_so() {
    let outside = tempfile::tempdir().unwrap();
    let run = in_repo(outside.path(), &["check", "--staged", "--no-config"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("not in a git repository"), "{run:?}");
    assert!(!run.stderr.contains("usage:"), "no git usage text: {run:?}");
    let run = in_repo(outside.path(), &["check", "--since=HEAD", "--no-config"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("not in a git repository"), "{run:?}");

    let bare = tempfile::tempdir().unwrap();
    git(bare.path(), &["init", "-q", "--bare"]);
    let run = in_repo(bare.path(), &["check", "--staged", "--no-config"]);
    assert_eq!(
        run.code,
        Some(2),
        "a bare repository checks nothing: {run:?}"
    );
    assert!(run.stderr.contains("bare git repository"), "{run:?}");
}

// ---------- issue 16, item 19: the summary tells suppressed findings and failed writes ----------

#[test]
fn item19_a_failed_fix_write_is_not_a_file_that_could_not_be_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", FIXABLE);
    let run = adlint_with(
        dir.path(),
        &["check", "post.md", "--no-config", "--fix"],
        |c| file_size_limit(c, 16),
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(!summary.contains("could not be read"), "{run:?}");
    assert!(summary.contains("could not be written"), "{run:?}");
    assert!(
        summary.contains("of 1 file") || summary.contains("in 1 file"),
        "the file was checked: {run:?}"
    );
    assert_eq!(read(dir.path().join("post.md")), FIXABLE);
}

#[test]
fn item19_an_unclosed_disable_is_one_warning_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut post = String::from("---\nlang: en\n---\nIntro.\n\n<!-- adlint-disable\n");
    for i in 0..2000 {
        post.push_str(&format!("Use code ANNA{i} at checkout, it is great.\n\n"));
    }
    write(dir.path(), "open.md", &post);
    let run = adlint(dir.path(), &["check", "open.md", "--no-config"]);
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(summary.contains("1 warning"), "{run:?}");
    assert_eq!(run.stdout.matches("never closed").count(), 1, "{run:?}");
    assert!(!run.stdout.contains("not a rule code"), "{run:?}");
}
