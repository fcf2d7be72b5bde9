//! The scan: the whole pipeline from a [`Source`] to a [`Scan`]
//! (`corpus -> documents -> findings`), one pass per document, documents
//! scanned in parallel and dropped as soon as their evidence is taken.

pub mod candidates;
mod file;
pub mod finding;
pub mod hits;
mod order;
pub mod passage;
pub mod section;
pub mod stance;
pub mod version;

use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::document::template::Templates;
use crate::rules::engine::Engine;
use crate::rules::RuleId;
pub use crate::scan::file::{scan_file, scan_file_with, scan_large_file, FileScan};
pub use crate::scan::finding::Detail;
use crate::scan::finding::{Finding, Mention, Tally};
use crate::source::corpus::{self, Corpus, FileEntry, Source, SubmissionId};

/// What a submission is, from its folder and its PRODUCT.yaml metadata.
#[derive(Clone, Debug, Serialize)]
pub struct SubmissionInfo {
    /// `v1.34/gardener`
    pub id: String,
    /// `v1.34`, as in the folder name.
    pub kubernetes_version: String,
    /// `metadata.platformName`, or the folder name when missing.
    pub platform: String,
    /// `metadata.vendorName`, or empty when missing.
    pub vendor: String,
    /// Its files, relative to the corpus root.
    pub files: Vec<String>,
}

/// The result of scanning a corpus.
#[derive(Clone, Debug)]
pub struct Scan {
    /// The submissions, in corpus order, indexed by [`SubmissionId`].
    pub submissions: Vec<SubmissionInfo>,
    /// One per (submission, project) named, sorted by submission then rule.
    pub findings: Vec<Finding>,
    /// Every problem met, in file order. None of them stopped the scan.
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes of text scanned.
    pub bytes: u64,
}

/// What a scan keeps of each finding's mentions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keep {
    /// The evidence (file, line, quote, ...) of up to `MAX_EVIDENCE` mentions.
    #[default]
    Evidence,
    /// Only the counts, versions and negation: memory grows with the
    /// findings, not with the mentions (enough for matrices and adoption).
    Counts,
    /// What a query reads: everything [`Keep::Counts`] keeps, each finding's first mention
    /// whole, and the sections and files of its first `MAX_EVIDENCE` mentions.
    First,
}

/// A corpus ready to scan with an [`Engine`]: listed once, grouped into submissions, its
/// templates read once. Every command that scans makes one (`Scanner::new(&engine, source)`)
/// and asks it for the whole [`Scan`] or for each submission in turn; what else the command
/// needs of the corpus (its listing, its templates) it takes from the same scanner.
pub struct Scanner<'e> {
    engine: &'e Engine,
    source: &'e dyn Source,
    listing: Vec<FileEntry>,
    corpus: Corpus,
    templates: Arc<Templates>,
    /// The problems met listing the corpus; they come before every submission's.
    diagnostics: Vec<Diagnostic>,
    keep: Keep,
    detail: Detail,
}

