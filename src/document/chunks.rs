//! A file too large to hold whole, read in overlapping [`Chunk`]s: each
//! piece a [`Document`] of its own, with where it starts in the file and the
//! part of it whose hits it owns.

use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};
use crate::document::scope::fallback_regions;
use crate::document::template::Templates;
use crate::document::{
    binary_content, binary_name, binary_skipped, invalid_utf8, is_product, Document, Region,
};

/// Where a chunk's text starts in its file: lines before it, and characters
/// before it on its first line (both 0 for a whole file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub line: usize,
    pub column: usize,
}

/// One piece of a large file, scanned on its own: its text (with overlaps
/// into its neighbours), where that text starts, and the byte range of it
/// whose hits it owns (each hit is owned by exactly one chunk).
#[derive(Clone, Debug)]
pub struct Chunk {
    pub doc: Document,
    pub origin: Origin,
    pub owned: Range<usize>,
}

/// Files larger than this are read and scanned in chunks, never whole.
pub const LARGE_FILE: u64 = 16 * 1024 * 1024;

/// How a large file is cut: `chunk` new bytes per piece; each piece also
/// holds `context` bytes before its owned part (for the negation and quote
/// of a hit at its start) and `overlap` bytes after it (so that a match
/// starting in it, the version after it and the line around it are whole).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkSize {
    /// New bytes per piece.
    pub chunk: usize,
    /// Bytes after the owned part.
    pub overlap: usize,
    /// Bytes before the owned part.
    pub context: usize,
}

impl Default for ChunkSize {
    fn default() -> Self {
        ChunkSize {
            chunk: 4 * 1024 * 1024,
            overlap: 4096,
            context: 1024,
        }
    }
}

/// Reads a large file from `reader` one chunk at a time and calls `each`
/// with every [`Chunk`] in order; at most one chunk is held at a time.
/// Binary files are skipped (W304) and a checklist this large is scoped line
/// by line (W308). Returns the bytes read.
pub fn build_chunks(
    path: &str,
    reader: &mut dyn std::io::Read,
    templates: &Templates,
    size: ChunkSize,
    diags: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(&Chunk),
) -> u64 {
    if binary_name(path) {
        return 0;
    }
    // Each piece must own something: the overlaps cannot be most of it.
    let size = ChunkSize {
        chunk: size.chunk.max(2 * (size.overlap + size.context) + 8),
        ..size
    };
    let product = is_product(path);
    let mut reader = Pieces {
        reader,
        pending: Vec::new(),
        read: 0,
        eof: false,
    };
    let mut cut = Cut::default();
    let mut first = true;
    let mut warned_utf8 = false;
    loop {
        let bytes = match reader.next(size.chunk) {
            Ok(b) => b,
            Err(e) => {
                diags.push(read_failed(path, reader.read, &e));
                break;
            }
        };
        if first && binary_content(&bytes) {
            diags.push(binary_skipped(path));
            return reader.read;
        }
        let mut new = decode(path, bytes, &cut, &mut warned_utf8, diags);
        if first {
            if new.starts_with('\u{feff}') {
                new.drain(..3);
            }
            if product {
                diags.push(too_large_checklist(path));
            }
        }
        let last = reader.eof;
        let chunk = cut.chunk(path, new, last, size.overlap, product, templates);
        each(&chunk);
        if last {
            break;
        }
        cut.advance(chunk, size.context);
        first = false;
    }
    reader.read
}

/// E204: reading stopped after `read` bytes; the rest of the file is skipped.
fn read_failed(path: &str, read: u64, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::E204,
        path,
        format!("cannot read the file after {read} bytes: {e}; the rest is skipped"),
    )
}

/// A chunk's bytes as text: invalid UTF-8 is replaced, and said once per file (at the
/// line and column of the first bad byte).
fn decode(
    path: &str,
    bytes: Vec<u8>,
    cut: &Cut,
    warned: &mut bool,
    diags: &mut Vec<Diagnostic>,
) -> String {
    match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            if !*warned {
                let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let (line, col) = cut.position_after(good);
                diags.push(invalid_utf8(path, line, col));
                *warned = true;
            }
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}

