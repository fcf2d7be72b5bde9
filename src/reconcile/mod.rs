//! Reconciliation: the published analysis ([`Published`]) against what the
//! engine computes from the same corpus ([`Analysis`]), cell by cell and
//! number by number. Every disagreement carries its reason and evidence: the
//! vendor's words the published table missed, or — for a published mention
//! the engine cannot find — where the project occurs only in template text.
//! Published project names map to rules by display name, through
//! [`Published::project_key`].

pub mod published;

mod outside;
mod render;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

pub use outside::{explain_absent, outside_hits, Outside, OutsideHit};
pub use render::render;

use crate::reconcile::published::Published;
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Evidence};
use crate::scan::Scan;
use crate::source::corpus::{version_key, SubmissionId};
use crate::tables::analysis::{self, Analysis};
use crate::tables::view;
use crate::tables::{self, Mentions};

/// Evidence kept per disagreement.
const MAX_EVIDENCE: usize = 3;

/// The whole comparison; its JSON form is the stable `reconcile --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct Reconciliation {
    /// The published file, as named.
    pub published: String,
    pub cells: Cells,
    /// Every summary row (published, and engine projects the summary lacks).
    pub summary: Vec<SummaryCheck>,
    /// Published summary rows whose stacks contradict the published matrix.
    pub summary_self_inconsistencies: Vec<SelfInconsistency>,
    pub nvidia: NvidiaCheck,
    /// Project reference rows whose repository, licence or CNCF status differ from the rule's.
    pub reference: Vec<ReferenceCheck>,
    /// Key findings and inventory numbers.
    pub numbers: Vec<NumberCheck>,
}

/// Matrix cells compared.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Cells {
    pub compared: usize,
    pub agreed: usize,
    pub disagreed: usize,
    /// Disagreements per [`Kind`] (snake_case names).
    pub by_kind: BTreeMap<Kind, usize>,
    pub disagreements: Vec<Disagreement>,
}

/// Why a cell disagrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The engine finds a mention; the published cell is `-`.
    EngineOnly,
    /// The published cell is M or X; the engine finds no mention.
    PublishedOnly,
    /// Both find a mention; one says a version is given, the other not.
    Version,
    /// The published project has no rule.
    NoRule,
    /// The published column is not a submission of the corpus.
    NoSubmission,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::EngineOnly => "engine_only",
            Kind::PublishedOnly => "published_only",
            Kind::Version => "version",
            Kind::NoRule => "no_rule",
            Kind::NoSubmission => "no_submission",
        }
    }
}

/// One cell on which the published table and the engine differ.
#[derive(Clone, Debug, Serialize)]
pub struct Disagreement {
    pub version: String,
    /// Folder name, as in the published header.
    pub submission: String,
    /// The published row name (or the rule's display name for a row it lacks).
    pub project: String,
    pub published: Cell,
    pub engine: Cell,
    pub kind: Kind,
    pub reason: String,
    /// The vendor's words (engine mentions), or template text (outside hits).
    pub evidence: Vec<Value>,
}

/// One adoption-summary row, published and computed.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryCheck {
    pub project: String,
    /// The rule's id, when one matches.
    pub rule: Option<String>,
    pub published_rank: Option<usize>,
    pub published_stacks: Option<usize>,
    /// Stacks counted from the published matrix itself.
    pub published_matrix_stacks: usize,
    pub engine_stacks: Option<usize>,
    pub published_percent: Option<u32>,
    pub engine_percent: Option<u32>,
    pub published_cncf: Option<String>,
    pub rule_cncf: Option<String>,
    pub published_category: Option<String>,
    pub rule_category: Option<String>,
    /// Stacks, percentage, CNCF status and category all agree.
    pub agrees: bool,
}

/// A published summary row that contradicts the published matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SelfInconsistency {
    pub project: String,
    pub published_stacks: usize,
    pub published_matrix_stacks: usize,
}

/// The NVIDIA tables.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NvidiaCheck {
    pub projects: Vec<NvidiaProjectCheck>,
    /// Cells of the per-submission table compared, and those that agree with the engine.
    pub usage_compared: usize,
    pub usage_agreed: usize,
    /// Per-submission cells where the published table, its own matrix or the engine differ.
    pub usage_disagreements: Vec<UsageCheck>,
}