impl<'e> Scanner<'e> {
    /// Lists `source`, groups it into submissions and reads its templates, compiling the
    /// engine's matcher meanwhile (if it is not yet). A corpus with no submission is an error
    /// (E206), not an empty scan.
    pub fn new(engine: &'e Engine, source: &'e dyn Source) -> Result<Scanner<'e>, Diagnostic> {
        let mut diagnostics = Vec::new();
        let listing = source.list(&mut diagnostics)?;
        let corpus = corpus::group(listing.clone(), &mut diagnostics);
        corpus::require_submissions(source, &corpus)?;
        // The matcher is compiled (once per engine) while the templates are read: both come
        // before the first file can be scanned.
        let (templates, _) = rayon::join(|| load_templates(source, &corpus), || engine.matcher());
        let templates = Arc::new(templates);
        Ok(Scanner::of_corpus(
            engine,
            source,
            listing,
            corpus,
            templates,
            diagnostics,
        ))
    }

    /// A scanner over a corpus its caller listed (`listing`, which may be left empty when the
    /// caller needs only the scan) and grouped (`diagnostics`: the problems met doing so), with
    /// `templates` it read: the revisions of a history share theirs between revisions with the
    /// same template files. Unlike [`Scanner::new`], a corpus with no submission gives an empty
    /// scan, not an error: a repository's first commits have none.
    pub fn of_corpus(
        engine: &'e Engine,
        source: &'e dyn Source,
        listing: Vec<FileEntry>,
        corpus: Corpus,
        templates: Arc<Templates>,
        diagnostics: Vec<Diagnostic>,
    ) -> Scanner<'e> {
        Scanner {
            engine,
            source,
            listing,
            corpus,
            templates,
            diagnostics,
            keep: Keep::Evidence,
            detail: Detail::Full,
        }
    }

    /// The same scanner, keeping only what `keep` says of each finding's mentions
    /// ([`Keep::Evidence`] unless told).
    pub fn keeping(mut self, keep: Keep) -> Scanner<'e> {
        self.keep = keep;
        self
    }

    /// The same scanner, working out what `detail` asks of each mention ([`Detail::Full`]
    /// unless told).
    pub fn detail(mut self, detail: Detail) -> Scanner<'e> {
        self.detail = detail;
        self
    }

    /// The submission `id` names (case-insensitively), or E212 with the nearest ids as help.
    pub fn resolve_submission(&self, id: &str) -> Result<SubmissionId, Diagnostic> {
        self.corpus.resolve(id)
    }

    /// The same scanner over one submission of its corpus, `sub`: its scans hold that
    /// submission alone, as `SubmissionId(0)`. What needs one submission (`explain`) reads and
    /// keeps no more than that submission, whatever the corpus's size. An id the corpus does
    /// not have leaves no submission to scan.
    pub fn only(mut self, sub: SubmissionId) -> Scanner<'e> {
        let i = sub.0 as usize;
        self.corpus.submissions = if i < self.corpus.submissions.len() {
            vec![self.corpus.submissions.swap_remove(i)]
        } else {
            Vec::new()
        };
        self
    }

    /// Scans every submission: the top-level chain.
    pub fn scan(&self) -> Scan {
        self.scan_with(&|source, entry| self.scan_one(source, entry))
    }

    /// [`Scanner::scan`], handing each submission to `each` as soon as it and those before it
    /// are scanned, in corpus order, and keeping nothing of it: memory grows with a batch of
    /// submissions, not with the corpus. The problems met listing the corpus are returned; they
    /// come before every submission's.
    pub fn scan_each(&self, each: &mut dyn FnMut(Scanned)) -> Vec<Diagnostic> {
        self.scan_each_with(&|source, entry| self.scan_one(source, entry), each);
        self.diagnostics.clone()
    }

    /// [`Scanner::scan`] with `scan_one` scanning each file (one behind a cache, say).
    pub fn scan_with(
        &self,
        scan_one: &(dyn Fn(&dyn Source, &FileEntry) -> FileScan + Sync),
    ) -> Scan {
        fold(
            self.source,
            &self.corpus,
            self.diagnostics.clone(),
            scan_one,
            self.keep,
        )
    }

    /// [`Scanner::scan_each`] with `scan_one` scanning each file.
    pub fn scan_each_with(
        &self,
        scan_one: &(dyn Fn(&dyn Source, &FileEntry) -> FileScan + Sync),
        each: &mut dyn FnMut(Scanned),
    ) {
        fold_each(self.source, &self.corpus, scan_one, self.keep, each);
    }

    /// Reads, scopes and matches one file of the corpus. A scan that keeps no mention
    /// ([`Keep::Counts`]) works out of each only what its cell needs ([`Detail::Cells`]).
    pub fn scan_one(&self, source: &dyn Source, entry: &FileEntry) -> FileScan {
        let detail = match (self.keep, self.detail) {
            (Keep::Counts, Detail::Full) => Detail::Cells,
            (_, detail) => detail,
        };
        scan_file_with(
            source,
            entry,
            self.engine.matcher(),
            &self.templates,
            detail,
        )
    }

    /// The engine it scans with.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// The source it reads.
    pub fn source(&self) -> &'e dyn Source {
        self.source
    }

    /// Every file the source listed, in its order.
    pub fn listing(&self) -> &[FileEntry] {
        &self.listing
    }

    /// The submissions and templates of the listing.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The corpus's checklist templates.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The problems met listing the corpus.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// The templates of a corpus (its `docs/AIConformance-*.yaml`).
