//! Synthetic corpora for benchmarks: a real corpus scaled to N submissions.
//!
//! [`generate`] writes N submissions, each made from one real submission
//! (drawn at random) by giving it a new vendor, platform and folder name, a
//! Kubernetes version folder of the corpus, varied three-part version numbers
//! and a varied set of projects: every project the rules find by name is, per
//! submission, kept, swapped for another project of the same category, or
//! dropped (its name replaced by a neutral phrase). Files other than
//! `PRODUCT.yaml` longer than [`Options::max_file_bytes`] are cut to a window
//! of whole lines, so the corpus grows with N and not with its biggest logs.
//! Images and other binary files are left out. The output depends only on the
//! input corpus, the rules and the [`Options`]: the same seed gives the same
//! bytes, whatever the number of threads.

use crate::diagnostic::Code;
use std::fs;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::document::template::Templates;
use crate::document::{self, Document};
use crate::rules::engine::matcher::Matcher;
use crate::rules::{Needle, PatternKind, RuleId, RuleSet};
use crate::source::corpus::{self, Corpus, Source};

mod variant;
use variant::*;

/// The file that marks a folder as written by [`generate`] (so a later run may replace it).
pub const MARKER: &str = ".aiconf-synthetic";

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub submissions: usize,
    pub seed: u64,
    /// Files other than `PRODUCT.yaml` are cut to a window of at most this many bytes.
    pub max_file_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            submissions: 1000,
            seed: 1,
            max_file_bytes: 8192,
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub submissions: usize,
    pub files: usize,
    /// Bytes of text written (templates included).
    pub bytes: u64,
}

/// One real submission, read once, with what the generator varies in it.
struct Base {
    name: String,
    files: Vec<BaseFile>,
    vendor: Option<String>,
    platform: Option<String>,
}

struct BaseFile {
    /// Path below the submission folder, e.g. `tests/output.md`.
    rel: String,
    text: String,
    product: bool,
    /// Every hit of the rules: (range, rule, is it a name or alias).
    hits: Vec<(Range<usize>, RuleId, bool)>,
    /// The `metadata.kubernetesVersion` value's range (PRODUCT.yaml).
    kube_version: Option<Range<usize>>,
    /// The vendor's words, less pasted template sentences: the only text edited.
    regions: Vec<Range<usize>>,
    masked: Vec<Range<usize>>,
}

impl BaseFile {
    /// May `r` (in this file's coordinates) be edited?
    fn editable(&self, r: &Range<usize>) -> bool {
        self.regions
            .iter()
            .any(|g| g.start <= r.start && r.end <= g.end)
            && !self
                .masked
                .iter()
                .any(|m| m.start < r.end && r.start < m.end)
    }
}

/// Writes `opts.submissions` submissions made from `source` into `out`
/// (created; it must be empty or a folder an earlier run wrote).
pub fn generate(
    source: &dyn Source,
    rules: &RuleSet,
    opts: &Options,
    out: &Path,
) -> Result<Summary, Diagnostic> {
    let (corpus, _) = corpus::load(source)?;
    let versions = corpus.versions();
    if corpus.submissions.is_empty() || versions.is_empty() {
        return Err(Diagnostic::error(Code::E901, source.describe(), "no submissions to generate from")
            .with_help("--from takes a corpus laid out like cncf/k8s-ai-conformance, e.g. ../shared/corpus/head-b2c8969"));
    }
    prepare_out(out)?;
    let matcher = Matcher::compile(rules);
    let templates = crate::scan::load_templates(source, &corpus);
    let bases = bases(source, &corpus, &matcher, &templates);
    let swaps = Swaps::new(rules);
    let mut summary = Summary::default();
    for t in &corpus.templates {
        let bytes = source.read(t).map_err(|e| write_error(&t.path, e))?;
        write(out, &t.path, &bytes)?;
        summary.bytes += bytes.len() as u64;
        summary.files += 1;
    }
    let written: Vec<Result<(usize, u64), Diagnostic>> = (0..opts.submissions)
        .into_par_iter()
        .map(|i| write_submission(out, i, &bases, &versions, &swaps, opts))
        .collect();
    for w in written {
        let (files, bytes) = w?;
        summary.files += files;
        summary.bytes += bytes;
    }
    summary.submissions = opts.submissions;
    let marker = format!(
        "seed {}\nsubmissions {}\nmax-file-bytes {}\n",
        opts.seed, opts.submissions, opts.max_file_bytes
    );
    write(out, MARKER, marker.as_bytes())?;
    Ok(summary)
}

/// Every submission of the corpus read as a base to vary: its files (paths inside its folder)
/// and what the rules find in them.
fn bases(
    source: &dyn Source,
    corpus: &Corpus,
    matcher: &Matcher,
    templates: &Templates,
) -> Vec<Base> {
    corpus
        .submissions
        .iter()
        .map(|s| {
            let prefix = format!("{}/", s.id);
            let files: Vec<(String, Vec<u8>)> = s
                .files
                .iter()
                .filter_map(|f| {
                    Some((
                        f.path.strip_prefix(&prefix)?.to_string(),
                        source.read(f).ok()?,
                    ))
                })
                .collect();
            read_base(&s.name, files, matcher, templates)
        })
        .collect()
}

