//! Documents: one corpus file read and scoped to the vendor's own words.
//!
//! For a submission's `PRODUCT.yaml` the YAML events give every value's span
//! and field path (`spec.schedulingOrchestration[0].notes`); requirement
//! `description`s and template `#` comments are left out, the vendor's own
//! comments are kept. Every other text file counts whole. Template sentences
//! pasted anywhere are masked. Binary files are skipped.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScanError};
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::template::{comment_start, Templates};

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
            "W304",
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
                "E305",
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
    let masked = templates.sentence_ranges(&text);
    Some(Document {
        path: path.to_string(),
        text,
        regions,
        masked,
        metadata,
    })
}

/// UTF-8 text without a BOM; invalid bytes become U+FFFD with a warning.
fn decode(path: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> String {
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            diags.push(
                Diagnostic::warning(
                    "W303",
                    path,
                    "invalid UTF-8: the bad bytes are read as U+FFFD",
                )
                .at_line(line, col),
            );
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
                let range = lines.byte(text, span.start.line(), span.start.col())
                    ..lines.byte(text, span.end.line(), span.end.col());
                if !walk.event(event, range) {
                    diags.push(
                        Diagnostic::error(
                            "E302",
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
    let mut regions = if failed {
        // Scan what the parser could not: every line but template descriptions.
        fallback_regions(text)
    } else {
        check_shape(path, text, diags);
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
        "E301",
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
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Byte offset of 1-based `line`, 0-based character `col`.
    fn byte(&self, text: &str, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let rest = &text[start..];
        rest.char_indices()
            .nth(col)
            .map_or(text.len(), |(i, _)| start + i)
    }
}

/// Where the event walk is in the YAML tree.
enum Frame {
    Map { key: Option<String>, path: String },
    Seq { index: usize, path: String },
}

#[derive(Default)]
struct Walk<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    regions: Vec<Region>,
    metadata: Metadata,
    last_start: usize,
}

impl<'t> Walk<'t> {
    fn text_hint(&self) -> &'t str {
        self.text
    }

    /// The path of the value about to be read.
    fn value_path(&self) -> String {
        match self.stack.last() {
            Some(Frame::Map { key, path }) => join(path, key.as_deref().unwrap_or("?")),
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
        match event {
            Event::Scalar(value, style, ..) => {
                let range = range.start..scalar_end(self.text_hint(), range.clone(), style);
                if self.expecting_key() {
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some(value.into_owned());
                    }
                    return true;
                }
                let path = self.value_path();
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
                        Frame::Map { key: None, path }
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

/// Where a scalar really ends: the parser's span may run on over blanks
/// and a trailing comment.
fn scalar_end(text: &str, range: Range<usize>, style: saphyr_parser::ScalarStyle) -> usize {
    use saphyr_parser::ScalarStyle;
    let s = &text[range.clone()];
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

/// The checklist's expected shape, for typed deserialisation (serde_yaml_ng).
#[derive(Deserialize)]
#[allow(dead_code)]
struct ProductShape {
    metadata: MetadataShape,
    spec: std::collections::BTreeMap<String, Vec<RequirementShape>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct MetadataShape {
    kubernetes_version: String,
    platform_name: String,
    vendor_name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RequirementShape {
    id: String,
    #[serde(default)]
    evidence: Option<Vec<String>>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// Reports a checklist that parses but is not shaped like the template.
fn check_shape(path: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    if let Err(e) = serde_yaml_ng::from_str::<ProductShape>(text) {
        let mut d = Diagnostic::warning(
            "W306",
            path,
            format!(
                "PRODUCT.yaml is not shaped like the checklist: {}",
                strip_location(&e.to_string())
            ),
        );
        if let Some(loc) = e.location() {
            d = d.at(text, loc.index()..(loc.index() + 1).min(text.len()));
        }
        diags.push(d.with_help("its values are still scanned; see docs/AIConformance-<version>.yaml for the expected fields"));
    }
}

fn strip_location(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(diags[0].code, "E301");
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
        assert_eq!(diags[0].code, "W306");
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
