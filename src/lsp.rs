//! `adlint lsp`: a Language Server over stdio, so editors (VS Code, Neovim, Helix, Zed)
//! show findings while a post is written. It reuses the linter as it is; only here are
//! byte offsets turned into LSP positions (lines and UTF-16 columns).

use adlint::config::{self, Settings};
use adlint::diagnostic::{Applicability, Finding, Severity};
use adlint::lsp_frame::Frame;
use adlint::packs::LineIndex;
use adlint::{Engine, judge::registry};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, NumberOrString, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::PathBuf;

/// An open document: its text and the findings of its last check.
struct Open {
    text: String,
    findings: Vec<Finding>,
}

/// The file path of a `file://` URI (percent-decoded), or the URI itself.
fn path_of(uri: &Uri) -> PathBuf {
    let s = uri.as_str();
    let raw = s.strip_prefix("file://").unwrap_or(s);
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&raw[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8_lossy(&out).into_owned())
}

/// LSP position (0-based line, UTF-16 column) of a byte offset, from the text's line
/// index: built once per check, so thousands of findings cost no more than one count of
/// the text (each counted from the start took 9.5 s per keystroke for 20,000).
pub fn position(lines: &LineIndex, offset: usize) -> Position {
    let (line, character) = lines.utf16_position(offset);
    Position::new(line as u32, character as u32)
}

fn range(lines: &LineIndex, span: &std::ops::Range<usize>) -> Range {
    Range::new(position(lines, span.start), position(lines, span.end))
}

fn byte_offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        if line_start >= text.len() {
            return text.len();
        }
        line_start = adlint::packs::next_line_start(text, line_start);
    }
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        // A column past the end of the line is its end (LSP); `\r` ends a line too.
        if units >= pos.character as usize || c == '\n' || c == '\r' {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

struct Server {
    engine: Engine,
    settings_by_dir: HashMap<PathBuf, Settings>,
    docs: HashMap<String, Open>,
}

impl Server {
    fn settings(&mut self, path: &std::path::Path) -> Settings {
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        if let Some(s) = self.settings_by_dir.get(&dir) {
            return s.clone();
        }
        let found = config::find(&dir);
        let settings = Settings::resolve(found.clone(), None, &adlint::is_rule_code)
            .or_else(|_| Settings::resolve(None, None, &adlint::is_rule_code))
            .expect("default settings always resolve");
        self.settings_by_dir.insert(dir, settings.clone());
        settings
    }

    fn check(&mut self, uri: &Uri, text: String) -> PublishDiagnosticsParams {
        let path = path_of(uri);
        let settings = self.settings(&path);
        let checked = adlint::check(&self.engine, &text, &path, &settings);
        let lines = LineIndex::new(&text);
        let mut diagnostics: Vec<Diagnostic> = checked
            .findings
            .iter()
            .map(|f| Diagnostic {
                range: range(&lines, &f.span),
                severity: Some(match f.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Note => DiagnosticSeverity::INFORMATION,
                }),
                code: Some(NumberOrString::String(f.code.to_string())),
                source: Some("adlint".into()),
                message: format!(
                    "{} [{}]: {}\n{}\nhelp: {}",
                    registry::find(f.code).map_or("", |r| r.summary),
                    f.jurisdiction,
                    f.label,
                    f.note,
                    f.help
                ),
                ..Diagnostic::default()
            })
            .collect();
        diagnostics.extend(checked.problems.iter().map(|p| {
            Diagnostic {
                range: p
                    .span
                    .as_ref()
                    .map_or_else(Range::default, |s| range(&lines, s)),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("adlint".into()),
                message: p.message.clone(),
                ..Diagnostic::default()
            }
        }));
        self.docs.insert(
            uri.as_str().to_string(),
            Open {
                text,
                findings: checked.findings,
            },
        );
        PublishDiagnosticsParams::new(uri.clone(), diagnostics, None)
    }

    /// The fixes of the findings that touch the requested range, as code actions.
    // lsp-types keys `WorkspaceEdit::changes` by `Uri`, whose parsed form clippy counts
    // as interior mutability; the key is never changed.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(open) = self.docs.get(params.text_document.uri.as_str()) else {
            return vec![];
        };
        let start = byte_offset(&open.text, params.range.start);
        let end = byte_offset(&open.text, params.range.end);
        let lines = LineIndex::new(&open.text);
        let mut actions = Vec::new();
        for f in &open.findings {
            let touches = f.span.start <= end && start <= f.span.end;
            if !touches {
                continue;
            }
            // A suggestion is offered like a suggested fix: the user picks it.
            for fix in f.fix.iter().chain(&f.suggestions) {
                let edits: Vec<TextEdit> = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit::new(range(&lines, &e.span), e.replacement.clone()))
                    .collect();
                let mut changes = HashMap::new();
                changes.insert(params.text_document.uri.clone(), edits);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "{} ({} {})",
                        fix.title,
                        f.code,
                        f.jurisdiction.to_uppercase()
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    edit: Some(WorkspaceEdit::new(changes)),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }
}

