//! [`Plan`] -> [`Answer`]: the rows of a query over a loaded [`Scan`] and
//! [`RuleSet`]. Submission tests fix the scope (the submissions counted, so
//! shares are over them); project tests pick the rows; finding tests decide
//! which findings count; count tests run after counting. Each row keeps the
//! (submission, project) findings behind it, for `explain`.

use std::borrow::Cow;
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
mod entry;
mod indexed;
mod keys;
mod rows;

pub use entry::{Entry, Reader};
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

/// One result row with its values.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its values, one per column.
    pub cells: Vec<Val>,
    /// The findings (or the rule) behind it, for `explain`.
    pub behind: Behind,
}

/// The result of a query.
#[derive(Clone, Debug)]
pub struct Answer {
    pub columns: Vec<String>,
    /// The rows, some as ids into the scan ([`Answer::row`] makes their values).
    pub rows: Vec<Entry>,
    /// The projects the query's `uses` names (behind a submission row, its findings of them).
    pub uses: Vec<RuleId>,
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
    /// What its rows are read from: `scan` and `rules`, those it was made from.
    pub fn reader<'a>(&'a self, scan: &'a Scan, rules: &'a RuleSet) -> Reader<'a> {
        Reader {
            scan,
            rules,
            uses: &self.uses,
        }
    }

    /// Row `i` with its values.
    pub fn row<'a>(&'a self, i: usize, scan: &'a Scan, rules: &'a RuleSet) -> Cow<'a, Row> {
        self.rows[i].row(self.reader(scan, rules))
    }

    /// Every row with its values.
    pub fn made_rows(&self, scan: &Scan, rules: &RuleSet) -> Vec<Row> {
        let at = self.reader(scan, rules);
        self.rows.iter().map(|e| e.row(at).into_owned()).collect()
    }

    /// The column holding quotes of the vendor's text.
    fn quote_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c == "Quote")
    }

    /// The rows as a table of typed cells; the renderers decide how each looks (a share as `64%`
    /// or the fraction, a quote cut in the aligned table only).
    pub fn table(&self, scan: &Scan, rules: &RuleSet) -> Table {
        let quote = self.quote_column();
        let at = self.reader(scan, rules);
        Table {
            columns: self.columns.clone(),
            rows: self
                .rows
                .iter()
                .map(|e| {
                    e.row(at)
                        .cells
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

    /// The rows as an aligned table: [`Answer::table`]'s `to_text`, written from the rows
    /// without making their values ([`crate::output::table::aligned`]).
    pub fn to_text(&self, scan: &Scan, rules: &RuleSet) -> String {
        let quote = self.quote_column();
        let at = self.reader(scan, rules);
        let mut touched = 0u8;
        let text = crate::output::table::aligned(&self.columns, self.rows.len(), |r, c, out| {
            if c == 0 && r % entry::AHEAD == 0 {
                let ahead = self.rows.iter().skip(r).take(entry::AHEAD);
                touched ^= ahead.fold(0, |t, e| t ^ e.touch(at));
            }
            self.rows[r].write(c, quote, at, out)
        });
        std::hint::black_box(touched);
        text
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
        let at = e.reader();
        rows.retain(|r| {
            e.test(
                &h.pred,
                &Ctx {
                    row: Some(&r.row(at).cells),
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
        uses: plan.uses.clone(),
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
    fn rows(&self, scope: &[SubmissionId], projects: &[RuleId]) -> (Vec<String>, Vec<Entry>) {
        let plan = self.plan;
        let (columns, rows) = match plan.source {
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
            source if plan.group.is_empty() => {
                return (
                    headers(&plan.columns),
                    self.entries(source, scope, projects),
                )
            }
            source => {
                let items = self.items(source, scope, projects);
                (headers(&plan.columns), self.groups(&items, &plan.group))
            }
        };
        (columns, rows.into_iter().map(Entry::Made).collect())
    }

    /// The rows of a `submissions`, `findings` or `projects` query without `group by`: the
    /// submissions in scope and the findings that count as ids, a project's row made.
    fn entries(&self, source: Rows, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<Entry> {
        match source {
            Rows::Submissions => scope.iter().map(|&s| Entry::Submission(s)).collect(),
            Rows::Findings => self
                .counted_at(scope, projects)
                .into_iter()
                .map(|i| Entry::Finding(i as u32))
                .collect(),
            _ => projects
                .iter()
                .map(|&r| Entry::Made(self.project_row(r)))
                .collect(),
        }
    }

    /// What the rows are read from.
    fn reader(&self) -> Reader<'a> {
        Reader {
            scan: self.scan,
            rules: self.rules,
            uses: &self.plan.uses,
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
