//! The long-lived `git cat-file --batch` process that serves every blob.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// One `git cat-file --batch` process: write an id, read the object.
pub(super) struct Batch {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Batch {
    pub(super) fn spawn(mut git: Command) -> io::Result<Batch> {
        let mut child = git
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("git cat-file has no output"))?;
        Ok(Batch {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    pub(super) fn read(&mut self, oid: &str) -> io::Result<Vec<u8>> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("git cat-file is closed"))?;
        writeln!(stdin, "{oid}")?;
        stdin.flush()?;
        let mut header = String::new();
        if self.stdout.read_line(&mut header)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "git cat-file stopped",
            ));
        }
        let fields: Vec<&str> = header.split_whitespace().collect();
        match fields.as_slice() {
            [_, "missing"] => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("object {oid} is missing from the repository"),
            )),
            [_, kind, size] => {
                let size: usize = size.parse().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("bad cat-file header `{}`", header.trim()),
                    )
                })?;
                let mut buf = vec![0; size];
                self.stdout.read_exact(&mut buf)?;
                let mut nl = [0u8; 1];
                self.stdout.read_exact(&mut nl)?;
                if *kind != "blob" {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("object {oid} is a {kind}, not a file"),
                    ));
                }
                Ok(buf)
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad cat-file header `{}`", header.trim()),
            )),
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing its input ends the process.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
