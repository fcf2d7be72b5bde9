//! The score: the engine's cells against a truth set of hand labels
//! ([`truth::Truth`]). Per project row and overall: precision and recall of
//! the cells named, M/X right, versions right, and the versions reported that
//! belong to something else; every disagreement is listed with the engine's
//! evidence or the label's quote.
//!
//! A labelled row is a published row name ("K8s Cluster Autoscaler",
//! "Dynamo", "Envoy Gateway / Envoy AI Gateway"): it is scored against the
//! rule of that name, of that name with `NVIDIA ` before it, or, for
//! `A / B`, the rules of A and B together. A mention that says the project
//! is absent still names it (the labels count such mentions too).

pub mod render;
pub mod truth;

use crate::diagnostic::Code;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Evidence};
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;

pub use render::{render, ScoreFormat};
pub use truth::{Label, Labelled, Quote, Truth};

/// The whole score.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    /// The truth folder.
    pub truth: String,
    /// Labelled submissions scored.
    pub submissions: usize,
    pub overall: Figures,
    /// One per project row, in the order of `projects.txt`, then by name.
    pub projects: Vec<ProjectScore>,
    /// Every cell where the engine and the label differ.
    pub disagreements: Vec<Disagreement>,
}

/// The figures of one project row, or of all of them.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Figures {
    /// Cells the labels name (M or X).
    pub labelled: usize,
    /// Cells the engine names.
    pub reported: usize,
    /// Cells both name.
    pub agreed: usize,
    /// agreed / reported (null when nothing is reported).
    pub precision: Option<f64>,
    /// agreed / labelled (null when nothing is labelled).
    pub recall: Option<f64>,
    /// Of the agreed cells, those whose M or X is the label's.
    pub cells_right: usize,
    /// cells_right / agreed.
    pub mx_right: Option<f64>,
    /// Agreed cells with a version on either side.
    pub versions_judged: usize,
    /// Of those, the cells where a labelled version is among the reported
    /// ones and no reported version is another.
    pub versions_ok: usize,
    /// versions_ok / versions_judged.
    pub versions_right: Option<f64>,
    /// Versions reported on agreed cells that the label does not give: they
    /// belong to something else.
    pub foreign_versions: usize,
}

/// The score of one project row.
#[derive(Clone, Debug, Serialize)]
pub struct ProjectScore {
    /// The row name of the labels.
    pub project: String,
    /// The ids of the rules it is scored against.
    pub rules: Vec<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

/// What kind of disagreement a cell is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Labelled, not reported.
    Missed,
    /// Reported, not labelled.
    Extra,
    /// Both name it; M where the label says X or the reverse.
    Cell,
    /// Both say M (or the engine reports a version) but the versions differ.
    Version,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Missed => "missed",
            Kind::Extra => "extra",
            Kind::Cell => "cell",
            Kind::Version => "version",
        }
    }
}

/// One cell where the engine and the label differ.
#[derive(Clone, Debug, Serialize)]
pub struct Disagreement {
    pub submission: String,
    pub project: String,
    pub kind: Kind,
    /// The label's cell (`-` when not labelled).
    pub label_cell: Cell,
    pub label_versions: Vec<String>,
    /// The label's quotes (none when not labelled).
    pub label_quotes: Vec<Quote>,
    pub engine_cell: Cell,
    pub engine_versions: Vec<String>,
    /// Reported versions the label does not give.
    pub foreign_versions: Vec<String>,
    /// The engine's evidence that shows the disagreement: the mention with a
    /// foreign version, else the first mention (none when not reported).
    pub engine_evidence: Option<Evidence>,
}

/// The engine's side of one (submission, row) cell.
struct Reported<'a> {
    cell: Cell,
    versions: Vec<String>,
    evidence: Vec<&'a Evidence>,
}