pub fn load_templates(source: &dyn Source, corpus: &Corpus) -> Templates {
    read_templates(source, &corpus.templates)
}

/// The templates in the files `templates` of `source`.
pub fn read_templates(source: &dyn Source, templates: &[FileEntry]) -> Templates {
    let texts: Vec<String> = templates
        .iter()
        .filter_map(|t| source.read(t).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    Templates::from_texts(texts.iter().map(String::as_str))
}

/// Scans every submission with `scan_one` and folds them into one [`Scan`].
fn fold(
    source: &dyn Source,
    corpus: &Corpus,
    mut diagnostics: Vec<Diagnostic>,
    scan_one: &(dyn Fn(&dyn Source, &FileEntry) -> FileScan + Sync),
    keep: Keep,
) -> Scan {
    let mut submissions = Vec::with_capacity(corpus.submissions.len());
    let mut findings = Vec::new();
    let mut bytes = 0;
    fold_each(source, corpus, scan_one, keep, &mut |s| {
        bytes += s.bytes;
        diagnostics.extend(s.diagnostics);
        findings.extend(s.findings);
        submissions.push(s.info);
    });
    Scan {
        submissions,
        findings,
        diagnostics,
        bytes,
    }
}

/// One submission, scanned: what [`Scanner::scan_each`] hands on, in corpus order.
#[derive(Debug)]
pub struct Scanned {
    pub id: SubmissionId,
    pub info: SubmissionInfo,
    /// Its findings, sorted by rule.
    pub findings: Vec<Finding>,
    /// The problems met in its files, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes of text scanned.
    pub bytes: u64,
}

/// How many scanned submissions may wait to be handed on in corpus order (at least four per
/// thread): enough that no thread waits for a slow submission before it, few enough that what
/// waits stays small.
const WINDOW: usize = 32;

/// A submission with more files than this has them scanned by rayon's pool too.
const CROWDED: usize = 16;

/// Scans every file of every submission with `scan_one` (the submissions in parallel, as are
/// each one's files), and hands each submission, folded, to `each` in corpus order.
fn fold_each(
    source: &dyn Source,
    corpus: &Corpus,
    scan_one: &(dyn Fn(&dyn Source, &FileEntry) -> FileScan + Sync),
    keep: Keep,
    each: &mut dyn FnMut(Scanned),
) {
    let window = WINDOW.max(rayon::current_num_threads() * 4);
    let subs = &corpus.submissions;
    // Each submission folded into findings as soon as its files are scanned: never every
    // file's evidence at once.
    // A submission's files go to rayon's pool only when the workers alone would leave cores
    // idle: a few submissions, or a crowded one. Otherwise its worker scans them itself (each
    // hand-over to the pool wakes a thread and waits for it).
    let few = subs.len() < rayon::current_num_threads() * 4;
    let fold = |i: usize| {
        let files = &subs[i].files;
        let scans: Vec<FileScan> = if few || files.len() > CROWDED {
            files.par_iter().map(|f| scan_one(source, f)).collect()
        } else {
            files.iter().map(|f| scan_one(source, f)).collect()
        };
        fold_submission(SubmissionId(i as u32), scans, keep)
    };
    order::in_order(subs.len(), window, &fold, &mut |i, f| {
        let s = &subs[i];
        let info = SubmissionInfo {
            id: s.id.clone(),
            kubernetes_version: s.kubernetes_version.clone(),
            platform: f.platform.unwrap_or_else(|| s.name.clone()),
            vendor: f.vendor.unwrap_or_default(),
            files: s.files.iter().map(|f| f.path.clone()).collect(),
        };
        each(Scanned {
            id: SubmissionId(i as u32),
            info,
            findings: f.findings,
            diagnostics: f.diagnostics,
            bytes: f.bytes,
        });
    });
}

/// One submission's files, folded: its findings and what its checklist says.
struct Folded {
    platform: Option<String>,
    vendor: Option<String>,
    diagnostics: Vec<Diagnostic>,
    bytes: u64,
    findings: Vec<Finding>,
}

/// Folds the scans of one submission's files (in file order).
fn fold_submission(sub: SubmissionId, scans: Vec<FileScan>, keep: Keep) -> Folded {
    let mut out = Folded {
        platform: None,
        vendor: None,
        diagnostics: Vec::new(),
        bytes: 0,
        findings: Vec::new(),
    };
    let mut mentions = Vec::new();
    for fs in scans {
        out.bytes += fs.bytes;
        if let Some(m) = fs.metadata {
            if let Some(p) = m.platform_name.filter(|p| !p.trim().is_empty()) {
                out.platform = Some(p.trim().to_string());
            }
            if let Some(v) = m.vendor_name.filter(|v| !v.trim().is_empty()) {
                out.vendor = Some(v.trim().to_string());
            }
        }
        out.diagnostics.extend(fs.diagnostics);
        mentions.extend(fs.evidence.into_iter().map(|(rule, ev)| {
            let m = match keep {
                Keep::Evidence | Keep::First => Mention::One(ev),
                Keep::Counts => Mention::Many(Tally::one(ev)),
            };
            (sub, rule, m)
        }));
        mentions.extend(
            fs.tallies
                .into_iter()
                .map(|(rule, t)| (sub, rule, Mention::Many(t))),
        );
    }
    let whole = match keep {
        Keep::Evidence => finding::MAX_EVIDENCE,
        Keep::First => 1,
        Keep::Counts => 0,
    };
    out.findings = finding::collect_keeping(mentions, whole);
    out
}

impl Scan {
    /// The finding for (submission, rule), if the submission names the project.
    pub fn finding(&self, sub: SubmissionId, rule: RuleId) -> Option<&Finding> {
        self.findings
            .binary_search_by(|f| (f.submission, f.rule).cmp(&(sub, rule)))
            .ok()
            .map(|i| &self.findings[i])
    }

    /// Finds a submission by id (`v1.34/gardener`), case-insensitively.
    pub fn find_submission(&self, id: &str) -> Option<SubmissionId> {
        self.submissions
            .iter()
            .position(|s| s.id.eq_ignore_ascii_case(id))
            .map(|i| SubmissionId(i as u32))
    }

    /// Finds a submission as [`Scan::find_submission`]; else an E212 that lists the submissions a
    /// bare folder name (`gke`) could mean, or suggests the closest id.
    pub fn resolve_submission(&self, id: &str) -> Result<SubmissionId, Diagnostic> {
        self.find_submission(id).ok_or_else(|| {
            corpus::no_submission(id, self.submissions.iter().map(|s| s.id.as_str()))
        })
    }

    /// The Kubernetes versions of the submissions, oldest first, each once.
    pub fn kubernetes_versions(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .submissions
            .iter()
            .map(|s| s.kubernetes_version.clone())
            .collect();
        v.sort_by_key(|s| crate::source::corpus::version_key(s));
        v.dedup();
        v
    }

    /// The submission of `id`.
    pub fn submission(&self, id: SubmissionId) -> &SubmissionInfo {
        &self.submissions[id.0 as usize]
    }

    /// Every submission's id, in corpus order.
    pub fn submission_ids(&self) -> impl Iterator<Item = SubmissionId> + '_ {
        (0..self.submissions.len() as u32).map(SubmissionId)
    }

    /// Has any diagnostic of error severity?
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
