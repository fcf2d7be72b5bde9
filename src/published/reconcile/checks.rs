//! The tables other than the matrices, number by number: the adoption summary (and its agreement
//! with its own matrix), the NVIDIA tables, the project reference, the key findings and inventory.

use super::{
    Figure, NumberCheck, NvidiaCheck, NvidiaProjectCheck, ReferenceCheck, SelfInconsistency,
    SummaryCheck, UsageCheck,
};
use crate::published::{NvidiaProject, Published, PublishedInventory};
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::Cell;
use crate::scan::Scan;
use crate::source::corpus::version_key;
use crate::tables::analysis::{self, Analysis};
use crate::tables::view;
use crate::tables::{self, Mentions};

/// The summary, published rows first (in rank order), then engine projects it lacks.
pub(super) fn summary(
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
pub(super) fn self_inconsistencies(published: &Published) -> Vec<SelfInconsistency> {
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
pub(super) fn nvidia(
    published: &Published,
    scan: &Scan,
    rules: &RuleSet,
    analysis: &Analysis,
    rule_of: &dyn Fn(&str) -> Option<RuleId>,
) -> NvidiaCheck {
    let mut out = NvidiaCheck {
        projects: published
            .nvidia
            .projects
            .iter()
            .map(|p| nvidia_project(published, scan, rules, analysis, p, rule_of(&p.project)))
            .collect(),
        ..NvidiaCheck::default()
    };
    nvidia_usage(published, scan, rule_of, &mut out);
    out
}

/// One row of the NVIDIA adoption table: its stacks and versions against the engine's for
/// `rule`, the project's rule.
fn nvidia_project(
    published: &Published,
    scan: &Scan,
    rules: &RuleSet,
    analysis: &Analysis,
    p: &NvidiaProject,
    rule: Option<RuleId>,
) -> NvidiaProjectCheck {
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
    NvidiaProjectCheck {
        project: p.project.clone(),
        rule: rule.map(|r| rules.get(r).id.clone()),
        published_stacks: p.stacks,
        published_matrix_stacks: published.matrix_stacks(&published.project_key(&p.project)),
        engine_stacks,
        published_versions,
        engine_versions,
        agrees,
    }
}

/// The per-submission NVIDIA table cell by cell against the engine and the published matrix:
/// the cells compared and agreeing, and the disagreements, into `out`.
fn nvidia_usage(
    published: &Published,
    scan: &Scan,
    rule_of: &dyn Fn(&str) -> Option<RuleId>,
    out: &mut NvidiaCheck,
) {
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
}

/// Reference rows that differ from their rule (repository compared case-insensitively).
pub(super) fn reference(
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
pub(super) fn numbers(published: &Published, scan: &Scan, analysis: &Analysis) -> Vec<NumberCheck> {
    let mut out = totals(published, analysis);
    for inv in &published.inventory {
        out.extend(inventory(inv, scan, analysis));
    }
    out
}

/// A published figure against the engine's.
fn check(name: impl Into<String>, published: Figure, engine: Figure) -> NumberCheck {
    NumberCheck {
        name: name.into(),
        agrees: published == engine,
        published,
        engine,
    }
}

/// The key findings' and the inventory's totals, and the version folders.
fn totals(published: &Published, analysis: &Analysis) -> Vec<NumberCheck> {
    let k = &published.key_findings;
    let count = Figure::Count;
    let non_nvidia = published
        .nvidia
        .non_nvidia_stacks
        .map_or(Figure::Missing, Figure::Count);
    let vendors = analysis.vendors.len();
    vec![
        check("submissions", count(k.submissions), count(analysis.total)),
        check(
            "total submissions (inventory)",
            count(published.total_submissions),
            count(analysis.total),
        ),
        check(
            "summary total (stacks of N)",
            count(published.total),
            count(analysis.total),
        ),
        check("distinct vendors", count(k.vendors), count(vendors)),
        check(
            "total unique vendors (inventory)",
            count(published.total_vendors),
            count(vendors),
        ),
        check(
            "Kubernetes versions",
            count(k.versions),
            count(analysis.versions.len()),
        ),
        check(
            "vendors with several versions",
            count(k.multi_version_vendors),
            count(analysis.multi_version_vendors().len()),
        ),
        check(
            "stacks naming a non-NVIDIA accelerator",
            non_nvidia,
            count(analysis.other_accelerators.len()),
        ),
        check(
            "version folders",
            Figure::Names(published.version_folders.clone()),
            Figure::Names(analysis.version_folders.clone()),
        ),
    ]
}

/// One version of the inventory: how many submissions, and which.
fn inventory(inv: &PublishedInventory, scan: &Scan, analysis: &Analysis) -> [NumberCheck; 2] {
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
    let mut listed = inv.submissions.clone();
    listed.sort_by_key(|s| s.to_lowercase());
    [
        check(
            format!("{} submissions", inv.version),
            Figure::Count(inv.count),
            Figure::Count(names.len()),
        ),
        check(
            format!("{} inventory", inv.version),
            Figure::Names(listed),
            Figure::Names(names),
        ),
    ]
}
