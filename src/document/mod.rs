//! Documents: one corpus file read and scoped to the vendor's own words.
//!
//! For a submission's `PRODUCT.yaml` the YAML events give every value's span
//! and field path (`spec.schedulingOrchestration[0].notes`); requirement
//! `description`s and template `#` comments are left out, the vendor's own
//! comments are kept. Every other text file counts whole. Template sentences
//! pasted anywhere are masked. Binary files are skipped. A file larger than
//! [`LARGE_FILE`] is never held whole: [`build_chunks`] reads it in
//! [`Chunk`]s that overlap, each scanned on its own.

pub mod shape;
pub mod template;

use crate::diagnostic::Code;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScanError};

use crate::diagnostic::Diagnostic;
use crate::document::template::{comment_start, Templates};

/// A stretch of the vendor's words, with the YAML field it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub range: Range<usize>,
    /// The YAML field path, e.g. `metadata.platformName`; `None` in non-YAML files.
    pub field: Option<String>,
}

/// The submission metadata found in a `PRODUCT.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    pub kubernetes_version: Option<String>,
    pub platform_name: Option<String>,
    pub vendor_name: Option<String>,
}

/// One file's text and the parts of it that are the vendor's words.
#[derive(Clone, Debug)]
pub struct Document {
    /// Path relative to the corpus root.
    pub path: String,
    pub text: String,
    /// Vendor regions, sorted by start, not overlapping.
    pub regions: Vec<Region>,
    /// Template sentences found in the text, sorted: hits inside do not count.
    pub masked: Vec<Range<usize>>,
    /// Present for `PRODUCT.yaml`.
    pub metadata: Option<Metadata>,
}

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
    pub chunk: usize,
    pub overlap: usize,
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

/// Extensions of files that are never text.
const BINARY_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "svg", "pdf", "zip", "gz", "tgz", "tar",
    "xz", "bz2", "7z", "bin", "exe", "so", "dylib", "woff", "woff2", "ttf", "otf", "mp4", "mov",
    "webm", "xlsx", "docx", "pptx",
];

/// Deepest YAML nesting followed; deeper values are not read.
const MAX_DEPTH: usize = 64;

/// Is this the checklist of a submission?
pub fn is_product(path: &str) -> bool {
    path.rsplit('/').next() == Some("PRODUCT.yaml")
}

/// Reads a file's bytes into a [`Document`]; `None` when the file is skipped
/// (binary). Problems are pushed to `diags`; the document is still built
/// from whatever could be read.
pub fn build(
    path: &str,
    bytes: Vec<u8>,
    templates: &Templates,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if BINARY_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        diags.push(Diagnostic::warning(
            Code::W304,
            path,
            "binary content in a file with a text name: skipped",
        ));
        return None;
    }
    let text = decode(path, bytes, diags);
    let product = is_product(path);
    let (regions, metadata) = if product {
        if text.trim().is_empty() {
            diags.push(Diagnostic::error(
                Code::E305,
                path,
                "empty PRODUCT.yaml: no metadata and no requirements",
            ));
            (Vec::new(), Some(Metadata::default()))
        } else {
            let (r, m) = product_regions(path, &text, templates, diags);
            (r, Some(m))
        }
    } else {
        (
            vec![Region {
                range: 0..text.len(),
                field: None,
            }],
            None,
        )
    };
    let masked = templates.program_ranges(&text);
    Some(Document {
        path: path.to_string(),
        text,
        regions,
        masked,
        metadata,
    })
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
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if BINARY_EXTENSIONS.contains(&ext.as_str()) {
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
    let mut carry = String::new();
    let mut origin = Origin::default();
    let mut owned_start = 0;
    let mut first = true;
    let mut warned_utf8 = false;
    loop {
        let bytes = match reader.next(size.chunk) {
            Ok(b) => b,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::E204,
                    path,
                    format!(
                        "cannot read the file after {} bytes: {e}; the rest is skipped",
                        reader.read
                    ),
                ));
                break;
            }
        };
        if first && bytes[..bytes.len().min(8192)].contains(&0) {
            diags.push(Diagnostic::warning(
                Code::W304,
                path,
                "binary content in a file with a text name: skipped",
            ));
            return reader.read;
        }
        let mut new = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                if !warned_utf8 {
                    let at = e.utf8_error().valid_up_to();
                    let good = &e.as_bytes()[..at];
                    let nl = good.iter().filter(|&&b| b == b'\n').count();
                    // Where the new bytes start: after the carried text.
                    let carry_lines = carry.matches('\n').count();
                    let carry_col = match carry.rfind('\n') {
                        Some(i) => carry[i + 1..].chars().count(),
                        None => origin.column + carry.chars().count(),
                    };
                    let (line, col) = if nl == 0 {
                        (
                            origin.line + carry_lines + 1,
                            carry_col + String::from_utf8_lossy(good).chars().count() + 1,
                        )
                    } else {
                        let last = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                        (
                            origin.line + carry_lines + nl + 1,
                            String::from_utf8_lossy(&good[last..]).chars().count() + 1,
                        )
                    };
                    diags.push(invalid_utf8(path, line, col));
                    warned_utf8 = true;
                }
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        if first {
            if new.starts_with('\u{feff}') {
                new.drain(..3);
            }
            if product {
                diags.push(
                    Diagnostic::warning(Code::W308, path, format!("PRODUCT.yaml is larger than {} MiB: scanned in chunks as plain text", LARGE_FILE >> 20))
                        .with_help("its YAML fields are not resolved; `description:` lines and `#` comments are still left out"),
                );
            }
        }
        let last = reader.eof;
        let mut text = std::mem::take(&mut carry);
        text.push_str(&new);
        drop(new);
        let owned_end = if last {
            text.len()
        } else {
            text.floor_char_boundary(text.len() - size.overlap)
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
        let chunk = Chunk {
            doc: Document {
                path: path.to_string(),
                text,
                regions,
                masked,
                metadata: None,
            },
            origin,
            owned: owned_start..owned_end,
        };
        each(&chunk);
        if last {
            break;
        }
        let text = chunk.doc.text;
        let carry_start = text.floor_char_boundary(owned_end.saturating_sub(size.context));
        let before = &text[..carry_start];
        match before.rfind('\n') {
            Some(i) => {
                origin.line += memchr::memchr_iter(b'\n', before.as_bytes()).count();
                origin.column = before[i + 1..].chars().count();
            }
            None => origin.column += before.chars().count(),
        }
        owned_start = owned_end - carry_start;
        carry = text[carry_start..].to_string();
        first = false;
    }
    reader.read
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

