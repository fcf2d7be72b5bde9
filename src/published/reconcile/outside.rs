//! Mentions outside the vendor's words: the matcher run over a whole
//! [`Document`], keeping the hits that `finding::scan_document` leaves out —
//! those in a requirement description, a template comment, a template
//! sentence pasted into the vendor's text, or YAML keys. They explain why a
//! published mention has no evidence.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use crate::diagnostic::line_col;
use crate::document::template::comment_start;
use crate::document::{self, Chunk, ChunkSize, Document, Origin, LARGE_FILE};
use crate::rules::engine::matcher::Matcher;
use crate::rules::engine::Engine;
use crate::rules::RuleId;
use crate::scan::{Scan, Scanner};
use crate::source::corpus::{FileEntry, SubmissionId};

/// A hit of a rule in text that is not the vendor's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutsideHit {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The matched text.
    pub text: String,
    /// What the text is: `requirement description`, `template comment`,
    /// `template sentence pasted into the vendor's text`, or `YAML key <key>`.
    pub location: String,
}

/// Every hit of every rule in `doc` outside its vendor regions or inside a masked template sentence.
#[cfg(test)]
fn outside_hits(doc: &Document, matcher: &Matcher) -> Vec<(RuleId, OutsideHit)> {
    let mut out = Vec::new();
    outside_hits_in(
        doc,
        matcher,
        0..doc.text.len(),
        &Origin::default(),
        &mut out,
    );
    out
}

/// [`outside_hits`] of the hits starting in `owned`, `doc` being text that starts at
/// `origin` (a chunk of a large file), in text order; positions are counted once, forward.
fn outside_hits_in(
    doc: &Document,
    matcher: &Matcher,
    owned: Range<usize>,
    origin: &Origin,
    out: &mut Vec<(RuleId, OutsideHit)>,
) {
    let text = doc.text.as_str();
    let mut hits = matcher.find(text);
    hits.retain(|h| owned.contains(&h.range.start));
    hits.sort_by_key(|h| (h.range.start, h.range.end));
    let (mut at, mut line, mut column) = (0, origin.line + 1, origin.column + 1);
    for hit in hits {
        let r = hit.range.clone();
        let masked = doc
            .masked
            .iter()
            .any(|m| m.start < r.end && r.start < m.end);
        let inside = doc
            .regions
            .iter()
            .any(|g| g.range.start <= r.start && r.end <= g.range.end);
        let location = match (inside, masked) {
            (true, false) => continue,
            (true, true) => "template sentence pasted into the vendor's text".to_string(),
            (false, _) => yaml_location(text, r.start),
        };
        let (l, c) = line_col(&text[at..], r.start - at);
        (line, column) = if l == 1 {
            (line, column + c - 1)
        } else {
            (line + l - 1, c)
        };
        at = r.start;
        out.push((
            hit.rule,
            OutsideHit {
                file: doc.path.clone(),
                line,
                column,
                text: text[r].to_string(),
                location,
            },
        ));
    }
}

/// The outside hits of one file of the corpus: read whole, or chunk by chunk when it is
/// larger than [`LARGE_FILE`] (never held whole, as the scan reads it).
fn file_hits(scanner: &Scanner, entry: &FileEntry) -> Vec<(RuleId, OutsideHit)> {
    let (source, templates) = (scanner.source(), scanner.templates());
    let matcher = scanner.engine().matcher();
    let mut ignored = Vec::new();
    let mut out = Vec::new();
    if entry.size > LARGE_FILE {
        if let Ok(mut reader) = source.open(entry) {
            let each = &mut |chunk: &Chunk| {
                outside_hits_in(
                    &chunk.doc,
                    matcher,
                    chunk.owned.clone(),
                    &chunk.origin,
                    &mut out,
                )
            };
            let size = ChunkSize::default();
            document::build_chunks(
                &entry.path,
                &mut reader,
                templates,
                size,
                &mut ignored,
                each,
            );
        }
    } else if let Ok(bytes) = source.read(entry) {
        if let Some(doc) = document::build(&entry.path, bytes, templates, &mut ignored) {
            outside_hits_in(
                &doc,
                matcher,
                0..doc.text.len(),
                &Origin::default(),
                &mut out,
            );
        }
    }
    out
}

/// What non-vendor YAML text the offset is in: a comment, a description, or another key.
fn yaml_location(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..text[at..].find('\n').map_or(text.len(), |i| at + i)];
    if comment_start(line).is_some_and(|c| line_start + c < at) {
        return "template comment".to_string();
    }
    // The key this line belongs to: the nearest line at or above that starts with `key:`.
    let key = text[..line.len() + line_start].lines().rev().find_map(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        let (k, _) = t.split_once(':')?;
        (!k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(k)
    });
    match key {
        Some("description") => "requirement description".to_string(),
        Some(k) => format!("YAML key `{k}`"),
        None => "text outside the vendor's values".to_string(),
    }
}

/// Outside hits of a corpus, computed per submission on first use, with the scanner's
/// engine, listing and templates: nothing listed, read or compiled a second time.
pub struct Outside<'a> {
    scanner: &'a Scanner<'a>,
    cache: BTreeMap<SubmissionId, Vec<(RuleId, OutsideHit)>>,
}

impl<'a> Outside<'a> {
    /// The outside hits of the corpus `scanner` scans.
    pub fn new(scanner: &'a Scanner<'a>) -> Self {
        Outside {
            scanner,
            cache: BTreeMap::new(),
        }
    }

