//! Findings: which project a submission names, with the evidence for it.
//!
//! [`scan_document`] turns the matcher's hits in one [`Document`] into
//! [`Evidence`] (only hits inside the vendor's words count, with file, line,
//! column, field, quote, version and negation); [`scan_chunk`] does the same
//! for one chunk of a large file. [`FileEvidence`] keeps a file's first
//! mentions of each project whole and counts the rest; [`collect`] (and
//! [`collect_mentions`]) fold the evidence of a submission's files into one
//! [`Finding`] per project.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::source::corpus::SubmissionId;
use std::ops::Range;

use crate::diagnostic::floor_char_boundary;
use crate::document::{Chunk, Document, Origin};
use crate::engine::matcher::Matcher;
use crate::rules::{PatternKind, RuleId};

/// A matrix cell: named with a version, named, or not named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Cell {
    #[serde(rename = "-")]
    None,
    X,
    M,
}

impl Cell {
    pub fn as_str(self) -> &'static str {
        match self {
            Cell::M => "M",
            Cell::X => "X",
            Cell::None => "-",
        }
    }

    pub fn parse(s: &str) -> Option<Cell> {
        match s.trim() {
            "M" | "m" => Some(Cell::M),
            "X" | "x" => Some(Cell::X),
            "-" => Some(Cell::None),
            _ => None,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One mention of a project in the vendor's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Path relative to the corpus root.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// YAML field path (`spec.operator[0].notes`), absent outside PRODUCT.yaml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The matched text.
    pub text: String,
    /// The line it is on (trimmed, shortened around the match).
    pub quote: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub negated: bool,
    pub kind: PatternKind,
}

/// Everything one submission says about one project.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub submission: SubmissionId,
    pub rule: RuleId,
    pub cell: Cell,
    /// Distinct versions seen, in order of appearance.
    pub versions: Vec<String>,
    /// True when every mention is negated ("Karpenter is not used").
    pub negated: bool,
    /// Mentions in file order (at most [`MAX_EVIDENCE`]).
    pub evidence: Vec<Evidence>,
    /// All mentions, including those beyond [`MAX_EVIDENCE`].
    pub mentions: usize,
}

/// Evidence kept per finding; the count of all mentions is kept beside it.
pub const MAX_EVIDENCE: usize = 64;

/// The evidence of every rule hit inside the vendor's words of `doc`.
pub fn scan_document(matcher: &Matcher, doc: &Document) -> Vec<(RuleId, Evidence)> {
    let mut out = Vec::new();
    scan_text(
        matcher,
        doc,
        &Origin::default(),
        0..doc.text.len(),
        &mut |rule, ev| out.push((rule, ev)),
    );
    out
}

/// The evidence of one chunk of a large file: only hits that start in the
/// part the chunk owns (the overlaps belong to its neighbours), with lines
/// and columns counted from the start of the file.
pub fn scan_chunk(matcher: &Matcher, chunk: &Chunk, sink: &mut dyn FnMut(RuleId, Evidence)) {
    scan_text(
        matcher,
        &chunk.doc,
        &chunk.origin,
        chunk.owned.clone(),
        sink,
    );
}

/// How far around a hit the line, the clause and the version are looked for.
const AROUND: usize = 256;
/// How far below a hit a sibling `version:` key is looked for.
const SIBLING_AHEAD: usize = 1024;

