//! Tables computed from a [`Scan`]: the project-by-submission matrix per
//! Kubernetes version (M / X / -) and the adoption summary (stacks and share
//! per project). Tables hold ids; `render` turns them into text.

pub mod analysis;
pub mod layout;
pub mod scan_json;
pub mod view;

use std::collections::BTreeMap;

use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Finding};
use crate::scan::Scan;
use crate::source::corpus::{version_key, SubmissionId};

/// The matrix of one Kubernetes version: projects as rows, submissions as columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    /// `v1.34`
    pub version: String,
    /// Rows: projects named by at least one submission of this version.
    pub projects: Vec<RuleId>,
    /// Columns, sorted case-insensitively by folder name.
    pub submissions: Vec<SubmissionId>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
}

/// Which findings count: all, or only those neither negated nor hedged in their text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mentions {
    /// Every mention, as in the published analysis.
    #[default]
    All,
    /// Leave out projects whose every mention is negated or hedged.
    Uses,
}

/// The cell of (submission, rule).
pub fn cell(scan: &Scan, sub: SubmissionId, rule: RuleId, mentions: Mentions) -> Cell {
    scan.finding(sub, rule)
        .map_or(Cell::NotNamed, |f| finding_cell(f, mentions))
}

/// The cell a finding gives when `mentions` count.
fn finding_cell(f: &Finding, mentions: Mentions) -> Cell {
    if mentions == Mentions::Uses && (f.negated || f.hedged) {
        Cell::NotNamed
    } else {
        f.cell
    }
}

/// Projects ordered by stacks over the whole scan (most first), then by rule order.
pub fn project_order(scan: &Scan, rules: &RuleSet, mentions: Mentions) -> Vec<RuleId> {
    let all: Vec<SubmissionId> = scan.submission_ids().collect();
    let stacks: BTreeMap<RuleId, usize> = adoption(scan, rules, &all, mentions)
        .into_iter()
        .map(|a| (a.rule, a.stacks))
        .collect();
    let mut ids: Vec<RuleId> = rules.ids().collect();
    ids.sort_by_key(|r| (std::cmp::Reverse(stacks.get(r).copied().unwrap_or(0)), *r));
    ids
}

/// One matrix per Kubernetes version, oldest version first; in each, the
/// projects the version's submissions name, most named first (ties in the
/// order of [`project_order`]).
pub fn matrices(scan: &Scan, rules: &RuleSet, mentions: Mentions) -> Vec<Matrix> {
    let order = project_order(scan, rules, mentions);
    let mut by_version: BTreeMap<Vec<u32>, (String, Vec<SubmissionId>)> = BTreeMap::new();
    for id in scan.submission_ids() {
        let s = scan.submission(id);
        by_version
            .entry(version_key(&s.kubernetes_version))
            .or_insert_with(|| (s.kubernetes_version.clone(), Vec::new()))
            .1
            .push(id);
    }
    by_version
        .into_values()
        .map(|(version, mut subs)| {
            subs.sort_by_key(|s| {
                let name = scan
                    .submission(*s)
                    .id
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                (name.to_lowercase(), name)
            });
            let grid = grid(scan, rules, &subs, mentions);
            let mut projects = Vec::new();
            let mut cells = Vec::new();
            for &rule in &order {
                let row = &grid[rule.0 as usize];
                if row.iter().any(|c| *c != Cell::NotNamed) {
                    projects.push(rule);
                    cells.push(row.clone());
                }
            }
            // Within the version, most submissions first; ties keep the
            // order over the whole corpus.
            let named = |row: &[Cell]| row.iter().filter(|c| **c != Cell::NotNamed).count();
            let mut rows: Vec<(RuleId, Vec<Cell>)> = projects.into_iter().zip(cells).collect();
            rows.sort_by_key(|(_, row)| std::cmp::Reverse(named(row)));
            let (projects, cells): (Vec<RuleId>, Vec<Vec<Cell>>) = rows.into_iter().unzip();
            Matrix {
                version,
                projects,
                submissions: subs,
                cells,
            }
        })
        .collect()
}

/// The cells of every rule (rows, by rule id) for the submissions `subs` (columns), from one
/// pass over the findings.
fn grid(scan: &Scan, rules: &RuleSet, subs: &[SubmissionId], mentions: Mentions) -> Vec<Vec<Cell>> {
    let mut column = vec![None; scan.submissions.len()];
    for (i, s) in subs.iter().enumerate() {
        if let Some(c) = column.get_mut(s.0 as usize) {
            *c = Some(i);
        }
    }
    let mut grid = vec![vec![Cell::NotNamed; subs.len()]; rules.ids().count()];
    for f in &scan.findings {
        let Some(Some(c)) = column.get(f.submission.0 as usize) else {
            continue;
        };
        if let Some(row) = grid.get_mut(f.rule.0 as usize) {
            row[*c] = finding_cell(f, mentions);
        }
    }
    grid
}

/// A project's adoption among some submissions.
#[derive(Clone, Debug, PartialEq)]
pub struct Adoption {
    pub rule: RuleId,
    /// Submissions (stacks) that name it.
    pub stacks: usize,
    /// Submissions in scope.
    pub total: usize,
}

impl Adoption {
    /// Share of the submissions in scope, 0..1.
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.stacks as f64 / self.total as f64
        }
    }
}

/// Adoption of every rule among `scope`, most stacks first, then rule order.
pub fn adoption(
    scan: &Scan,
    rules: &RuleSet,
    scope: &[SubmissionId],
    mentions: Mentions,
) -> Vec<Adoption> {
    // How many times each submission is in scope, then one pass over the findings.
    let mut times = vec![0usize; scan.submissions.len()];
    for s in scope {
        if let Some(t) = times.get_mut(s.0 as usize) {
            *t += 1;
        }
    }
    let mut stacks = vec![0usize; rules.ids().count()];
    for f in &scan.findings {
        let t = times.get(f.submission.0 as usize).copied().unwrap_or(0);
        if t > 0 && finding_cell(f, mentions) != Cell::NotNamed {
            if let Some(n) = stacks.get_mut(f.rule.0 as usize) {
                *n += t;
            }
        }
    }
    let mut rows: Vec<Adoption> = rules
        .ids()
        .map(|rule| Adoption {
            rule,
            stacks: stacks[rule.0 as usize],
            total: scope.len(),
        })
        .collect();
    rows.sort_by_key(|a| (std::cmp::Reverse(a.stacks), a.rule));
    rows
}
