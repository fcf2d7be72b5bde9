//! The matrices compared cell by cell: every cell of every version, published rows and engine rows
//! together, each disagreement with its reason and evidence.

use super::{CellEvidence, Cells, Disagreement, Kind, Outside};
use crate::reconcile::published::Published;
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::Cell;
use crate::scan::Scan;
use crate::source::corpus::{version_key, SubmissionId};
use crate::tables::analysis::Analysis;
use crate::tables::view;
use crate::tables::{self, Mentions};

/// Evidence kept per disagreement.
const MAX_EVIDENCE: usize = 3;

/// Every matrix cell of every version, published rows and engine rows together.
pub(super) fn cells(
    published: &Published,
    scan: &Scan,
    rules: &RuleSet,
    analysis: &Analysis,
    outside: &mut Outside,
) -> Cells {
    let mut out = Cells::default();
    let mut versions: Vec<String> = published
        .matrices
        .iter()
        .map(|m| m.version.clone())
        .collect();
    versions.extend(analysis.matrices.iter().map(|m| m.version.clone()));
    versions.sort_by_key(|v| version_key(v));
    versions.dedup_by_key(|v| version_key(v));
    for version in versions {
        let pm = published
            .matrices
            .iter()
            .find(|m| version_key(&m.version) == version_key(&version));
        let em = analysis
            .matrices
            .iter()
            .find(|m| version_key(&m.version) == version_key(&version));
        // Columns: the published header, then corpus submissions it lacks.
        let mut columns: Vec<(String, Option<SubmissionId>)> = pm
            .map(|m| {
                m.submissions
                    .iter()
                    .map(|s| (s.clone(), scan.find_submission(&format!("{version}/{s}"))))
                    .collect()
            })
            .unwrap_or_default();
        for &s in em.map(|m| m.submissions.as_slice()).unwrap_or_default() {
            if !columns.iter().any(|c| c.1 == Some(s)) {
                columns.push((view::short_name(scan, s), Some(s)));
            }
        }
        // Rows: the published rows, then engine rows no published row maps to.
        let mut rows: Vec<(String, Option<RuleId>, Option<usize>)> = pm
            .map(|m| {
                m.rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.project.clone(), rules.find(&r.project), Some(i)))
                    .collect()
            })
            .unwrap_or_default();
        for &rule in em.map(|m| m.projects.as_slice()).unwrap_or_default() {
            if !rows.iter().any(|r| r.1 == Some(rule)) {
                rows.push((rules.get(rule).name.clone(), Some(rule), None));
            }
        }
        for (project, rule, prow) in &rows {
            for (col, (name, sub)) in columns.iter().enumerate() {
                let in_header = pm.is_some_and(|m| col < m.submissions.len());
                let p = match (pm, prow) {
                    (Some(m), Some(i)) if in_header => m.rows[*i].cells[col],
                    _ => Cell::NotNamed,
                };
                let e = match (sub, rule) {
                    (Some(s), Some(r)) => tables::cell(scan, *s, *r, Mentions::All),
                    _ => Cell::NotNamed,
                };
                out.compared += 1;
                let cell = CellRef {
                    version: &version,
                    submission: name,
                    project,
                    sub: *sub,
                    rule: *rule,
                    in_header,
                };
                match judge(&cell, p, e, scan, rules, outside) {
                    None => out.agreed += 1,
                    Some(d) => {
                        *out.by_kind.entry(d.kind).or_default() += 1;
                        out.disagreements.push(d);
                    }
                }
            }
        }
    }
    out.disagreed = out.disagreements.len();
    out
}

/// Where a compared cell is.
struct CellRef<'a> {
    version: &'a str,
    submission: &'a str,
    project: &'a str,
    sub: Option<SubmissionId>,
    rule: Option<RuleId>,
    /// The column is in the published header (not a corpus submission it lacks).
    in_header: bool,
}

/// The disagreement of one cell, if any.
fn judge(
    c: &CellRef,
    p: Cell,
    e: Cell,
    scan: &Scan,
    rules: &RuleSet,
    outside: &mut Outside,
) -> Option<Disagreement> {
    if p == e {
        return None;
    }
    let disagreement = |kind, reason: String, evidence| Disagreement {
        version: c.version.to_string(),
        submission: c.submission.to_string(),
        project: c.project.to_string(),
        published: p,
        engine: e,
        kind,
        reason,
        evidence,
    };
    let Some(sub) = c.sub else {
        let reason = format!(
            "no submission `{}/{}` in the corpus",
            c.version, c.submission
        );
        return Some(disagreement(Kind::NoSubmission, reason, Vec::new()));
    };
    let Some(rule) = c.rule else {
        let reason = format!(
            "no rule is named `{}`: the engine does not look for this project",
            c.project
        );
        return Some(disagreement(Kind::NoRule, reason, Vec::new()));
    };
    let finding = scan.finding(sub, rule);
    let sid = &scan.submission(sub).id;
    match (p, finding) {
        (Cell::NotNamed, Some(f)) => {
            let mut reason = format!(
                "the engine finds {} mention{} in the vendor's words of {sid}{}",
                f.mentions,
                if f.mentions == 1 { "" } else { "s" },
                if f.negated {
                    ", every one negated (the vendor says it is not used)"
                } else {
                    ""
                }
            );
            reason.push_str(if c.in_header {
                "; the published table has `-`"
            } else {
                "; the published matrix has no column for this submission"
            });
            let ev = f
                .evidence
                .iter()
                .take(MAX_EVIDENCE)
                .map(CellEvidence::mention)
                .collect();
            Some(disagreement(Kind::EngineOnly, reason, ev))
        }
        (_, None) => {
            let hits = outside.hits(scan, sub, rule);
            let files = scan.submission(sub).files.len();
            let mut reason = format!(
                "no name, alias, URL or kind of {} ({}) occurs in the vendor's words of {sid} ({files} file{})",
                rules.get(rule).name,
                view::describe_patterns(rules, rule),
                if files == 1 { "" } else { "s" }
            );
            if hits.is_empty() {
                reason.push_str(", nor in its template text");
            } else {
                let places: Vec<String> = hits
                    .iter()
                    .take(MAX_EVIDENCE)
                    .map(|h| format!("{}:{} ({})", h.file, h.line, h.location))
                    .collect();
                reason.push_str(&format!(
                    "; it occurs only in template text: {}",
                    places.join(", ")
                ));
                if hits.len() > MAX_EVIDENCE {
                    reason.push_str(&format!(" and {} more", hits.len() - MAX_EVIDENCE));
                }
            }
            let ev = hits
                .iter()
                .take(MAX_EVIDENCE)
                .map(CellEvidence::template)
                .collect();
            Some(disagreement(Kind::PublishedOnly, reason, ev))
        }
        (Cell::M, Some(f)) => {
            let reason = format!(
                "the published table says a version is given; no version follows any of the {} mention{} the engine finds",
                f.mentions,
                if f.mentions == 1 { "" } else { "s" }
            );
            let ev = f
                .evidence
                .iter()
                .take(MAX_EVIDENCE)
                .map(CellEvidence::mention)
                .collect();
            Some(disagreement(Kind::Version, reason, ev))
        }
        (_, Some(f)) => {
            let reason = format!(
                "the engine finds version {} next to a mention; the published table says no version is given",
                f.version_labels().join(", ")
            );
            let ev = f
                .evidence
                .iter()
                .filter(|e| e.version.is_some())
                .take(MAX_EVIDENCE)
                .map(CellEvidence::mention)
                .collect();
            Some(disagreement(Kind::Version, reason, ev))
        }
    }
}
