//! Candidates: projects the vendors name that no rule covers, so a rule
//! author knows what to add next. Four kinds are read from the vendor's
//! words only (the [`Document`] regions, template sentences masked):
//! repository URLs (`github.com/ORG/REPO`), Helm charts (`helm install …
//! REPO/CHART`), container images (`registry/path[:tag]`, `image: …`) and
//! capitalised product names ("LeaderWorkerSet", "NVIDIA DCGM Exporter").
//! A mention is dropped when a rule's pattern covers it; names made only of
//! common words, Kubernetes kinds, checklist vocabulary or the submitting
//! vendor's and platform's names are dropped too. The rest is ranked by the
//! number of submissions that name it, each with an example quote.

use crate::document::newline::Newlines;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::line_col;
use crate::document::template::Templates;
use crate::document::{self, Document};
use crate::rules::engine::matcher::Matcher;
use crate::source::corpus::{Corpus, Source, SubmissionId};

mod extract;
mod render;

use extract::{distinctive, extract, patterns, quote, words, Vocabulary};
pub use render::{render, ExampleJson};

/// What sort of name a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// `github.com/ORG/REPO`
    Repo,
    /// A Helm chart (`helm install RELEASE REPO/CHART`).
    Chart,
    /// A container image (`nvcr.io/nvidia/gpu-operator`).
    Image,
    /// A capitalised product name in the text.
    Name,
}

impl crate::output::Choice for CandidateKind {
    const CHOICES: &'static [(&'static str, Self, &'static str)] = &[
        ("repo", CandidateKind::Repo, "`github.com/ORG/REPO`"),
        (
            "chart",
            CandidateKind::Chart,
            "A Helm chart (`helm install RELEASE REPO/CHART`)",
        ),
        (
            "image",
            CandidateKind::Image,
            "A container image (`nvcr.io/nvidia/gpu-operator`)",
        ),
        (
            "name",
            CandidateKind::Name,
            "A capitalised product name in the text",
        ),
    ];
}

impl CandidateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::Repo => "repo",
            CandidateKind::Chart => "chart",
            CandidateKind::Image => "image",
            CandidateKind::Name => "name",
        }
    }
}

/// Where a candidate is named, for the reader to check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Example {
    pub submission: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub quote: String,
}

/// A name no rule covers, and who names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub name: String,
    pub kind: CandidateKind,
    /// Submissions naming it, sorted.
    pub submissions: Vec<SubmissionId>,
    /// Mentions in all.
    pub mentions: usize,
    /// The first mention (in corpus order).
    pub example: Example,
}

/// What one file gives.
struct FileNames {
    submission: SubmissionId,
    /// Its uncovered names.
    mentions: Vec<Mention>,
    /// The submitter's own names (vendor, platform).
    own: Vec<String>,
    /// The words it writes in lower case.
    lower: HashSet<String>,
}

/// A name found in a file: how often, and its first mention.
struct Mention {
    key: String,
    name: String,
    kind: CandidateKind,
    count: usize,
    example: Example,
}