fn scan_text(
    matcher: &Matcher,
    doc: &Document,
    origin: &Origin,
    owned: Range<usize>,
    sink: &mut dyn FnMut(RuleId, Evidence),
) {
    let text = doc.text.as_str();
    let mut region_i = 0;
    let mut mask_i = 0;
    let mut pos = Cursor::new(origin);
    for hit in matcher.find(text) {
        let r = hit.range.clone();
        if !owned.contains(&r.start) {
            continue;
        }
        while region_i < doc.regions.len() && doc.regions[region_i].range.end < r.end {
            region_i += 1;
        }
        let Some(region) = doc
            .regions
            .get(region_i)
            .filter(|g| g.range.start <= r.start && r.end <= g.range.end)
        else {
            continue;
        };
        while mask_i < doc.masked.len() && doc.masked[mask_i].end <= r.start {
            mask_i += 1;
        }
        if doc
            .masked
            .get(mask_i)
            .is_some_and(|m| m.start < r.end && r.start < m.end)
        {
            continue;
        }
        // Looked at near the hit only (a text may be one very long line): a
        // version is never read more than 96 bytes after it, and a sibling
        // `version:` key a few short lines below.
        let lo = floor_char_boundary(text, r.start.saturating_sub(AROUND));
        let ahead = floor_char_boundary(text, (r.end + AROUND).min(region.range.end));
        let below = floor_char_boundary(text, (r.end + SIBLING_AHEAD).min(region.range.end));
        // A command's `--version` flag belongs to what it installs, not to the
        // program that runs it (`helm install x --version 1.2` is x's version).
        let line_start = text[lo..r.start].rfind('\n').map_or(lo, |i| lo + i + 1);
        let runs_command = text[line_start..r.start]
            .trim_start_matches([' ', '\t', '$', '>', '-'])
            .is_empty();
        let version = matcher
            .version_after(
                hit.rule,
                text,
                r.end,
                command_end(&text[..ahead], r.end),
                !runs_command,
            )
            .or_else(|| sibling_version(&text[lo..below], r.start - lo..r.end - lo));
        let (line, column) = pos.advance(text, r.start);
        sink(
            hit.rule,
            Evidence {
                file: doc.path.clone(),
                line,
                column,
                field: region.field.clone(),
                text: text[r.clone()].to_string(),
                quote: quote(text, r.clone()),
                version,
                negated: is_negated(text, r.clone()),
                kind: hit.kind,
            },
        );
    }
}

/// Line and column of increasing offsets in one text, counted incrementally
/// (a text with many hits, or one very long line, stays linear).
struct Cursor {
    at: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    fn new(origin: &Origin) -> Self {
        Cursor {
            at: 0,
            line: origin.line + 1,
            column: origin.column + 1,
        }
    }

    /// 1-based (line, column) of `offset`, which is not before the last one asked.
    fn advance(&mut self, text: &str, offset: usize) -> (usize, usize) {
        if offset > self.at {
            let stretch = &text[self.at..offset];
            match stretch.rfind('\n') {
                Some(i) => {
                    self.line += memchr::memchr_iter(b'\n', stretch.as_bytes()).count();
                    self.column = stretch[i + 1..].chars().count() + 1;
                }
                None => self.column += stretch.chars().count(),
            }
            self.at = offset;
        }
        (self.line, self.column)
    }
}

/// Everything collected from one file: at most [`MAX_EVIDENCE`] mentions per
/// rule kept whole, the rest only counted, so a file full of mentions costs
/// bounded memory and still folds into the same [`Finding`]s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileEvidence {
    pub kept: Vec<(RuleId, Evidence)>,
    pub tallies: Vec<(RuleId, Tally)>,
    /// Mentions kept so far per rule.
    kept_per_rule: std::collections::HashMap<RuleId, usize>,
}

/// The mentions of one rule in one file beyond the kept evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub mentions: usize,
    /// Distinct versions, in order of appearance (at most [`MAX_TALLY_VERSIONS`]).
    pub versions: Vec<String>,
    /// True when every mention counted here is negated.
    pub negated: bool,
}

/// Distinct versions a [`Tally`] keeps.
pub const MAX_TALLY_VERSIONS: usize = 256;

impl FileEvidence {
    /// Adds one mention, in file order.
    pub fn push(&mut self, rule: RuleId, ev: Evidence) {
        let kept = self.kept_per_rule.entry(rule).or_default();
        if *kept < MAX_EVIDENCE {
            *kept += 1;
            self.kept.push((rule, ev));
            return;
        }
        let i = match self.tallies.iter().position(|(r, _)| *r == rule) {
            Some(i) => i,
            None => {
                self.tallies.push((
                    rule,
                    Tally {
                        negated: true,
                        ..Tally::default()
                    },
                ));
                self.tallies.len() - 1
            }
        };
        let t = &mut self.tallies[i].1;
        t.mentions += 1;
        t.negated &= ev.negated;
        if let Some(v) = ev.version {
            if !t.versions.contains(&v) && t.versions.len() < MAX_TALLY_VERSIONS {
                t.versions.push(v);
            }
        }
    }
}

/// One item for [`collect_mentions`]: a mention with its evidence, or a tally of more.
#[derive(Clone, Debug)]
pub enum Mention {
    One(Evidence),
    Many(Tally),
}

/// Folds evidence into findings, one per (submission, rule), sorted by both.
pub fn collect(
    evidence: impl IntoIterator<Item = (SubmissionId, RuleId, Evidence)>,
) -> Vec<Finding> {
    collect_mentions(
        evidence
            .into_iter()
            .map(|(s, r, ev)| (s, r, Mention::One(ev))),
    )
}