/// Writes generated submission `i` (its base, version and variant drawn from the seed and `i`
/// alone, so that the output does not depend on the order the submissions are written in): its
/// files and bytes.
fn write_submission(
    out: &Path,
    i: usize,
    bases: &[Base],
    versions: &[String],
    swaps: &Swaps,
    opts: &Options,
) -> Result<(usize, u64), Diagnostic> {
    let mut rng = Rng::new(opts.seed, i as u64);
    let base = &bases[rng.below(bases.len())];
    let version = &versions[rng.below(versions.len())];
    let sub = Variant::new(&mut rng, i, base, swaps, opts);
    let mut files = 0;
    let mut bytes = 0;
    for f in &base.files {
        let text = sub.file(&mut rng, f, version);
        write(
            out,
            &format!("{version}/{}/{}", sub.folder, f.rel),
            text.as_bytes(),
        )?;
        files += 1;
        bytes += text.len() as u64;
    }
    Ok((files, bytes))
}

/// Creates `out`, or empties it when an earlier run wrote it; refuses any other non-empty folder.
fn prepare_out(out: &Path) -> Result<(), Diagnostic> {
    let shown = out.display().to_string();
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(|e| write_error(&shown, e))?
            .next()
            .is_none();
        if !empty {
            if !out.join(MARKER).is_file() {
                return Err(Diagnostic::error(
                    Code::E902,
                    shown,
                    "the output folder is not empty and was not written by gen-corpus",
                )
                .with_help("give a new or empty folder (bench/out/... is ignored by git)"));
            }
            fs::remove_dir_all(out).map_err(|e| write_error(&shown, e))?;
        }
    }
    fs::create_dir_all(out).map_err(|e| write_error(&shown, e))
}

fn write(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = out.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| write_error(&dir.display().to_string(), e))?;
    }
    fs::write(&path, bytes).map_err(|e| write_error(&path.display().to_string(), e))
}

fn write_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::E903,
        path,
        format!("cannot write the generated corpus: {e}"),
    )
}

/// Reads a real submission's text files and finds what will be varied in them.
fn read_base(
    name: &str,
    files: Vec<(String, Vec<u8>)>,
    matcher: &Matcher,
    templates: &Templates,
) -> Base {
    let mut base = Base {
        name: name.to_string(),
        files: Vec::new(),
        vendor: None,
        platform: None,
    };
    for (rel, bytes) in files {
        let mut diags = Vec::new();
        let Some(doc) = document::build(&rel, bytes, templates, &mut diags) else {
            continue;
        };
        let product = document::is_product(&rel);
        let kube_version = field_range(&doc, "metadata.kubernetesVersion");
        if let Some(m) = &doc.metadata {
            base.vendor = m.vendor_name.clone().filter(|v| v.trim().len() >= 3);
            base.platform = m.platform_name.clone().filter(|p| p.trim().len() >= 3);
        }
        let hits = matcher
            .find(&doc.text)
            .into_iter()
            .map(|h| {
                (
                    h.range,
                    h.rule,
                    matches!(h.kind, PatternKind::Name | PatternKind::Alias),
                )
            })
            .collect();
        let regions = doc.regions.iter().map(|r| r.range.clone()).collect();
        base.files.push(BaseFile {
            rel,
            text: doc.text,
            product,
            hits,
            kube_version,
            regions,
            masked: doc.masked,
        });
    }
    base
}

fn field_range(doc: &Document, field: &str) -> Option<Range<usize>> {
    doc.regions
        .iter()
        .find(|r| r.field.as_deref() == Some(field))
        .map(|r| r.range.clone())
}

/// The display names of every rule, and which rules share a category.
struct Swaps {
    names: Vec<Vec<String>>,
    peers: Vec<Vec<RuleId>>,
}

impl Swaps {
    fn new(rules: &RuleSet) -> Swaps {
        let names = rules
            .rules
            .iter()
            .map(|r| {
                let mut n: Vec<String> = r
                    .patterns
                    .iter()
                    .filter(|p| p.kind == PatternKind::Name)
                    .filter_map(|p| match &p.needle {
                        Needle::Literal(s) => Some(s.clone()),
                        Needle::Regex(_) => None,
                    })
                    .collect();
                if n.is_empty() {
                    n.push(r.name.clone());
                }
                n
            })
            .collect();
        let peers = rules
            .ids()
            .map(|a| {
                rules
                    .ids()
                    .filter(|&b| b != a && rules.get(b).category == rules.get(a).category)
                    .collect()
            })
            .collect();
        Swaps { names, peers }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_overlaps_are_skipped() {
        let t = "Kueue and Volcano";
        let out = apply(
            t,
            vec![
                (10..17, "Yunikorn".into()),
                (0..5, "X".into()),
                (2..4, "no".into()),
            ],
        );
        assert_eq!(out, "X and Yunikorn");
    }

    #[test]
    fn three_part_versions_only() {
        let mut rng = Rng::new(7, 0);
        let t = "v1.34 and 0.14.2 and 10.0.0.1 and 2.1.3";
        let edits: Vec<Range<usize>> = (0..20)
            .flat_map(|_| version_edits(&mut rng, t))
            .map(|(r, _)| r)
            .collect();
        assert!(
            edits
                .iter()
                .all(|r| &t[r.clone()] == "2" || &t[r.clone()] == "3"),
            "{edits:?}"
        );
        assert!(!edits.is_empty());
    }

    #[test]
    fn windows_are_whole_lines_within_the_cap() {
        let text: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let mut rng = Rng::new(1, 1);
        for _ in 0..50 {
            let w = window(&mut rng, &text, 100);
            assert!(w.len() <= 100 && !w.is_empty(), "{w:?}");
            assert!(w.start == 0 || text.as_bytes()[w.start - 1] == b'\n');
            assert_eq!(text.as_bytes()[w.end - 1], b'\n');
        }
    }
}
