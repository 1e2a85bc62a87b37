//! Hangs, runaway memory and crashes (issue 16, items 8-12, 18 and 20): each test makes
//! its own throw-away folder, with the FIFOs, symlinks and files it needs, runs the
//! binary with a time limit and a memory limit, and checks that adlint answers with a
//! clear message instead of hanging, growing without end or panicking. The only device
//! used is `/dev/zero`, through a symlink made in the test. See docs/safety.md ("Hangs, memory and crashes").

// libc calls the tests need: mkfifo, and a memory limit set between fork and exec.
#![allow(unsafe_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::write;

/// A post that raises one warning (AD302: a German label on an English post).
const CANARY: &str = "---\nlang: en\n---\n**Werbung**\n\nI love this camera.\n";
const CANARY_SEEN: &str = "canary.md:4:3: ";

/// Longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The address space a run may use: reading `/dev/zero` whole would pass it quickly
/// (and be killed) instead of taking the machine's memory.
const MEMORY: u64 = 2 << 30;

/// What a test writes to the binary's standard input.
type Feed = Box<dyn FnOnce(&mut dyn Write) + Send>;

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

/// Runs the binary in `dir` with `input` on standard input (written by a thread of its
/// own, so an endless input is possible), failing the test on a hang or a panic.
fn run_with(dir: &Path, args: &[&str], input: Option<Feed>) -> Run {
    run_limited(dir, args, input, true)
}

/// [`run_with`], with or without the memory limit.
fn run_limited(dir: &Path, args: &[&str], input: Option<Feed>, limit: bool) -> Run {
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adlint"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if limit {
        limit_memory(&mut cmd);
    }
    let mut child = cmd.spawn().expect("the binary starts");
    let writer = input.map(|feed| {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || feed(&mut stdin))
    });
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
    if let Some(w) = writer {
        let _ = w.join();
    }
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

/// At most [`MEMORY`] of address space for the child.
fn limit_memory(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only an async-signal-safe system call between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: MEMORY,
                    rlim_max: MEMORY,
                };
                libc::setrlimit(libc::RLIMIT_AS, &limit);
                Ok(())
            });
        }
    }
}

fn adlint(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, None)
}

/// A blog folder with the canary post in it.
fn blog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "canary.md", CANARY);
    dir
}

/// A FIFO nobody writes to: opening it for reading the usual way waits for ever.
#[cfg(unix)]
fn fifo(dir: &Path, name: &str) {
    let path = std::ffi::CString::new(dir.join(name).to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// A symlink to `/dev/zero`: endless bytes, all valid UTF-8.
#[cfg(unix)]
fn zero(dir: &Path, name: &str) {
    std::os::unix::fs::symlink("/dev/zero", dir.join(name)).unwrap();
}

/// A regular file of `size` bytes that takes no room on disk.
fn sparse(dir: &Path, name: &str, size: u64) {
    std::fs::File::create(dir.join(name))
        .unwrap()
        .set_len(size)
        .unwrap();
}

fn assert_refused(run: &Run, names: &str, why: &str) {
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains(names), "the file is not named: {run:?}");
    assert!(run.stderr.contains(why), "no `{why}`: {run:?}");
}

// ---------- 8: files named by the config or by flags ----------

#[cfg(unix)]
#[test]
fn config_pack_baseline_and_list_must_be_regular_files() {
    let dir = blog();
    zero(dir.path(), "zero.toml");
    fifo(dir.path(), "pipe.toml");
    write(
        dir.path(),
        "zero-pack/adlint.toml",
        "packs = [\"../zero.toml\"]\n",
    );
    write(
        dir.path(),
        "pipe-pack/adlint.toml",
        "packs = [\"../pipe.toml\"]\n",
    );
    let device = "not a regular file but a device";
    let pipe = "not a regular file but a FIFO";
    for (config, why) in [
        ("zero-pack/adlint.toml", device),
        ("pipe-pack/adlint.toml", pipe),
        ("zero.toml", device),
        ("pipe.toml", pipe),
    ] {
        let run = adlint(dir.path(), &["check", "canary.md", "--config", config]);
        let named = if config.contains('/') {
            config.split('/').next().unwrap().replace("-pack", ".toml")
        } else {
            config.to_string()
        };
        assert_refused(&run, &named, why);
    }
    for flag in ["--baseline", "--files-from"] {
        for (file, why) in [("zero.toml", device), ("pipe.toml", pipe)] {
            let run = adlint(dir.path(), &["check", "--no-config", flag, file]);
            assert_refused(&run, file, why);
        }
    }
    // `--files-from` on a FIFO says how to pipe a list instead.
    let run = adlint(
        dir.path(),
        &["check", "--no-config", "--files-from", "pipe.toml"],
    );
    assert!(run.stderr.contains("--files-from -"), "{run:?}");
}

#[test]
fn config_pack_and_baseline_have_a_size_limit() {
    let dir = blog();
    sparse(dir.path(), "big.toml", 17 << 20);
    write(
        dir.path(),
        "pack/adlint.toml",
        "packs = [\"../big.toml\"]\n",
    );
    sparse(dir.path(), "big.json", 300 << 20);
    for args in [
        &["check", "canary.md", "--config", "big.toml"][..],
        &["check", "canary.md", "--config", "pack/adlint.toml"],
    ] {
        let run = adlint(dir.path(), args);
        assert_refused(
            &run,
            "big.toml",
            "too large (17.0 MiB); adlint reads at most 16.0 MiB",
        );
    }
    let run = adlint(
        dir.path(),
        &[
            "check",
            "canary.md",
            "--no-config",
            "--baseline",
            "big.json",
        ],
    );
    assert_refused(
        &run,
        "big.json",
        "too large (300.0 MiB); adlint reads at most 256.0 MiB",
    );
}

#[test]
fn a_list_on_standard_input_is_allowed_and_bounded() {
    let dir = blog();
    let list = |w: &mut dyn Write| {
        let _ = w.write_all(b"canary.md\n");
    };
    let run = run_with(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "short",
            "--files-from",
            "-",
        ],
        Some(Box::new(list)),
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains(CANARY_SEEN), "{run:?}");
    // An endless list: refused once past the limit, not read until memory runs out.
    let endless = |w: &mut dyn Write| {
        let chunk = b"canary.md\n".repeat(1 << 16);
        while w.write_all(&chunk).is_ok() {}
    };
    let run = run_with(
        dir.path(),
        &["check", "--no-config", "--files-from", "-"],
        Some(Box::new(endless)),
    );
    assert_refused(&run, "--files-from -", "adlint reads at most 256.0 MiB");
}

