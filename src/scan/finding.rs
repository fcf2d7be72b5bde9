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

use crate::document::{Chunk, Document, Origin};
use crate::engine::matcher::Matcher;
use crate::rules::{PatternKind, RuleId};
use crate::scan::passage::{Passage, Passages};
use crate::scan::stance::{self, Stance};
use crate::scan::version::{self, VersionKind};

/// A matrix cell: named with a version, named, or not named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Cell {
    /// Not named (`-`).
    #[serde(rename = "-")]
    NotNamed,
    /// Named (`X`).
    X,
    /// Named with a version (`M`).
    M,
}

impl Cell {
    pub fn as_str(self) -> &'static str {
        match self {
            Cell::M => "M",
            Cell::X => "X",
            Cell::NotNamed => "-",
        }
    }

    pub fn parse(s: &str) -> Option<Cell> {
        match s.trim() {
            "M" | "m" => Some(Cell::M),
            "X" | "x" => Some(Cell::X),
            "-" => Some(Cell::NotNamed),
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
    /// What `version` is the version of: the project, its chart, a package of it, its image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_kind: Option<VersionKind>,
    /// The sentence says the project is absent, not used or replaced.
    pub negated: bool,
    /// The sentence names the project only as an example or a possibility.
    pub hedged: bool,
    pub kind: PatternKind,
}

impl Evidence {
    /// What this mention's sentence says about the project.
    pub fn stance(&self) -> Stance {
        match (self.negated, self.hedged) {
            (true, _) => Stance::Negated,
            (false, true) => Stance::Hedged,
            _ => Stance::Uses,
        }
    }
}

/// Everything one submission says about one project.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub submission: SubmissionId,
    pub rule: RuleId,
    pub cell: Cell,
    /// Distinct versions seen, in order of appearance.
    pub versions: Vec<String>,
    /// What each of `versions` is the version of (the first kind seen for it).
    #[serde(skip)]
    pub version_kinds: Vec<VersionKind>,
    /// True when every mention is negated ("Karpenter is not used").
    pub negated: bool,
    /// True when every mention is hedged or negated and one is hedged
    /// ("such as Traefik", "Kueue can be installed").
    pub hedged: bool,
    /// Mentions in file order (at most [`MAX_EVIDENCE`]).
    pub evidence: Vec<Evidence>,
    /// All mentions, including those beyond [`MAX_EVIDENCE`].
    pub mentions: usize,
}

impl Finding {
    /// The versions as tables print them: `1.0.1 (package)`, a project's own bare.
    pub fn version_labels(&self) -> Vec<String> {
        self.versions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                self.version_kinds
                    .get(i)
                    .copied()
                    .unwrap_or_default()
                    .label(v)
            })
            .collect()
    }
}

/// Evidence kept per finding; the count of all mentions is kept beside it.
pub const MAX_EVIDENCE: usize = 64;

/// How much of each mention a scan works out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything: the version, stance, position and quote of every mention.
    #[default]
    Full,
    /// What adoption counts need (`history`, `delta`): which projects a file
    /// names, and whether a mention of each is neither negated nor hedged.
    /// No version and no quote is read (cells are never M), and a project's
    /// later mentions in a file are skipped once one of them is a use, which
    /// leaves every finding's negated and hedged flags as a full scan has them.
    Presence,
}

/// The evidence of every rule hit inside the vendor's words of `doc`.
pub fn scan_document(matcher: &Matcher, doc: &Document) -> Vec<(RuleId, Evidence)> {
    scan_document_with(matcher, doc, Detail::Full)
}

/// [`scan_document`], working out what `detail` asks of each mention.
pub fn scan_document_with(
    matcher: &Matcher,
    doc: &Document,
    detail: Detail,
) -> Vec<(RuleId, Evidence)> {
    let mut out = Vec::new();
    scan_text(
        matcher,
        doc,
        &Origin::default(),
        0..doc.text.len(),
        detail,
        &mut |rule, ev| out.push((rule, ev)),
    );
    out
}

/// The evidence of one chunk of a large file: only hits that start in the
/// part the chunk owns (the overlaps belong to its neighbours), with lines
/// and columns counted from the start of the file.
pub fn scan_chunk(
    matcher: &Matcher,
    chunk: &Chunk,
    detail: Detail,
    sink: &mut dyn FnMut(RuleId, Evidence),
) {
    scan_text(
        matcher,
        &chunk.doc,
        &chunk.origin,
        chunk.owned.clone(),
        detail,
        sink,
    );
}

