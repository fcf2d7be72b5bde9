//! A `PRODUCT.yaml` read through its YAML events: every value's span and
//! field path, the submission's metadata, duplicate keys and numbers where
//! text is expected, and whether the file fits the checklist's shape.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScanError};

use crate::diagnostic::{Code, Diagnostic};
use crate::document::scalar::{expects_text, non_text_kind, scalar_end};
use crate::document::scope::{comment_regions, fallback_regions};
use crate::document::template::Templates;
use crate::document::{Metadata, Region};

/// Deepest YAML nesting followed; deeper values are not read.
const MAX_DEPTH: usize = 64;

/// Vendor regions and metadata of a `PRODUCT.yaml`.
pub(super) fn product_regions(
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
            Some(Frame::Seq { index, path }) => {
                // Built by hand: `format!` costs more than the rest of a scalar's handling.
                let mut digits = [0u8; 20];
                let mut n = *index;
                let mut at = digits.len();
                loop {
                    at -= 1;
                    digits[at] = b'0' + (n % 10) as u8;
                    n /= 10;
                    if n == 0 {
                        break;
                    }
                }
                let digits = std::str::from_utf8(&digits[at..]).unwrap_or("0");
                let mut out = String::with_capacity(path.len() + digits.len() + 2);
                out.push_str(path);
                out.push('[');
                out.push_str(digits);
                out.push(']');
                out
            }
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
                    self.key(value, range);
                } else {
                    self.scalar(&value, style, range);
                }
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

    /// A key of the current mapping: remembered, and reported when it is seen twice.
    fn key(&mut self, value: std::borrow::Cow<'_, str>, range: Range<usize>) {
        if let Some(Frame::Map { key, path, seen }) = self.stack.last_mut() {
            if seen.iter().any(|k| *k == value) {
                let shown = if path.is_empty() {
                    "the top level".to_string()
                } else {
                    format!("`{path}`")
                };
                self.problems.push((
                    Code::W309,
                    range,
                    format!("duplicate key `{value}` in {shown}: YAML readers disagree on which value counts"),
                    "remove one of them; both values are scanned, and the last one is taken as metadata".into(),
                ));
            } else if seen.len() < MAX_KEYS {
                seen.push(value.to_string());
            }
            *key = Some(value.into_owned());
        }
    }

    /// A value: checked for a number or boolean where text is expected, and recorded.
    fn scalar(&mut self, value: &str, style: saphyr_parser::ScalarStyle, range: Range<usize>) {
        let path = self.value_path();
        if style == saphyr_parser::ScalarStyle::Plain && expects_text(&path) {
            if let Some(kind) = non_text_kind(value) {
                self.problems.push((
                    Code::W307,
                    range.clone(),
                    format!("`{path}` is the {kind} {value}, not text: YAML readers do not keep it as written"),
                    format!("quote it: \"{value}\""),
                ));
            }
        }
        self.record(path, value, range);
        self.value_done();
    }

    fn record(&mut self, path: String, value: &str, range: Range<usize>) {
        match path.as_str() {
            "metadata.kubernetesVersion" => {
                self.metadata.kubernetes_version = Some(value.to_string())
            }
            "metadata.platformName" => self.metadata.platform_name = Some(value.to_string()),
            "metadata.vendorName" => self.metadata.vendor_name = Some(value.to_string()),
            _ => {}
        }
        if is_template_field(&path) || range.is_empty() {
            return;
        }
        self.regions.push(Region {
            range,
            field: Some(path),
        });
    }
}

/// Keys remembered per mapping for the duplicate check (a huge mapping is not a reason to grow without bound).
const MAX_KEYS: usize = 4096;

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        return key.to_string();
    }
    let mut out = String::with_capacity(path.len() + 1 + key.len());
    out.push_str(path);
    out.push('.');
    out.push_str(key);
    out
}

/// Requirement descriptions are the program's text, not the vendor's.
fn is_template_field(path: &str) -> bool {
    path.starts_with("spec.") && path.ends_with(".description")
}
