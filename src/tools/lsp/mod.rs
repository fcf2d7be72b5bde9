//! `aiconf lsp`: a Language Server Protocol server for `.rule` files over
//! standard input and output, on `lsp-server` (rust-analyzer's transport)
//! and `lsp-types`. [`serve`] is the loop: it reads each message, asks the
//! [`Workspace`] and answers; everything a request computes lives in
//! [`workspace`], the corpus behind hovers in [`corpus_index`] (loaded once,
//! on a thread of its own), positions in [`text`].
//!
//! Offered: diagnostics on open, change and save (every load error, lint
//! and failing example, with code, range, message and help); completion;
//! hover with corpus match counts; go to definition of rule ids; document
//! symbols; formatting (`aiconf fmt`); code lenses on examples; a code
//! action adding an `example` from a corpus quote.

pub mod corpus_index;
pub mod text;
pub mod workspace;

use std::path::PathBuf;
use std::time::Instant;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CodeLensOptions, CodeLensParams,
    CompletionOptions, CompletionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentFormattingParams,
    DocumentSymbolParams, GotoDefinitionParams, HoverParams, HoverProviderCapability, Location,
    OneOf, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};

pub use corpus_index::CorpusIndex;
pub use workspace::Workspace;

/// What the server is started with.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--rules DIR`: the rules every file is checked with.
    pub rules: Option<PathBuf>,
    /// `--corpus PATH` (default: the `aiconf sync` clone) and `--rev`.
    pub corpus: Option<PathBuf>,
    pub rev: Option<String>,
    /// Log the time of every re-check on standard error (`AICONF_LSP_TIMING`).
    pub timing: bool,
}

/// What the server offers, sent in answer to `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string(), ">".to_string()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves one client over standard input and output until `exit`.
pub fn serve(options: Options) -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    connection.initialize(caps).map_err(|e| e.to_string())?;
    let corpus = CorpusIndex::spawn(options.corpus.clone(), options.rev.clone());
    let mut ws = Workspace::new(options.rules.clone(), Some(corpus));
    main_loop(&connection, &mut ws, options.timing)?;
    drop(connection);
    io.join().map_err(|e| e.to_string())
}

fn main_loop(conn: &Connection, ws: &mut Workspace, timing: bool) -> Result<(), String> {
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                let resp = answer(ws, req);
                send(conn, Message::Response(resp))?;
            }
            Message::Notification(n) => {
                if let Some(uri) = notify(ws, n) {
                    publish(conn, ws, &uri, timing)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(conn: &Connection, msg: Message) -> Result<(), String> {
    conn.sender.send(msg).map_err(|e| e.to_string())
}

/// Re-checks one file and publishes its diagnostics.
fn publish(conn: &Connection, ws: &mut Workspace, uri: &Uri, timing: bool) -> Result<(), String> {
    let path = uri_path(uri);
    let start = Instant::now();
    let diagnostics = if ws.text(&path).is_some() {
        ws.diagnostics(&path)
    } else {
        Vec::new()
    };
    if timing {
        eprintln!(
            "aiconf lsp: re-checked {path} in {:.1} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version: None,
    };
    send(
        conn,
        Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".to_string(),
            params,
        )),
    )
}

/// Applies a notification; the file to re-check, if any.
fn notify(ws: &mut Workspace, n: Notification) -> Option<Uri> {
    match n.method.as_str() {
        "textDocument/didOpen" => {
            let p: DidOpenTextDocumentParams = serde_json::from_value(n.params).ok()?;
            ws.saved();
            ws.set_text(&uri_path(&p.text_document.uri), p.text_document.text);
            Some(p.text_document.uri)
        }
        "textDocument/didChange" => {
            let p: DidChangeTextDocumentParams = serde_json::from_value(n.params).ok()?;
            let text = p.content_changes.into_iter().last()?.text;
            ws.set_text(&uri_path(&p.text_document.uri), text);
            Some(p.text_document.uri)
        }
        "textDocument/didSave" => {
            let p: DidSaveTextDocumentParams = serde_json::from_value(n.params).ok()?;
            ws.saved();
            Some(p.text_document.uri)
        }
        "textDocument/didClose" => {
            let p: DidCloseTextDocumentParams = serde_json::from_value(n.params).ok()?;
            ws.close(&uri_path(&p.text_document.uri));
            Some(p.text_document.uri)
        }
        _ => None,
    }
}

/// Answers one request.
fn answer(ws: &mut Workspace, req: Request) -> Response {
    let id = req.id.clone();
    match dispatch(ws, req) {
        Ok(value) => Response::new_ok(id, value),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

fn params<T: serde::de::DeserializeOwned>(req: Request) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(req.params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json<T: serde::Serialize>(v: T) -> Answer {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn dispatch(ws: &mut Workspace, req: Request) -> Answer {
    match req.method.as_str() {
        "textDocument/completion" => {
            let p: CompletionParams = params(req)?;
            let (path, at) = locate(
                ws,
                &p.text_document_position.text_document.uri,
                p.text_document_position.position,
            );
            json(ws.completion(&path, at))
        }
        "textDocument/hover" => {
            let p: HoverParams = params(req)?;
            let (path, at) = locate(
                ws,
                &p.text_document_position_params.text_document.uri,
                p.text_document_position_params.position,
            );
            json(ws.hover(&path, at))
        }
        "textDocument/definition" => {
            let p: GotoDefinitionParams = params(req)?;
            let (path, at) = locate(
                ws,
                &p.text_document_position_params.text_document.uri,
                p.text_document_position_params.position,
            );
            let loc = ws.definition(&path, at).and_then(|(file, range)| {
                Some(Location {
                    uri: path_uri(&file)?,
                    range,
                })
            });
            json(loc)
        }
        "textDocument/documentSymbol" => {
            let p: DocumentSymbolParams = params(req)?;
            json(ws.symbols(&uri_path(&p.text_document.uri)))
        }
        "textDocument/formatting" => {
            let p: DocumentFormattingParams = params(req)?;
            json(ws.format(&uri_path(&p.text_document.uri)))
        }
        "textDocument/codeLens" => {
            let p: CodeLensParams = params(req)?;
            json(ws.code_lenses(&uri_path(&p.text_document.uri)))
        }
        "textDocument/codeAction" => {
            let p: CodeActionParams = params(req)?;
            let (path, at) = locate(ws, &p.text_document.uri, p.range.start);
            json(ws.code_actions(&p.text_document.uri, &path, at))
        }
        m => Err((
            ErrorCode::MethodNotFound,
            format!("aiconf lsp does not answer {m}"),
        )),
    }
}

/// The path of an open file and the byte offset of a position in it.
fn locate(ws: &Workspace, uri: &Uri, pos: lsp_types::Position) -> (String, usize) {
    let path = uri_path(uri);
    let at = ws.text(&path).map_or(0, |t| text::offset(t, pos));
    (path, at)
}

/// The file path of a `file://` URI (percent-escapes decoded); any other
/// URI (an unsaved buffer) stands for itself.
pub fn uri_path(uri: &Uri) -> String {
    let s = uri.as_str();
    let Some(rest) = s.strip_prefix("file://") else {
        return s.to_string();
    };
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `file://` URI of a path (made absolute; unsafe bytes percent-escaped).
pub fn path_uri(path: &str) -> Option<Uri> {
    if path.contains("://") {
        return path.parse().ok();
    }
    let abs = std::path::absolute(path).ok()?;
    let mut s = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}
