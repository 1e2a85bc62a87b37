//! `adlint lsp`: a Language Server over stdio, so editors (VS Code, Neovim, Helix, Zed)
//! show findings while a post is written. It reuses the linter as it is; only here are
//! byte offsets turned into LSP positions (lines and UTF-16 columns).

use adlint::Engine;
use adlint::config::{self, Settings};
use adlint::diagnostic::{Applicability, Finding, Severity};
use adlint::lsp_frame::Frame;
use adlint::positions::LineIndex;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Hover,
    HoverContents, HoverParams, HoverProviderCapability, Location, MarkupContent, MarkupKind,
    NumberOrString, Position, PublishDiagnosticsParams, Range, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// An open document: its text, what it was checked with and the findings.
struct Open {
    text: String,
    path: PathBuf,
    loaded: Rc<Loaded>,
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
        line_start = adlint::positions::next_line_start(text, line_start);
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

/// The settings and engine of one config (or of none), built as the CLI builds them:
/// the config's affiliate domains, house packs and labels are in the engine.
struct Loaded {
    settings: Settings,
    engine: Rc<Engine>,
    /// Why the config could not be used; the post is then checked with the defaults.
    error: Option<String>,
    /// The config file's size and mtime when read: an edited config is read again.
    stamp: Option<(u64, std::time::SystemTime)>,
}

fn stamp(path: &std::path::Path) -> Option<(u64, std::time::SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

struct Server {
    /// The engine of the shipped packs, for posts without a (usable) config.
    default_engine: Rc<Engine>,
    /// By config file (`None`: no config found).
    configs: HashMap<Option<PathBuf>, Rc<Loaded>>,
    docs: HashMap<String, Open>,
    /// Config errors already shown to the user, so one is not shown at every keystroke.
    shown: std::collections::HashSet<String>,
}

impl Server {
    /// The settings and engine for a post: those of the config found above it, as the
    /// CLI would use them; a config that cannot be used gives the defaults and an error.
    fn load(&mut self, path: &std::path::Path) -> Rc<Loaded> {
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        let found = config::find(&dir);
        let now = found.as_deref().and_then(stamp);
        if let Some(l) = self.configs.get(&found)
            && l.stamp == now
        {
            return l.clone();
        }
        let built = Settings::resolve(found.clone(), None, &adlint::is_rule_code)
            .map_err(|e| e.to_string())
            .and_then(|s| {
                // No config: the shipped packs, built once.
                let engine = if s.config_path.is_none() {
                    self.default_engine.clone()
                } else {
                    Rc::new(Engine::new(&s.extensions).map_err(|e| e.to_string())?)
                };
                for j in &s.jurisdictions {
                    if j != "auto" && !engine.rules.jurisdictions.contains_key(j) {
                        return Err(crate::unknown_jurisdiction(&engine, j));
                    }
                }
                Ok((s, engine))
            });
        let loaded = match built {
            Ok((settings, engine)) => Loaded {
                settings,
                engine,
                error: None,
                stamp: now,
            },
            Err(e) => Loaded {
                settings: Settings::resolve(None, None, &adlint::is_rule_code)
                    .expect("default settings always resolve"),
                engine: self.default_engine.clone(),
                error: Some(e),
                stamp: now,
            },
        };
        let loaded = Rc::new(loaded);
        self.configs.insert(found, loaded.clone());
        loaded
    }

    /// Checks a post; also returns a config error not shown to the user yet.
    fn check(&mut self, uri: &Uri, text: String) -> (PublishDiagnosticsParams, Option<String>) {
        let path = path_of(uri);
        let loaded = self.load(&path);
        let checked = adlint::check(&loaded.engine, &text, &path, &loaded.settings);
        let lines = LineIndex::new(&text);
        let mut diagnostics: Vec<Diagnostic> = checked
            .findings
            .iter()
            .map(|f| diagnostic(uri, &lines, f))
            .collect();
        diagnostics.extend(checked.problems.iter().map(|p| {
            Diagnostic {
                range: p
                    .span
                    .as_ref()
                    .map_or_else(Range::default, |s| range(&lines, s)),
                severity: Some(match p.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    _ => DiagnosticSeverity::WARNING,
                }),
                source: Some("adlint".into()),
                message: one_line(&p.message),
                ..Diagnostic::default()
            }
        }));
        // A broken config is shown on every post it governs, not dropped silently.
        let mut new_error = None;
        if let Some(e) = &loaded.error {
            diagnostics.insert(
                0,
                Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("adlint".into()),
                    message: one_line(&format!(
                        "the config cannot be used, so this post was checked with the default settings: {e}"
                    )),
                    ..Diagnostic::default()
                },
            );
            if self.shown.insert(e.clone()) {
                new_error = Some(e.clone());
            }
        }
        self.docs.insert(
            uri.as_str().to_string(),
            Open {
                text,
                path,
                loaded,
                findings: checked.findings,
            },
        );
        (
            PublishDiagnosticsParams::new(uri.clone(), diagnostics, None),
            new_error,
        )
    }
    /// The hover over findings: each one's rule, the law (its note) and the help, in
    /// full; the diagnostic itself says only what is wrong, on one line.
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = &params.text_document_position_params;
        let open = self.docs.get(at.text_document.uri.as_str())?;
        let offset = byte_offset(&open.text, at.position);
        let here: Vec<&Finding> = open
            .findings
            .iter()
            .filter(|f| f.span.start <= offset && offset <= f.span.end)
            .collect();
        let first = here.first()?;
        let text = here
            .iter()
            .map(|f| {
                format!(
                    "**{}** {} [{}]: {}\n\n{}\n\nhelp: {}",
                    f.code,
                    f.headline(),
                    f.jurisdiction.to_uppercase(),
                    f.label,
                    f.note,
                    f.help
                )
            })
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        let lines = LineIndex::new(&open.text);
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(range(&lines, &first.span)),
        })
    }

    /// Code actions for the requested range: each finding's fixes, "disable this code
    /// for this line", and "fix all safe problems in this file".
    // lsp-types keys `WorkspaceEdit::changes` by `Uri`, whose parsed form clippy counts
    // as interior mutability; the key is never changed.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(open) = self.docs.get(uri.as_str()) else {
            return vec![];
        };
        let start = byte_offset(&open.text, params.range.start);
        let end = byte_offset(&open.text, params.range.end);
        let lines = LineIndex::new(&open.text);
        let edit = |edits: Vec<TextEdit>| {
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), edits);
            Some(WorkspaceEdit::new(changes))
        };
        let mut actions = Vec::new();
        let mut disabled: Vec<(usize, &str)> = Vec::new();
        let body_start = adlint::parse::front_matter::split(&open.text).body_start;
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
                actions.push(CodeAction {
                    title: format!(
                        "{} ({} {})",
                        fix.title,
                        f.code,
                        f.jurisdiction.to_uppercase()
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    edit: edit(edits),
                    ..CodeAction::default()
                });
            }
            let line = adlint::positions::line_start(&open.text, f.span.start);
            if !disabled.contains(&(line, f.code))
                && let Some((at, text)) = disable_comment(&open.text, body_start, f)
            {
                disabled.push((line, f.code));
                actions.push(CodeAction {
                    title: format!(
                        "Disable {} for this line (write the reason after `--`)",
                        f.code
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    edit: edit(vec![TextEdit::new(range(&lines, &(at..at)), text)]),
                    ..CodeAction::default()
                });
            }
        }
        // Every safe fix of the file, to the fixed point `--fix` reaches.
        if open.findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        }) {
            let l = &open.loaded;
            let checked = adlint::check(&l.engine, &open.text, &open.path, &l.settings);
            // Safe fixes only: what `adlint check --fix` writes.
            let (fixed, _) = adlint::fix::apply_until_stable(
                &l.engine,
                &open.text,
                &open.path,
                &l.settings,
                checked,
                false,
            );
            if fixed.text != open.text {
                let (span, replacement) = changed_part(&open.text, &fixed.text);
                actions.push(CodeAction {
                    title: "Fix all safe problems in this file (adlint)".into(),
                    kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                    edit: edit(vec![TextEdit::new(
                        range(&lines, &span),
                        replacement.to_string(),
                    )]),
                    ..CodeAction::default()
                });
            }
        }
        // A client that asks only for some kinds (`source.fixAll` on save) gets those.
        if let Some(only) = &params.context.only {
            actions.retain(|a| {
                let kind = a.kind.as_ref().map_or("", |k| k.as_str());
                only.iter().any(|k| {
                    kind == k.as_str()
                        || kind
                            .strip_prefix(k.as_str())
                            .is_some_and(|r| r.starts_with('.'))
                })
            });
        }
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }
}