/// The warning for bytes that are not UTF-8, at the first of them.
fn invalid_utf8(path: &str, line: usize, column: usize) -> Diagnostic {
    Diagnostic::warning(
        Code::W303,
        path,
        "invalid UTF-8: the bad bytes are read as U+FFFD",
    )
    .at_line(line, column)
}

/// UTF-8 text without a BOM; invalid bytes become U+FFFD with a warning.
fn decode(path: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> String {
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            // `valid_up_to` ends on a character boundary: count characters, not bytes.
            let col = String::from_utf8_lossy(&bytes[line_start..at])
                .chars()
                .count()
                + 1;
            diags.push(invalid_utf8(path, line, col));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    text
}

/// Vendor regions and metadata of a `PRODUCT.yaml`.
fn product_regions(
    path: &str,
    text: &str,
    templates: &Templates,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Region>, Metadata) {
    let lines = LineIndex::new(text);
    let mut walk = Walk {
        text,
        ..Walk::default()
    };
    let mut parser = Parser::new_from_str(text);
    let mut failed = false;
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => {
                let start = lines.byte(text, span.start.line(), span.start.col());
                // Never a reversed range, whatever the parser's positions say.
                let range = start..lines.byte(text, span.end.line(), span.end.col()).max(start);
                if !walk.event(event, range) {
                    diags.push(
                        Diagnostic::error(
                            Code::E302,
                            path,
                            format!(
                                "YAML nested deeper than {MAX_DEPTH} levels: the rest is not read"
                            ),
                        )
                        .at(text, walk.last_start..walk.last_start + 1),
                    );
                    break;
                }
            }
            Err(e) => {
                diags.push(yaml_error(path, text, &lines, &e));
                failed = true;
                break;
            }
        }
    }
    let duplicates = walk.problems.iter().any(|p| p.0 == Code::W309);
    for (code, range, message, help) in std::mem::take(&mut walk.problems) {
        diags.push(
            Diagnostic::warning(code, path, message)
                .at(text, range)
                .with_help(help),
        );
    }
    let mut regions = if failed {
        // Scan what the parser could not: every line but template descriptions.
        fallback_regions(text)
    } else {
        if !walk.shape.fits() {
            crate::document::shape::check(path, text, duplicates, diags);
        }
        walk.regions
    };
    regions.extend(comment_regions(text, &regions, templates));
    regions.sort_by_key(|r| r.range.start);
    (regions, walk.metadata)
}

