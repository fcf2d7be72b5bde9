//! [`Plan`] -> [`Answer`]: the rows of a query over a loaded [`Scan`] and
//! [`RuleSet`]. Submission tests fix the scope (the submissions counted, so
//! shares are over them); project tests pick the rows; finding tests decide
//! which findings count; count tests run after counting. Each row keeps the
//! (submission, project) findings behind it, for `explain`.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::ast::{Direction, Op, Rows};
use super::field::{Column, Field, SECTIONS};
use super::plan::{Cond, Part, Plan, Pred, SortKey};
use super::value::{Val, Version};
use crate::output::table::{Format, Table};
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Finding};
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;

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
    /// The rows as a table for `format` (shares as % in text, 0..1 in JSON).
    /// Quotes are cut to [`QUOTE_CHARS`] in the aligned table only: the other
    /// formats are read by programs and keep them whole.
    pub fn table(&self, format: Format) -> Table {
        let quote = match format {
            Format::Table => self.columns.iter().position(|c| c == "Quote"),
            _ => None,
        };
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
                            Val::Text(t) if Some(i) == quote => {
                                serde_json::Value::String(cut(t, QUOTE_CHARS))
                            }
                            _ => v.to_json(format),
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
        Cond::Contains(needle) => vals
            .iter()
            .any(|v| v.text().to_lowercase().contains(needle.as_str())),
    }
}