/// Scores `scan` against `truth`. Errors: a label row no rule answers to
/// (E703), a labelled submission the corpus lacks (E704).
pub fn score(truth: &Truth, scan: &Scan, rules: &RuleSet) -> Result<Score, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let rows = rows(truth);
    let mut resolved: Vec<(String, Vec<RuleId>)> = Vec::new();
    for row in &rows {
        match resolve(rules, row) {
            Some(ids) => resolved.push((row.clone(), ids)),
            None => problems.push(unknown_row(truth, rules, row)),
        }
    }
    let mut subs: Vec<(&Label, SubmissionId)> = Vec::new();
    for label in &truth.labels {
        match scan.find_submission(&label.submission) {
            Some(s) => subs.push((label, s)),
            None => problems.push(
                Diagnostic::error(
                    Code::E704,
                    &label.file,
                    format!("`{}` is not a submission of the corpus", label.submission),
                )
                .with_help("score a corpus at the revision the labels were made from (--rev)"),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut projects = Vec::new();
    let mut disagreements = Vec::new();
    let mut overall = Figures::default();
    for (row, ids) in &resolved {
        let mut f = Figures::default();
        for (label, sub) in &subs {
            let labelled = label.projects.iter().find(|(n, _)| n == row).map(|p| &p.1);
            let reported = reported(scan, *sub, ids);
            if let Some(d) = judge(&mut f, labelled, &reported) {
                disagreements.push(Disagreement {
                    submission: label.submission.clone(),
                    project: row.clone(),
                    ..d
                });
            }
        }
        add(&mut overall, &f);
        projects.push(ProjectScore {
            project: row.clone(),
            rules: ids.iter().map(|r| rules.get(*r).id.clone()).collect(),
            figures: ratios(f),
        });
    }
    disagreements.sort_by(|a, b| (&a.submission, a.kind).cmp(&(&b.submission, b.kind)));
    Ok(Score {
        truth: truth.dir.clone(),
        submissions: subs.len(),
        overall: ratios(overall),
        projects,
        disagreements,
    })
}

/// The rows scored: `projects.txt`, then every other row a label names, by name.
fn rows(truth: &Truth) -> Vec<String> {
    let mut rows = truth.rows.clone();
    let mut more: Vec<&String> = truth
        .labels
        .iter()
        .flat_map(|l| l.projects.iter().map(|p| &p.0))
        .filter(|n| !rows.contains(n))
        .collect();
    more.sort();
    more.dedup();
    rows.extend(more.into_iter().cloned());
    rows
}

/// The rules a row name is scored against.
pub fn resolve(rules: &RuleSet, row: &str) -> Option<Vec<RuleId>> {
    let bare = match row.find(" (") {
        Some(i) if row.ends_with(')') => row[..i].trim(),
        _ => row.trim(),
    };
    let one = |n: &str| rules.find(n).or_else(|| rules.find(&format!("NVIDIA {n}")));
    if let Some(id) = one(bare) {
        return Some(vec![id]);
    }
    let parts: Vec<&str> = bare.split(" / ").collect();
    if parts.len() > 1 {
        return parts.iter().map(|p| one(p.trim())).collect();
    }
    None
}

fn unknown_row(truth: &Truth, rules: &RuleSet, row: &str) -> Diagnostic {
    let file = truth
        .labels
        .iter()
        .find(|l| l.projects.iter().any(|p| p.0 == row))
        .map_or_else(|| format!("{}/projects.txt", truth.dir), |l| l.file.clone());
    let mut d = Diagnostic::error(
        Code::E703,
        file,
        format!("no rule answers to the project `{row}`"),
    );
    let names = rules.rules.iter().map(|r| r.name.as_str());
    if let Some(c) = crate::rules::closest(row, names) {
        d = d.with_help(format!("did you mean `{c}`?"));
    }
    d
}

fn reported<'a>(scan: &'a Scan, sub: SubmissionId, ids: &[RuleId]) -> Reported<'a> {
    let mut r = Reported {
        cell: Cell::NotNamed,
        versions: Vec::new(),
        evidence: Vec::new(),
    };
    for f in ids.iter().filter_map(|id| scan.finding(sub, *id)) {
        r.cell = r.cell.max(f.cell);
        for v in &f.versions {
            if !r.versions.contains(v) {
                r.versions.push(v.clone());
            }
        }
        r.evidence.extend(&f.evidence);
    }
    r
}

/// Counts one cell into `f`; its disagreement, if any.
fn judge(f: &mut Figures, label: Option<&Labelled>, eng: &Reported) -> Option<Disagreement> {
    let named = eng.cell != Cell::NotNamed;
    f.labelled += usize::from(label.is_some());
    f.reported += usize::from(named);
    let d = |kind, foreign: Vec<String>, ev: Option<&Evidence>| Disagreement {
        submission: String::new(),
        project: String::new(),
        kind,
        label_cell: label.map_or(Cell::NotNamed, |l| l.cell),
        label_versions: label.map(|l| l.versions.clone()).unwrap_or_default(),
        label_quotes: label.map(|l| l.evidence.clone()).unwrap_or_default(),
        engine_cell: eng.cell,
        engine_versions: eng.versions.clone(),
        foreign_versions: foreign,
        engine_evidence: ev.or(eng.evidence.first().copied()).cloned(),
    };
    let label = match (label, named) {
        (None, false) => return None,
        (None, true) => return Some(d(Kind::Extra, Vec::new(), None)),
        (Some(_), false) => return Some(d(Kind::Missed, Vec::new(), None)),
        (Some(l), true) => l,
    };
    f.agreed += 1;
    let cell_right = label.cell == eng.cell;
    f.cells_right += usize::from(cell_right);
    let labelled: Vec<String> = label.versions.iter().map(|v| norm(v)).collect();
    let foreign: Vec<String> = eng
        .versions
        .iter()
        .filter(|v| !labelled.contains(&norm(v)))
        .cloned()
        .collect();
    let judged = !labelled.is_empty() || !eng.versions.is_empty();
    let found = eng.versions.iter().any(|v| labelled.contains(&norm(v)));
    let versions_ok = found && foreign.is_empty();
    if judged {
        f.versions_judged += 1;
        f.versions_ok += usize::from(versions_ok);
        f.foreign_versions += foreign.len();
    }
    let shown = foreign.first().and_then(|v| {
        eng.evidence
            .iter()
            .find(|e| e.version.as_deref() == Some(v.as_str()))
            .copied()
    });
    if !cell_right {
        Some(d(Kind::Cell, foreign, shown))
    } else if judged && !versions_ok {
        Some(d(Kind::Version, foreign, shown))
    } else {
        None
    }
}