fn publish(conn: &Connection, params: PublishDiagnosticsParams) {
    let note = Notification::new("textDocument/publishDiagnostics".into(), params);
    let _ = conn.sender.send(Message::Notification(note));
}

/// Standard input and output as a connection, read through `adlint::lsp_frame` (with
/// a size limit) rather than lsp-server's reader, which trusts `Content-Length`. A
/// message that cannot be used is reported to the client and on stderr, and the
/// server reads on.
/// The reader's result is an error when the input could not be followed to its end.
type Threads = (
    std::thread::JoinHandle<Result<(), String>>,
    std::thread::JoinHandle<()>,
);

fn stdio() -> (Connection, Threads) {
    // `conn` is the server's end; `pipes` the other end, pumped from stdin and to stdout.
    let (conn, pipes) = Connection::memory();
    let to_client = conn.sender.clone();
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match adlint::lsp_frame::read(&mut input) {
                Ok(Some(Frame::Message(m))) => {
                    let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                    if pipes.sender.send(m).is_err() || exit {
                        return Ok(());
                    }
                }
                Ok(Some(frame)) => {
                    // Told at once, before a large body is skipped (which may take long).
                    let why = frame.problem().unwrap_or_default();
                    eprintln!("adlint lsp: {why}");
                    let params = lsp_types::ShowMessageParams {
                        typ: lsp_types::MessageType::ERROR,
                        message: format!("adlint: {why}"),
                    };
                    let note = Notification::new("window/showMessage".into(), params);
                    let _ = to_client.send(Message::Notification(note));
                    if let Frame::TooLarge(length) = frame {
                        match adlint::lsp_frame::skip(&mut input, length) {
                            Ok(true) => {}
                            Ok(false) => return Ok(()),
                            Err(e) => return Err(e.to_string()),
                        }
                    }
                }
                Ok(None) => return Ok(()),
                Err(e) => return Err(e.to_string()),
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for m in pipes.receiver {
            if m.write(&mut out).is_err() {
                break;
            }
        }
    });
    (conn, (reader, writer))
}

/// Runs the server until the client says `exit`.
pub fn serve() -> Result<(), String> {
    let engine = Engine::new(&Default::default()).map_err(|e| e.to_string())?;
    let (conn, (reader, writer)) = stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let caps = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    conn.initialize(caps).map_err(|e| e.to_string())?;
    let mut server = Server {
        engine,
        settings_by_dir: HashMap::new(),
        docs: HashMap::new(),
    };
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    break;
                }
                handle_request(&conn, &server, req);
            }
            Message::Notification(n) => match n.method.as_str() {
                "textDocument/didOpen" => {
                    if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                        let d = server.check(&p.text_document.uri, p.text_document.text);
                        publish(&conn, d);
                    }
                }
                "textDocument/didChange" => {
                    if let Ok(mut p) =
                        serde_json::from_value::<DidChangeTextDocumentParams>(n.params)
                        && let Some(change) = p.content_changes.pop()
                    {
                        let d = server.check(&p.text_document.uri, change.text);
                        publish(&conn, d);
                    }
                }
                "textDocument/didClose" => {
                    if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                        server.docs.remove(p.text_document.uri.as_str());
                        publish(
                            &conn,
                            PublishDiagnosticsParams::new(p.text_document.uri, vec![], None),
                        );
                    }
                }
                _ => {}
            },
            Message::Response(_) => {}
        }
    }
    drop(conn);
    let _ = writer.join();
    reader
        .join()
        .unwrap_or_else(|_| Err("the reader thread failed".into()))
}

fn handle_request(conn: &Connection, server: &Server, req: Request) {
    let response = match req.method.as_str() {
        "textDocument/codeAction" => match serde_json::from_value::<CodeActionParams>(req.params) {
            Ok(params) => Response::new_ok(req.id, server.code_actions(&params)),
            Err(e) => Response::new_err(
                req.id,
                lsp_server::ErrorCode::InvalidParams as i32,
                e.to_string(),
            ),
        },
        _ => Response::new_err(
            req.id,
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("adlint does not handle {}", req.method),
        ),
    };
    let _ = conn.sender.send(Message::Response(response));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\r\n🚀ü x";
        let at = text.find('x').unwrap();
        assert_eq!(position(&LineIndex::new(text), at), Position::new(1, 4));
        assert_eq!(byte_offset(text, Position::new(1, 4)), at);
        // A lone carriage return ends a line, as in LSP clients.
        let text = "a\rb\r\nc";
        let lines = LineIndex::new(text);
        assert_eq!(position(&lines, 2), Position::new(1, 0));
        assert_eq!(position(&lines, 5), Position::new(2, 0));
        assert_eq!(byte_offset(text, Position::new(1, 0)), 2);
        assert_eq!(byte_offset(text, Position::new(2, 0)), 5);
        assert_eq!(byte_offset(text, Position::new(1, 9)), 3);
        let uri: Uri = "file:///tmp/my%20blog/post.md".parse().unwrap();
        assert_eq!(path_of(&uri), PathBuf::from("/tmp/my blog/post.md"));
    }
}
