//! [`Index`]: a loaded [`Scan`] arranged for queries, built once per scan
//! (the REPL keeps it with its scan; a one-off query builds its own).
//!
//! - findings by submission (the range of each one's findings) and by rule;
//! - per rule, the submissions using it (`uses PROJECT` as a list of ids);
//! - per finding, its checklist sections as bits and its project versions
//!   as ids into the distinct versions of the scan;
//! - per submission, its version, platform, vendor and id as ids into the
//!   distinct values of each ([`Values`]), with the key each groups by (the
//!   ids, one per submission, made the first time a query groups by them).
//!
//! A condition is then tested once per distinct value instead of once per
//! submission or finding, and grouping is by ids: strings are made only for
//! the rows of the answer. The plain walk over the scan ([`crate::query::eval`]
//! without an index) answers the same, byte for byte; tests hold them equal.

pub mod bits;
mod values;

pub use bits::Bits;
pub use values::{Interner, Values, NONE};

use std::sync::OnceLock;

use crate::query::field::Field;
use crate::rules::RuleId;
use crate::scan::section::SECTIONS;
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;

/// A scan arranged for queries.
#[derive(Clone, Debug)]
pub struct Index {
    /// What it was built from: (findings, submissions, the findings' address).
    identity: (usize, usize, usize),
    /// Submission `s`'s findings are `scan.findings[sub_start[s]..sub_start[s + 1]]`.
    sub_start: Vec<u32>,
    /// Each rule's findings, as indices into `scan.findings`, in scan order.
    by_rule: Vec<Vec<u32>>,
    /// Each rule's submissions naming it not only negated or hedged (`uses`), ascending.
    uses: Vec<Vec<u32>>,
    /// Each finding's submission, rule, cell (0 `-`, 1 `X`, 2 `M`) and `negated`, packed so a
    /// test of every finding reads a few bytes of each, not the finding.
    sub: Vec<u32>,
    rule: Vec<u32>,
    cell: Vec<u8>,
    negated: Vec<bool>,
    /// Each finding's sections: bit `i` is `SECTIONS[i]`.
    sections: Vec<u8>,
    /// Finding `i`'s versions are `version_ids[version_start[i]..version_start[i + 1]]`.
    version_start: Vec<u32>,
    version_ids: Vec<u32>,
    /// The distinct project versions (`versions`).
    pub(crate) versions: Values,
    /// The distinct values of `version`, `platform` and `submission_vendor`.
    subs: [Values; 3],
    /// Those of `submission` (one per submission), made the first time a query groups by it.
    ids: OnceLock<Values>,
}

/// Findings' fields, one vector each.
#[derive(Default)]
struct Packed {
    sub: Vec<u32>,
    rule: Vec<u32>,
    cell: Vec<u8>,
    negated: Vec<bool>,
}

/// The submission fields the index holds, in the order of `Index::subs`.
const SUB_FIELDS: [Field; 3] = [Field::Version, Field::Platform, Field::SubmissionVendor];

/// The distinct values of submission field `field` in `scan`.
fn submission_values(field: Field, scan: &Scan) -> Values {
    let mut b = Values::builder();
    for (s, info) in scan.submissions.iter().enumerate() {
        let s = SubmissionId(s as u32);
        let raw = match field {
            Field::Version => &info.kubernetes_version,
            Field::Platform => &info.platform,
            Field::SubmissionVendor => &info.vendor,
            _ => &info.id,
        };
        let id = b.raw(raw, |_| {
            crate::query::eval::submission_value(field, scan, s)
        });
        b.item(id);
    }
    b.finish()
}

impl Index {
    /// Arranges `scan` (one pass over its findings, one over its submissions).
    pub fn build(scan: &Scan) -> Index {
        let n = scan.findings.len();
        let mut sub_start = vec![0u32; scan.submissions.len() + 1];
        let rules = scan
            .findings
            .iter()
            .map(|f| f.rule.0 + 1)
            .max()
            .unwrap_or(0);
        let mut by_rule = vec![Vec::new(); rules as usize];
        let mut uses = vec![Vec::new(); rules as usize];
        let mut sections = Vec::with_capacity(n);
        let mut version_start = Vec::with_capacity(n + 1);
        let mut version_ids = Vec::new();
        let mut versions = Values::builder();
        let mut packed = Packed::default();
        version_start.push(0);
        for (i, f) in scan.findings.iter().enumerate() {
            sub_start[f.submission.0 as usize + 1] += 1;
            by_rule[f.rule.0 as usize].push(i as u32);
            if !f.negated && !f.hedged {
                uses[f.rule.0 as usize].push(f.submission.0);
            }
            sections.push(section_bits(f.sections.names()));
            packed.sub.push(f.submission.0);
            packed.rule.push(f.rule.0);
            packed
                .cell
                .push(crate::query::eval::cell_index(f.cell) as u8);
            packed.negated.push(f.negated);
            version_ids.extend(
                f.versions
                    .iter()
                    .map(|v| versions.raw(v, crate::query::plan::project_version)),
            );
            version_start.push(version_ids.len() as u32);
        }
        for s in 1..sub_start.len() {
            sub_start[s] += sub_start[s - 1];
        }
        let subs = SUB_FIELDS.map(|field| submission_values(field, scan));
        Index {
            identity: identity(scan),
            sub_start,
            by_rule,
            uses,
            sub: packed.sub,
            rule: packed.rule,
            cell: packed.cell,
            negated: packed.negated,
            sections,
            version_start,
            version_ids,
            versions: versions.finish(),
            subs,
            ids: OnceLock::new(),
        }
    }

