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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;

use crate::diagnostic::line_col;
use crate::document::template::Templates;
use crate::document::{self, Document};
use crate::engine::matcher::Matcher;
use crate::source::corpus::{Corpus, Source, SubmissionId};

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

/// What one file gives: its submission, its uncovered names, the submitter's
/// own names (vendor, platform) and the words it writes in lower case.
type FileNames = (SubmissionId, Vec<Mention>, Vec<String>, HashSet<String>);

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
    let jobs: Vec<(SubmissionId, usize)> = corpus
        .submissions
        .iter()
        .enumerate()
        .flat_map(|(i, s)| (0..s.files.len()).map(move |f| (SubmissionId(i as u32), f)))
        .collect();
    let per_file: Vec<FileNames> = jobs
        .par_iter()
        .map(|&(sub, f)| {
            let s = corpus.get(sub);
            let entry = &s.files[f];
            let Some(doc) = source
                .read(entry)
                .ok()
                .and_then(|b| document::build(&entry.path, b, templates, &mut Vec::new()))
            else {
                return (sub, Vec::new(), Vec::new(), HashSet::new());
            };
            let own: Vec<String> = doc
                .metadata
                .iter()
                .flat_map(|m| [m.platform_name.clone(), m.vendor_name.clone()])
                .flatten()
                .collect();
            let lower = prose_words(&doc);
            (sub, mentions(&doc, &s.id, matcher, &vocabulary), own, lower)
        })
        .collect();
    // Words the vendors write in lower case in their prose are ordinary
    // words ("horizontal", "profile"), whatever the case of one mention.
    let mut ordinary: HashSet<String> = HashSet::new();
    for (_, _, _, lower) in &per_file {
        ordinary.extend(lower.iter().cloned());
    }
    // Vendor and platform names (and the folder names) are the submitters' own products.
    let mut own: HashSet<String> = corpus
        .submissions
        .iter()
        .map(|s| s.name.to_lowercase())
        .collect();
    for (_, _, names, _) in &per_file {
        for n in names {
            own.extend(words(n).map(str::to_lowercase));
        }
    }
    let mut by_key: BTreeMap<(CandidateKind, String), Candidate> = BTreeMap::new();
    for (sub, ms, _, _) in per_file {
        for m in ms {
            let plain = |w: &str| {
                let l = w.to_lowercase();
                own.contains(&l)
                    || vocabulary.is_generic(w)
                    || (!distinctive(w) && ordinary.contains(&l))
            };
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
            if c.submissions.last() != Some(&sub) {
                c.submissions.push(sub);
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
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
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

/// Every (kind, name, range) in a stretch of vendor text.
fn extract(text: &str, vocabulary: &Vocabulary) -> Vec<(CandidateKind, String, Range<usize>)> {
    let mut out = Vec::new();
    for c in patterns().repo.captures_iter(text) {
        let start = c.get(0).map_or(0, |m| m.start());
        // gist.github.com/USER/ID, api.github.com/...: not repositories.
        let subdomain = start > 0 && text.as_bytes()[start - 1] == b'.';
        if subdomain || NOT_OWNERS.contains(&c[1].to_lowercase().as_str()) {
            continue;
        }
        let (org, repo) = (
            &c[1],
            c[2].trim_end_matches(".git")
                .trim_end_matches(['.', '-', '_']),
        );
        let name = format!("github.com/{}/{}", org.to_lowercase(), repo.to_lowercase());
        if !repo.is_empty() && !PROGRAM_REPOS.contains(&name.as_str()) {
            out.push((
                CandidateKind::Repo,
                name,
                c.get(0).map_or(0..0, |m| m.range()),
            ));
        }
    }
    for c in patterns().helm.captures_iter(text) {
        let args = c.get(1).map_or("", |m| m.as_str());
        let chart = args
            .split(|ch: char| ch.is_whitespace() || ch == '\\')
            .filter(|a| !a.is_empty() && !a.starts_with('-') && !a.contains('='))
            .find(|a| a.contains('/'));
        if let Some(chart) = chart {
            let name = chart
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(chart);
            let name = name.split([':', '@']).next().unwrap_or(name).to_lowercase();
            if name.len() > 1
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            {
                out.push((
                    CandidateKind::Chart,
                    name,
                    c.get(0).map_or(0..0, |m| m.range()),
                ));
            }
        }
    }
    let mut image_starts = HashSet::new();
    for re in [&patterns().image, &patterns().image_field] {
        for c in re.captures_iter(text) {
            let m = c.get(1).map_or(0..0, |m| m.range());
            let name = c[1].trim_end_matches(['/', '.', '-']).to_lowercase();
            if name.len() > 1 && image_starts.insert(m.start) {
                out.push((CandidateKind::Image, name, m));
            }
        }
    }
    // Words inside URLs (`#L41`, `productLogoUrl` paths) are not names.
    let urls: Vec<Range<usize>> = patterns().url.find_iter(text).map(|m| m.range()).collect();
    for m in patterns().name.find_iter(text) {
        if overlaps(&m.range(), &urls) {
            continue;
        }
        if let Some((name, range)) = product_name(text, m.range(), vocabulary) {
            out.push((CandidateKind::Name, name, range));
        }
    }
    out
}

/// The candidates in `format`; an empty answer says `(no candidates)` under
/// the header of the aligned table and Markdown (`[]` in JSON, the header in CSV).
pub fn render(
    found: &[Candidate],
    corpus: &Corpus,
    format: crate::output::table::Format,
) -> String {
    use crate::output::table::Format;
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&json(found, corpus)).unwrap_or_default() + "\n"
        }
        Format::Table | Format::Markdown if found.is_empty() => {
            table(found).render(format) + "(no candidates)\n"
        }
        f => table(found).render(f),
    }
}