/// A diagnostic's message: what is wrong, on one line (editors show the first line, or
/// all of it in a narrow box). The law and the help are in the hover and in the
/// related information.
fn diagnostic(uri: &Uri, lines: &LineIndex, f: &Finding) -> Diagnostic {
    let at = |message: String, span: &std::ops::Range<usize>| DiagnosticRelatedInformation {
        location: Location::new(uri.clone(), range(lines, span)),
        message: one_line(&message),
    };
    let mut related = vec![
        at(format!("note: {}", f.note), &f.span),
        at(format!("help: {}", f.help), &f.span),
    ];
    related.extend(f.secondary.iter().map(|s| at(s.message.clone(), &s.span)));
    Diagnostic {
        range: range(lines, &f.span),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.code.to_string())),
        source: Some("adlint".into()),
        message: one_line(&format!(
            "{} [{}]: {}",
            f.headline(),
            f.jurisdiction.to_uppercase(),
            f.label
        )),
        related_information: Some(related),
        ..Diagnostic::default()
    }
}

/// Text on one line: line breaks (and runs of spaces around them) become one space.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where `<!-- adlint-disable-next-line CODE -- -->` goes so that it covers the line of
/// `f`, and the text to insert; `None` for a finding in the front matter, where a
/// comment cannot go. Inside a paragraph the comment ends the line before (a comment
/// line there would split the paragraph in two); before the first line of a block it
/// is a line of its own.
fn disable_comment(text: &str, body_start: usize, f: &Finding) -> Option<(usize, String)> {
    let line = adlint::positions::line_start(text, f.span.start);
    if line < body_start {
        return None;
    }
    let comment = format!("<!-- adlint-disable-next-line {} -- -->", f.code);
    let before = &text[body_start..line];
    let prev_end = before.trim_end_matches(['\n', '\r']).len();
    let prev_line = &before[adlint::positions::line_start(before, prev_end)..prev_end];
    // More than one line end between the two lines: a blank line.
    let blank_before =
        before[prev_end..].replace("\r\n", "\n").len() > 1 || prev_line.trim().is_empty();
    // A fence or a table row would change meaning with text after it.
    let structural = ["```", "~~~", "|", "<", "#"]
        .iter()
        .any(|p| prev_line.trim_start().starts_with(p));
    if blank_before || structural {
        let indent = &text[line..]
            [..text[line..].len() - text[line..].trim_start_matches([' ', '\t']).len()];
        let newline = adlint::positions::newline_of(text);
        Some((line, format!("{indent}{comment}{newline}")))
    } else {
        Some((body_start + prev_end, format!(" {comment}")))
    }
}