/// One row of "NVIDIA Project Adoption".
#[derive(Clone, Debug, Serialize)]
pub struct NvidiaProjectCheck {
    pub project: String,
    pub rule: Option<String>,
    pub published_stacks: usize,
    pub published_matrix_stacks: usize,
    pub engine_stacks: Option<usize>,
    pub published_versions: Vec<String>,
    /// `version (vX.Y/folder)`, from the engine's findings.
    pub engine_versions: Vec<String>,
    pub agrees: bool,
}

/// One cell of "NVIDIA Project Usage by Submission".
#[derive(Clone, Debug, Serialize)]
pub struct UsageCheck {
    pub version: String,
    pub submission: String,
    pub project: String,
    pub published: Cell,
    /// The cell of the same project and submission in the published matrix.
    pub published_matrix: Cell,
    pub engine: Cell,
}

/// One project reference row against its rule (`rule` is null when no rule matches).
#[derive(Clone, Debug, Serialize)]
pub struct ReferenceCheck {
    pub project: String,
    pub rule: Option<String>,
    pub published_repo: String,
    pub rule_repo: Option<String>,
    pub published_license: String,
    pub rule_license: Option<String>,
    pub published_cncf: String,
    pub rule_cncf: Option<String>,
}

/// One number (or list) of the key findings and inventory.
#[derive(Clone, Debug, Serialize)]
pub struct NumberCheck {
    pub name: String,
    pub published: Value,
    pub engine: Value,
    pub agrees: bool,
}

/// Compares `published` with the engine's scan of the same corpus. `outside`
/// looks up template-text mentions for published mentions the engine lacks.
pub fn reconcile(
    published: &Published,
    scan: &Scan,
    rules: &RuleSet,
    outside: &mut Outside,
) -> Reconciliation {
    let mut analysis = analysis::analyse(scan, rules);
    if !outside.files().is_empty() {
        analysis.version_folders = analysis::version_folders(outside.files());
    }
    let rule_of = |name: &str| {
        rules
            .find(&published.project_key(name))
            .or_else(|| rules.find(name))
    };
    Reconciliation {
        published: published.path.clone(),
        cells: cells(published, scan, rules, &analysis, outside),
        summary: summary(published, rules, &analysis, &rule_of),
        summary_self_inconsistencies: self_inconsistencies(published),
        nvidia: nvidia(published, scan, rules, &analysis, &rule_of),
        reference: reference(published, rules, &rule_of),
        numbers: numbers(published, scan, &analysis),
    }
}

/// Every matrix cell of every version, published rows and engine rows together.
fn cells(
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
                .map(evidence_json)
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
            let ev = hits.iter().take(MAX_EVIDENCE).map(|h| json!(h)).collect();
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
                .map(evidence_json)
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
                .map(evidence_json)
                .collect();
            Some(disagreement(Kind::Version, reason, ev))
        }
    }
}

/// Evidence as JSON: file, line, column, field, quote, version, negated.
fn evidence_json(e: &Evidence) -> Value {
    json!({
        "file": e.file,
        "line": e.line,
        "column": e.column,
        "field": e.field,
        "quote": e.quote,
        "version": e.version,
        "negated": e.negated,
        "hedged": e.hedged,
    })
}

