//! [`Plan`] -> [`Answer`]: the rows of a query over a loaded [`Scan`] and
//! [`RuleSet`]. Submission tests fix the scope (the submissions counted, so
//! shares are over them); project tests pick the rows; finding tests decide
//! which findings count; count tests run after counting. Each row keeps the
//! (submission, project) findings behind it, for `explain`.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::ast::{Direction, Op, Rows};
use super::field::{Column, Field};
use super::index::Index;
use super::plan::{Cond, Part, Plan, Pred, SortKey};
use super::value::{Val, Version};
use crate::output::table::{CellValue, Table};
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Finding};
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;

mod adoption;
mod indexed;
mod keys;
mod rows;

pub use indexed::{cell_index, passing};

/// (submission, project) findings.
pub type Pairs = Vec<(SubmissionId, RuleId)>;

/// What stands behind a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behind {
    /// These findings, as (submission, project).
    Findings(Vec<(SubmissionId, RuleId)>),
    /// The rule itself (`projects` rows).
    Rule(RuleId),
    /// Nothing from the findings (a submission row of a query without `uses`).
    Nothing,
}

/// One result row.
#[derive(Clone, Debug)]
pub struct Row {
    pub cells: Vec<Val>,
    pub behind: Behind,
}

/// The result of a query.
#[derive(Clone, Debug)]
pub struct Answer {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Submissions in scope, and in the corpus.
    pub in_scope: usize,
    pub submissions: usize,
    /// Projects that passed the project tests, and loaded.
    pub projects: usize,
    pub rules: usize,
    /// Rows before `top`/`limit`.
    pub matched: usize,
}