/// Finds the candidates of a corpus, most submissions first.
pub fn find(
    source: &dyn Source,
    corpus: &Corpus,
    matcher: &Matcher,
    templates: &Templates,
) -> Vec<Candidate> {
    let template_texts: Vec<String> = corpus
        .templates
        .iter()
        .filter_map(|t| source.read(t).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let vocabulary = Vocabulary::new(&template_texts);
    let per_file = names_per_file(source, corpus, matcher, templates, &vocabulary);
    let plain = PlainWords::of(corpus, &per_file);
    ranked(per_file, &|w| plain.is_plain(w, &vocabulary))
}

/// Every file of every submission read for its uncovered names (in parallel), in corpus order.
fn names_per_file(
    source: &dyn Source,
    corpus: &Corpus,
    matcher: &Matcher,
    templates: &Templates,
    vocabulary: &Vocabulary,
) -> Vec<FileNames> {
    let jobs: Vec<(SubmissionId, usize)> = corpus
        .submissions
        .iter()
        .enumerate()
        .flat_map(|(i, s)| (0..s.files.len()).map(move |f| (SubmissionId(i as u32), f)))
        .collect();
    jobs.par_iter()
        .map(|&(submission, f)| {
            let s = corpus.get(submission);
            let entry = &s.files[f];
            let Some(doc) = source
                .read(entry)
                .ok()
                .and_then(|b| document::build(&entry.path, b, templates, &mut Vec::new()))
            else {
                return FileNames {
                    submission,
                    mentions: Vec::new(),
                    own: Vec::new(),
                    lower: HashSet::new(),
                };
            };
            let own: Vec<String> = doc
                .metadata
                .iter()
                .flat_map(|m| [m.platform_name.clone(), m.vendor_name.clone()])
                .flatten()
                .collect();
            let lower = prose_words(&doc);
            FileNames {
                submission,
                mentions: mentions(&doc, &s.id, matcher, vocabulary),
                own,
                lower,
            }
        })
        .collect()
}

/// Words that make no product name on their own (lower-cased).
struct PlainWords {
    /// Words the vendors write in lower case in their prose are ordinary
    /// words ("horizontal", "profile"), whatever the case of one mention.
    ordinary: HashSet<String>,
    /// Vendor and platform names (and the folder names) are the submitters' own products.
    own: HashSet<String>,
}

impl PlainWords {
    fn of(corpus: &Corpus, per_file: &[FileNames]) -> PlainWords {
        let mut ordinary: HashSet<String> = HashSet::new();
        for f in per_file {
            ordinary.extend(f.lower.iter().cloned());
        }
        let mut own: HashSet<String> = corpus
            .submissions
            .iter()
            .map(|s| s.name.to_lowercase())
            .collect();
        for f in per_file {
            for n in &f.own {
                own.extend(words(n).map(str::to_lowercase));
            }
        }
        PlainWords { ordinary, own }
    }

    /// A submitter's own word, a generic one of the templates, or an ordinary word that is
    /// not distinctive.
    fn is_plain(&self, w: &str, vocabulary: &Vocabulary) -> bool {
        let l = w.to_lowercase();
        self.own.contains(&l)
            || vocabulary.is_generic(w)
            || (!distinctive(w) && self.ordinary.contains(&l))
    }
}

/// The files' mentions as candidates, one per (kind, name), most submissions first, then most
/// mentions, then by name; a capitalised name whose every word is `plain` is none.
fn ranked(per_file: Vec<FileNames>, plain: &dyn Fn(&str) -> bool) -> Vec<Candidate> {
    let mut by_key: BTreeMap<(CandidateKind, String), Candidate> = BTreeMap::new();
    for f in per_file {
        for m in f.mentions {
            if m.kind == CandidateKind::Name && words(&m.name).all(plain) {
                continue;
            }
            let c = by_key.entry((m.kind, m.key)).or_insert_with(|| Candidate {
                name: m.name,
                kind: m.kind,
                submissions: Vec::new(),
                mentions: 0,
                example: m.example,
            });
            c.mentions += m.count;
            if c.submissions.last() != Some(&f.submission) {
                c.submissions.push(f.submission);
            }
        }
    }
    let mut out: Vec<Candidate> = by_key.into_values().collect();
    for c in &mut out {
        c.submissions.sort();
        c.submissions.dedup();
    }
    out.sort_by(|a, b| {
        (b.submissions.len(), b.mentions)
            .cmp(&(a.submissions.len(), a.mentions))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    out
}

/// The uncovered names in one document's vendor regions, one entry per name.
fn mentions(
    doc: &Document,
    submission: &str,
    matcher: &Matcher,
    vocabulary: &Vocabulary,
) -> Vec<Mention> {
    let text = doc.text.as_str();
    let mut covered: Vec<Range<usize>> = matcher.find(text).into_iter().map(|h| h.range).collect();
    covered.sort_by_key(|r| r.start);
    let code = code_blocks(text);
    let prose = prose_file(&doc.path);
    let mut by_key: BTreeMap<(CandidateKind, String), Mention> = BTreeMap::new();
    let mut name_covered: HashMap<String, bool> = HashMap::new();
    for region in &doc.regions {
        let base = region.range.start;
        let part = &text[region.range.clone()];
        for (kind, name, range) in extract(part, vocabulary) {
            let range = range.start + base..range.end + base;
            if overlaps(&range, &doc.masked) || overlaps(&range, &covered) {
                continue;
            }
            if kind == CandidateKind::Name
                && (!prose || overlaps(&range, &code) || heading_word(text, &range, &name))
            {
                continue;
            }
            if *name_covered.entry(name.clone()).or_insert_with(|| {
                // A plural of a covered name ("vClusters") is covered too.
                let singular = name
                    .strip_suffix('s')
                    .filter(|_| kind == CandidateKind::Name);
                !matcher.find(&name).is_empty()
                    || singular.is_some_and(|n| !matcher.find(n).is_empty())
            }) {
                continue;
            }
            let key = (kind, name.to_lowercase());
            if let Some(m) = by_key.get_mut(&key) {
                m.count += 1;
                continue;
            }
            let (line, column) = line_col(text, range.start);
            let example = Example {
                submission: submission.to_string(),
                file: doc.path.clone(),
                line,
                column,
                quote: quote(text, range),
            };
            by_key.insert(
                key.clone(),
                Mention {
                    key: key.1,
                    name,
                    kind,
                    count: 1,
                    example,
                },
            );
        }
    }
    by_key.into_values().collect()
}

/// The words of a prose file's vendor text written in lower case as plain
/// words (blanks or punctuation around them; not in code blocks, URLs,
/// `code`, paths or hyphenated compounds).
fn prose_words(doc: &Document) -> HashSet<String> {
    let mut out = HashSet::new();
    if !prose_file(&doc.path) {
        return out;
    }
    let text = doc.text.as_str();
    let code = code_blocks(text);
    for region in &doc.regions {
        let part = &text[region.range.clone()];
        let urls: Vec<Range<usize>> = patterns().url.find_iter(part).map(|m| m.range()).collect();
        let mut at = 0;
        for token in part.split(|c: char| c.is_whitespace()) {
            let range = region.range.start + at..region.range.start + at + token.len();
            at += token.len() + 1;
            let word = token
                .trim_start_matches(['(', '"', '\'', '*', '_', '['])
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'', '*', '_', ']']);
            if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let local = range.start - region.range.start..range.end - region.range.start;
            if overlaps(&range, &code) || overlaps(&local, &urls) {
                continue;
            }
            out.insert(word.to_string());
        }
    }
    out
}

/// Does `r` overlap a range of `set` (sorted by start, not overlapping much)?
fn overlaps(r: &Range<usize>, set: &[Range<usize>]) -> bool {
    let i = set.partition_point(|o| o.end <= r.start);
    set[i..]
        .iter()
        .take_while(|o| o.start < r.end)
        .any(|o| o.start < r.end && r.start < o.end)
}

/// A single ordinary word on a Markdown heading line, where every word is capitalised.
fn heading_word(text: &str, range: &Range<usize>, name: &str) -> bool {
    let line_start = text[..range.start].rfind_nl().map_or(0, |i| i + 1);
    !name.contains(' ') && !distinctive(name) && text[line_start..].trim_start().starts_with('#')
}

/// Product names are read from prose only (the checklist, Markdown and
/// plain text), not from logs and test reports, whose words are code.
fn prose_file(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "yaml" | "yml" | "md" | "markdown" | "rst" | "adoc" | "txt"
    )
}

/// Fenced code blocks (```` ``` ```` or `~~~`) of a Markdown text: manifests and command output.
fn code_blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            match open.take() {
                Some(start) => out.push(start..at + line.len()),
                None => open = Some(at),
            }
        }
        at += line.len();
    }
    if let Some(start) = open {
        out.push(start..text.len());
    }
    out
}
