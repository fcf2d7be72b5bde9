//! The matrices compared cell by cell: every cell of every version, published rows and engine rows
//! together, each disagreement with its reason and evidence.

use super::{CellEvidence, Cells, Disagreement, Kind, Outside};
use crate::published::{Published, PublishedMatrix};
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Finding};
use crate::scan::Scan;
use crate::source::corpus::{version_key, SubmissionId};
use crate::tables::analysis::Analysis;
use crate::tables::view;
use crate::tables::{self, Matrix, Mentions};

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
        let columns = columns(&version, pm, em, scan);
        let rows = rows(pm, em, rules);
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

/// A version's columns: the published header, then corpus submissions it lacks.
fn columns(
    version: &str,
    pm: Option<&PublishedMatrix>,
    em: Option<&Matrix>,
    scan: &Scan,
) -> Vec<(String, Option<SubmissionId>)> {
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
    columns
}

/// A version's rows: the published rows (with their index), then engine rows no published row
/// maps to.
fn rows(
    pm: Option<&PublishedMatrix>,
    em: Option<&Matrix>,
    rules: &RuleSet,
) -> Vec<(String, Option<RuleId>, Option<usize>)> {
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
    rows
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
    let (kind, reason, evidence) = match (c.sub, c.rule) {
        (None, _) => (
            Kind::NoSubmission,
            format!(
                "no submission `{}/{}` in the corpus",
                c.version, c.submission
            ),
            Vec::new(),
        ),
        (Some(_), None) => (
            Kind::NoRule,
            format!(
                "no rule is named `{}`: the engine does not look for this project",
                c.project
            ),
            Vec::new(),
        ),
        (Some(sub), Some(rule)) => match (p, scan.finding(sub, rule)) {
            (Cell::NotNamed, Some(f)) => engine_only(c, f, &scan.submission(sub).id),
            (_, None) => published_only(sub, rule, scan, rules, outside),
            (Cell::M, Some(f)) => version_unseen(f),
            (_, Some(f)) => version_unpublished(f),
        },
    };
    Some(Disagreement {
        version: c.version.to_string(),
        submission: c.submission.to_string(),
        project: c.project.to_string(),
        published: p,
        engine: e,
        kind,
        reason,
        evidence,
    })
}

/// A disagreement's kind, reason and evidence.
type Judgement = (Kind, String, Vec<CellEvidence>);

/// The engine finds the project where the published table has `-` (or no column).
fn engine_only(c: &CellRef, f: &Finding, sid: &str) -> Judgement {
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
    (Kind::EngineOnly, reason, ev)
}

/// The published table names the project; the engine finds it nowhere in the vendor's words
/// (perhaps in the template text: where, as evidence).
fn published_only(
    sub: SubmissionId,
    rule: RuleId,
    scan: &Scan,
    rules: &RuleSet,
    outside: &mut Outside,
) -> Judgement {
    let hits = outside.hits(scan, sub, rule);
    let files = scan.submission(sub).files.len();
    let mut reason = format!(
        "no name, alias, URL or kind of {} ({}) occurs in the vendor's words of {} ({files} file{})",
        rules.get(rule).name,
        view::describe_patterns(rules, rule),
        scan.submission(sub).id,
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
    (Kind::PublishedOnly, reason, ev)
}

/// The published table says M; no version follows any mention the engine finds.
fn version_unseen(f: &Finding) -> Judgement {
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
    (Kind::Version, reason, ev)
}

/// The engine finds a version the published table does not give.
fn version_unpublished(f: &Finding) -> Judgement {
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
    (Kind::Version, reason, ev)
}