/// The values `field` has in `ctx` (several for sections, files and versions; none when not applicable).
fn values(field: Field, scan: &Scan, rules: &RuleSet, ctx: &Ctx<'_>) -> Vec<Val> {
    let sub = ctx.sub.map(|s| (s, scan.submission(s)));
    let rule = ctx.rule.map(|r| rules.get(r));
    let one = |v: Option<Val>| v.into_iter().collect();
    match field {
        Field::Submission => one(sub.map(|(s, i)| Val::Sub(s.0, i.id.clone()))),
        Field::Version => one(sub.map(|(_, i)| version_val(&i.kubernetes_version))),
        Field::Platform => one(sub.map(|(_, i)| Val::Text(i.platform.clone()))),
        Field::SubmissionVendor => one(sub.map(|(_, i)| Val::Vendor(i.vendor.clone()))),
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

struct Eval<'a> {
    plan: &'a Plan,
    scan: &'a Scan,
    rules: &'a RuleSet,
}

/// Evaluates a plan.
pub fn eval(plan: &Plan, scan: &Scan, rules: &RuleSet) -> Answer {
    let e = Eval { plan, scan, rules };
    let scope: Vec<SubmissionId> = scan
        .submission_ids()
        .filter(|&s| {
            e.all(
                &plan.scope,
                &Ctx {
                    sub: Some(s),
                    ..Ctx::default()
                },
            )
        })
        .collect();
    let projects: Vec<RuleId> = rules
        .ids()
        .filter(|&r| {
            e.all(
                &plan.projects,
                &Ctx {
                    rule: Some(r),
                    ..Ctx::default()
                },
            )
        })
        .collect();
    let (columns, mut rows) = match plan.source {
        Rows::Adoption if plan.group.is_empty() => {
            (headers(&plan.columns), e.adoption(&scope, &projects))
        }
        Rows::Adoption => (
            headers(&plan.columns),
            e.adoption_groups(&scope, &projects, &plan.group),
        ),
        Rows::Matrix => e.matrix(&scope, &projects),
        source => {
            let items = e.items(source, &scope, &projects);
            let rows = if plan.group.is_empty() {
                items.iter().map(|c| e.row(source, c)).collect()
            } else {
                e.groups(&items, &plan.group)
            };
            (headers(&plan.columns), rows)
        }
    };
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
    Answer {
        columns,
        rows,
        in_scope: scope.len(),
        submissions: scan.submissions.len(),
        projects: projects.len(),
        rules: rules.rules.len(),
        matched,
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

    /// The findings that count: of a submission in scope and a project that passed,
    /// passing the finding tests; in scan order (submission, then project).
    fn counted(&self, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<&'a Finding> {
        let mut in_scope = vec![false; self.scan.submissions.len()];
        scope.iter().for_each(|s| in_scope[s.0 as usize] = true);
        let mut project_ok = vec![false; self.rules.rules.len()];
        projects
            .iter()
            .for_each(|r| project_ok[r.0 as usize] = true);
        let scan: &'a Scan = self.scan;
        scan.findings
            .iter()
            .filter(|f| in_scope[f.submission.0 as usize] && project_ok[f.rule.0 as usize])
            .filter(|f| self.all(&self.plan.findings, &finding_ctx(f)))
            .collect()
    }

    /// Per-project stacks in scope, after the count tests; most stacks first.
    fn adoption_counts(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
    ) -> Vec<(RuleId, Vec<SubmissionId>, f64)> {
        let mut stacks: Vec<Vec<SubmissionId>> = vec![Vec::new(); self.rules.rules.len()];
        for f in self.counted(scope, projects) {
            stacks[f.rule.0 as usize].push(f.submission);
        }
        let mut out = Vec::new();
        for &r in projects {
            let subs = std::mem::take(&mut stacks[r.0 as usize]);
            let share = if scope.is_empty() {
                0.0
            } else {
                subs.len() as f64 / scope.len() as f64
            };
            let ctx = Ctx {
                rule: Some(r),
                counts: Some((subs.len(), share)),
                ..Ctx::default()
            };
            let keep = if self.plan.having.is_empty() {
                !subs.is_empty()
            } else {
                self.all(&self.plan.having, &ctx)
            };
            if keep {
                out.push((r, subs, share));
            }
        }
        out.sort_by_key(|(r, subs, _)| (Reverse(subs.len()), *r));
        out
    }

    fn adoption(&self, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<Row> {
        self.adoption_counts(scope, projects)
            .into_iter()
            .map(|(r, subs, share)| {
                let rule = self.rules.get(r);
                Row {
                    cells: vec![
                        Val::Project(rule.name.clone()),
                        Val::Int(subs.len() as i64),
                        Val::Share(share),
                        Val::Text(rule.category.as_str().to_string()),
                        Val::Text(rule.cncf.as_str().to_string()),
                        Val::Text(rule.vendor.clone()),
                    ],
                    behind: Behind::Findings(subs.into_iter().map(|s| (s, r)).collect()),
                }
            })
            .collect()
    }

    /// `adoption ... group by FIELD, ...`: per combination of values, the
    /// projects named, the distinct submissions naming any (stacks) and the
    /// share of the submissions in scope with the same values of the
    /// grouped submission fields (all in scope when none is grouped).
    fn adoption_groups(
        &self,
        scope: &[SubmissionId],
        projects: &[RuleId],
        g: &[Field],
    ) -> Vec<Row> {
        let of_sub: Vec<bool> = g
            .iter()
            .map(|f| f.entity() == super::field::Entity::Submission)
            .collect();
        let sub_part = |key: &[Val]| -> Vec<String> {
            key.iter()
                .zip(&of_sub)
                .filter(|(_, s)| **s)
                .map(|(v, _)| v.key())
                .collect()
        };
        let sub_fields: Vec<Field> = g
            .iter()
            .copied()
            .filter(|f| f.entity() == super::field::Entity::Submission)
            .collect();
        let mut denominator: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for &s in scope {
            let ctx = Ctx {
                sub: Some(s),
                ..Ctx::default()
            };
            for key in self.keys(&sub_fields, &ctx) {
                let k: Vec<String> = key.iter().map(Val::key).collect();
                *denominator.entry(k).or_default() += 1;
            }
        }
        let mut groups: Vec<(Vec<Val>, Vec<RuleId>, Pairs)> = Vec::new();
        let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for (r, subs, _) in self.adoption_counts(scope, projects) {
            for &s in &subs {
                let ctx = Ctx {
                    sub: Some(s),
                    rule: Some(r),
                    ..Ctx::default()
                };
                for key in self.keys(g, &ctx) {
                    let k: Vec<String> = key.iter().map(Val::key).collect();
                    let i = *index.entry(k).or_insert_with(|| {
                        groups.push((key, Vec::new(), Vec::new()));
                        groups.len() - 1
                    });
                    if groups[i].1.last() != Some(&r) {
                        groups[i].1.push(r);
                    }
                    groups[i].2.push((s, r));
                }
            }
        }
        let mut rows: Vec<Row> = groups
            .into_iter()
            .map(|(key, rules, pairs)| {
                let mut distinct: Vec<SubmissionId> = pairs.iter().map(|p| p.0).collect();
                distinct.sort();
                distinct.dedup();
                let of = denominator.get(&sub_part(&key)).copied().unwrap_or(0);
                let share = if of == 0 {
                    0.0
                } else {
                    distinct.len() as f64 / of as f64
                };
                let mut cells = key;
                cells.extend([
                    Val::Int(rules.len() as i64),
                    Val::Int(distinct.len() as i64),
                    Val::Share(share),
                ]);
                Row {
                    cells,
                    behind: Behind::Findings(pairs),
                }
            })
            .collect();
        let n = g.len();
        rows.sort_by(|a, b| compare_keys(&a.cells[..n], &b.cells[..n]));
        rows.sort_by(|a, b| b.cells[n + 1].compare(&a.cells[n + 1]));
        rows
    }

    /// The group keys of an item: its values of `g`, or `(none)`.
    fn group_keys(&self, g: Field, ctx: &Ctx<'_>) -> Vec<Val> {
        let mut keys = self.values(g, ctx);
        keys.retain(|v| !v.text().is_empty());
        if keys.is_empty() {
            keys.push(Val::Text("(none)".to_string()));
        }
        keys
    }

    /// Every combination of the values of `fields` in `ctx` (one per field; `(none)` when it has none).
    fn keys(&self, fields: &[Field], ctx: &Ctx<'_>) -> Vec<Vec<Val>> {
        let mut out: Vec<Vec<Val>> = vec![Vec::new()];
        for &f in fields {
            let vals = self.group_keys(f, ctx);
            out = out
                .into_iter()
                .flat_map(|k| {
                    vals.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.clone());
                        k
                    })
                })
                .collect();
        }
        out
    }

    /// The matrix of the scope: a column per submission, a row per project named.
    fn matrix(&self, scope: &[SubmissionId], projects: &[RuleId]) -> (Vec<String>, Vec<Row>) {
        let one_version = scope.windows(2).all(|w| {
            self.scan.submission(w[0]).kubernetes_version
                == self.scan.submission(w[1]).kubernetes_version
        });
        let mut columns = vec![Field::Project.header().to_string()];
        columns.extend(scope.iter().map(|&s| {
            let id = &self.scan.submission(s).id;
            if one_version {
                super::plan::short(id).to_string()
            } else {
                id.clone()
            }
        }));
        let mut column = vec![usize::MAX; self.scan.submissions.len()];
        scope
            .iter()
            .enumerate()
            .for_each(|(i, s)| column[s.0 as usize] = i);
        let mut cells: Vec<Option<Vec<Cell>>> = vec![None; self.rules.rules.len()];
        for f in self.counted(scope, projects) {
            let row =
                cells[f.rule.0 as usize].get_or_insert_with(|| vec![Cell::NotNamed; scope.len()]);
            row[column[f.submission.0 as usize]] = f.cell;
        }
        let mut rows = Vec::new();
        let mut order = self.project_order();
        // Most named in scope first, as `aiconf matrix` orders each version.
        order.sort_by_key(|r| {
            Reverse(cells[r.0 as usize].as_ref().map_or(0, |row| {
                row.iter().filter(|c| **c != Cell::NotNamed).count()
            }))
        });
        for r in order {
            let Some(found) = cells[r.0 as usize].take() else {
                continue;
            };
            let behind = scope
                .iter()
                .zip(&found)
                .filter(|(_, c)| **c != Cell::NotNamed)
                .map(|(&s, _)| (s, r))
                .collect();
            let mut row = vec![Val::Project(self.rules.get(r).name.clone())];
            row.extend(found.into_iter().map(Val::Cell));
            rows.push(Row {
                cells: row,
                behind: Behind::Findings(behind),
            });
        }
        (columns, rows)
    }

    /// Projects by how many submissions of the whole corpus name them (as
    /// [`crate::tables::project_order`]), then rule order.
    fn project_order(&self) -> Vec<RuleId> {
        let mut named = vec![0usize; self.rules.rules.len()];
        self.scan
            .findings
            .iter()
            .for_each(|f| named[f.rule.0 as usize] += 1);
        let mut ids: Vec<RuleId> = self.rules.ids().collect();
        ids.sort_by_key(|r| (Reverse(named[r.0 as usize]), *r));
        ids
    }

    /// The things a `findings`, `submissions` or `projects` query returns, as contexts.
    fn items(&self, source: Rows, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<Ctx<'a>> {
        match source {
            Rows::Submissions => scope
                .iter()
                .map(|&s| Ctx {
                    sub: Some(s),
                    ..Ctx::default()
                })
                .collect(),
            Rows::Projects => projects
                .iter()
                .map(|&r| Ctx {
                    rule: Some(r),
                    ..Ctx::default()
                })
                .collect(),
            _ => self
                .counted(scope, projects)
                .into_iter()
                .map(finding_ctx)
                .collect(),
        }
    }

    /// The row of one item.
    fn row(&self, source: Rows, c: &Ctx<'_>) -> Row {
        match (source, c.sub, c.rule, c.finding) {
            (Rows::Submissions, Some(s), _, _) => {
                let i = self.scan.submission(s);
                let behind: Vec<(SubmissionId, RuleId)> = self
                    .plan
                    .uses
                    .iter()
                    .filter(|&&r| self.scan.finding(s, r).is_some())
                    .map(|&r| (s, r))
                    .collect();
                Row {
                    cells: vec![
                        Val::Sub(s.0, i.id.clone()),
                        version_val(&i.kubernetes_version),
                        Val::Text(i.platform.clone()),
                        Val::Text(i.vendor.clone()),
                    ],
                    behind: if behind.is_empty() {
                        Behind::Nothing
                    } else {
                        Behind::Findings(behind)
                    },
                }
            }
            (Rows::Projects, _, Some(r), _) => {
                let rule = self.rules.get(r);
                Row {
                    cells: vec![
                        Val::Project(rule.name.clone()),
                        Val::Text(rule.id.clone()),
                        Val::Text(rule.category.as_str().to_string()),
                        Val::Text(rule.cncf.as_str().to_string()),
                        Val::Text(rule.vendor.clone()),
                        Val::Text(rule.repo.clone()),
                        Val::Text(rule.license.clone()),
                    ],
                    behind: Behind::Rule(r),
                }
            }
            (_, Some(s), Some(r), Some(f)) => {
                let first = f.evidence.first();
                Row {
                    cells: vec![
                        Val::Sub(s.0, self.scan.submission(s).id.clone()),
                        Val::Project(self.rules.get(r).name.clone()),
                        Val::Cell(f.cell),
                        Val::List(f.version_labels()),
                        Val::Bool(f.negated),
                        Val::Int(f.mentions as i64),
                        Val::List(sections(f)),
                        Val::Text(
                            first
                                .map(|e| format!("{}:{}", e.file, e.line))
                                .unwrap_or_default(),
                        ),
                        Val::Text(first.map(|e| e.quote.clone()).unwrap_or_default()),
                    ],
                    behind: Behind::Findings(vec![(s, r)]),
                }
            }
            _ => Row {
                cells: Vec::new(),
                behind: Behind::Nothing,
            },
        }
    }

    /// `group by` over items: a count per combination of values, most first, then by value.
    fn groups(&self, items: &[Ctx<'_>], g: &[Field]) -> Vec<Row> {
        let mut groups: Vec<(Vec<Val>, usize, Pairs)> = Vec::new();
        let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for c in items {
            for key in self.keys(g, c) {
                let k: Vec<String> = key.iter().map(Val::key).collect();
                let i = *index.entry(k).or_insert_with(|| {
                    groups.push((key, 0, Vec::new()));
                    groups.len() - 1
                });
                groups[i].1 += 1;
                if let (Some(s), Some(r)) = (c.sub, c.rule) {
                    groups[i].2.push((s, r));
                }
            }
        }
        let n = g.len();
        let mut rows: Vec<Row> = groups
            .into_iter()
            .map(|(key, count, pairs)| {
                let mut cells = key;
                cells.push(Val::Int(count as i64));
                Row {
                    cells,
                    behind: if pairs.is_empty() {
                        Behind::Nothing
                    } else {
                        Behind::Findings(pairs)
                    },
                }
            })
            .collect();
        rows.sort_by(|a, b| compare_keys(&a.cells[..n], &b.cells[..n]));
        rows.sort_by(|a, b| b.cells[n].compare(&a.cells[n]));
        rows
    }

    /// Applies `order by` (stable, so ties keep the source's order).
    fn sort(&self, rows: &mut [Row], columns: &[String]) {
        for (key, dir) in self.plan.order.iter().rev() {
            let index = match key {
                SortKey::Column(i) => Some(*i),
                SortKey::Submission(s) => {
                    let id = &self.scan.submissions[*s as usize].id;
                    columns
                        .iter()
                        .position(|c| c == id || c == super::plan::short(id))
                        .filter(|_| columns.len() > 1)
                }
            };
            let Some(i) = index else { continue };
            rows.sort_by(|a, b| {
                let (x, y) = (a.cells.get(i), b.cells.get(i));
                let o = match (x, y) {
                    (Some(x), Some(y)) => x.compare(y),
                    _ => std::cmp::Ordering::Equal,
                };
                if *dir == Direction::Desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
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
    let mut found: Vec<&str> = f
        .evidence
        .iter()
        .filter_map(|e| e.field.as_deref())
        .filter_map(section_of)
        .collect();
    found.sort_by_key(|s| SECTIONS.iter().position(|k| k == s).unwrap_or(usize::MAX));
    found.dedup();
    found.into_iter().map(str::to_string).collect()
}

/// `spec.schedulingOrchestration[0].notes` -> `schedulingOrchestration`; `metadata.x` -> `metadata`.
pub fn section_of(field: &str) -> Option<&str> {
    let mut parts = field.split('.');
    let head = parts.next()?;
    let name = if head == "spec" { parts.next()? } else { head };
    let name = name.split('[').next()?;
    SECTIONS.iter().copied().find(|s| *s == name)
}

/// The distinct files of a finding's mentions.
fn files(f: &Finding) -> Vec<String> {
    let mut v: Vec<String> = f.evidence.iter().map(|e| e.file.clone()).collect();
    v.dedup();
    v
}

/// How many characters of a quote the aligned table shows.
pub const QUOTE_CHARS: usize = 80;

/// `text` cut to at most `n` characters, with `…`.
pub fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut s: String = text.chars().take(n - 1).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_of_a_field_path() {
        assert_eq!(
            section_of("spec.schedulingOrchestration[0].notes"),
            Some("schedulingOrchestration")
        );
        assert_eq!(section_of("metadata.description"), Some("metadata"));
        assert_eq!(section_of("spec.other[0]"), None);
        assert_eq!(cut("abcdef", 4), "abc…");
    }
}