/// The warning for a checklist read in chunks, as plain text.
fn too_large_checklist(path: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::W308,
        path,
        format!(
            "PRODUCT.yaml is larger than {} MiB: scanned in chunks as plain text",
            LARGE_FILE >> 20
        ),
    )
    .with_help(
        "its YAML fields are not resolved; `description:` lines and `#` comments are still left out",
    )
}

/// Where the next chunk starts: the text carried over from the previous one
/// (its context and overlap), where that text starts in the file, and where
/// the part the next chunk owns starts in it.
#[derive(Default)]
struct Cut {
    carry: String,
    origin: Origin,
    owned_start: usize,
}

impl Cut {
    /// The 1-based line and column, in the file, of the end of `good`: new
    /// bytes read after the carried text.
    fn position_after(&self, good: &[u8]) -> (usize, usize) {
        let nl = good.iter().filter(|&&b| b == b'\n').count();
        let carry_lines = self.carry.matches('\n').count();
        let carry_col = match self.carry.rfind('\n') {
            Some(i) => self.carry[i + 1..].chars().count(),
            None => self.origin.column + self.carry.chars().count(),
        };
        if nl == 0 {
            (
                self.origin.line + carry_lines + 1,
                carry_col + String::from_utf8_lossy(good).chars().count() + 1,
            )
        } else {
            let last = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            (
                self.origin.line + carry_lines + nl + 1,
                String::from_utf8_lossy(&good[last..]).chars().count() + 1,
            )
        }
    }

    /// The carried text and `new` as one chunk, owning all but its last
    /// `overlap` bytes (all of it when it is the `last`).
    fn chunk(
        &mut self,
        path: &str,
        new: String,
        last: bool,
        overlap: usize,
        product: bool,
        templates: &Templates,
    ) -> Chunk {
        let mut text = std::mem::take(&mut self.carry);
        text.push_str(&new);
        drop(new);
        let owned_end = if last {
            text.len()
        } else {
            text.floor_char_boundary(text.len() - overlap)
        };
        let regions = if product {
            fallback_regions(&text)
        } else {
            vec![Region {
                range: 0..text.len(),
                field: None,
            }]
        };
        let masked = templates.program_ranges(&text);
        Chunk {
            doc: Document {
                path: path.to_string(),
                text,
                regions,
                masked,
                metadata: None,
            },
            origin: self.origin,
            owned: self.owned_start..owned_end,
        }
    }

    /// Moves past `chunk`, carrying its last `context` bytes before the end
    /// of its owned part, and what follows, into the next one.
    fn advance(&mut self, chunk: Chunk, context: usize) {
        let owned_end = chunk.owned.end;
        let text = chunk.doc.text;
        let carry_start = text.floor_char_boundary(owned_end.saturating_sub(context));
        let before = &text[..carry_start];
        match before.rfind('\n') {
            Some(i) => {
                self.origin.line += memchr::memchr_iter(b'\n', before.as_bytes()).count();
                self.origin.column = before[i + 1..].chars().count();
            }
            None => self.origin.column += before.chars().count(),
        }
        self.owned_start = owned_end - carry_start;
        self.carry = text[carry_start..].to_string();
    }
}

/// Reads a file in pieces of whole UTF-8 characters.
struct Pieces<'r> {
    reader: &'r mut dyn std::io::Read,
    /// The bytes of a character cut by the previous piece.
    pending: Vec<u8>,
    read: u64,
    eof: bool,
}

impl Pieces<'_> {
    /// The next piece of about `size` bytes, ending on a character boundary unless at the end.
    fn next(&mut self, size: usize) -> std::io::Result<Vec<u8>> {
        let start = self.pending.len();
        let mut buf = vec![0u8; start + size];
        buf[..start].copy_from_slice(&self.pending);
        self.pending.clear();
        let mut filled = start;
        while filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    filled += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        buf.truncate(filled);
        if !self.eof {
            // Keep an incomplete character at the end for the next piece.
            let keep = incomplete_tail(&buf);
            self.pending = buf.split_off(buf.len() - keep);
        }
        Ok(buf)
    }
}

/// How many bytes at the end of `buf` start a UTF-8 character they do not finish.
fn incomplete_tail(buf: &[u8]) -> usize {
    for back in 1..=3.min(buf.len()) {
        let b = buf[buf.len() - back];
        if b & 0xC0 != 0x80 {
            let need = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            return if need > back { back } else { 0 };
        }
    }
    0
}
