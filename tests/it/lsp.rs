//! `aiconf lsp` driven as an editor drives it: the real binary, JSON-RPC
//! messages with `Content-Length` headers over its standard input and
//! output, the small corpus of `corpus/authoring/` (no ../shared needed).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aiconf"))
            .args(["lsp", "--corpus", "corpus/authoring"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiconf lsp");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    length = v.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            stdout.read_exact(&mut body).unwrap();
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (other messages are skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let msg = self.wait_for(|m| m["id"] == id);
        assert!(msg.get("error").is_none(), "{method}: {msg}");
        msg["result"].clone()
    }

    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no such message within 60 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    fn diagnostics(&mut self) -> Vec<Value> {
        let m = self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

const BROKEN: &str = "project skyhook \"Skyhook\" {\n  categry Platform\n  name \"Skyhook\"\n}\n";

const RULE: &str = "project skyhook \"Skyhook\" {\n  category Platform\n  name \"Skyhook\"\n     example \"Skyhook v0.8.1 tunes the nodes\" => M \"0.8.1\"\n  example \"a hook in the sky\" => X\n}\n";

#[test]
fn an_editor_session_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("skyhook.rule");
    std::fs::write(&path, BROKEN).unwrap();
    let uri = format!("file://{}", path.display());
    let doc = json!({ "uri": uri });

    let mut s = Server::start();
    let init = s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    let caps = &init["capabilities"];
    for cap in [
        "completionProvider",
        "hoverProvider",
        "definitionProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "codeLensProvider",
        "codeActionProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing: {caps}");
    }
    s.notify("initialized", json!({}));

    // Open: the misspelled keyword is an E001 with a suggestion, on its line.
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "aiconf", "version": 1, "text": BROKEN}}),
    );
    let d = s.diagnostics();
    assert_eq!(d[0]["code"], "E001", "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 2}));
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `category`?"),
        "{d:?}"
    );

    // Change: the failing example is an E011 at its own line, and nothing else.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": RULE}]}),
    );
    let d = s.diagnostics();
    let codes: Vec<(&str, u64)> = d
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap(),
                x["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(codes, [("E011", 4)], "{d:?}");

    // Completion at the start of a statement offers the keywords.
    let items = s.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": {"line": 2, "character": 2}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for k in ["category", "name", "alias", "not", "example"] {
        assert!(labels.contains(&k), "{k} not in {labels:?}");
    }
    // ... and after `category `, the categories.
    let items = s.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": {"line": 1, "character": 11}}),
    );
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "Scheduling"),
        "{items}"
    );

    // Hover on the name pattern: its matches over the corpus (loaded in the background).
    let hover_text = |s: &mut Server| {
        let h = s.request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": {"line": 2, "character": 4}}),
        );
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut text = hover_text(&mut s);
    while text.contains("still loading") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        text = hover_text(&mut s);
    }
    assert!(text.contains("**Skyhook** (`skyhook`)"), "{text}");
    assert!(
        text.contains("`name \"Skyhook\"` matches **3 of 3 submissions**"),
        "{text}"
    );
    assert!(
        text.contains("Skyhook v0.8.1 tunes the GPU nodes"),
        "{text}"
    );

    // Formatting: the over-indented example is put back in its column.
    let edits = s.request(
        "textDocument/formatting",
        json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = edits[0]["newText"].as_str().unwrap();
    assert_eq!(formatted, aiconf::format_rules("x", RULE).unwrap());
    assert!(
        formatted.contains("\n  example \"Skyhook v0.8.1"),
        "{formatted}"
    );

    // Code lenses: one per example, saying which passes.
    let lenses = s.request("textDocument/codeLens", json!({"textDocument": doc}));
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles[0].starts_with("✓ passes: M \"0.8.1\""), "{titles:?}");
    assert!(
        titles[1].starts_with("✗ fails: expected X, found -"),
        "{titles:?}"
    );

    // Symbols: one per project.
    let symbols = s.request("textDocument/documentSymbol", json!({"textDocument": doc}));
    assert_eq!(symbols.as_array().unwrap().len(), 1);
    assert_eq!(symbols[0]["name"], "skyhook");

    // A code action adds an example quoted from the corpus.
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": doc, "range": {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 2}}, "context": {"diagnostics": []}}),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    let new_text = edit["newText"].as_str().unwrap();
    assert!(
        new_text.starts_with("  example \"") && new_text.contains("Skyhook"),
        "{actions}"
    );

    assert_eq!(s.request("shutdown", json!(null)), Value::Null);
    s.notify("exit", json!(null));
    let status = s.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn go_to_definition_of_a_rule_named_in_another() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.rule");
    let b = dir.path().join("b.rule");
    std::fs::write(&a, "# not the same project as beta (see b.rule)\nproject alpha \"Alpha\" {\n  category Platform\n  name \"Alpha\"\n  example \"Alpha\" => X\n}\n").unwrap();
    std::fs::write(&b, "project beta \"Beta\" {\n  category Platform\n  name \"Beta\"\n  example \"Beta\" => X\n}\n").unwrap();
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    let uri = format!("file://{}", a.display());
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "aiconf", "version": 1, "text": std::fs::read_to_string(&a).unwrap()}}),
    );
    assert_eq!(s.diagnostics(), Vec::<Value>::new());
    for character in [26, 38] {
        let loc = s.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": character}}),
        );
        assert_eq!(loc["uri"], format!("file://{}", b.display()), "{loc}");
        assert_eq!(loc["range"]["start"], json!({"line": 0, "character": 0}));
    }
    s.request("shutdown", json!(null));
    s.notify("exit", json!(null));
    assert!(s.child.wait().unwrap().success());
}