/// Folds mentions (evidence, and tallies of mentions beyond the kept
/// evidence, each file's in file order) into findings, sorted.
pub fn collect_mentions(
    mentions: impl IntoIterator<Item = (SubmissionId, RuleId, Mention)>,
) -> Vec<Finding> {
    let mut map: BTreeMap<(SubmissionId, RuleId), Finding> = BTreeMap::new();
    for (sub, rule, m) in mentions {
        let f = map.entry((sub, rule)).or_insert_with(|| Finding {
            submission: sub,
            rule,
            cell: Cell::X,
            versions: Vec::new(),
            negated: true,
            evidence: Vec::new(),
            mentions: 0,
        });
        let (versions, negated, count) = match &m {
            Mention::One(ev) => (ev.version.as_slice(), ev.negated, 1),
            Mention::Many(t) => (t.versions.as_slice(), t.negated, t.mentions),
        };
        for v in versions {
            f.cell = Cell::M;
            if !f.versions.contains(v) {
                f.versions.push(v.clone());
            }
        }
        f.negated &= negated;
        f.mentions += count;
        if let Mention::One(ev) = m {
            if f.evidence.len() < MAX_EVIDENCE {
                f.evidence.push(ev);
            }
        }
    }
    map.into_values().collect()
}

/// Keys whose value names a chart, image or app in YAML manifests.
const NAMING_KEYS: &[&str] = &["chart", "name", "app", "image", "repository", "releaseName"];
/// Keys that give that chart's or image's version.
const VERSION_KEYS: &[&str] = &[
    "version",
    "tag",
    "targetRevision",
    "chartVersion",
    "appVersion",
];

/// A version given by a sibling key of a YAML mapping whose naming key holds the hit:
/// `chart: nvidia-dra-driver-gpu` followed by `version: "25.3.0"` (HelmRelease, Argo CD
/// Application, helmfile, Chart.yaml dependencies, `image:` with `tag:`).
fn sibling_version(text: &str, range: std::ops::Range<usize>) -> Option<String> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start
        ..text[range.start..]
            .find('\n')
            .map_or(text.len(), |i| range.start + i)];
    let body = line.trim_start().trim_start_matches("- ");
    let indent = line.len() - body.len();
    let (key, _) = body.split_once(':')?;
    if !NAMING_KEYS.contains(&key.trim()) || range.start < line_start + indent + key.len() {
        return None;
    }
    let mut rest = &text[(line_start + line.len() + 1).min(text.len())..];
    for _ in 0..6 {
        let next = rest.split('\n').next()?;
        let nbody = next.trim_start();
        let nindent = next.len() - nbody.len();
        if nbody.is_empty() || nindent < indent {
            return None;
        }
        if nindent == indent {
            if let Some((k, v)) = nbody.split_once(':') {
                if VERSION_KEYS.contains(&k.trim()) {
                    let v = v
                        .trim()
                        .trim_matches(['"', '\''])
                        .trim_start_matches(['v', 'V']);
                    let ok = v.split('.').count() >= 2
                        && v.split('.')
                            .take(2)
                            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                    return ok.then(|| {
                        v.split(|c: char| c.is_whitespace() || c == '#')
                            .next()
                            .unwrap_or(v)
                            .to_string()
                    });
                }
            }
        }
        rest = &rest[(next.len() + 1).min(rest.len())..];
    }
    None
}

/// The end of the command a position is in: its line, and the lines that
/// continue it with a trailing `\` (at most 16).
fn command_end(text: &str, from: usize) -> usize {
    let mut end = from;
    for _ in 0..16 {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if !text[..line_end].trim_end().ends_with('\\') || line_end == text.len() {
            return line_end;
        }
        end = line_end + 1;
    }
    end
}

/// The line around `range`, trimmed and cut to about 160 characters.
fn quote(text: &str, range: std::ops::Range<usize>) -> String {
    // Looked for near the match only: a text may be one very long line.
    let lo = floor_char_boundary(text, range.start.saturating_sub(AROUND));
    let hi = floor_char_boundary(text, range.end + AROUND);
    let start = text[lo..range.start].rfind('\n').map_or(lo, |i| lo + i + 1);
    let end = text[range.end..hi].find('\n').map_or(hi, |i| range.end + i);
    let line = &text[start..end];
    let at = range.start - start;
    let from = floor_char_boundary(line, at.saturating_sub(70));
    let to = floor_char_boundary(line, (range.end - start + 90).min(line.len()));
    let mut q = String::new();
    if from > 0 || (start == lo && lo > 0 && text.as_bytes()[lo - 1] != b'\n') {
        q.push('…');
    }
    q.push_str(line[from..to].trim());
    if to < line.len() || (end == hi && hi < text.len() && text.as_bytes()[hi] != b'\n') {
        q.push('…');
    }
    q.trim().to_string()
}

