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

/// What one generated submission does with its base.
struct Variant<'a> {
    base: &'a Base,
    folder: String,
    vendor: String,
    platform: String,
    /// Per rule: `None` keep, `Some(text)` write this instead of its names.
    project: Vec<Option<String>>,
    max_file_bytes: usize,
}

/// Neutral phrases that stand in for a dropped project's name.
const NEUTRAL: &[&str] = &[
    "the scheduler",
    "our operator",
    "the platform add-on",
    "a managed component",
    "the in-house tool",
];
const SYLLABLES: &[&str] = &[
    "ar", "bel", "cor", "dan", "el", "fen", "gal", "hy", "ion", "jor", "kal", "lum", "mir", "nor",
    "or", "pax", "qua", "ryn", "sol", "tav", "ul", "ver", "wen", "xan", "yor", "zel",
];
const VENDOR_SUFFIXES: &[&str] = &[
    "",
    " Cloud",
    " Systems",
    " Networks",
    " Technologies",
    " Inc.",
];
const PLATFORM_SUFFIXES: &[&str] = &[
    " Kubernetes Engine",
    " Container Platform",
    " AI Cloud",
    " Managed Kubernetes",
    " Kubernetes Service",
    " Stack",
];

impl<'a> Variant<'a> {
    fn new(
        rng: &mut Rng,
        index: usize,
        base: &'a Base,
        swaps: &Swaps,
        opts: &Options,
    ) -> Variant<'a> {
        let mut word = String::new();
        for _ in 0..2 + rng.below(2) {
            word.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
        }
        let word = capitalize(&word);
        let vendor = format!(
            "{word}{}",
            VENDOR_SUFFIXES[rng.below(VENDOR_SUFFIXES.len())]
        );
        let platform = format!(
            "{word}{}",
            PLATFORM_SUFFIXES[rng.below(PLATFORM_SUFFIXES.len())]
        );
        let folder = format!(
            "{}-{}-{index}",
            word.to_lowercase(),
            base.name.to_lowercase()
        );
        let project = (0..swaps.names.len())
            .map(|r| {
                let roll = rng.below(100);
                let peers = &swaps.peers[r];
                if roll < 60 {
                    None
                } else if roll < 85 && !peers.is_empty() {
                    let other = peers[rng.below(peers.len())];
                    let names = &swaps.names[other.0 as usize];
                    Some(names[rng.below(names.len())].clone())
                } else if roll < 85 {
                    None
                } else {
                    Some(NEUTRAL[rng.below(NEUTRAL.len())].to_string())
                }
            })
            .collect();
        Variant {
            base,
            folder,
            vendor,
            platform,
            project,
            max_file_bytes: opts.max_file_bytes,
        }
    }

    /// One file of the base, varied.
    fn file(&self, rng: &mut Rng, f: &BaseFile, version: &str) -> String {
        let window = if f.product {
            0..f.text.len()
        } else {
            window(rng, &f.text, self.max_file_bytes)
        };
        let text = &f.text[window.clone()];
        // Hits first: the vendor's name or a version never cuts into a project's name.
        let hits: Vec<(Range<usize>, RuleId, bool)> = f
            .hits
            .iter()
            .filter(|(r, ..)| r.start >= window.start && r.end <= window.end)
            .map(|(r, rule, name)| (r.start - window.start..r.end - window.start, *rule, *name))
            .collect();
        let shift = |r: &Range<usize>| r.start + window.start..r.end + window.start;
        let mut edits: Vec<(Range<usize>, String)> = hits
            .iter()
            .filter(|(r, _, name)| *name && f.editable(&shift(r)))
            .filter_map(|(r, rule, _)| Some((r.clone(), self.project[rule.0 as usize].clone()?)))
            .collect();
        if let Some(r) = f.kube_version.clone().filter(|r| r.end <= text.len()) {
            edits.push((r, version.to_string()));
        }
        let mut others = Vec::new();
        for (from, to) in [
            (&self.base.platform, &self.platform),
            (&self.base.vendor, &self.vendor),
        ] {
            if let Some(from) = from {
                others.extend(
                    text.match_indices(from.as_str())
                        .map(|(i, s)| (i..i + s.len(), to.clone())),
                );
            }
        }
        others.extend(version_edits(rng, text));
        let free = |r: &Range<usize>| {
            !hits
                .iter()
                .any(|(h, ..)| h.start < r.end && r.start < h.end)
        };
        edits.extend(
            others
                .into_iter()
                .filter(|(r, _)| free(r) && f.editable(&shift(r))),
        );
        apply(text, edits)
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A window of whole lines of at most `max` bytes at a random place (the whole text when short enough).
fn window(rng: &mut Rng, text: &str, max: usize) -> Range<usize> {
    if text.len() <= max {
        return 0..text.len();
    }
    let at = rng.below(text.len() - max);
    let start = text[..text.floor_char_boundary(at)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let cap = text.floor_char_boundary(start + max);
    match text[start..cap].rfind('\n') {
        Some(i) => start..start + i + 1,
        // One line longer than the cap: cut it.
        None => start..cap,
    }
}

/// Three-part version numbers (`0.14.2`) get a new last part half of the time.
fn version_edits(rng: &mut Rng, text: &str) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit()
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut dots = 0;
        let mut last = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || (b[j] == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit()))
        {
            if b[j] == b'.' {
                dots += 1;
                last = j + 1;
            }
            j += 1;
        }
        if dots == 2 && j - last <= 3 && rng.below(2) == 0 {
            out.push((last..j, rng.below(20).to_string()));
        }
        i = j.max(i + 1);
    }
    out
}

/// Applies non-overlapping edits (the first of overlapping ones wins, in order of start).
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (r, with) in edits {
        if r.start < at || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&with);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// SplitMix64: small, fast and fixed forever, so a seed always gives the same corpus.
struct Rng(u64);

impl Rng {
    /// The stream of submission `index` under `seed`, independent of the other submissions.
    fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
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