fn yaml_error(path: &str, text: &str, lines: &LineIndex, e: &ScanError) -> Diagnostic {
    let m = e.marker();
    let at = lines.byte(text, m.line(), m.col());
    Diagnostic::error(
        Code::E301,
        path,
        format!(
            "malformed YAML: {}; the file is scanned as plain text",
            e.info()
        ),
    )
    .at(text, at..(at + 1).min(text.len()))
    .with_label("the YAML parser stopped here")
}

/// Line-based scoping for a YAML file that does not parse.
fn fallback_regions(text: &str) -> Vec<Region> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches("- ");
        if !t.starts_with("description:") || start == 0 {
            let end = start + comment_start(line).unwrap_or(line.len());
            out.push(Region {
                range: start..end,
                field: None,
            });
        }
        start += line.len();
    }
    out
}

/// The vendor's own `#` comments (those that are not template comments), outside any value.
fn comment_regions(text: &str, values: &[Region], templates: &Templates) -> Vec<Region> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut vi = 0;
    for line in text.split_inclusive('\n') {
        if let Some(i) = comment_start(line) {
            let at = start + i;
            while vi < values.len() && values[vi].range.end <= at {
                vi += 1;
            }
            let inside = vi < values.len() && values[vi].range.start <= at;
            let body = line[i + 1..].trim();
            if !inside && !body.is_empty() && !templates.is_template_comment(body) {
                let field = values[..vi]
                    .last()
                    .and_then(|r| r.field.clone())
                    .map(|f| format!("{f}#comment"));
                out.push(Region {
                    range: at + 1..start + line.trim_end().len(),
                    field: Some(field.unwrap_or_else(|| "#comment".into())),
                });
            }
        }
        start += line.len();
    }
    out
}

/// Line start offsets, to turn (line, char column) into byte offsets.
struct LineIndex {
    starts: Vec<usize>,
    /// Per line: is it ASCII (so a character column is a byte column)?
    ascii: Vec<bool>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        // Line breaks as YAML counts them: `\n`, `\r\n`, and a lone `\r`.
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        let ascii = (0..starts.len())
            .map(|i| {
                text.as_bytes()[starts[i]..starts.get(i + 1).copied().unwrap_or(text.len())]
                    .is_ascii()
            })
            .collect();
        LineIndex { starts, ascii }
    }

    /// Byte offset of 1-based `line`, 0-based character `col`.
    fn byte(&self, text: &str, line: usize, col: usize) -> usize {
        let i = line.saturating_sub(1);
        let Some(&start) = self.starts.get(i) else {
            return text.len();
        };
        let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
        if self.ascii[i] && start + col < end {
            return start + col;
        }
        let rest = &text[start..];
        rest.char_indices()
            .nth(col)
            .map_or(text.len(), |(i, _)| start + i)
    }
}

/// Where the event walk is in the YAML tree.
enum Frame {
    /// `seen`: the keys read so far, to report duplicates.
    Map {
        key: Option<String>,
        path: String,
        seen: Vec<String>,
    },
    Seq {
        index: usize,
        path: String,
    },
}

#[derive(Default)]
struct Walk<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    regions: Vec<Region>,
    metadata: Metadata,
    last_start: usize,
    /// Problems met on the way: (code, range, message, help).
    problems: Vec<(Code, Range<usize>, String, String)>,
    /// Does the file fit the checklist's shape (without asking serde)?
    shape: crate::document::shape::Shape,
}