/// The candidates as a table: rank, name, kind, submissions, mentions, example.
pub fn table(found: &[Candidate]) -> crate::output::table::Table {
    let mut t = crate::output::table::Table::new(&[
        "Rank",
        "Candidate",
        "CandidateKind",
        "Submissions",
        "Mentions",
        "Example",
        "Quote",
    ]);
    for (i, c) in found.iter().enumerate() {
        let e = &c.example;
        t.push(vec![
            serde_json::json!(i + 1),
            serde_json::json!(c.name),
            serde_json::json!(c.kind.as_str()),
            serde_json::json!(c.submissions.len()),
            serde_json::json!(c.mentions),
            serde_json::json!(format!("{}:{}:{}", e.file, e.line, e.column)),
            serde_json::json!(e.quote),
        ]);
    }
    t
}

/// The JSON form: every candidate with the ids of the submissions naming it.
pub fn json(found: &[Candidate], corpus: &Corpus) -> serde_json::Value {
    serde_json::Value::Array(
        found
            .iter()
            .map(|c| {
                serde_json::json!({
                    "name": c.name,
                    "kind": c.kind,
                    "submissions": c.submissions.iter().map(|&s| corpus.get(s).id.clone()).collect::<Vec<_>>(),
                    "mentions": c.mentions,
                    "example": c.example,
                })
            })
            .collect(),
    )
}

/// A run of capitalised words, trimmed of generic words at both ends; `None`
/// when nothing specific is left, or for a single ordinary capitalised word at
/// the start of a sentence.
fn product_name(
    text: &str,
    range: Range<usize>,
    vocabulary: &Vocabulary,
) -> Option<(String, Range<usize>)> {
    let phrase = &text[range.clone()];
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for w in phrase.split(' ') {
        tokens.push((at, w));
        at += w.len() + 1;
    }
    while tokens
        .first()
        .is_some_and(|(_, w)| vocabulary.is_generic(w))
    {
        tokens.remove(0);
    }
    // A role word ends a name ("NVIDIA DCGM Exporter") but does not make one.
    while tokens.last().is_some_and(|(_, w)| {
        vocabulary.is_generic(w) && !ROLES.contains(&w.to_lowercase().as_str())
    }) {
        tokens.pop();
    }
    let (&(first_at, _), &(last_at, last)) = (tokens.first()?, tokens.last()?);
    let start = range.start + first_at;
    let end = range.start + last_at + last.len();
    let name = &text[start..end];
    if tokens.len() == 1 && !distinctive(name) && sentence_start(text, start) {
        return None;
    }
    Some((name.to_string(), start..end))
}