#[cfg(unix)]
#[test]
fn a_site_generator_file_that_is_a_device_or_fifo_is_left_out() {
    // Eleventy: its config is a symlink to /dev/zero.
    let dir = blog();
    zero(dir.path(), ".eleventy.js");
    let run = adlint(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains(CANARY_SEEN), "{run:?}");
    assert!(
        run.stderr
            .contains(".eleventy.js: not a regular file but a device"),
        "{run:?}"
    );
    // Hugo: its config is a FIFO, and so are a layout and a shortcode template (the
    // walk over shortcodes takes regular files only; layouts are read by name).
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/canary.md", CANARY);
    fifo(dir.path(), "hugo.toml");
    std::fs::create_dir_all(dir.path().join("layouts/shortcodes")).unwrap();
    std::fs::create_dir_all(dir.path().join("layouts/_default")).unwrap();
    fifo(dir.path(), "layouts/shortcodes/aff.html");
    fifo(dir.path(), "layouts/_default/single.html");
    let run = adlint(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("content/canary.md:4:3: "), "{run:?}");
    assert!(
        run.stderr
            .contains("hugo.toml: not a regular file but a FIFO"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("single.html: not a regular file but a FIFO"),
        "{run:?}"
    );
    // `adlint init` reads the same files.
    let run = adlint(dir.path(), &["init"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("hugo.toml: not a regular file"),
        "{run:?}"
    );
}

#[cfg(unix)]
#[test]
fn an_html_name_on_a_list_that_is_a_fifo_does_not_hang() {
    // Whether an `.html` file is a post is told from its first bytes.
    let dir = blog();
    fifo(dir.path(), "page.html");
    write(dir.path(), "list.txt", "canary.md\npage.html\n");
    let run = adlint(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "short",
            "--files-from",
            "list.txt",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains(CANARY_SEEN), "{run:?}");
}

// ---------- 9: many findings on one line ----------

/// A German post with `n` affiliate links on one line: one AD102 finding per link.
/// `n` unmarked affiliate links under DE: `n` AD102 for the links and one more for the
/// post, which has no "Werbung" at the start.
fn links_on_one_line(n: usize) -> String {
    let links: Vec<String> = (0..n)
        .map(|i| format!("[x](https://www.amazon.de/dp/B{i}?tag=blog-21)"))
        .collect();
    format!("---\nlang: de\n---\n{}\n", links.join(" "))
}

#[test]
fn many_findings_on_one_line_are_linear() {
    // 30,000 findings on a 1.5 MB line: before, each was counted from the line start,
    // and the human output printed the whole line under each (45 GB).
    let dir = tempfile::tempdir().unwrap();
    let post = links_on_one_line(30_000);
    write(dir.path(), "links.md", &post);
    let last = post.rfind("[x]").unwrap() - post.rfind("---\n").unwrap() - 4 + 1;
    let short = adlint(
        dir.path(),
        &[
            "check",
            "links.md",
            "--no-config",
            "-j",
            "de",
            "--format",
            "short",
        ],
    );
    assert_eq!(short.code, Some(1), "{short:?}");
    assert_eq!(short.stdout.matches("error[AD102]").count(), 30_001);
    assert!(
        short
            .stdout
            .contains(&format!("links.md:4:{last}: error[AD102]")),
        "{short:?}"
    );
    let human = adlint(
        dir.path(),
        &["check", "links.md", "--no-config", "-j", "de"],
    );
    assert_eq!(human.code, Some(1), "{human:?}");
    // The place of each finding, not the 1.5 MB line under each.
    assert!(
        human.stdout.contains(&format!("at links.md:4:{last}: ")),
        "{human:?}"
    );
    assert!(
        human.stdout.len() < 30 << 20,
        "{} bytes",
        human.stdout.len()
    );
    // A short line is still shown under its finding.
    write(dir.path(), "short.md", links_on_one_line(2));
    let run = adlint(
        dir.path(),
        &["check", "short.md", "--no-config", "-j", "de"],
    );
    assert!(
        run.stdout
            .contains("4 │ [x](https://www.amazon.de/dp/B0?tag=blog-21)"),
        "{run:?}"
    );
}

/// `adlint lsp` over pipes, spoken to byte by byte.
struct Lsp {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    messages: std::sync::mpsc::Receiver<serde_json::Value>,
}

impl Lsp {
    fn start() -> Lsp {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_adlint"));
        cmd.arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        limit_memory(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                if stdout.read_exact(&mut body).is_err() {
                    return;
                }
                let _ = tx.send(serde_json::from_slice(&body).unwrap());
            }
        });
        let mut lsp = Lsp {
            child,
            stdin,
            messages,
        };
        lsp.send(&serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
        lsp.wait(|m| m["id"] == 1);
        lsp.send(&serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        lsp
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, msg: &serde_json::Value) {
        let body = msg.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// The next message that `pred` accepts, within the time limit.
    fn wait(&mut self, pred: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let until = Instant::now() + TIMEOUT;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => {}
                Err(e) => {
                    let _ = self.child.kill();
                    panic!("no answer from adlint lsp: {e:?}");
                }
            }
        }
    }

    /// Opens a document and returns its published diagnostics.
    fn open(&mut self, uri: &str, text: &str) -> Vec<serde_json::Value> {
        self.send(&serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}));
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// The next `window/showMessage` the server sends.
    fn shown(&mut self) -> String {
        let m = self.wait(|m| m["method"] == "window/showMessage");
        m["params"]["message"].as_str().unwrap().to_string()
    }

    /// Closes the server's input: it must end, cleanly, in time.
    fn hang_up(self) {
        let Lsp {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        let until = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > until {
                let _ = child.kill();
                panic!("adlint lsp does not end when its input does");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(0), "{status:?}");
    }

    /// Shuts down and checks that the server exits cleanly.
    fn stop(mut self) {
        self.send(
            &serde_json::json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": null}),
        );
        self.wait(|m| m["id"] == 99);
        self.send(&serde_json::json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status:?}");
    }
}

#[test]
fn the_editor_server_places_many_findings_on_one_line_in_linear_time() {
    // 20,000 findings took 9.5 s per keystroke (release): each position was counted
    // from the start of the text.
    let mut lsp = Lsp::start();
    let text = links_on_one_line(40_000);
    let started = Instant::now();
    let diags = lsp.open("file:///tmp/adlint-safety/links.md", &text);
    let elapsed = started.elapsed();
    assert_eq!(diags.len(), 40_001);
    let line = text.lines().nth(3).unwrap();
    let last = diags.last().unwrap();
    assert_eq!(
        last["range"]["start"],
        serde_json::json!({"line": 3, "character": line.rfind("[x]").unwrap()})
    );
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    lsp.stop();
}

// ---------- 10: the editor server's message size ----------

#[test]
fn the_editor_server_skips_huge_and_broken_messages_and_serves_on() {
    let mut lsp = Lsp::start();
    // Over the limit (64 MiB), sent whole: skipped as it arrives, and said so.
    let big = (64 << 20) + 1;
    lsp.raw(format!("Content-Length: {big}\r\n\r\n").as_bytes());
    assert!(lsp.shown().contains("up to 64 MiB"));
    lsp.raw(&vec![b' '; big]);
    // Not JSON, then not UTF-8: skipped too.
    lsp.raw(b"Content-Length: 9\r\n\r\n{not json");
    assert!(lsp.shown().contains("malformed message"));
    lsp.raw(b"Content-Length: 2\r\n\r\n\xff\xfe");
    assert!(lsp.shown().contains("malformed message"));
    // And the server still answers.
    let diags = lsp.open("file:///tmp/adlint-safety/de/a.md", &links_on_one_line(2));
    assert_eq!(diags.len(), 3);
    lsp.stop();
    // Lengths whose bodies never come: told at once, no panic (u64::MAX), no abort
    // (10^12), nothing reserved (3e9: 2.9 GB before); the end of the input ends it.
    for length in [
        "18446744073709551615",
        "1000000000000",
        "3000000000",
        "123456789012345678901234567890",
    ] {
        let mut lsp = Lsp::start();
        lsp.raw(format!("Content-Length: {length}\r\n\r\n{{").as_bytes());
        assert!(lsp.shown().contains(&format!(
            "a message of {}",
            length.parse::<u64>().unwrap_or(u64::MAX)
        )));
        lsp.hang_up();
    }
}

// ---------- 11: `extends` chains ----------

/// A folder with `n` house packs in one `extends` chain (`h0` extends `de`, `h1`
/// extends `h0`, …) and a config that judges by the last one.
fn chain_of_packs(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", "---\nlang: de\n---\nEin Beitrag.\n");
    let mut names = Vec::new();
    for i in 0..n {
        let parent = if i == 0 {
            "de".to_string()
        } else {
            format!("h{}", i - 1)
        };
        write(
            dir.path(),
            &format!("packs/h{i}.toml"),
            format!("code = \"h{i}\"\nname = \"House {i}\"\nextends = \"{parent}\"\n"),
        );
        names.push(format!("\"packs/h{i}.toml\""));
    }
    write(
        dir.path(),
        "adlint.toml",
        format!(
            "jurisdictions = [\"h{}\"]\npacks = [{}]\n",
            n - 1,
            names.join(", ")
        ),
    );
    dir
}

#[test]
fn a_deep_extends_chain_is_refused_with_a_clear_error() {
    // 20 deep is fine.
    let dir = chain_of_packs(20);
    let run = adlint(dir.path(), &["check", "post.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    // 5,000 deep overflowed the stack (or took minutes): refused at once.
    let dir = chain_of_packs(5000);
    let run = adlint(dir.path(), &["check", "post.md"]);
    assert_refused(
        &run,
        "packs/h100.toml: `extends` goes deeper than 32 packs (h100 -> h99 -> … -> h68)",
        "adlint follows at most 32",
    );
    assert!(run.elapsed < Duration::from_secs(20), "{run:?}");
}

// ---------- 12: --threads ----------

#[test]
fn a_huge_thread_count_is_capped() {
    // `--threads 10000` started 10,000 threads for one file (111 s).
    let dir = blog();
    write(dir.path(), "second.md", CANARY);
    for args in [
        &[
            "check",
            "canary.md",
            "second.md",
            "--no-config",
            "--threads",
            "10000",
        ][..],
        &["check", ".", "--no-config", "--threads", "100000"],
    ] {
        // Without the memory limit: 256 threads reserve more address space than it allows.
        let run = run_limited(dir.path(), args, None, false);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(run.stdout.contains("of 2 files ("), "{run:?}");
        assert!(run.elapsed < Duration::from_secs(20), "{run:?}");
    }
}

// ---------- 18: escapes in file names and posts ----------

#[cfg(unix)]
#[test]
fn escapes_and_bidi_controls_are_never_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    // A file name that sets the terminal's title, and a post whose text holds an
    // escape and U+202E (which makes the rest of a line read backwards).
    let name = "ev\u{1b}]0;pwned\u{7}il\u{202e}dm.md";
    write(
        dir.path(),
        name,
        "---\nlang: en\n---\nUse code ANNA20 at checkout! \u{202e}evil \u{1b}[2J \u{9b}31m\n\nMy [camera](https://amzn.to/\u{202e}abc) is great, sponsored by Ac\u{202e}me.\n",
    );
    let shown = "ev\\u{1b}]0;pwned\\u{7}il\\u{202e}dm.md";
    for format in ["human", "short", "github"] {
        let run = adlint(
            dir.path(),
            &["check", ".", "--no-config", "-j", "us", "--format", format],
        );
        assert_eq!(run.code, Some(1), "{run:?}");
        for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
            assert!(
                !run.stdout.contains(c),
                "{format}: {c:?} printed raw: {run:?}"
            );
            assert!(
                !run.stderr.contains(c),
                "{format}: {c:?} printed raw: {run:?}"
            );
        }
        assert!(run.stdout.contains(shown), "{format}: {run:?}");
    }
    // An error message that names the file escapes it too.
    let run = adlint(
        dir.path(),
        &["check", name, "--no-config", "--baseline", name],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains(shown) && !run.stderr.contains('\u{1b}'),
        "{run:?}"
    );
}

// ---------- 20: UTF-16 files, house packs that take a shipped pack's code ----------

#[test]
fn a_utf16_post_or_config_says_utf16_and_how_to_convert() {
    let dir = blog();
    let utf16 = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    write(
        dir.path(),
        "windows.md",
        utf16("---\nlang: en\n---\nHello.\n"),
    );
    let run = adlint(
        dir.path(),
        &["check", ".", "--no-config", "--format", "short"],
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stdout
            .contains("windows.md: error: the file is UTF-16, not UTF-8"),
        "{run:?}"
    );
    assert!(run.stdout.contains("iconv -f UTF-16 -t UTF-8"), "{run:?}");
    assert!(!run.stdout.contains("binary"), "{run:?}");
    assert!(run.stdout.contains(CANARY_SEEN), "{run:?}");
    // A config saved as UTF-16 (big-endian too) is told the same way.
    let mut be = vec![0xfe, 0xff];
    be.extend(
        "jurisdictions = [\"de\"]\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes),
    );
    write(dir.path(), "utf16.toml", be);
    let run = adlint(
        dir.path(),
        &["check", "canary.md", "--config", "utf16.toml"],
    );
    assert_refused(&run, "utf16.toml", "the file is UTF-16, not UTF-8");
}

#[test]
fn a_house_pack_takes_a_shipped_code_only_when_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // A German post with an affiliate link and no marker: AD102 under the shipped `de`.
    write(
        dir.path(),
        "post.md",
        "---\nlang: de\n---\nMeine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=x-21)\n",
    );
    // A pack that calls itself `de` and lets affiliate links pass.
    let lax = "name = \"Lax\"\n[labels]\naccepted = [\"advertising\"]\n[placement]\nrule = \"anywhere\"\n[affiliate]\nrule = \"none\"\n[fix]\nlabel = \"Werbung\"\ninsert = \"**Werbung**\"\n";
    write(dir.path(), "lax.toml", format!("code = \"de\"\n{lax}"));
    write(
        dir.path(),
        "adlint.toml",
        "jurisdictions = [\"de\"]\npacks = [\"lax.toml\"]\n",
    );
    let run = adlint(dir.path(), &["check", "post.md"]);
    assert_refused(
        &run,
        "lax.toml",
        "`code = \"de\"` is the code of a shipped pack",
    );
    assert!(run.stderr.contains("replaces = \"de\""), "{run:?}");
    // Said on purpose: it replaces the shipped pack.
    write(
        dir.path(),
        "lax.toml",
        format!("code = \"de\"\nreplaces = \"de\"\n{lax}"),
    );
    let run = adlint(dir.path(), &["check", "post.md", "--format", "short"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    // `replaces` with another code, or a code no shipped pack has: refused.
    write(
        dir.path(),
        "lax.toml",
        format!("code = \"lax\"\nreplaces = \"de\"\n{lax}"),
    );
    let run = adlint(dir.path(), &["check", "post.md"]);
    assert_refused(
        &run,
        "lax.toml",
        "`replaces = \"de\"` needs `code = \"de\"` too",
    );
    write(
        dir.path(),
        "lax.toml",
        format!("code = \"xx\"\nreplaces = \"xx\"\n{lax}"),
    );
    let run = adlint(dir.path(), &["check", "post.md"]);
    assert_refused(&run, "lax.toml", "there is no shipped pack `xx`");
    // Two house packs with one code.
    write(dir.path(), "lax.toml", format!("code = \"lax\"\n{lax}"));
    write(dir.path(), "lax2.toml", format!("code = \"lax\"\n{lax}"));
    write(
        dir.path(),
        "adlint.toml",
        "jurisdictions = [\"lax\"]\npacks = [\"lax.toml\", \"lax2.toml\"]\n",
    );
    let run = adlint(dir.path(), &["check", "post.md"]);
    assert_refused(&run, "lax2.toml", "is taken by");
}
