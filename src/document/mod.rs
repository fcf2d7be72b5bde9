//! Documents: one corpus file read and scoped to the vendor's own words.
//!
//! For a submission's `PRODUCT.yaml` the YAML events give every value's span
//! and field path (`spec.schedulingOrchestration[0].notes`); requirement
//! `description`s and template `#` comments are left out, the vendor's own
//! comments are kept. Every other text file counts whole. Template sentences
//! pasted anywhere are masked. Binary files are skipped. A file larger than
//! [`LARGE_FILE`] is never held whole: [`build_chunks`] reads it in
//! [`Chunk`]s that overlap, each scanned on its own.

mod chunks;
pub(crate) mod newline;
mod scalar;
mod scope;
pub mod shape;
pub mod template;
mod yaml;

use crate::diagnostic::Code;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::document::template::Templates;

pub use chunks::{build_chunks, Chunk, ChunkSize, Origin, LARGE_FILE};

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
    /// The whole text (UTF-8).
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

/// Is this the checklist of a submission?
pub fn is_product(path: &str) -> bool {
    path.rsplit('/').next() == Some("PRODUCT.yaml")
}

/// Does the file's name say it is never text?
pub fn binary_name(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    BINARY_EXTENSIONS.contains(&ext.as_str())
}

/// A NUL byte near the start: binary content, whatever the name says.
fn binary_content(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// The warning for a file with a text name and binary content.
fn binary_skipped(path: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::W304,
        path,
        "binary content in a file with a text name: skipped",
    )
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
    if binary_name(path) {
        return None;
    }
    if binary_content(&bytes) {
        diags.push(binary_skipped(path));
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
            let (r, m) = yaml::product_regions(path, &text, templates, diags);
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
