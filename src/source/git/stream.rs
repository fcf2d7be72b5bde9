//! One large blob streamed from a `git cat-file blob` process of its own, so a file of
//! gigabytes is never held whole (the long-lived `--batch` process hands over objects whole, and
//! stays free for the other files meanwhile). Only files over
//! [`LARGE_FILE`](crate::document::LARGE_FILE) are read this way: one process per large file,
//! never one per file. The size the listing gave is checked as the bytes arrive, so a process
//! that stops early (or a blob that is not what the listing said) is an error, not a short file.

use std::io::{self, Read};
use std::process::{Child, ChildStdout, Command, Stdio};

/// A blob's bytes as `git cat-file blob` writes them.
pub(super) struct BlobStream {
    child: Child,
    stdout: ChildStdout,
    oid: String,
    /// The size the listing gave.
    expected: u64,
    /// Bytes handed on so far.
    read: u64,
}

impl BlobStream {
    /// Starts `git cat-file blob OID` on `git` (a command against the repository); `expected`
    /// is the blob's size.
    pub(super) fn spawn(mut git: Command, oid: &str, expected: u64) -> io::Result<BlobStream> {
        let mut child = git
            .args(["cat-file", "blob", oid])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("git cat-file has no output"));
        };
        Ok(BlobStream {
            child,
            stdout,
            oid: oid.to_string(),
            expected,
            read: 0,
        })
    }

    /// The error for a stream that did not hold `expected` bytes: it stopped `early` (the
    /// process has closed its output; its exit status tells why), or went on past them (the
    /// process is ended first).
    fn wrong_size(&mut self, early: bool) -> io::Error {
        if !early {
            let _ = self.child.kill();
        }
        let status = self
            .child
            .wait()
            .map_or_else(|e| e.to_string(), |s| s.to_string());
        let what = if early {
            "stopped"
        } else {
            "went on past its size"
        };
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "git cat-file blob {} {what} after {} of {} bytes ({status})",
                self.oid, self.read, self.expected
            ),
        )
    }
}

impl Read for BlobStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.stdout.read(buf)?;
        if n == 0 && !buf.is_empty() && self.read != self.expected {
            return Err(self.wrong_size(true));
        }
        self.read += n as u64;
        if self.read > self.expected {
            return Err(self.wrong_size(false));
        }
        Ok(n)
    }
}

impl Drop for BlobStream {
    fn drop(&mut self) {
        // A reader dropped part-way (a binary file, an error) ends the process rather than
        // waiting for it to write the rest.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
