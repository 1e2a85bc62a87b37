//! Speaks LSP to `adlint lsp` over stdio: initialize, didOpen, publishDiagnostics,
//! codeAction, didChange, shutdown, exit.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_adlint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// The next message with this method or this response id.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..50 {
            let m = self.recv();
            if pred(&m) {
                return m;
            }
        }
        panic!("no such message");
    }
}

#[test]
fn diagnostics_and_code_actions_over_stdio() {
    let mut c = Client::start();
    c.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "processId": null, "rootUri": null}}));
    let init = c.wait(|m| m["id"] == 1);
    assert_eq!(init["result"]["capabilities"]["codeActionProvider"], true);
    c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));

    let uri = "file:///tmp/adlint-lsp-test/de/powerbanks.md";
    // "Werbung" at the start: under DE the post needs it besides a marker at the link.
    let text = "---\nlang: de\n---\n**Werbung**\n\nMeine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=x-21) 🚀 ist super.\n";
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}));
    let published = c.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{published}");
    assert_eq!(diags[0]["code"], "AD102");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 5, "character": 18})
    );
    assert_eq!(diags[0]["severity"], 1);

    c.send(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}}}));
    let actions = c.wait(|m| m["id"] == 2);
    let action = &actions["result"][0];
    assert!(
        action["title"].as_str().unwrap().contains("(Werbelink)"),
        "{actions}"
    );
    let edit = &action["edit"]["changes"][uri][0];
    assert_eq!(edit["newText"], " (Werbelink)");

    // After the fix is typed in, the diagnostics go away.
    let fixed = text.replace("tag=x-21)", "tag=x-21) (Werbelink)");
    c.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}}),
    );
    let published = c.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["diagnostics"], json!([]));

    c.send(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": null}));
    let _ = c.wait(|m| m["id"] == 3);
    c.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = c.child.wait().unwrap();
    assert!(status.success());
}

impl Client {
    /// A started, initialised server.
    fn ready() -> Client {
        let mut c = Client::start();
        c.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "processId": null, "rootUri": null}}));
        let _ = c.wait(|m| m["id"] == 1);
        c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        c
    }

    /// Opens (or changes) a post and returns its `publishDiagnostics` parameters.
    fn open(&mut self, uri: &str, text: &str, version: i32) -> Value {
        if version == 1 {
            self.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}));
        } else {
            self.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}}));
        }
        self.wait(|m| m["method"] == "textDocument/publishDiagnostics")["params"].clone()
    }

    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id)["result"].clone()
    }

    fn stop(mut self) {
        let _ = self.request(99, "shutdown", Value::Null);
        self.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
        assert!(self.child.wait().unwrap().success());
    }
}

fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// Applies LSP text edits to an ASCII text (columns are then bytes).
fn apply(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let col = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + col
    };
    let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        let (a, b) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
        out.replace_range(a..b, e["newText"].as_str().unwrap());
    }
    out
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Issue 16, item 14: the editor server checks with the config's affiliate domains,
/// house packs and labels, as the CLI does, and shows a config it cannot use.
#[test]
fn item14_the_editor_server_uses_the_config_as_the_cli_does() {
    let house = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/config/house-pack/posts/glowkind-serum.md");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("adlint.toml"),
        "affiliate_domains = [\"go.example.net\"]\n",
    )
    .unwrap();
    let own = dir.path().join("post.md");
    let own_text =
        "---\nlang: de\n---\nMeine Empfehlung: [Kamera](https://go.example.net/kamera)\n";
    std::fs::write(&own, own_text).unwrap();
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("adlint.toml"), "jurisdictions = [\n").unwrap();
    let broken_post = broken.path().join("post.md");

    // What the CLI says about each post.
    let cli = |path: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_adlint"))
            .args(["check", "--format", "short"])
            .arg(path.file_name().unwrap())
            .current_dir(path.parent().unwrap())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(cli(&own).contains("AD102"));
    assert!(cli(&house).contains("AD102"));

    let mut c = Client::ready();
    let text = std::fs::read_to_string(&house).unwrap();
    let published = c.open(&uri_of(&house), &text, 1);
    assert!(
        codes(&published).contains(&"AD102".to_string()),
        "the house pack's link shortener: {published}"
    );
    let published = c.open(&uri_of(&own), own_text, 1);
    assert!(
        codes(&published).contains(&"AD102".to_string()),
        "the config's affiliate domain: {published}"
    );
    // A broken config: told once as a message, and on the post, which is still checked.
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri_of(&broken_post), "languageId": "markdown", "version": 1, "text": own_text.replace("go.example.net/kamera", "www.amazon.de/dp/B0?tag=x-21")}}}));
    let shown = c.wait(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("adlint.toml"),
        "{shown}"
    );
    let published = c.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    let first = &published["params"]["diagnostics"][0];
    assert!(
        first["message"].as_str().unwrap().contains("config"),
        "{published}"
    );
    assert!(codes(&published["params"]).contains(&"AD102".to_string()));
    c.stop();
}

