//! A spool: bytes written now and copied out later, kept in a temporary file rather than in
//! memory (in memory only when no temporary file can be made). `scan --format json` spools its
//! findings, which the JSON object lists after the problems that are known only at the end.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// Where spooled bytes wait.
pub enum Spool {
    /// A file of the temporary folder, removed at once where the system allows it (Unix: only
    /// the open handle holds it) or else when the spool is dropped.
    File {
        file: BufWriter<File>,
        /// The file's path while it still has one.
        path: Option<PathBuf>,
    },
    Memory(Vec<u8>),
}

impl Spool {
    /// A spool in a new file of the temporary folder (readable by this user only); in memory when
    /// none can be made.
    pub fn new() -> Spool {
        static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let dir = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!(
            ".aiconf-spool-{}-{n}-{nanos:08x}",
            std::process::id()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => {
                // On Unix the open handle keeps the file: nothing is left behind, even on a kill.
                let path = if cfg!(unix) && std::fs::remove_file(&path).is_ok() {
                    None
                } else {
                    Some(path)
                };
                Spool::File {
                    file: BufWriter::with_capacity(1 << 16, file),
                    path,
                }
            }
            Err(_) => Spool::Memory(Vec::new()),
        }
    }

    /// Copies everything written to `out`, and drops the spool.
    pub fn copy_to(mut self, out: &mut dyn Write) -> io::Result<u64> {
        match &mut self {
            Spool::File { file, .. } => {
                file.flush()?;
                let f = file.get_mut();
                f.seek(SeekFrom::Start(0))?;
                io::copy(f, out)
            }
            Spool::Memory(bytes) => {
                out.write_all(bytes)?;
                Ok(bytes.len() as u64)
            }
        }
    }
}

impl Default for Spool {
    fn default() -> Spool {
        Spool::new()
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Spool::File { file, .. } => file.write(buf),
            Spool::Memory(bytes) => bytes.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Spool::File { file, .. } => file.write_all(buf),
            Spool::Memory(bytes) => bytes.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Spool::File { file, .. } => file.flush(),
            Spool::Memory(_) => Ok(()),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if let Spool::File {
            path: Some(path), ..
        } = self
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Writes `value` pretty-printed as `serde_json::to_string_pretty` would print it `depth` levels
/// deep (two spaces a level; the first line not indented): an element of a pretty-printed document
/// written one piece at a time, byte for byte as the whole document would be. Serialised straight
/// into `out`, through [`Indented`].
pub fn write_pretty_at<W: Write + ?Sized>(
    out: &mut W,
    value: &impl serde::Serialize,
    depth: usize,
) -> io::Result<()> {
    let formatter = Indented {
        level: depth,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// serde_json's `PrettyFormatter` (two spaces a level), starting `level` levels deep: its
/// methods as serde_json has them, but for where the indentation starts.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn newline<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        let mut n = 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_spool_gives_back_what_was_written_and_leaves_no_file() {
        let mut s = Spool::new();
        if let Spool::File { path, .. } = &s {
            if cfg!(unix) {
                assert!(path.is_none(), "removed at once on Unix");
            }
        }
        for i in 0..10_000 {
            write!(s, "{i},").unwrap();
        }
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        let want: String = (0..10_000).map(|i| format!("{i},")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn a_value_at_any_depth_is_the_pretty_print_with_every_line_indented_that_much() {
        let values = [
            json!(null),
            json!("a \"quoted\"\nline"),
            json!([]),
            json!({}),
            json!([[], {}, [[1, 2], {"x": []}], {"y": {"z": [true, false, null]}}]),
            json!({"k": [{"a": 1.5, "b": [{}]}, "s"], "e": {}, "n": -3}),
        ];
        for v in &values {
            let pretty = serde_json::to_string_pretty(v).unwrap();
            for depth in 0..5 {
                let want = pretty.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                let mut out = Vec::new();
                write_pretty_at(&mut out, v, depth).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), want, "{v} at {depth}");
            }
        }
        // Deeper than the spaces written at once.
        let mut out = Vec::new();
        write_pretty_at(&mut out, &json!([1]), 40).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("[\n{}1\n{}]", " ".repeat(82), " ".repeat(80))
        );
    }

    #[test]
    fn pieces_written_at_their_depth_are_the_whole_pretty_document() {
        let items = vec![
            json!({"a": [1, {"b": "x\ny"}], "c": [], "d": {}}),
            json!({"e": "f"}),
        ];
        let whole = serde_json::to_string_pretty(&json!({ "k": items })).unwrap();
        let mut out = b"{\n  \"k\": [\n".to_vec();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b",\n");
            }
            out.extend_from_slice(b"    ");
            write_pretty_at(&mut out, item, 2).unwrap();
        }
        out.extend_from_slice(b"\n  ]\n}");
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }
}