impl<'t> Walk<'t> {
    fn text_hint(&self) -> &'t str {
        self.text
    }

    /// The path of the value about to be read.
    fn value_path(&self) -> String {
        match self.stack.last() {
            Some(Frame::Map { key, path, .. }) => join(path, key.as_deref().unwrap_or("?")),
            Some(Frame::Seq { index, path }) => format!("{path}[{index}]"),
            None => String::new(),
        }
    }

    /// After a value is complete: the parent map expects a key, the parent list moves on.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// Handles one event; false when nesting is too deep.
    fn event(&mut self, event: Event<'_>, range: Range<usize>) -> bool {
        self.last_start = range.start;
        self.shape.event(&event);
        match event {
            Event::Scalar(value, style, ..) => {
                let range = range.start..scalar_end(self.text_hint(), range.clone(), style);
                if self.expecting_key() {
                    if let Some(Frame::Map { key, path, seen }) = self.stack.last_mut() {
                        if seen.iter().any(|k| *k == value) {
                            let shown = if path.is_empty() {
                                "the top level".to_string()
                            } else {
                                format!("`{path}`")
                            };
                            self.problems.push((
                                Code::W309,
                                range.clone(),
                                format!("duplicate key `{value}` in {shown}: YAML readers disagree on which value counts"),
                                "remove one of them; both values are scanned, and the last one is taken as metadata".into(),
                            ));
                        } else if seen.len() < MAX_KEYS {
                            seen.push(value.to_string());
                        }
                        *key = Some(value.into_owned());
                    }
                    return true;
                }
                let path = self.value_path();
                if style == saphyr_parser::ScalarStyle::Plain && expects_text(&path) {
                    if let Some(kind) = non_text_kind(&value) {
                        self.problems.push((
                            Code::W307,
                            range.clone(),
                            format!("`{path}` is the {kind} {value}, not text: YAML readers do not keep it as written"),
                            format!("quote it: \"{value}\""),
                        ));
                    }
                }
                self.record(&path, &value, range);
                self.value_done();
            }
            Event::Alias(_) => {
                if self.expecting_key() {
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some("*alias".into());
                    }
                } else {
                    self.value_done();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    return false;
                }
                let path = if self.expecting_key() {
                    join(&self.value_path(), "?")
                } else {
                    self.value_path()
                };
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map {
                            key: None,
                            path,
                            seen: Vec::new(),
                        }
                    } else {
                        Frame::Seq { index: 0, path }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            Event::DocumentStart(_) => self.stack.clear(),
            _ => {}
        }
        true
    }

    fn record(&mut self, path: &str, value: &str, range: Range<usize>) {
        match path {
            "metadata.kubernetesVersion" => {
                self.metadata.kubernetes_version = Some(value.to_string())
            }
            "metadata.platformName" => self.metadata.platform_name = Some(value.to_string()),
            "metadata.vendorName" => self.metadata.vendor_name = Some(value.to_string()),
            _ => {}
        }
        if is_template_field(path) || range.is_empty() {
            return;
        }
        self.regions.push(Region {
            range,
            field: Some(path.to_string()),
        });
    }
}

/// Keys remembered per mapping for the duplicate check (a huge mapping is not a reason to grow without bound).
const MAX_KEYS: usize = 4096;

/// Fields of the checklist whose values are text: the metadata, a requirement's
/// `id`, `level`, `status`, `notes`, and each `evidence` item.
fn expects_text(path: &str) -> bool {
    if let Some(rest) = path.strip_prefix("metadata.") {
        return !rest.contains(['.', '[']);
    }
    let Some(rest) = path.strip_prefix("spec.") else {
        return false;
    };
    let last = rest.rsplit('.').next().unwrap_or_default();
    matches!(last, "id" | "level" | "status" | "notes")
        || (last.starts_with("evidence[") && last.ends_with(']'))
}

/// "number" or "boolean" when a plain YAML 1.2 scalar is one (null is fine: an empty field).
fn non_text_kind(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if matches!(v, "true" | "false" | "True" | "False" | "TRUE" | "FALSE") {
        return Some("boolean");
    }
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    let is_number = (!unsigned.is_empty()
        && unsigned.bytes().all(|b| {
            b.is_ascii_digit()
                || b == b'.'
                || b == b'_'
                || b == b'e'
                || b == b'E'
                || b == b'-'
                || b == b'+'
        })
        && unsigned
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && v.parse::<f64>().is_ok())
        || matches!(unsigned, ".inf" | ".Inf" | ".INF")
        || matches!(v, ".nan" | ".NaN" | ".NAN")
        || (v.starts_with("0x") && v.len() > 2 && v[2..].bytes().all(|b| b.is_ascii_hexdigit()))
        || (v.starts_with("0o")
            && v.len() > 2
            && v[2..].bytes().all(|b| (b'0'..=b'7').contains(&b)));
    is_number.then_some("number")
}