impl Answer {
    /// The rows as a table of typed cells; the renderers decide how each looks (a share as `64%`
    /// or the fraction, a quote cut in the aligned table only).
    pub fn table(&self) -> Table {
        let quote = self.columns.iter().position(|c| c == "Quote");
        Table {
            columns: self.columns.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    r.cells
                        .iter()
                        .enumerate()
                        .map(|(i, v)| match v {
                            Val::Text(t) if Some(i) == quote => CellValue::Quote(t.clone()),
                            _ => v.cell(),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// The first `n` rows only.
    pub fn first(&self, n: usize) -> Answer {
        Answer {
            rows: self.rows.iter().take(n).cloned().collect(),
            ..self.clone()
        }
    }
}

/// What a test sees: a submission, a project, the finding between them,
/// counts, or a result row (for `having`).
#[derive(Clone, Copy, Default)]
struct Ctx<'a> {
    sub: Option<SubmissionId>,
    rule: Option<RuleId>,
    finding: Option<&'a Finding>,
    counts: Option<(usize, f64)>,
    row: Option<&'a [Val]>,
}

/// Does `pred` hold of a submission and/or a project (no finding, no counts)?
/// Planning resolves `uses (...)` and `named by (...)` with it.
pub fn holds(
    pred: &Pred,
    scan: &Scan,
    rules: &RuleSet,
    sub: Option<SubmissionId>,
    rule: Option<RuleId>,
) -> bool {
    let ctx = Ctx {
        sub,
        rule,
        ..Ctx::default()
    };
    test(pred, scan, rules, &ctx)
}

fn test(p: &Pred, scan: &Scan, rules: &RuleSet, ctx: &Ctx<'_>) -> bool {
    match p {
        Pred::And(a, b) => test(a, scan, rules, ctx) && test(b, scan, rules, ctx),
        Pred::Or(a, b) => test(a, scan, rules, ctx) || test(b, scan, rules, ctx),
        Pred::Not(a) => !test(a, scan, rules, ctx),
        Pred::Uses(rs) => ctx.sub.is_some_and(|s| {
            rs.iter()
                .any(|&r| scan.finding(s, r).is_some_and(|f| !f.negated && !f.hedged))
        }),
        Pred::Among(rs) => ctx.rule.is_some_and(|r| rs.binary_search(&r).is_ok()),
        Pred::Column { index, cond } => ctx
            .row
            .and_then(|row| row.get(*index))
            .is_some_and(|v| satisfies(cond, std::slice::from_ref(v))),
        Pred::Test { field, cond } => satisfies(cond, &values(*field, scan, rules, ctx)),
    }
}

fn satisfies(cond: &Cond, vals: &[Val]) -> bool {
    match cond {
        Cond::OneOf(want) => vals.iter().any(|v| want.iter().any(|w| v.same(w))),
        Cond::Cmp(op, w) => vals.iter().any(|v| {
            let o = v.compare(w);
            match op {
                Op::Lt => o.is_lt(),
                Op::Le => o.is_le(),
                Op::Gt => o.is_gt(),
                _ => o.is_ge(),
            }
        }),
        Cond::Contains(needle) => vals.iter().any(|v| v.contains_lower(needle)),
    }
}

/// The values `field` has in `ctx` (several for sections, files and versions; none when not applicable).
fn values(field: Field, scan: &Scan, rules: &RuleSet, ctx: &Ctx<'_>) -> Vec<Val> {
    let rule = ctx.rule.map(|r| rules.get(r));
    let one = |v: Option<Val>| v.into_iter().collect();
    match field {
        Field::Submission | Field::Version | Field::Platform | Field::SubmissionVendor => {
            one(ctx.sub.map(|s| submission_value(field, scan, s)))
        }
        Field::Project => one(rule.map(|r| Val::Project(r.name.clone()))),
        Field::Category => one(rule.map(|r| Val::Text(r.category.as_str().to_string()))),
        Field::Cncf => one(rule.map(|r| Val::Text(r.cncf.as_str().to_string()))),
        Field::Vendor => one(rule.map(|r| Val::Vendor(r.vendor.clone()))),
        Field::Repo => one(rule.map(|r| Val::Text(r.repo.clone()))),
        Field::License => one(rule.map(|r| Val::Text(r.license.clone()))),
        Field::Cell => one(Some(Val::Cell(
            ctx.finding.map_or(Cell::NotNamed, |f| f.cell),
        ))),
        Field::Versions => ctx
            .finding
            .map(|f| {
                f.versions
                    .iter()
                    .map(|v| super::plan::project_version(v))
                    .collect()
            })
            .unwrap_or_default(),
        Field::Section => ctx
            .finding
            .map(sections)
            .unwrap_or_default()
            .into_iter()
            .map(Val::Text)
            .collect(),
        Field::Negated => one(ctx.finding.map(|f| Val::Bool(f.negated))),
        Field::Mentions => one(Some(Val::Int(ctx.finding.map_or(0, |f| f.mentions) as i64))),
        Field::File => ctx
            .finding
            .map(files)
            .unwrap_or_default()
            .into_iter()
            .map(Val::Text)
            .collect(),
        Field::Stacks => one(ctx.counts.map(|(n, _)| Val::Int(n as i64))),
        Field::Share => one(ctx.counts.map(|(_, s)| Val::Share(s))),
    }
}

/// The value of a submission field (`submission`, `version`, `platform`, `submission_vendor`)
/// of submission `s`.
pub fn submission_value(field: Field, scan: &Scan, s: SubmissionId) -> Val {
    let i = scan.submission(s);
    match field {
        Field::Version => version_val(&i.kubernetes_version),
        Field::Platform => Val::Text(i.platform.clone()),
        Field::SubmissionVendor => Val::Vendor(i.vendor.clone()),
        _ => Val::Sub(s.0, i.id.clone()),
    }
}

struct Eval<'a> {
    plan: &'a Plan,
    scan: &'a Scan,
    rules: &'a RuleSet,
    /// The scan's index, when the plan is answered with it (else by walking the scan).
    index: Option<&'a Index>,
}

/// The most submissions a `matrix` answer has as columns. A wider one is
/// refused before it is built (at 100,000 submissions one Kubernetes
/// version is over 30,000 columns: seconds to build, nothing a person reads).
pub const MATRIX_MAX_COLUMNS: usize = 2000;

/// Why a plan has no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A matrix of this many submission columns (over [`MATRIX_MAX_COLUMNS`]).
    TooWide(usize),
}

/// Evaluates a plan: over `index` (built from `scan`) when given, else by walking the scan;
/// the answers are the same.
pub fn eval(
    plan: &Plan,
    scan: &Scan,
    rules: &RuleSet,
    index: Option<&Index>,
) -> Result<Answer, Refusal> {
    let e = Eval {
        plan,
        scan,
        rules,
        index,
    };
    let scope = e.scope();
    if plan.source == Rows::Matrix && scope.len() > MATRIX_MAX_COLUMNS {
        return Err(Refusal::TooWide(scope.len()));
    }
    let projects = e.projects();
    let (columns, mut rows) = e.rows(&scope, &projects);
    if let Some(h) = &plan.rows {
        rows.retain(|r| {
            e.test(
                &h.pred,
                &Ctx {
                    row: Some(&r.cells),
                    ..Ctx::default()
                },
            )
        });
    }
    e.sort(&mut rows, &columns);
    let matched = rows.len();
    if let Some(n) = plan.limit {
        rows.truncate(n);
    }
    Ok(Answer {
        columns,
        rows,
        in_scope: scope.len(),
        submissions: scan.submissions.len(),
        projects: projects.len(),
        rules: rules.rules.len(),
        matched,
    })
}

impl<'a> Eval<'a> {
    /// The submissions the plan's scope tests keep, in corpus order.
    fn scope(&self) -> Vec<SubmissionId> {
        if let Some(index) = self.index {
            return self.scope_indexed(index);
        }
        self.scan
            .submission_ids()
            .filter(|&s| {
                self.all(
                    &self.plan.scope,
                    &Ctx {
                        sub: Some(s),
                        ..Ctx::default()
                    },
                )
            })
            .collect()
    }