/// CamelCase inside the word (KubeRay, vLLM) or an acronym of three or more letters.
fn distinctive(word: &str) -> bool {
    let b = word.as_bytes();
    let inner_capital = b
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let acronym = letters >= 3
        && b.iter()
            .filter(|c| c.is_ascii_alphabetic())
            .all(u8::is_ascii_uppercase);
    inner_capital || acronym
}

/// Is `at` the first word of a sentence, a line, a list item or a heading?
fn sentence_start(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([
        ' ', '\t', '*', '_', '`', '"', '\'', '(', '[', '#', '>', '|', '-',
    ]);
    before.is_empty()
        || before.ends_with(['.', '!', '?', ':', '\n', ';'])
        || before.ends_with(|c: char| c.is_ascii_digit())
}

/// The trimmed line around `range`, cut to about 160 characters.
fn quote(text: &str, range: Range<usize>) -> String {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.start..]
        .find('\n')
        .map_or(text.len(), |i| range.start + i);
    let line = &text[start..end];
    let from = line.floor_char_boundary((range.start - start).saturating_sub(70));
    let to = line.floor_char_boundary((range.end.min(end) - start + 90).min(line.len()));
    let mut q = String::new();
    if from > 0 {
        q.push('…');
    }
    q.push_str(line[from..to].trim());
    if to < line.len() {
        q.push('…');
    }
    q
}

/// The words of a name.
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// First segments of github.com paths that are GitHub's own pages, not an owner.
const NOT_OWNERS: &[&str] = &[
    "orgs",
    "users",
    "settings",
    "features",
    "topics",
    "marketplace",
    "sponsors",
    "apps",
    "enterprise",
    "about",
    "pricing",
    "login",
    "collections",
    "search",
    "notifications",
    "site",
    "security",
    "customer-stories",
    "trending",
    "explore",
    "codespaces",
    "readme",
    "advisories",
];

/// The program's own repositories: not projects of a stack.
const PROGRAM_REPOS: &[&str] = &[
    "github.com/cncf/k8s-ai-conformance",
    "github.com/cncf/k8s-conformance",
];

struct Patterns {
    repo: Regex,
    url: Regex,
    helm: Regex,
    image: Regex,
    image_field: Regex,
    name: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        repo: Regex::new(r"(?i)\bgithub\.com/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)/([a-z0-9._-]+)").expect("valid"),
        url: Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s"'<>)\]]+"#).expect("valid"),
        helm: Regex::new(r"\bhelm[ \t]+(?:upgrade[ \t]+--install|upgrade[ \t]+-i|install|upgrade|template)\b((?:[ \t]*\\?\r?\n?[ \t]*[^\s\\]+){1,8})").expect("valid"),
        image: Regex::new(
            r"\b((?:docker\.io|quay\.io|ghcr\.io|nvcr\.io|mcr\.microsoft\.com|public\.ecr\.aws|(?:[a-z0-9-]+\.)*gcr\.io|(?:[a-z0-9-]+\.)*pkg\.dev|(?:[a-z0-9-]+\.)*azurecr\.io|(?:[a-z0-9-]+\.)*icr\.io|[0-9]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|registry\.[a-z0-9.-]+\.[a-z]{2,}|(?:[a-z0-9-]+\.)+[a-z]{2,}/?registry)/[a-z0-9._-]+(?:/[a-z0-9._-]+)*)(?::[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})?",
        )
        .expect("valid"),
        image_field: Regex::new(r#"\bimage:[ \t]*["']?([a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)*)"#).expect("valid"),
        name: Regex::new(r"\b(?:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|[a-z]{1,2}[A-Z][A-Za-z0-9]*)(?: (?:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|[a-z]{1,2}[A-Z][A-Za-z0-9]*)){0,3}\b")
            .expect("valid"),
    })
}

/// Words that never make a product name on their own.
struct Vocabulary {
    generic: HashSet<String>,
}

impl Vocabulary {
    /// Common words, Kubernetes kinds, and every word of the checklist templates.
    fn new(template_texts: &[String]) -> Self {
        let mut generic: HashSet<String> = COMMON
            .split_whitespace()
            .chain(KINDS.split_whitespace())
            .map(str::to_lowercase)
            .collect();
        for w in template_texts.iter().flat_map(|t| words(t)) {
            generic.insert(w.to_lowercase());
        }
        Vocabulary { generic }
    }

