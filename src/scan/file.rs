//! One file scanned: read, scoped and matched into a [`FileScan`], the unit the scan folds
//! into submissions and a history caches by the file's content id.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::template::Templates;
use crate::document::{self, ChunkSize, Metadata, LARGE_FILE};
use crate::rules::engine::matcher::Matcher;
use crate::rules::RuleId;
use crate::scan::finding::{self, Detail, Evidence, FileEvidence, Tally};
use crate::source::corpus::{FileEntry, Source};

/// What scanning one file gives; cacheable by the file's content id.
#[derive(Clone, Debug, Default)]
pub struct FileScan {
    /// The first mentions of each project, whole (at most `MAX_EVIDENCE` per rule).
    pub evidence: Vec<(RuleId, Evidence)>,
    /// The mentions beyond those, counted.
    pub tallies: Vec<(RuleId, Tally)>,
    /// The submission's metadata, when the file is its `PRODUCT.yaml`.
    pub metadata: Option<Metadata>,
    /// The file's problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes of text scanned.
    pub bytes: u64,
}

impl FileScan {
    /// The same scan with every mention a [`Tally`], in the same order: all that a scan
    /// keeping [`Keep::Counts`] reads of it, which folds it into the same findings. A cache of
    /// file scans for such scans keeps this, and copies no evidence's strings.
    pub fn counted(self) -> FileScan {
        let mut tallies: Vec<(RuleId, Tally)> = self
            .evidence
            .into_iter()
            .map(|(rule, ev)| (rule, Tally::one(ev)))
            .collect();
        tallies.extend(self.tallies);
        FileScan {
            evidence: Vec::new(),
            tallies,
            ..self
        }
    }
}

/// Reads, scopes and matches one file; one larger than [`LARGE_FILE`] is
/// read and matched chunk by chunk.
pub fn scan_file(
    source: &dyn Source,
    entry: &FileEntry,
    matcher: &Matcher,
    templates: &Templates,
) -> FileScan {
    scan_file_with(source, entry, matcher, templates, Detail::Full)
}

/// [`scan_file`], working out what `detail` asks of each mention.
pub fn scan_file_with(
    source: &dyn Source,
    entry: &FileEntry,
    matcher: &Matcher,
    templates: &Templates,
    detail: Detail,
) -> FileScan {
    // An image or an archive by its name is never read (a tenth of some corpora's bytes).
    if document::binary_name(&entry.path) {
        return FileScan::default();
    }
    if entry.size > LARGE_FILE {
        return large_file(
            source,
            entry,
            matcher,
            templates,
            ChunkSize::default(),
            detail,
        );
    }
    let mut diagnostics = Vec::new();
    let bytes = match source.read(entry) {
        Ok(b) => b,
        Err(e) => return unreadable(entry, &e),
    };
    let len = bytes.len() as u64;
    let Some(doc) = document::build(&entry.path, bytes, templates, &mut diagnostics) else {
        return FileScan {
            diagnostics,
            ..FileScan::default()
        };
    };
    let mut found = FileEvidence::default();
    for (rule, ev) in finding::scan_document_with(matcher, &doc, detail) {
        found.push(rule, ev);
    }
    FileScan {
        evidence: found.kept,
        tallies: found.tallies,
        metadata: doc.metadata,
        diagnostics,
        bytes: len,
    }
}

/// Scans one file in chunks of `size`, holding one chunk at a time.
pub fn scan_large_file(
    source: &dyn Source,
    entry: &FileEntry,
    matcher: &Matcher,
    templates: &Templates,
    size: ChunkSize,
) -> FileScan {
    large_file(source, entry, matcher, templates, size, Detail::Full)
}

fn large_file(
    source: &dyn Source,
    entry: &FileEntry,
    matcher: &Matcher,
    templates: &Templates,
    size: ChunkSize,
    detail: Detail,
) -> FileScan {
    let mut reader = match source.open(entry) {
        Ok(r) => r,
        Err(e) => return unreadable(entry, &e),
    };
    let mut diagnostics = Vec::new();
    let mut found = FileEvidence::default();
    let bytes = document::build_chunks(
        &entry.path,
        &mut reader,
        templates,
        size,
        &mut diagnostics,
        &mut |chunk| {
            finding::scan_chunk(matcher, chunk, detail, &mut |rule, ev| found.push(rule, ev));
        },
    );
    FileScan {
        evidence: found.kept,
        tallies: found.tallies,
        metadata: None,
        diagnostics,
        bytes,
    }
}

fn unreadable(entry: &FileEntry, e: &std::io::Error) -> FileScan {
    FileScan {
        diagnostics: vec![Diagnostic::error(
            Code::E204,
            &entry.path,
            format!("cannot read the file: {e}; skipped"),
        )],
        ..FileScan::default()
    }
}