/// Where a scalar really ends: the parser's span may run on over blanks
/// and a trailing comment.
fn scalar_end(text: &str, range: Range<usize>, style: saphyr_parser::ScalarStyle) -> usize {
    use saphyr_parser::ScalarStyle;
    let Some(s) = text.get(range.clone()) else {
        return range.end;
    };
    let bytes = s.as_bytes();
    match style {
        ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
            let q = bytes.first().copied().unwrap_or(b'"');
            let mut i = 1;
            while i < bytes.len() {
                if q == b'"' && bytes[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return range.start + i + 1;
                }
                i += 1;
            }
            range.end
        }
        ScalarStyle::Plain => {
            let cut = (1..bytes.len())
                .find(|&i| bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t'))
                .unwrap_or(bytes.len());
            range.start + s[..cut].trim_end().len()
        }
        _ => range.start + s.trim_end().len(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Requirement descriptions are the program's text, not the vendor's.
fn is_template_field(path: &str) -> bool {
    path.starts_with("spec.") && path.ends_with(".description")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    fn doc(path: &str, text: &str) -> (Document, Vec<Diagnostic>) {
        let t = Templates::from_texts(["# Kubernetes AI Conformance Checklist\nstatus: \"\"   # Implemented, Not Implemented\n"]);
        let mut d = Vec::new();
        let doc = build(path, text.as_bytes().to_vec(), &t, &mut d).unwrap();
        (doc, d)
    }

    fn vendor_text(d: &Document) -> Vec<(&str, Option<&str>)> {
        d.regions
            .iter()
            .map(|r| (&d.text[r.range.clone()], r.field.as_deref()))
            .collect()
    }

    const P: &str = "# Kubernetes AI Conformance Checklist\nmetadata:\n  kubernetesVersion: v1.34\n  platformName: \"Plat\"\n  vendorName: Acme\nspec:\n  scheduling:\n    - id: gang\n      description: \"e.g. Kueue, Volcano\"\n      status: \"\"   # Implemented, Not Implemented\n      evidence:\n        - \"https://x/kueue\"  # Kai Scheduler on EKS\n      notes: \"We run Kueue.\"\n";

    #[test]
    fn descriptions_and_template_comments_are_not_vendor_text() {
        let (d, diags) = doc("v1.34/x/PRODUCT.yaml", P);
        let v = vendor_text(&d);
        assert!(!v.iter().any(|(t, _)| t.contains("Volcano")), "{v:?}");
        assert!(!v.iter().any(|(t, _)| t.contains("Implemented")), "{v:?}");
        assert!(
            v.contains(&(
                " Kai Scheduler on EKS",
                Some("spec.scheduling[0].evidence[0]#comment")
            )),
            "{v:?}"
        );
        assert!(
            v.contains(&("\"We run Kueue.\"", Some("spec.scheduling[0].notes"))),
            "{v:?}"
        );
        assert!(diags.is_empty(), "{diags:?}");
        let m = d.metadata.unwrap();
        assert_eq!(m.platform_name.as_deref(), Some("Plat"));
        assert_eq!(m.vendor_name.as_deref(), Some("Acme"));
    }

    #[test]
    fn a_lone_carriage_return_is_a_line_break_as_in_yaml() {
        // Found by the yaml_document fuzzer: lines were counted at `\n` only, so the
        // parser's positions after a lone `\r` fell elsewhere (and once before their start).
        let text = "metadata:\r  platformName: \"Plat\"\r  vendorName: \"Kueue Inc\"\r";
        let (d, _) = doc("v1.34/x/PRODUCT.yaml", text);
        let r = d
            .regions
            .iter()
            .find(|r| r.field.as_deref() == Some("metadata.vendorName"))
            .unwrap();
        assert_eq!(&d.text[r.range.clone()], "\"Kueue Inc\"");
    }

    #[test]
    fn positions_are_exact_with_unicode_and_bom() {
        let text =
            "\u{feff}metadata:\n  platformName: \"Plätform\"\n  vendorName: \"Äcme Kueue\"\n";
        let (d, _) = doc("v1.34/x/PRODUCT.yaml", text);
        let r = d
            .regions
            .iter()
            .find(|r| r.field.as_deref() == Some("metadata.vendorName"))
            .unwrap();
        assert_eq!(&d.text[r.range.clone()], "\"Äcme Kueue\"");
    }

    #[test]
    fn malformed_yaml_is_reported_and_still_scanned() {
        let (d, diags) = doc("v1.34/x/PRODUCT.yaml", "metadata:\n  a: [b\nnotes: Kueue\n");
        assert_eq!(diags[0].code, Code::E301);
        assert!(diags[0].line >= 2, "{:?}", diags[0]);
        assert!(d
            .regions
            .iter()
            .any(|r| d.text[r.range.clone()].contains("Kueue")));
    }

    #[test]
    fn wrong_shape_is_a_warning_with_a_position() {
        let (_, diags) = doc("v1.34/x/PRODUCT.yaml", "metadata:\n  kubernetesVersion: v1.34\n  platformName: p\n  vendorName: v\nspec:\n  a:\n    - id: x\n      evidence: \"one\"\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::W306);
        assert_eq!(diags[0].line, 8);
    }

    #[test]
    fn binary_files_are_skipped() {
        let t = Templates::default();
        let mut d = Vec::new();
        assert!(build("v1/x/a.png", vec![1, 2], &t, &mut d).is_none());
        assert!(build("v1/x/a.md", vec![b'a', 0, b'b'], &t, &mut d).is_none());
        assert_eq!(d.len(), 1);
    }
}