/// The matcher's hits in `text`, and the keys that name a project and give
/// its version (`rayVersion: "2.9.0"`, `NVIDIA_CONTAINER_TOOLKIT_VERSION=1.18.2-1`)
/// as hits with that version, in text order. A key names a project when
/// its words, alone, are one of the project's names or aliases whole.
fn hits_and_keys(
    matcher: &Matcher,
    text: &str,
    owned: &Range<usize>,
) -> Vec<(crate::engine::matcher::Hit, Option<version::Pinned>)> {
    let mut out: Vec<_> = matcher.find(text).into_iter().map(|h| (h, None)).collect();
    for k in version::keyed(text) {
        if !owned.contains(&k.name.start) {
            continue;
        }
        let named = matcher.find(&k.words).into_iter().find(|h| {
            h.range == (0..k.words.len())
                && !matches!(h.kind, PatternKind::Match | PatternKind::Url)
        });
        if let Some(h) = named {
            let hit = crate::engine::matcher::Hit {
                rule: h.rule,
                kind: h.kind,
                range: k.name.clone(),
            };
            // A derived spelling (`DEMO_OPERATOR`) may already have found
            // the key's name: the key gives that hit its version.
            match out
                .iter_mut()
                .find(|(o, _)| o.rule == hit.rule && o.range == hit.range)
            {
                Some((_, preset)) => {
                    preset.get_or_insert(k.version);
                }
                None => out.push((hit, Some(k.version))),
            }
        }
    }
    out.sort_by_key(|(h, _)| (h.range.start, h.range.end));
    out
}