    /// The projects the plan's project tests keep, in rule order.
    fn projects(&self) -> Vec<RuleId> {
        self.rules
            .ids()
            .filter(|&r| {
                self.all(
                    &self.plan.projects,
                    &Ctx {
                        rule: Some(r),
                        ..Ctx::default()
                    },
                )
            })
            .collect()
    }

    /// The columns and the rows of the plan's source (grouped when it groups), before `having`,
    /// sorting and the limit.
    fn rows(&self, scope: &[SubmissionId], projects: &[RuleId]) -> (Vec<String>, Vec<Row>) {
        let plan = self.plan;
        match plan.source {
            Rows::Adoption if plan.group.is_empty() => {
                (headers(&plan.columns), self.adoption(scope, projects))
            }
            Rows::Adoption => (
                headers(&plan.columns),
                self.adoption_groups(scope, projects, &plan.group),
            ),
            Rows::Matrix => self.matrix(scope, projects),
            Rows::Findings if !plan.group.is_empty() && self.keyer(&plan.group).is_some() => {
                let groups = self.finding_groups(scope, projects, &plan.group);
                (headers(&plan.columns), groups.unwrap_or_default())
            }
            source => {
                let items = self.items(source, scope, projects);
                let rows = if plan.group.is_empty() {
                    items.iter().map(|c| self.row(source, c)).collect()
                } else {
                    self.groups(&items, &plan.group)
                };
                (headers(&plan.columns), rows)
            }
        }
    }
}

fn headers(cols: &[Column]) -> Vec<String> {
    cols.iter().map(|c| c.header.clone()).collect()
}

impl<'a> Eval<'a> {
    fn all(&self, parts: &[Part], ctx: &Ctx<'_>) -> bool {
        parts.iter().all(|p| self.test(&p.pred, ctx))
    }

    fn test(&self, p: &Pred, ctx: &Ctx<'_>) -> bool {
        test(p, self.scan, self.rules, ctx)
    }

    fn values(&self, field: Field, ctx: &Ctx<'_>) -> Vec<Val> {
        values(field, self.scan, self.rules, ctx)
    }

    /// The finding for (submission, rule): among the submission's findings' rules when indexed.
    fn finding(&self, s: SubmissionId, r: RuleId) -> Option<&'a Finding> {
        let scan: &'a Scan = self.scan;
        let Some(index) = self.index else {
            return scan.finding(s, r);
        };
        let range = index.of_submission(s);
        let at = range.start + index.rules_of(range).binary_search(&r.0).ok()?;
        Some(&scan.findings[at])
    }
}

/// Group keys in order: the first field, then the next, ...
fn compare_keys(a: &[Val], b: &[Val]) -> std::cmp::Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.compare(y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// What a test of a finding sees.
fn finding_ctx(f: &Finding) -> Ctx<'_> {
    Ctx {
        sub: Some(f.submission),
        rule: Some(f.rule),
        finding: Some(f),
        counts: None,
        row: None,
    }
}

/// A submission's version as a version (or text when it is not one).
fn version_val(v: &str) -> Val {
    Version::parse(v).map_or_else(|| Val::Text(v.to_string()), Val::Version)
}

/// The checklist sections a finding's mentions are in, in checklist order.
pub fn sections(f: &Finding) -> Vec<String> {
    f.sections.names().map(str::to_string).collect()
}

/// The distinct files of a finding's mentions.
fn files(f: &Finding) -> Vec<String> {
    f.files.clone()
}