    fn is_generic(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        let letters = w.bytes().filter(u8::is_ascii_alphabetic).count();
        // Short codes with digits ("A100", "L41", "v1") are models and anchors, not names.
        let code = letters <= 2 && w.bytes().any(|b| b.is_ascii_digit());
        w.len() < 2 || letters == 0 || code || self.generic.contains(&w) || {
            // Plurals of generic words ("Nodes", "GPUs", "DeviceClasses", "Policies").
            w.strip_suffix('s')
                .is_some_and(|s| self.generic.contains(s))
                || w.strip_suffix("es").is_some_and(|s| self.generic.contains(s))
                || w.strip_suffix("ies")
                    .is_some_and(|s| self.generic.contains(&format!("{s}y")))
                // Lists of API objects ("APIResourceList", "PodList").
                || w.strip_suffix("list")
                    .is_some_and(|s| !s.is_empty() && self.generic.contains(s))
        }
    }
}

/// Common English and documentation words, and the columns of kubectl output.
const COMMON: &str = "a an the this that these those it its we our us you your they their i in on at of for to from by with \
    and or but not no yes if then else when where which who what how all any each every some other both more most \
    is are was were be been being has have had do does did can could will would should may might must shall \
    also only just then than into onto over under about after before during between through across per via using used use \
    install installed installing installation deploy deployed deploying deployment create created verify verified verifying \
    check checked run running ran test tests tested testing result results note notes step steps example examples see \
    enable enabled enabling configure configured configuration setup set get apply applied support supported supports \
    provide provides provided ensure ensures show shows shown list output input status ready name names namespace age \
    restarts type types value values version versions true false ok pass passed fail failed failure error errors info warning \
    yes summary overview introduction conclusion prerequisites requirements requirement environment details description \
    figure table section page docs documentation guide reference link links readme md yaml json http https url www com io \
    kubernetes k8s cluster clusters node nodes pod pods container containers service services platform platforms \
    workload workloads job jobs gpu gpus cpu cpus api apis crd crds cli sdk os vm vms ai ml llm llms \
    january february march april may june july august september october november december monday tuesday wednesday thursday friday \
    please following follow new first second third last next one two three up down out default custom native open source \
    hpa vpa uuid uuids eof path success successful ip ips tcp udp dns tls ssl ssh rbac cni cri csi oci vpc iam sla slo ha id ids uid \
    url urls uri tcp http2 grpc rest cpu mem ram ssd nvme os linux ubuntu windows none never always all true false null \
    hostname port ports message reason from to manager adapter controller operator scheduler driver plugin exporter \
    kind apiversion metadata spec waiting pending starting started completed running succeeded terminated healthy unhealthy available \
    horizontal vertical auto automatic automated manual multi single instance instances shared dedicated layered layer base basic \
    advanced standard managed unmanaged private public class classes metric profile profiles architecture pipeline pipelines \
    validation validated method methods approach solution solutions feature features capability capabilities component components \
    integration integrations implementation scaling autoscaling scheduling monitoring logging networking storage security \
    observability accelerator accelerators inference training serving model models framework frameworks resource resources \
    policy policies access control management dashboard console portal marketplace catalog registry repository image images \
    chart charts bundle package packages release releases upgrade upgrades add addon addons extension extensions module modules";

/// Words that say what a component is: kept at the end of a longer name.
const ROLES: &[&str] = &[
    "operator",
    "exporter",
    "controller",
    "scheduler",
    "driver",
    "plugin",
    "manager",
    "adapter",
    "agent",
    "toolkit",
    "monitor",
    "server",
    "stack",
];