/// The one span of `old` that differs from `new`, and what replaces it (common
/// beginning and end left out, at character boundaries).
fn changed_part<'a>(old: &str, new: &'a str) -> (std::ops::Range<usize>, &'a str) {
    let mut head = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(head) || !new.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = old[head..]
        .bytes()
        .rev()
        .zip(new[head..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - tail) || !new.is_char_boundary(new.len() - tail) {
        tail -= 1;
    }
    (head..old.len() - tail, &new[head..new.len() - tail])
}

/// Sends a post's diagnostics, and a config error the user has not seen yet as a
/// message (and on stderr, the editor's log).
fn publish(conn: &Connection, (params, error): (PublishDiagnosticsParams, Option<String>)) {
    if let Some(e) = error {
        eprintln!("adlint lsp: {e}");
        let params = lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: format!(
                "adlint: the config cannot be used; posts are checked with the default settings: {e}"
            ),
        };
        let note = Notification::new("window/showMessage".into(), params);
        let _ = conn.sender.send(Message::Notification(note));
    }
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
    let default_engine = Rc::new(Engine::new(&Default::default()).map_err(|e| e.to_string())?);
    let (conn, (reader, writer)) = stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let caps = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    conn.initialize(caps).map_err(|e| e.to_string())?;
    let mut server = Server {
        default_engine,
        configs: HashMap::new(),
        docs: HashMap::new(),
        shown: Default::default(),
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
                            (
                                PublishDiagnosticsParams::new(p.text_document.uri, vec![], None),
                                None,
                            ),
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
        "textDocument/hover" => match serde_json::from_value::<HoverParams>(req.params) {
            Ok(params) => Response::new_ok(req.id, server.hover(&params)),
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