    /// The corpus listing.
    pub fn files(&self) -> &[FileEntry] {
        self.scanner.listing()
    }

    /// The engine whose matcher finds the hits: the scanner's.
    pub fn engine(&self) -> &Engine {
        self.scanner.engine()
    }

    /// The hits of `rule` outside the vendor's words in every file of `sub`.
    pub fn hits(&mut self, scan: &Scan, sub: SubmissionId, rule: RuleId) -> Vec<OutsideHit> {
        let scanner = self.scanner;
        // The scan is the scanner's: its submissions are the corpus's, in the same order.
        let all = self.cache.entry(sub).or_insert_with(|| {
            let files = match scanner.corpus().submissions.get(sub.0 as usize) {
                Some(s) if s.id == scan.submission(sub).id => s.files.as_slice(),
                _ => &[],
            };
            files.iter().flat_map(|f| file_hits(scanner, f)).collect()
        });
        all.iter()
            .filter(|(r, _)| *r == rule)
            .map(|(_, h)| h.clone())
            .collect()
    }
}

/// Why a cell is `-`, for `explain`: where the project's patterns occur in
/// the submission's text that is not the vendor's (template descriptions,
/// template comments, pasted template sentences, YAML keys), or that they
/// occur nowhere.
pub fn explain_absent(scanner: &Scanner, scan: &Scan, sub: SubmissionId, rule: RuleId) -> String {
    let hits = Outside::new(scanner).hits(scan, sub, rule);
    if hits.is_empty() {
        return "None of them occurs anywhere in the submission's files, template text included.\n"
            .to_string();
    }
    let mut out = format!(
        "They occur only outside the vendor's words ({} times):\n",
        hits.len()
    );
    for h in hits.iter().take(20) {
        out.push_str(&format!(
            "  {}:{}:{} {:?} in {}\n",
            h.file, h.line, h.column, h.text, h.location
        ));
    }
    if hits.len() > 20 {
        out.push_str(&format!("  … and {} more\n", hits.len() - 20));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::template::Templates;
    use crate::rules;

    const TEMPLATE: &str = "# Fill in every field.\n# Volcano users read the guide.\nspec:\n  schedulingOrchestration:\n    - id: gang_scheduling\n      description: \"The platform must allow for the installation of a gang scheduling solution (e.g. Kueue, Volcano, etc.) on accelerators.\"\n";

    const RULE: &str = "project volcano \"Volcano\" {\n  category Scheduling\n  cncf \"Incubating\"\n  repo \"volcano-sh/volcano\"\n  license \"Apache-2.0\"\n  vendor \"CNCF\"\n  description \"Batch scheduling\"\n  name \"Volcano\"\n}\n";

    #[test]
    fn outside_hits_say_what_text_they_are_in() {
        let (rules, diags) = rules::load(&[("v.rule".into(), RULE.into())]);
        assert!(diags.is_empty(), "{diags:?}");
        let matcher = Matcher::compile(&rules);
        let templates = Templates::from_texts([TEMPLATE]);
        let product = format!(
            "{TEMPLATE}      level: MUST\n      status: \"Implemented\"\n      notes: \"We run Volcano. The platform must allow for the installation of a gang scheduling solution (e.g. Kueue, Volcano, etc.) on accelerators.\"\n"
        );
        let mut diags = Vec::new();
        let doc = document::build(
            "v1.34/x/PRODUCT.yaml",
            product.into_bytes(),
            &templates,
            &mut diags,
        )
        .unwrap();
        let hits: Vec<(usize, String)> = outside_hits(&doc, &matcher)
            .into_iter()
            .map(|(_, h)| (h.line, h.location))
            .collect();
        // The vendor's own "We run Volcano" is not an outside hit.
        assert_eq!(
            hits,
            [
                (2, "template comment".to_string()),
                (6, "requirement description".to_string()),
                (
                    9,
                    "template sentence pasted into the vendor's text".to_string()
                ),
            ]
        );
    }

    /// A file read in chunks (as one over `LARGE_FILE` is) gives the outside hits the whole
    /// file gives, each at its line and column, none twice.
    #[test]
    fn chunked_outside_hits_are_the_whole_files() {
        let (rules, _) = rules::load(&[("v.rule".into(), RULE.into())]);
        let matcher = Matcher::compile(&rules);
        let templates = Templates::from_texts([TEMPLATE]);
        let pasted = "The platform must allow for the installation of a gang scheduling solution (e.g. Kueue, Volcano, etc.) on accelerators.";
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(&format!("Line {i}: we run Volcano here, éé.\n"));
            if i % 37 == 0 {
                text.push_str(&format!("Pasted ({i}): {pasted}\n"));
            }
        }
        let path = "v1.34/x/notes.md";
        let mut diags = Vec::new();
        let doc = document::build(path, text.clone().into_bytes(), &templates, &mut diags).unwrap();
        let whole = outside_hits(&doc, &matcher);
        assert_eq!(whole.len(), 11, "{whole:?}");
        let mut chunked = Vec::new();
        let size = ChunkSize {
            chunk: 700,
            overlap: 200,
            context: 100,
        };
        document::build_chunks(
            path,
            &mut text.as_bytes(),
            &templates,
            size,
            &mut diags,
            &mut |c: &Chunk| {
                outside_hits_in(&c.doc, &matcher, c.owned.clone(), &c.origin, &mut chunked)
            },
        );
        assert_eq!(chunked, whole);
    }
}
