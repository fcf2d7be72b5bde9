//! Findings: which project a submission names, with the evidence for it.
//!
//! [`scan_document`] (in [`crate::scan::hits`]) turns the matcher's hits in
//! one document into [`Evidence`] (only hits inside the vendor's words count,
//! with file, line, column, field, quote, version and negation);
//! [`scan_chunk`] does the same for one chunk of a large file. [`FileEvidence`] keeps a file's first
//! mentions of each project whole and counts the rest; [`collect`] (and
//! [`collect_mentions`]) fold the evidence of a submission's files into one
//! [`Finding`] per project.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::rules::{PatternKind, RuleId};
use crate::scan::section::Sections;
use crate::scan::stance::Stance;
use crate::scan::version::VersionKind;
use crate::source::corpus::SubmissionId;

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
    /// `M`, `X` or `-`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cell::M => "M",
            Cell::X => "X",
            Cell::NotNamed => "-",
        }
    }

    /// A cell as written in a matrix (`M`, `X`, `-`; either case).
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
    /// The version next to the mention, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What `version` is the version of: the project, its chart, a package of it, its image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_kind: Option<VersionKind>,
    /// The sentence says the project is absent, not used or replaced.
    pub negated: bool,
    /// The sentence names the project only as an example or a possibility.
    pub hedged: bool,
    /// What sort of pattern matched (name, URL, image, ...).
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
    /// The submission that names the project.
    pub submission: SubmissionId,
    /// The project's rule.
    pub rule: RuleId,
    /// M (named with a version) or X (named).
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
    /// The checklist sections of the first [`MAX_EVIDENCE`] mentions kept whole.
    #[serde(skip)]
    pub sections: Sections,
    /// The files of the first [`MAX_EVIDENCE`] mentions kept whole, in order, each run of
    /// one file once.
    #[serde(skip)]
    pub files: Vec<String>,
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

pub use crate::scan::hits::{scan_chunk, scan_document, scan_document_with, Detail};

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
    /// A mention kept whole.
    One(Evidence),
    /// Mentions counted only.
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
    collect_keeping(mentions, MAX_EVIDENCE)
}

/// [`collect_mentions`], keeping the evidence of at most `whole` mentions per finding; the
/// sections and files are those of the first [`MAX_EVIDENCE`] whatever `whole` is.
pub(crate) fn collect_keeping(
    mentions: impl IntoIterator<Item = (SubmissionId, RuleId, Mention)>,
    whole: usize,
) -> Vec<Finding> {
    // Per finding: every mention negated or hedged, one hedged, and mentions seen whole.
    let mut quiet: BTreeMap<(SubmissionId, RuleId), (bool, bool, usize)> = BTreeMap::new();
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
            sections: Sections::default(),
            files: Vec::new(),
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
        let q = quiet.entry((sub, rule)).or_insert((true, false, 0));
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
            if q.2 < MAX_EVIDENCE {
                q.2 += 1;
                if let Some(field) = &ev.field {
                    f.sections.add_field(field);
                }
                if f.files.last() != Some(&ev.file) {
                    f.files.push(ev.file.clone());
                }
                if f.evidence.len() < whole {
                    f.evidence.push(ev);
                }
            }
        }
    }
    map.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Range;

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
}