fn scan_text(
    matcher: &Matcher,
    doc: &Document,
    origin: &Origin,
    owned: Range<usize>,
    detail: Detail,
    sink: &mut dyn FnMut(RuleId, Evidence),
) {
    let text = doc.text.as_str();
    // Presence: the rules one of whose mentions in this text is a use.
    let mut settled: Vec<RuleId> = Vec::new();
    let mut region_i = 0;
    let mut mask_i = 0;
    let mut pos = Cursor::new(origin);
    let passages = Passages::of(doc);
    for (hit, preset) in hits_and_keys(matcher, text, &owned) {
        let r = hit.range.clone();
        if !owned.contains(&r.start) || settled.contains(&hit.rule) {
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
        let pinned = preset.filter(|_| detail == Detail::Full).or_else(|| {
            if detail == Detail::Presence {
                return None;
            }
            // Looked at near the hit only (a text may be one very long line).
            let near = |end: usize, limit: usize| matcher.version_near(hit.rule, text, end, limit);
            let mention = version::Mention {
                text,
                range: r.clone(),
                region: region.range.clone(),
                kind: hit.kind,
                own_name: matcher.is_own_name(hit.rule, &text[r.clone()]),
            };
            version::pinned(&mention, &near)
        });
        let (line, column) = pos.advance(text, r.start);
        let stance = match passages.at(text, r.clone()) {
            Passage::Prose => match stance::judge(text, r.clone()) {
                Stance::Uses
                    if passages.in_plans(r.start) && !stance::asserted(text, r.clone()) =>
                {
                    Stance::Hedged
                }
                s => s,
            },
            _ => Stance::Uses,
        };
        if detail == Detail::Presence && stance == Stance::Uses {
            settled.push(hit.rule);
        }
        let quote = match detail {
            Detail::Full => quote(text, r.clone()),
            Detail::Presence => String::new(),
        };
        sink(
            hit.rule,
            Evidence {
                file: doc.path.clone(),
                line,
                column,
                field: region.field.clone(),
                text: text[r.clone()].to_string(),
                quote,
                version: pinned.as_ref().map(|p| p.value.clone()),
                version_kind: pinned.map(|p| p.kind),
                negated: stance == Stance::Negated,
                hedged: stance == Stance::Hedged,
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
    /// What each of `versions` is the version of.
    pub version_kinds: Vec<VersionKind>,
    /// True when every mention counted here is negated.
    pub negated: bool,
    /// True when every mention counted here is negated or hedged.
    pub not_used: bool,
    /// True when a mention counted here is hedged.
    pub any_hedged: bool,
}

impl Tally {
    /// A tally of one mention.
    pub fn one(ev: Evidence) -> Tally {
        Tally {
            mentions: 1,
            negated: ev.negated,
            not_used: ev.negated || ev.hedged,
            any_hedged: ev.hedged,
            version_kinds: ev
                .version
                .as_ref()
                .map(|_| ev.version_kind.unwrap_or_default())
                .into_iter()
                .collect(),
            versions: ev.version.into_iter().collect(),
        }
    }
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
                        not_used: true,
                        ..Tally::default()
                    },
                ));
                self.tallies.len() - 1
            }
        };
        let t = &mut self.tallies[i].1;
        t.mentions += 1;
        t.negated &= ev.negated;
        t.not_used &= ev.negated || ev.hedged;
        t.any_hedged |= ev.hedged;
        if let Some(v) = ev.version {
            if !t.versions.contains(&v) && t.versions.len() < MAX_TALLY_VERSIONS {
                t.versions.push(v);
                t.version_kinds.push(ev.version_kind.unwrap_or_default());
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
    // Per finding: every mention negated or hedged, and one hedged.
    let mut quiet: BTreeMap<(SubmissionId, RuleId), (bool, bool)> = BTreeMap::new();
    let mut map: BTreeMap<(SubmissionId, RuleId), Finding> = BTreeMap::new();
    for (sub, rule, m) in mentions {
        let f = map.entry((sub, rule)).or_insert_with(|| Finding {
            submission: sub,
            rule,
            cell: Cell::X,
            versions: Vec::new(),
            version_kinds: Vec::new(),
            negated: true,
            hedged: false,
            evidence: Vec::new(),
            mentions: 0,
        });
        let one_kind = [match &m {
            Mention::One(ev) => ev.version_kind.unwrap_or_default(),
            Mention::Many(_) => VersionKind::Project,
        }];
        let (versions, kinds, negated, not_used, any_hedged, count) = match &m {
            Mention::One(ev) => (
                ev.version.as_slice(),
                &one_kind[..],
                ev.negated,
                ev.negated || ev.hedged,
                ev.hedged,
                1,
            ),
            Mention::Many(t) => (
                t.versions.as_slice(),
                t.version_kinds.as_slice(),
                t.negated,
                t.not_used,
                t.any_hedged,
                t.mentions,
            ),
        };
        let q = quiet.entry((sub, rule)).or_insert((true, false));
        q.0 &= not_used;
        q.1 |= any_hedged;
        f.hedged = q.0 && q.1;
        for (i, v) in versions.iter().enumerate() {
            f.cell = Cell::M;
            if !f.versions.contains(v) {
                f.versions.push(v.clone());
                f.version_kinds
                    .push(kinds.get(i).copied().unwrap_or_default());
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

/// How far on each side of a mention its quote reaches: a sentence or a
/// command line is whole; only a longer line (minified JSON, a log without
/// line breaks) is cut, and `…` marks where.
const QUOTE_REACH: usize = 1024;

/// The line around `range`, trimmed: whole unless it reaches further than
/// [`QUOTE_REACH`] from the mention on either side.
fn quote(text: &str, range: std::ops::Range<usize>) -> String {
    // Looked for near the match only: a text may be one very long line.
    let lo = text.floor_char_boundary(range.start.saturating_sub(QUOTE_REACH));
    let hi = text.floor_char_boundary(range.end.saturating_add(QUOTE_REACH));
    let start = text[lo..range.start].rfind('\n').map_or(lo, |i| lo + i + 1);
    let end = text[range.end..hi].find('\n').map_or(hi, |i| range.end + i);
    let mut q = String::new();
    if start == lo && lo > 0 && text.as_bytes()[lo - 1] != b'\n' {
        q.push('…');
    }
    q.push_str(text[start..end].trim());
    if end == hi && hi < text.len() && text.as_bytes()[hi] != b'\n' {
        q.push('…');
    }
    q.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_version_keys_in_yaml_manifests() {
        use crate::scan::version::sibling_version;
        let v = |t: &str, r: Range<usize>| sibling_version(t, r).map(|p| (p.value, p.kind));
        let t = "spec:\n  chart:\n    spec:\n      chart: nvidia-dra-driver-gpu\n      version: \"25.3.0\"\n      sourceRef:\n";
        let s = t.find("nvidia-dra").unwrap();
        assert_eq!(v(t, s..s + 10), Some(("25.3.0".into(), VersionKind::Chart)));
        let t = "- name: kueue\n  namespace: x\n  tag: v0.14.1\n";
        assert_eq!(v(t, 8..13), Some(("0.14.1".into(), VersionKind::Image)));
        // A version of a different mapping (less indented) does not count.
        let t = "  chart: jobset\nversion: 1.0.0\n";
        assert_eq!(v(t, 9..15), None);
        // Not a naming key.
        let t = "description: kueue\nversion: 1.0.0\n";
        assert_eq!(v(t, 13..18), None);
    }

    #[test]
    fn quote_is_the_trimmed_line() {
        let t = "a\n   We use Kueue here.  \nb";
        let s = t.find("Kueue").unwrap();
        assert_eq!(quote(t, s..s + 5), "We use Kueue here.");
    }

    #[test]
    fn a_long_sentence_is_quoted_whole_and_only_an_endless_line_is_cut() {
        let sentence = format!(
            "notes: \"{} Kueue runs gang scheduling {}\"",
            "word ".repeat(60),
            "more ".repeat(60)
        );
        let t = format!("a\n{sentence}\nb");
        let s = t.find("Kueue").unwrap();
        assert_eq!(quote(&t, s..s + 5), sentence);
        let endless = format!("{}Kueue{}", "x".repeat(5000), "y".repeat(5000));
        let s = endless.find("Kueue").unwrap();
        let q = quote(&endless, s..s + 5);
        assert!(
            q.starts_with('…') && q.ends_with('…') && q.contains("Kueue"),
            "{q}"
        );
        assert!(q.len() <= 2 * QUOTE_REACH + 16, "{}", q.len());
    }
}
