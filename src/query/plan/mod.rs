//! [`Query`] -> [`Plan`]: names resolved against what is loaded. Every field
//! must exist and suit the source, every value must be of its field's kind
//! (versions, numbers, cells) and, for closed vocabularies (categories, CNCF
//! statuses, sections) and loaded data (projects, submissions, vendors),
//! must exist; each miss is a diagnostic with the closest known name. All
//! errors are collected. The `where` condition is split into its `and`ed
//! parts by what they test: submissions (the scope counted), projects,
//! findings, or counts (`stacks`, `share`, tested after counting).

mod condition;
mod names;
mod values;

use crate::diagnostic::Code;
use std::collections::BTreeSet;

use super::ast::{Direction, Expr, Op, Query, Rows, Span};
use super::field::{columns, Column, Entity, Field};
use super::index::Index;
use super::value::{Val, Version};
use super::QUERY_FILE;
use crate::diagnostic::Diagnostic;
use crate::rules::{RuleId, RuleSet};
use crate::scan::Scan;

/// A resolved condition.
#[derive(Clone, Debug)]
pub enum Pred {
    And(Box<Pred>, Box<Pred>),
    Or(Box<Pred>, Box<Pred>),
    Not(Box<Pred>),
    /// The submission names one of these projects, not only negated
    /// (`uses PROJECT`, or `uses (CONDITION)` resolved to the projects passing it).
    Uses(Vec<RuleId>),
    /// The project is one of these (`named by (CONDITION)` / `used by`,
    /// resolved to the projects the submissions passing it name).
    Among(Vec<RuleId>),
    Test {
        field: Field,
        cond: Cond,
    },
    /// A test of a result column (`having`), by index.
    Column {
        index: usize,
        cond: Cond,
    },
}

/// What a field's value must satisfy.
#[derive(Clone, Debug)]
pub enum Cond {
    /// Equal to one of these (`=`, `in`).
    OneOf(Vec<Val>),
    /// Ordered comparison.
    Cmp(Op, Val),
    /// Case-insensitive substring (lower case).
    Contains(String),
}

impl Pred {
    /// The kinds of thing the condition tests.
    pub fn entities(&self) -> BTreeSet<Entity> {
        match self {
            Pred::And(a, b) | Pred::Or(a, b) => {
                a.entities().union(&b.entities()).copied().collect()
            }
            Pred::Not(a) => a.entities(),
            Pred::Uses(_) => BTreeSet::from([Entity::Submission]),
            Pred::Among(_) => BTreeSet::from([Entity::Project]),
            Pred::Test { field, .. } => BTreeSet::from([field.entity()]),
            Pred::Column { .. } => BTreeSet::from([Entity::Aggregate]),
        }
    }
}

/// One `and`ed part of the `where` condition, with its canonical text.
#[derive(Clone, Debug)]
pub struct Part {
    pub pred: Pred,
    pub text: String,
}

/// What a sort key refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// A fixed column, by index.
    Column(usize),
    /// A matrix column: one submission's cells.
    Submission(u32),
}

/// A query ready to evaluate.
#[derive(Clone, Debug)]
pub struct Plan {
    pub source: Rows,
    /// Where the query names its source (`matrix`), for what is said of the whole answer.
    pub source_span: Span,
    pub explain: bool,
    /// The parsed query in canonical form (precedence made explicit).
    pub canonical: String,
    /// Tests of the submission only: which submissions are in scope.
    pub scope: Vec<Part>,
    /// Tests of the project only.
    pub projects: Vec<Part>,
    /// Tests that need the finding (or mix submission and project).
    pub findings: Vec<Part>,
    /// Tests of `stacks` / `share`, after counting.
    pub having: Vec<Part>,
    /// The `having` clause: a test of each result row's columns.
    pub rows: Option<Part>,
    pub group: Vec<Field>,
    /// The result's fixed columns.
    pub columns: Vec<Column>,
    pub order: Vec<(SortKey, Direction)>,
    /// Rows kept: the smaller of `top` and `limit`.
    pub limit: Option<usize>,
    /// Projects named by `uses` (their findings explain submission rows).
    pub uses: Vec<RuleId>,
}