/// The summary, published rows first (in rank order), then engine projects it lacks.
fn summary(
    published: &Published,
    rules: &RuleSet,
    analysis: &Analysis,
    rule_of: &dyn Fn(&str) -> Option<RuleId>,
) -> Vec<SummaryCheck> {
    let mut out: Vec<SummaryCheck> = published
        .summary
        .iter()
        .map(|row| {
            let rule = rule_of(&row.project);
            let engine_stacks = rule.map(|r| analysis.stacks(r));
            let engine_percent = engine_stacks.map(|s| analysis::percent(s, analysis.total));
            let rule_cncf = rule.map(|r| rules.get(r).cncf.as_str().to_string());
            let rule_category = rule.map(|r| rules.get(r).category.as_str().to_string());
            let agrees = engine_stacks == Some(row.stacks)
                && engine_percent == Some(row.percent)
                && rule_cncf
                    .as_deref()
                    .is_some_and(|c| same_status(c, &row.cncf))
                && rule_category.as_deref() == Some(row.category.as_str());
            SummaryCheck {
                project: row.project.clone(),
                rule: rule.map(|r| rules.get(r).id.clone()),
                published_rank: Some(row.rank),
                published_stacks: Some(row.stacks),
                published_matrix_stacks: published
                    .matrix_stacks(&published.project_key(&row.project)),
                engine_stacks,
                published_percent: Some(row.percent),
                engine_percent,
                published_cncf: Some(row.cncf.clone()),
                rule_cncf,
                published_category: Some(row.category.clone()),
                rule_category,
                agrees,
            }
        })
        .collect();
    for a in &analysis.adoption {
        if out
            .iter()
            .any(|s| s.rule.as_deref() == Some(rules.get(a.rule).id.as_str()))
        {
            continue;
        }
        let r = rules.get(a.rule);
        out.push(SummaryCheck {
            project: r.name.clone(),
            rule: Some(r.id.clone()),
            published_rank: None,
            published_stacks: None,
            published_matrix_stacks: published.matrix_stacks(&published.project_key(&r.name)),
            engine_stacks: Some(a.stacks),
            published_percent: None,
            engine_percent: Some(a.percent),
            published_cncf: None,
            rule_cncf: Some(r.cncf.as_str().to_string()),
            published_category: None,
            rule_category: Some(r.category.as_str().to_string()),
            agrees: false,
        });
    }
    out
}

/// A rule's CNCF status and a published one: equal ignoring case, `-` and
/// parentheses (`- (Proprietary)` is `Proprietary`).
fn same_status(rule: &str, published: &str) -> bool {
    let norm = |s: &str| s.replace(['-', '(', ')'], "").trim().to_lowercase();
    norm(rule) == norm(published)
}

/// Published summary rows whose stacks differ from the count of their own matrix.
fn self_inconsistencies(published: &Published) -> Vec<SelfInconsistency> {
    published
        .summary
        .iter()
        .map(|row| SelfInconsistency {
            project: row.project.clone(),
            published_stacks: row.stacks,
            published_matrix_stacks: published.matrix_stacks(&published.project_key(&row.project)),
        })
        .filter(|s| s.published_stacks != s.published_matrix_stacks)
        .collect()
}