/// Issue 18, item 8: one-line messages with the law in the hover and the related
/// information; "disable for this line" and "fix all safe problems" code actions.
#[test]
fn messages_are_one_line_and_code_actions_disable_or_fix_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.md");
    let uri = uri_of(&path);
    let text = "---\ntitle: Test\nlang: de\n---\n\n**Werbung**\n\nErst ein Satz.\nMein Tipp: [Anker](https://www.amazon.de/dp/B0?tag=x-21) ist gut.\n\n[Akku](https://www.amazon.de/dp/B1?tag=x-21) auch.\n";
    std::fs::write(&path, text).unwrap();
    let mut c = Client::ready();
    let published = c.open(&uri, text, 1);
    let diags = published["diagnostics"].as_array().unwrap().clone();
    assert_eq!(codes(&published), ["AD102", "AD102"], "{published}");
    for d in &diags {
        let message = d["message"].as_str().unwrap();
        assert!(!message.contains('\n'), "one line: {message:?}");
        let related = d["relatedInformation"].to_string();
        assert!(related.contains("note: "), "{related}");
    }
    // The hover holds the note (the law) and the help.
    let hover = c.request(
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": diags[0]["range"]["start"]}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("AD102") && shown.contains("help:"),
        "{hover}"
    );

    // Disable for this line, in a paragraph (the comment ends the line before) and on
    // the first line of a paragraph (a comment line of its own): each finding goes.
    let mut now = text.to_string();
    for (i, version) in [(0, 2), (0, 3)] {
        let d = &c.open(&uri, &now, version)["diagnostics"][i];
        let actions = c.request(
            10 + version as i64,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        let disable = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with("Disable AD102"))
            .unwrap_or_else(|| panic!("{actions}"));
        now = apply(&now, &disable["edit"]["changes"][&uri]);
        assert!(
            now.contains("<!-- adlint-disable-next-line AD102 -- -->"),
            "{now}"
        );
    }
    assert!(
        now.contains("Erst ein Satz. <!-- adlint-disable-next-line"),
        "{now}"
    );
    let published = c.open(&uri, &now, 4);
    assert_eq!(
        codes(&published),
        Vec::<String>::new(),
        "{now}\n{published}"
    );

    // Fix all: the same text as `adlint check --fix`.
    let published = c.open(&uri, text, 5);
    let actions = c.request(
        20,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": published["diagnostics"], "only": ["source.fixAll"]}}),
    );
    let all = &actions[0];
    assert_eq!(all["kind"], "source.fixAll", "{actions}");
    assert_eq!(
        actions.as_array().unwrap().len(),
        1,
        "only what was asked: {actions}"
    );
    let fixed = apply(text, &all["edit"]["changes"][&uri]);
    let out = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(["check", "post.md", "--fix", "--no-config"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "{out:?}");
    assert_eq!(fixed, std::fs::read_to_string(&path).unwrap());
    assert_eq!(codes(&c.open(&uri, &fixed, 6)), Vec::<String>::new());
    c.stop();
}
