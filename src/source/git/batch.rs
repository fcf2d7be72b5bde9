//! The long-lived `git cat-file` processes: `--batch` serves every tree and
//! blob, `--batch-check` the sizes of blobs (without reading them).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A `git cat-file` process in one of its batch modes, with its pipes.
struct Pipe {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Pipe {
    fn spawn(mut git: Command, mode: &str) -> io::Result<Pipe> {
        let mut child = git
            .args(["cat-file", mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("git cat-file has no output"))?;
        Ok(Pipe {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// Closes its input: the process ends, and is waited for when dropped.
    fn close(&mut self) {
        drop(self.stdin.take());
    }

    fn stdin(&mut self) -> io::Result<&mut ChildStdin> {
        self.stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("git cat-file is closed"))
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        // Closing its input ends the process.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// One `git cat-file --batch` process: write a name, read the object.
pub(super) struct Batch(Pipe);

impl Batch {
    pub(super) fn spawn(git: Command) -> io::Result<Batch> {
        Pipe::spawn(git, "--batch").map(Batch)
    }

    /// Closes its input: the process ends meanwhile, and is waited for when dropped.
    pub(super) fn close(&mut self) {
        self.0.close();
    }

    /// The object `name` names (an id, or `COMMIT^{tree}`): its kind and bytes.
    pub(super) fn object(&mut self, oid: &str) -> io::Result<(String, Vec<u8>)> {
        let stdin = self.0.stdin()?;
        // One write for the whole line: written in two (`writeln!` on the bare pipe), git wakes
        // up for half a line first, which costs a round trip per object (a tenth of the time of
        // a revision of 100,000 small files).
        stdin.write_all(format!("{oid}\n").as_bytes())?;
        stdin.flush()?;
        let mut header = String::new();
        if self.0.stdout.read_line(&mut header)? == 0 {
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
                self.0.stdout.read_exact(&mut buf)?;
                let mut nl = [0u8; 1];
                self.0.stdout.read_exact(&mut nl)?;
                Ok((kind.to_string(), buf))
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad cat-file header `{}`", header.trim()),
            )),
        }
    }
}

/// One `git cat-file --batch-check` process: the sizes of many objects,
/// asked for in groups small enough that neither pipe fills while the other
/// waits.
pub(super) struct Check(Pipe);

/// Ids written before their answers are read: 256 lines of at most 65 bytes
/// each way stay far below a pipe's 64 KiB.
const GROUP: usize = 256;

impl Check {
    pub(super) fn spawn(git: Command) -> io::Result<Check> {
        Pipe::spawn(git, "--batch-check").map(Check)
    }

    /// Closes its input: the process ends meanwhile, and is waited for when dropped.
    pub(super) fn close(&mut self) {
        self.0.close();
    }

    /// The size of each blob of `oids`, in order; `None` for one missing from the repository (a
    /// damaged or partial clone): reading it fails later, for that file alone.
    pub(super) fn sizes(&mut self, oids: &[&str]) -> io::Result<Vec<Option<u64>>> {
        let mut out = Vec::with_capacity(oids.len());
        for group in oids.chunks(GROUP) {
            let stdin = self.0.stdin()?;
            let mut lines = String::new();
            for oid in group {
                lines.push_str(oid);
                lines.push('\n');
            }
            stdin.write_all(lines.as_bytes())?;
            stdin.flush()?;
            for oid in group {
                let mut line = String::new();
                if self.0.stdout.read_line(&mut line)? == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "git cat-file stopped",
                    ));
                }
                let fields: Vec<&str> = line.split_whitespace().collect();
                match fields.as_slice() {
                    [_, "blob", size] => out.push(Some(size.parse().map_err(|_| {
                        io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("bad cat-file line `{}`", line.trim()),
                        )
                    })?)),
                    [_, "missing"] => out.push(None),
                    _ => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("object {oid}: `{}`, not a file", line.trim()),
                        ))
                    }
                }
            }
        }
        Ok(out)
    }
}