/// The NVIDIA adoption table and the per-submission table.
fn nvidia(
    published: &Published,
    scan: &Scan,
    rules: &RuleSet,
    analysis: &Analysis,
    rule_of: &dyn Fn(&str) -> Option<RuleId>,
) -> NvidiaCheck {
    let mut out = NvidiaCheck::default();
    for p in &published.nvidia.projects {
        let rule = rule_of(&p.project);
        let engine_versions: Vec<String> = rule
            .map(|r| {
                scan.findings
                    .iter()
                    .filter(|f| f.rule == r)
                    .flat_map(|f| {
                        f.versions
                            .iter()
                            .map(move |v| format!("{v} ({})", scan.submission(f.submission).id))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let engine_stacks = rule.map(|r| analysis.stacks(r));
        let published_versions: Vec<String> = p
            .versions
            .iter()
            .map(|v| format!("{} ({})", v.version, v.submission))
            .collect();
        let agrees =
            engine_stacks == Some(p.stacks) && published_versions.len() == engine_versions.len();
        out.projects.push(NvidiaProjectCheck {
            project: p.project.clone(),
            rule: rule.map(|r| rules.get(r).id.clone()),
            published_stacks: p.stacks,
            published_matrix_stacks: published.matrix_stacks(&published.project_key(&p.project)),
            engine_stacks,
            published_versions,
            engine_versions,
            agrees,
        });
    }
    let columns: Vec<(String, Option<RuleId>)> = published
        .nvidia
        .columns
        .iter()
        .map(|c| (published.project_key(c), rule_of(c)))
        .collect();
    for u in &published.nvidia.usage {
        let sub = scan.find_submission(&format!("{}/{}", u.version, u.submission));
        for ((project, rule), &p) in columns.iter().zip(&u.cells) {
            let engine = match (sub, rule) {
                (Some(s), Some(r)) => tables::cell(scan, s, *r, Mentions::All),
                _ => Cell::NotNamed,
            };
            let matrix = published
                .cell(&u.version, &u.submission, project)
                .unwrap_or(Cell::NotNamed);
            out.usage_compared += 1;
            // The usage table only says whether a project is used (X or -).
            let used = |c: Cell| c != Cell::NotNamed;
            if used(p) == used(engine) {
                out.usage_agreed += 1;
            }
            if used(p) != used(engine) || used(p) != used(matrix) {
                out.usage_disagreements.push(UsageCheck {
                    version: u.version.clone(),
                    submission: u.submission.clone(),
                    project: project.clone(),
                    published: p,
                    published_matrix: matrix,
                    engine,
                });
            }
        }
    }
    out
}

/// Reference rows that differ from their rule (repository compared case-insensitively).
fn reference(
    published: &Published,
    rules: &RuleSet,
    rule_of: &dyn Fn(&str) -> Option<RuleId>,
) -> Vec<ReferenceCheck> {
    published
        .reference
        .iter()
        .filter_map(|row| {
            let rule = rule_of(&row.project).map(|r| rules.get(r));
            let same = rule.is_some_and(|r| {
                r.repo.eq_ignore_ascii_case(&row.repo)
                    && r.license == row.license
                    && same_status(r.cncf.as_str(), &row.cncf)
            });
            (!same).then(|| ReferenceCheck {
                project: row.project.clone(),
                rule: rule.map(|r| r.id.clone()),
                published_repo: row.repo.clone(),
                rule_repo: rule.map(|r| r.repo.clone()),
                published_license: row.license.clone(),
                rule_license: rule.map(|r| r.license.clone()),
                published_cncf: row.cncf.clone(),
                rule_cncf: rule.map(|r| r.cncf.as_str().to_string()),
            })
        })
        .collect()
}

/// The key findings and the inventory, number by number.
fn numbers(published: &Published, scan: &Scan, analysis: &Analysis) -> Vec<NumberCheck> {
    let mut out = Vec::new();
    let mut push = |name: &str, published: Value, engine: Value| {
        let agrees = published == engine;
        out.push(NumberCheck {
            name: name.to_string(),
            published,
            engine,
            agrees,
        });
    };
    let k = &published.key_findings;
    push("submissions", json!(k.submissions), json!(analysis.total));
    push(
        "total submissions (inventory)",
        json!(published.total_submissions),
        json!(analysis.total),
    );
    push(
        "summary total (stacks of N)",
        json!(published.total),
        json!(analysis.total),
    );
    push(
        "distinct vendors",
        json!(k.vendors),
        json!(analysis.vendors.len()),
    );
    push(
        "total unique vendors (inventory)",
        json!(published.total_vendors),
        json!(analysis.vendors.len()),
    );
    push(
        "Kubernetes versions",
        json!(k.versions),
        json!(analysis.versions.len()),
    );
    push(
        "vendors with several versions",
        json!(k.multi_version_vendors),
        json!(analysis.multi_version_vendors().len()),
    );
    let non_nvidia = published
        .nvidia
        .non_nvidia_stacks
        .map_or(Value::Null, |n| json!(n));
    push(
        "stacks naming a non-NVIDIA accelerator",
        non_nvidia,
        json!(analysis.other_accelerators.len()),
    );
    let folders = &analysis.version_folders;
    push(
        "version folders",
        json!(published.version_folders),
        json!(folders),
    );
    for inv in &published.inventory {
        let engine = analysis
            .versions
            .iter()
            .find(|v| version_key(&v.version) == version_key(&inv.version));
        let names: Vec<String> = engine
            .map(|v| {
                v.submissions
                    .iter()
                    .map(|&s| view::short_name(scan, s))
                    .collect()
            })
            .unwrap_or_default();
        push(
            &format!("{} submissions", inv.version),
            json!(inv.count),
            json!(names.len()),
        );
        let mut listed = inv.submissions.clone();
        listed.sort_by_key(|s| s.to_lowercase());
        push(
            &format!("{} inventory", inv.version),
            json!(listed),
            json!(names),
        );
    }
    out
}