    /// Was it built from `scan` (as far as can be told without comparing every finding)?
    pub fn fits(&self, scan: &Scan) -> bool {
        self.identity == identity(scan)
    }

    /// The indices in `scan.findings` of submission `s`'s findings.
    pub fn of_submission(&self, s: SubmissionId) -> std::ops::Range<usize> {
        let s = s.0 as usize;
        self.sub_start[s] as usize..self.sub_start[s + 1] as usize
    }

    /// The indices in `scan.findings` of rule `r`'s findings, in scan order.
    pub fn of_rule(&self, r: RuleId) -> &[u32] {
        self.by_rule.get(r.0 as usize).map_or(&[], Vec::as_slice)
    }

    /// The submissions using rule `r` (naming it, not only negated or hedged), ascending.
    pub fn using(&self, r: RuleId) -> &[u32] {
        self.uses.get(r.0 as usize).map_or(&[], Vec::as_slice)
    }

    /// Finding `i`'s submission.
    pub fn submission_of(&self, i: usize) -> SubmissionId {
        SubmissionId(self.sub[i])
    }

    /// Finding `i`'s rule.
    pub fn rule_of(&self, i: usize) -> RuleId {
        RuleId(self.rule[i])
    }

    /// The rules of the findings `range` (a submission's are ascending).
    pub fn rules_of(&self, range: std::ops::Range<usize>) -> &[u32] {
        &self.rule[range]
    }

    /// Finding `i`'s cell: 0 `-`, 1 `X`, 2 `M`.
    pub fn cell_of(&self, i: usize) -> usize {
        self.cell[i] as usize
    }

    /// Finding `i`'s `negated`.
    pub fn negated_of(&self, i: usize) -> bool {
        self.negated[i]
    }

    /// Finding `i`'s sections, bit `j` for `SECTIONS[j]`.
    pub fn sections(&self, i: usize) -> u8 {
        self.sections[i]
    }

    /// Finding `i`'s versions, as ids in [`Index::versions`].
    pub fn versions_of(&self, i: usize) -> &[u32] {
        &self.version_ids[self.version_start[i] as usize..self.version_start[i + 1] as usize]
    }

    /// The distinct values of a submission field (`version`, `platform`,
    /// `submission_vendor`, `submission`) of `scan`, the scan the index was built from;
    /// `None` for other fields.
    pub fn submission_values(&self, field: Field, scan: &Scan) -> Option<&Values> {
        if field == Field::Submission {
            return Some(self.ids.get_or_init(|| submission_values(field, scan)));
        }
        SUB_FIELDS
            .iter()
            .position(|&f| f == field)
            .map(|i| &self.subs[i])
    }
}

/// What identifies the scan an index was built from.
fn identity(scan: &Scan) -> (usize, usize, usize) {
    (
        scan.findings.len(),
        scan.submissions.len(),
        scan.findings.as_ptr() as usize,
    )
}

/// Section names as bits of their places in [`SECTIONS`].
pub fn section_bits<'s>(names: impl Iterator<Item = &'s str>) -> u8 {
    names
        .filter_map(|n| SECTIONS.iter().position(|s| *s == n))
        .fold(0, |b, i| b | 1 << i)
}

/// The section names of `bits`, in checklist order.
pub fn section_names(bits: u8) -> impl Iterator<Item = &'static str> {
    SECTIONS
        .iter()
        .enumerate()
        .filter(move |(i, _)| bits & (1 << i) != 0)
        .map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_bits_name_the_sections_they_were_made_from_in_checklist_order() {
        for bits in 0..(1u8 << SECTIONS.len()) {
            assert_eq!(section_bits(section_names(bits)), bits);
        }
        assert_eq!(
            section_names(section_bits(
                ["security", "accelerators", "nothing"].into_iter()
            ))
            .collect::<Vec<_>>(),
            ["accelerators", "security"]
        );
    }
}