/// Words that negate a mention when they come shortly before it in its clause.
const NEGATORS_BEFORE: &[&str] = &[
    "not", "no", "without", "never", "neither", "nor", "cannot", "isn't", "aren't", "doesn't",
    "don't",
];
/// Phrases that negate a mention when they follow it in its clause.
const NEGATORS_AFTER: &[&str] = &[
    "is not",
    "are not",
    "was not",
    "were not",
    "isn't",
    "aren't",
    "wasn't",
    "not present",
    "not deployed",
    "not installed",
    "not used",
    "not available",
    "not supported",
    "not required",
    "is absent",
];

/// Heuristic: is the mention at `range` negated by its own clause? Looks up
/// to six words back ("the platform does not provide Karpenter") and a few
/// words ahead ("Karpenter is not present"), never across `.`, `;` or a line.
pub fn is_negated(text: &str, range: std::ops::Range<usize>) -> bool {
    let lo = floor_char_boundary(text, range.start.saturating_sub(AROUND));
    let clause_start = text[lo..range.start]
        .rfind(['.', ';', '\n', '!', '?'])
        .map_or(lo, |i| lo + i + 1);
    let before = text[clause_start..range.start].to_lowercase();
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let last: Vec<&str> = words.iter().rev().take(6).rev().copied().collect();
    let phrase = last.join(" ");
    if last.iter().any(|w| NEGATORS_BEFORE.contains(w))
        || ["instead of", "rather than"]
            .iter()
            .any(|p| phrase.contains(p))
    {
        return true;
    }
    let hi = floor_char_boundary(text, range.end + AROUND);
    let clause_end = text[range.end..hi]
        .find(['.', ';', '\n', '!', '?', ','])
        .map_or(hi, |i| range.end + i);
    let after = text[range.end..clause_end].to_lowercase();
    let after: String = after
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    NEGATORS_AFTER.iter().any(|p| after.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_table() {
        let cases = [
            (
                "Karpenter is not present on this platform",
                "Karpenter",
                true,
            ),
            (
                "The platform does not provide Karpenter.",
                "Karpenter",
                true,
            ),
            ("We installed Kueue. No errors were seen", "Kueue", false),
            ("Kueue was installed and no errors occurred", "Kueue", false),
            ("Installed Kueue v0.14.2", "Kueue", false),
            (
                "the inference extension is not deployed",
                "inference extension",
                true,
            ),
            (
                "uses its own scheduler instead of Kueue/Volcano",
                "Kueue",
                true,
            ),
            ("Kueue rather than Volcano", "Kueue", false),
        ];
        for (text, word, want) in cases {
            let s = text.find(word).unwrap();
            assert_eq!(is_negated(text, s..s + word.len()), want, "{text}");
        }
    }

    #[test]
    fn sibling_version_keys_in_yaml_manifests() {
        let t = "spec:\n  chart:\n    spec:\n      chart: nvidia-dra-driver-gpu\n      version: \"25.3.0\"\n      sourceRef:\n";
        let s = t.find("nvidia-dra").unwrap();
        assert_eq!(sibling_version(t, s..s + 10).as_deref(), Some("25.3.0"));
        let t = "- name: kueue\n  namespace: x\n  tag: v0.14.1\n";
        assert_eq!(sibling_version(t, 8..13).as_deref(), Some("0.14.1"));
        // A version of a different mapping (less indented) does not count.
        let t = "  chart: jobset\nversion: 1.0.0\n";
        assert_eq!(sibling_version(t, 9..15), None);
        // Not a naming key.
        let t = "description: kueue\nversion: 1.0.0\n";
        assert_eq!(sibling_version(t, 13..18), None);
    }

    #[test]
    fn quote_is_the_trimmed_line() {
        let t = "a\n   We use Kueue here.  \nb";
        let s = t.find("Kueue").unwrap();
        assert_eq!(quote(t, s..s + 5), "We use Kueue here.");
    }
}