/// Kubernetes API kinds (CamelCase, so otherwise distinctive).
const KINDS: &str = "ConfigMap Secret ServiceAccount Role RoleBinding ClusterRole ClusterRoleBinding Deployment DaemonSet StatefulSet \
    ReplicaSet CronJob Namespace PersistentVolume PersistentVolumeClaim StorageClass Ingress IngressClass NetworkPolicy \
    HorizontalPodAutoscaler PodDisruptionBudget PriorityClass ResourceQuota LimitRange CustomResourceDefinition \
    ResourceClaim ResourceClaimTemplate ResourceSlice DeviceClass DeviceTaintRule Gateway GatewayClass HTTPRoute GRPCRoute \
    ReferenceGrant Endpoints EndpointSlice Lease Event MutatingWebhookConfiguration ValidatingWebhookConfiguration \
    ValidatingAdmissionPolicy APIService PodTemplate RuntimeClass CSIDriver CSINode VolumeAttachment TokenReview \
    SubjectAccessReview ServiceMonitor PodMonitor PrometheusRule ClusterPolicy NodeFeature NodeFeatureRule \
    kubectl kubelet kubeadm etcd containerd CoreDNS README LoadBalancer ClusterIP NodePort \
    NodeSelector NodeAffinity PodAffinity PodAntiAffinity SecurityContext HostPath EmptyDir NoSchedule NoExecute PreferNoSchedule \
    IfNotPresent ExactCount MatchLabels MatchExpressions NamespaceSelector PodSelector LabelSelector CreationTimestamp \
    DynamicResourceAllocation FeatureGate ObjectMeta TypeMeta PodSpec Container Volume VolumeMount EnvVar \
    Pod Node Service Job Binding Scale Eviction ComponentStatus ControllerRevision CSIStorageCapacity \
    CertificateSigningRequest FlowSchema PriorityLevelConfiguration IPAddress ServiceCIDR \
    APIResource APIGroup APIVersions APIResourceList APIGroupList Status ShortNames Namespaced \
    NodePool NodeClaim NodeClass EC2NodeClass AKSNodeClass MachineSet MachineDeployment MachineConfig \
    MachineConfigPool Machine MachineClass ClusterVersion ClusterOperator Subscription InstallPlan \
    ClusterServiceVersion OperatorGroup CatalogSource PodGroup Queue VirtualService DestinationRule \
    TLSRoute TCPRoute UDPRoute BackendTLSPolicy InferencePool InferenceModel InferenceObjective \
    ResourceClaimParameters DeviceClassParameters ClusterResourceQuota VerticalPodAutoscaler";

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(CandidateKind, String)> {
        let v = Vocabulary::new(&[]);
        extract(text, &v)
            .into_iter()
            .map(|(k, n, _)| (k, n))
            .collect()
    }

    #[test]
    fn extraction_table() {
        let cases: &[(&str, &[(CandidateKind, &str)])] = &[
            (
                "see https://github.com/NVIDIA/aicr.git for the recipe",
                &[(CandidateKind::Repo, "github.com/nvidia/aicr")],
            ),
            (
                "helm install kuberay-operator kuberay/kuberay-operator --version 1.6.0",
                &[(CandidateKind::Chart, "kuberay-operator")],
            ),
            (
                "helm upgrade --install --wait gpu-operator \\\n  nvidia/gpu-operator -n gpu",
                &[(CandidateKind::Chart, "gpu-operator")],
            ),
            (
                "pull nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0 now",
                &[(CandidateKind::Image, "nvcr.io/nvidia/k8s/cuda-sample")],
            ),
            (
                "    image: vllm/vllm-openai:latest",
                &[(CandidateKind::Image, "vllm/vllm-openai")],
            ),
            (
                "We deploy LeaderWorkerSet for multi-host inference.",
                &[(CandidateKind::Name, "LeaderWorkerSet")],
            ),
            (
                "The platform ships the NVIDIA DCGM Exporter today.",
                &[(CandidateKind::Name, "NVIDIA DCGM Exporter")],
            ),
            ("Install the operator. Then check the Pods.", &[]),
            (
                "metrics come from Prometheus and Grafana",
                &[
                    (CandidateKind::Name, "Prometheus"),
                    (CandidateKind::Name, "Grafana"),
                ],
            ),
            ("Create a ConfigMap and a ResourceClaim", &[]),
        ];
        for (text, want) in cases {
            let got = names(text);
            let want: Vec<(CandidateKind, String)> =
                want.iter().map(|(k, n)| (*k, n.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn quote_cuts_long_lines_around_the_mention() {
        let text = format!("{}Volcano{}", "x ".repeat(100), " y".repeat(100));
        let s = text.find("Volcano").unwrap();
        let q = quote(&text, s..s + 7);
        assert!(
            q.starts_with('…') && q.ends_with('…') && q.contains("Volcano"),
            "{q}"
        );
    }
}
