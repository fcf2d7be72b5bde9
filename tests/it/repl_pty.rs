//! The REPL on a pseudo-terminal, as a user meets it: the prompt, tab
//! completion of a field and of a category, a query continued on a second
//! line while a parenthesis is open, the result, `.quit`, and the history
//! written to the file `AICONF_HISTORY` names.
#![cfg(unix)]

use std::fs::File;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::pty::{openpty, Winsize};

struct Pty {
    child: Child,
    input: File,
    output: Arc<Mutex<String>>,
}

impl Pty {
    fn spawn(history: &std::path::Path) -> Pty {
        let size = Winsize {
            ws_row: 40,
            ws_col: 200,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).expect("a pseudo-terminal");
        let child = Command::new(env!("CARGO_BIN_EXE_aiconf"))
            .args(["repl", "--corpus", crate::util::baseline()])
            .env("AICONF_HISTORY", history)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
            .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
            .stderr(Stdio::from(pty.slave))
            .spawn()
            .expect("aiconf runs");
        let output = Arc::new(Mutex::new(String::new()));
        let mut reader = File::from(pty.master.try_clone().unwrap());
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Pty {
            child,
            input: File::from(pty.master),
            output,
        }
    }

    /// Waits until the output (from `from` on) contains `text`; returns the end of the match.
    fn expect(&self, from: usize, text: &str) -> usize {
        let start = Instant::now();
        loop {
            {
                let out = self.output.lock().unwrap();
                if let Some(i) = out.get(from..).and_then(|o| o.find(text)) {
                    return from + i + text.len();
                }
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "no {text:?} in:\n{}",
                    &out[from.min(out.len())..]
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.input.write_all(keys.as_bytes()).unwrap();
        self.input.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
}

#[test]
fn completion_multi_line_input_and_history_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.txt");
    let mut pty = Pty::spawn(&history);
    let at = pty.expect(0, "aiconf> ");
    pty.send("adoption where categ\t");
    let at = pty.expect(at, "category");
    pty.send(" = Sched\t");
    let at = pty.expect(at, "Scheduling");
    // An open parenthesis continues the query on the next line.
    pty.send(" and (version = 1.33\r");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !pty.output.lock().unwrap()[at..].contains("Stacks"),
        "no result before the parenthesis closes"
    );
    pty.send("or version = 1.35)\r");
    let at = pty.expect(at, "Stacks");
    let at = pty.expect(at, "Kueue");
    pty.expect(at, "aiconf> ");
    pty.send(".quit\r");
    let status = pty.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let saved = std::fs::read_to_string(&history).expect("the history is saved");
    assert!(
        saved.contains("adoption where category = Scheduling and (version = 1.33"),
        "{saved}"
    );
    assert!(saved.contains(".quit"), "{saved}");
}
