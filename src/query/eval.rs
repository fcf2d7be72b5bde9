//! [`Plan`] -> [`Answer`]: the rows of a query over a loaded [`Scan`] and
//! [`RuleSet`]. Submission tests fix the scope (the submissions counted, so
//! shares are over them); project tests pick the rows; finding tests decide
//! which findings count; count tests run after counting. Each row keeps the
//! (submission, project) findings behind it, for `explain`.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::ast::{Direction, Op, Source};
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

/// What a test sees: a submission, a project, the finding between them, counts.
#[derive(Clone, Copy, Default)]
struct Ctx<'a> {
    sub: Option<SubmissionId>,
    rule: Option<RuleId>,
    finding: Option<&'a Finding>,
    counts: Option<(usize, f64)>,
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
    let (columns, mut rows) = match (plan.source, plan.group) {
        (Source::Adoption, None) => (headers(&plan.columns), e.adoption(&scope, &projects)),
        (Source::Adoption, Some(g)) => (
            headers(&plan.columns),
            e.adoption_groups(&scope, &projects, g),
        ),
        (Source::Matrix, _) => e.matrix(&scope, &projects),
        (source, group) => {
            let items = e.items(source, &scope, &projects);
            let rows = match group {
                Some(g) => e.groups(&items, g),
                None => items.iter().map(|c| e.row(source, c)).collect(),
            };
            (headers(&plan.columns), rows)
        }
    };
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
        match p {
            Pred::And(a, b) => self.test(a, ctx) && self.test(b, ctx),
            Pred::Or(a, b) => self.test(a, ctx) || self.test(b, ctx),
            Pred::Not(a) => !self.test(a, ctx),
            Pred::Uses(r) => ctx
                .sub
                .and_then(|s| self.scan.finding(s, *r))
                .is_some_and(|f| !f.negated && !f.hedged),
            Pred::Test { field, cond } => {
                let vals = self.values(*field, ctx);
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
        }
    }

    /// The values `field` has in `ctx` (several for sections and files; none when not applicable).
    fn values(&self, field: Field, ctx: &Ctx<'_>) -> Vec<Val> {
        let sub = ctx.sub.map(|s| (s, self.scan.submission(s)));
        let rule = ctx.rule.map(|r| self.rules.get(r));
        let one = |v: Option<Val>| v.into_iter().collect();
        match field {
            Field::Submission => one(sub.map(|(s, i)| Val::Sub(s.0, i.id.clone()))),
            Field::Version => one(sub.map(|(_, i)| version_val(&i.kubernetes_version))),
            Field::Platform => one(sub.map(|(_, i)| Val::Text(i.platform.clone()))),
            Field::SubmissionVendor => one(sub.map(|(_, i)| Val::Text(i.vendor.clone()))),
            Field::Project => one(rule.map(|r| Val::Project(r.name.clone()))),
            Field::Category => one(rule.map(|r| Val::Text(r.category.as_str().to_string()))),
            Field::Cncf => one(rule.map(|r| Val::Text(r.cncf.as_str().to_string()))),
            Field::Vendor => one(rule.map(|r| Val::Text(r.vendor.clone()))),
            Field::Repo => one(rule.map(|r| Val::Text(r.repo.clone()))),
            Field::License => one(rule.map(|r| Val::Text(r.license.clone()))),
            Field::Cell => one(Some(Val::Cell(ctx.finding.map_or(Cell::None, |f| f.cell)))),
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

    /// `adoption ... group by FIELD`: projects, distinct stacks and share per value.
    fn adoption_groups(&self, scope: &[SubmissionId], projects: &[RuleId], g: Field) -> Vec<Row> {
        let mut groups: BTreeMap<String, (Val, usize, Pairs)> = BTreeMap::new();
        for (r, subs, _) in self.adoption_counts(scope, projects) {
            for key in self.group_keys(
                g,
                &Ctx {
                    rule: Some(r),
                    ..Ctx::default()
                },
            ) {
                let e = groups
                    .entry(key.text().to_lowercase())
                    .or_insert((key, 0, Vec::new()));
                e.1 += 1;
                e.2.extend(subs.iter().map(|&s| (s, r)));
            }
        }
        let mut rows: Vec<Row> = groups
            .into_values()
            .map(|(key, n, pairs)| {
                let mut distinct: Vec<SubmissionId> = pairs.iter().map(|p| p.0).collect();
                distinct.sort();
                distinct.dedup();
                let share = if scope.is_empty() {
                    0.0
                } else {
                    distinct.len() as f64 / scope.len() as f64
                };
                Row {
                    cells: vec![
                        key,
                        Val::Int(n as i64),
                        Val::Int(distinct.len() as i64),
                        Val::Share(share),
                    ],
                    behind: Behind::Findings(pairs),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.cells[2].compare(&a.cells[2]));
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
            let row = cells[f.rule.0 as usize].get_or_insert_with(|| vec![Cell::None; scope.len()]);
            row[column[f.submission.0 as usize]] = f.cell;
        }
        let mut rows = Vec::new();
        for r in self.project_order() {
            let Some(found) = cells[r.0 as usize].take() else {
                continue;
            };
            let behind = scope
                .iter()
                .zip(&found)
                .filter(|(_, c)| **c != Cell::None)
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
    fn items(&self, source: Source, scope: &[SubmissionId], projects: &[RuleId]) -> Vec<Ctx<'a>> {
        match source {
            Source::Submissions => scope
                .iter()
                .map(|&s| Ctx {
                    sub: Some(s),
                    ..Ctx::default()
                })
                .collect(),
            Source::Projects => projects
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
    fn row(&self, source: Source, c: &Ctx<'_>) -> Row {
        match (source, c.sub, c.rule, c.finding) {
            (Source::Submissions, Some(s), _, _) => {
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
            (Source::Projects, _, Some(r), _) => {
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

    /// `group by` over items: a count per value, most first, then by value.
    fn groups(&self, items: &[Ctx<'_>], g: Field) -> Vec<Row> {
        let mut groups: Vec<(Val, usize, Pairs)> = Vec::new();
        for c in items {
            for key in self.group_keys(g, c) {
                let i = match groups.iter().position(|(k, _, _)| k.same(&key)) {
                    Some(i) => i,
                    None => {
                        groups.push((key, 0, Vec::new()));
                        groups.len() - 1
                    }
                };
                groups[i].1 += 1;
                if let (Some(s), Some(r)) = (c.sub, c.rule) {
                    groups[i].2.push((s, r));
                }
            }
        }
        let mut rows: Vec<Row> = groups
            .into_iter()
            .map(|(key, n, pairs)| Row {
                cells: vec![key, Val::Int(n as i64)],
                behind: if pairs.is_empty() {
                    Behind::Nothing
                } else {
                    Behind::Findings(pairs)
                },
            })
            .collect();
        rows.sort_by(|a, b| a.cells[0].compare(&b.cells[0]));
        rows.sort_by(|a, b| b.cells[1].compare(&a.cells[1]));
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

/// What a test of a finding sees.
fn finding_ctx(f: &Finding) -> Ctx<'_> {
    Ctx {
        sub: Some(f.submission),
        rule: Some(f.rule),
        finding: Some(f),
        counts: None,
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