/// A version as compared: trimmed, lower case, without a leading `v`.
pub fn norm(v: &str) -> String {
    let v = v.trim().to_lowercase();
    match v.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => v,
    }
}

fn add(total: &mut Figures, f: &Figures) {
    total.labelled += f.labelled;
    total.reported += f.reported;
    total.agreed += f.agreed;
    total.cells_right += f.cells_right;
    total.versions_judged += f.versions_judged;
    total.versions_ok += f.versions_ok;
    total.foreign_versions += f.foreign_versions;
}

fn ratios(mut f: Figures) -> Figures {
    let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    f.precision = ratio(f.agreed, f.reported);
    f.recall = ratio(f.agreed, f.labelled);
    f.mx_right = ratio(f.cells_right, f.agreed);
    f.versions_right = ratio(f.versions_ok, f.versions_judged);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(cell: Cell, versions: &[&str]) -> Labelled {
        Labelled {
            cell,
            versions: versions.iter().map(|v| v.to_string()).collect(),
            evidence: vec![],
        }
    }

    fn eng(cell: Cell, versions: &[&str]) -> Reported<'static> {
        Reported {
            cell,
            versions: versions.iter().map(|v| v.to_string()).collect(),
            evidence: vec![],
        }
    }

    /// A cell and its versions.
    type Side = (Cell, &'static [&'static str]);
    /// label, engine -> disagreement kind, (versions judged, ok, foreign).
    type Case = (Option<Side>, Side, Option<Kind>, (usize, usize, usize));

    /// One row per case.
    #[test]
    fn each_cell_is_judged() {
        use Cell::{NotNamed as N, M, X};
        let cases: &[Case] = &[
            (None, (N, &[]), None, (0, 0, 0)),
            (None, (X, &[]), Some(Kind::Extra), (0, 0, 0)),
            (Some((X, &[])), (N, &[]), Some(Kind::Missed), (0, 0, 0)),
            (Some((X, &[])), (X, &[]), None, (0, 0, 0)),
            (Some((M, &["v1.2"])), (M, &["1.2"]), None, (1, 1, 0)),
            (Some((M, &["1.2", "1.3"])), (M, &["1.3"]), None, (1, 1, 0)),
            (
                Some((M, &["1.2"])),
                (M, &["1.2", "580.105.08"]),
                Some(Kind::Version),
                (1, 0, 1),
            ),
            (
                Some((M, &["1.2"])),
                (M, &["1.0.1"]),
                Some(Kind::Version),
                (1, 0, 1),
            ),
            (Some((M, &["1.2"])), (X, &[]), Some(Kind::Cell), (1, 0, 0)),
            (
                Some((X, &[])),
                (M, &["580.105.08"]),
                Some(Kind::Cell),
                (1, 0, 1),
            ),
        ];
        for (i, (label, (ec, ev), kind, (judged, ok, foreign))) in cases.iter().enumerate() {
            let l = label.map(|(c, v)| labelled(c, v));
            let mut f = Figures::default();
            let d = judge(&mut f, l.as_ref(), &eng(*ec, ev));
            assert_eq!(d.map(|d| d.kind), *kind, "case {i}");
            assert_eq!(
                (f.versions_judged, f.versions_ok, f.foreign_versions),
                (*judged, *ok, *foreign),
                "case {i}"
            );
        }
    }

    #[test]
    fn rows_resolve_to_rules_by_name_prefix_or_parts() {
        let (rules, _) = crate::rules::builtin();
        let id = |n: &str| {
            resolve(&rules, n).map(|ids| {
                ids.iter()
                    .map(|r| rules.get(*r).id.clone())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(id("Kueue").unwrap(), ["kueue"]);
        assert_eq!(id("Dynamo").unwrap(), ["nvidia-dynamo"]);
        assert_eq!(id("K-Gateway (GW API Inf. Ext)").unwrap(), ["k-gateway"]);
        assert_eq!(
            id("Envoy Gateway / Envoy AI Gateway").unwrap(),
            ["envoy-gateway", "envoy-ai-gateway"]
        );
        assert_eq!(id("No Such Thing"), None);
    }

    #[test]
    fn versions_compare_without_a_leading_v() {
        assert_eq!(norm(" v3.5 "), "3.5");
        assert_eq!(norm("V1"), "1");
        assert_eq!(norm("vanilla"), "vanilla");
    }
}
