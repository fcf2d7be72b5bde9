//! A reader that stops early (`aiconf scan --format json | head`) closes the
//! pipe: the binary ends quietly instead of panicking on the failed write.

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(["scan", "--format", "json", "--corpus", crate::util::head()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aiconf runs");
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    out.read_exact(&mut first).unwrap();
    assert_eq!(first[0], b'{', "scan --format json starts an object");
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "aiconf panicked: {err}");
    assert_eq!(status.code(), Some(0), "stderr: {err}");
}