/// Resolves a parsed query against the loaded rules and scan (and the scan's index, when
/// given, to resolve `named by (...)` with).
pub fn plan(
    text: &str,
    q: &Query,
    scan: &Scan,
    rules: &RuleSet,
    index: Option<&Index>,
) -> Result<Plan, Vec<Diagnostic>> {
    let mut r = Resolver {
        text,
        source: q.source,
        inside: None,
        scan,
        rules,
        index,
        diags: Vec::new(),
        uses: Vec::new(),
    };
    let (scope, projects, findings, having) = q
        .filter
        .as_ref()
        .map(|e| r.split_where(e))
        .unwrap_or_default();
    let group: Vec<Field> = q.group.iter().filter_map(|g| r.group(g)).collect();
    let columns = columns(q.source, &group);
    let rows = q.having.as_ref().and_then(|h| {
        let pred = r.having(h, &columns)?;
        Some(Part {
            pred,
            text: h.to_string(),
        })
    });
    let order = q
        .order
        .iter()
        .filter_map(|k| r.sort_key(&k.field, &columns).map(|s| (s, k.direction)))
        .collect();
    if let (Some(t), Some(_)) = (&q.top, &q.limit) {
        r.diags.push(
            r.error(Code::E409, t.span.clone(), "both `top` and `limit` given")
                .with_label("keep one of them"),
        );
    }
    let limit = q.top.as_ref().or(q.limit.as_ref()).map(|c| c.value);
    if !r.diags.is_empty() {
        return Err(r.diags);
    }
    Ok(Plan {
        source: q.source,
        source_span: q.source_span.clone(),
        explain: q.explain,
        canonical: Query {
            explain: false,
            ..q.clone()
        }
        .to_string(),
        scope,
        projects,
        findings,
        having,
        rows,
        group,
        columns,
        order,
        limit,
        uses: r.uses,
    })
}

/// The `and`ed parts of a condition.
fn conjuncts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::And(a, b) => {
            conjuncts(a, out);
            conjuncts(b, out);
        }
        other => out.push(other),
    }
}

/// A count test must stand alone (no `or`/`not` around it).
fn aggregate_only_and(e: &Expr) -> bool {
    matches!(e, Expr::Compare { .. })
}

/// The span of a whole condition.
fn span_of(e: &Expr) -> Span {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => span_of(a).start..span_of(b).end,
        Expr::Not(a) => span_of(a),
        Expr::Uses(l) => l.span.clone(),
        Expr::UsesWhere { span, .. } | Expr::NamedBy { span, .. } => span.clone(),
        Expr::Compare { field, values, .. } => {
            field.span.start..values.last().map_or(field.span.end, |v| v.span.end)
        }
    }
}

/// The `where` condition's parts: (scope, projects, findings, having).
type Parts = (Vec<Part>, Vec<Part>, Vec<Part>, Vec<Part>);

struct Resolver<'a> {
    text: &'a str,
    /// Whose fields are tested: the query's source, or inside `uses (...)`
    /// projects and inside `named by (...)` submissions.
    source: Rows,
    /// The construct being resolved inside (`uses (...)`), for messages.
    inside: Option<&'static str>,
    scan: &'a Scan,
    rules: &'a RuleSet,
    index: Option<&'a Index>,
    diags: Vec<Diagnostic>,
    uses: Vec<RuleId>,
}

impl Resolver<'_> {
    fn error(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, QUERY_FILE, message).at(self.text, span)
    }

    /// The `and`ed parts of the `where` condition, resolved and sorted by what they test:
    /// (scope, projects, findings, having).
    fn split_where(&mut self, e: &Expr) -> Parts {
        let mut parts = Vec::new();
        conjuncts(e, &mut parts);
        let (mut scope, mut projects, mut findings, mut having) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for part in parts {
            let Some(pred) = self.pred(part) else {
                continue;
            };
            let ents = pred.entities();
            let p = Part {
                pred,
                text: part.to_string(),
            };
            if ents.contains(&Entity::Aggregate) {
                if ents.len() > 1 || !aggregate_only_and(part) {
                    self.diags.push(self.error(Code::E410, span_of(part), "`stacks` and `share` are counted after filtering: join them to other tests with `and`, outside `or`/`not`")
                        .with_label("mixes counts with other tests"));
                } else {
                    having.push(p);
                }
            } else if ents.len() == 1 && ents.contains(&Entity::Submission) {
                scope.push(p);
            } else if ents.len() == 1 && ents.contains(&Entity::Project) {
                projects.push(p);
            } else {
                findings.push(p);
            }
        }
        (scope, projects, findings, having)
    }
}

/// "a category" -> "categories", for listings.
fn plural(what: &str) -> String {
    let w = what.trim_start_matches("a ").trim_start_matches("an ");
    let w = w
        .split(" of ")
        .next()
        .unwrap_or(w)
        .split(" in ")
        .next()
        .unwrap_or(w);
    if let Some(stem) = w.strip_suffix('y') {
        format!("{stem}ies")
    } else if w.ends_with('s') {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

/// A project version as a value: a version when it reads as one, else text.
pub fn project_version(t: &str) -> Val {
    Version::parse(t).map_or_else(|| Val::Text(t.to_string()), Val::Version)
}

/// `0.5` or `50%`.
fn share(t: &str) -> Option<f64> {
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().ok()? / 100.0,
        None => t.parse::<f64>().ok()?,
    };
    v.is_finite().then_some(v)
}

/// The folder name of a submission id (`gke` for `v1.34/gke`).
pub fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}
