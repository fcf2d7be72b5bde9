//! [`Query`] -> [`Plan`]: names resolved against what is loaded. Every field
//! must exist and suit the source, every value must be of its field's kind
//! (versions, numbers, cells) and, for closed vocabularies (categories, CNCF
//! statuses, sections) and loaded data (projects, submissions, vendors),
//! must exist; each miss is a diagnostic with the closest known name. All
//! errors are collected. The `where` condition is split into its `and`ed
//! parts by what they test: submissions (the scope counted), projects,
//! findings, or counts (`stacks`, `share`, tested after counting).

use crate::diagnostic::Code;
use std::collections::BTreeSet;

use super::ast::{Direction, Expr, Literal, Name, Op, Query, Rows, Span};
use super::field::{columns, Column, Entity, Field, FieldKind, SECTIONS};
use super::value::{Val, Version};
use super::QUERY_FILE;
use crate::diagnostic::Diagnostic;
use crate::rules::{closest, Category, CncfStatus, RuleId, RuleSet, CATEGORIES, CNCF_STATUSES};
use crate::scan::finding::Cell;
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

/// Resolves a parsed query against the loaded rules and scan.
pub fn plan(text: &str, q: &Query, scan: &Scan, rules: &RuleSet) -> Result<Plan, Vec<Diagnostic>> {
    let mut r = Resolver {
        text,
        source: q.source,
        inside: None,
        scan,
        rules,
        diags: Vec::new(),
        uses: Vec::new(),
    };
    let mut parts = Vec::new();
    if let Some(e) = &q.filter {
        conjuncts(e, &mut parts);
    }
    let (mut scope, mut projects, mut findings, mut having) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for part in parts {
        let Some(pred) = r.pred(part) else { continue };
        let ents = pred.entities();
        let p = Part {
            pred,
            text: part.to_string(),
        };
        if ents.contains(&Entity::Aggregate) {
            if ents.len() > 1 || !aggregate_only_and(part) {
                r.diags.push(r.error(Code::E410, span_of(part), "`stacks` and `share` are counted after filtering: join them to other tests with `and`, outside `or`/`not`")
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

struct Resolver<'a> {
    text: &'a str,
    /// Whose fields are tested: the query's source, or inside `uses (...)`
    /// projects and inside `named by (...)` submissions.
    source: Rows,
    /// The construct being resolved inside (`uses (...)`), for messages.
    inside: Option<&'static str>,
    scan: &'a Scan,
    rules: &'a RuleSet,
    diags: Vec<Diagnostic>,
    uses: Vec<RuleId>,
}

impl Resolver<'_> {
    fn error(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, QUERY_FILE, message).at(self.text, span)
    }

    /// Resolves a condition; `None` (with diagnostics) when any part is wrong.
    fn pred(&mut self, e: &Expr) -> Option<Pred> {
        match e {
            Expr::And(a, b) | Expr::Or(a, b) => {
                let (x, y) = (self.pred(a), self.pred(b));
                let (x, y) = (Box::new(x?), Box::new(y?));
                Some(if matches!(e, Expr::And(..)) {
                    Pred::And(x, y)
                } else {
                    Pred::Or(x, y)
                })
            }
            Expr::Not(a) => Some(Pred::Not(Box::new(self.pred(a)?))),
            Expr::Uses(lit) => {
                if matches!(self.source, Rows::Projects) {
                    self.diags.push(
                        self.error(Code::E403, lit.span.clone(), "`uses` tests a submission; `projects` rows are projects")
                            .with_label("not a test of a project")
                            .with_help("ask `adoption where uses PROJECT` for the projects that submissions naming PROJECT name"),
                    );
                    return None;
                }
                let id = self.project(lit)?;
                self.uses.push(id);
                Some(Pred::Uses(vec![id]))
            }
            Expr::UsesWhere { cond, span } => {
                if matches!(self.source, Rows::Projects) {
                    self.diags.push(
                        self.error(Code::E403, span.clone(), "`uses` tests a submission; these rows are projects")
                            .with_label("not a test of a project")
                            .with_help("to test the projects, write the condition without `uses (...)`; to test who names them, `named by (CONDITION)`"),
                    );
                    return None;
                }
                let inner = self.within(Rows::Projects, "uses (...)", cond)?;
                let ids: Vec<RuleId> = self
                    .rules
                    .ids()
                    .filter(|&id| super::eval::holds(&inner, self.scan, self.rules, None, Some(id)))
                    .collect();
                self.uses.extend(ids.iter().copied());
                Some(Pred::Uses(ids))
            }
            Expr::NamedBy { used, cond, span } => {
                if matches!(self.source, Rows::Submissions) {
                    self.diags.push(
                        self.error(
                            Code::E403,
                            span.clone(),
                            "`named by` tests a project; these rows are submissions",
                        )
                        .with_label("not a test of a submission")
                        .with_help(
                            "to test what a submission names, `uses PROJECT` or `uses (CONDITION)`",
                        ),
                    );
                    return None;
                }
                let word = if *used {
                    "used by (...)"
                } else {
                    "named by (...)"
                };
                let inner = self.within(Rows::Submissions, word, cond)?;
                let mut ids: Vec<RuleId> = self
                    .scan
                    .findings
                    .iter()
                    .filter(|f| !*used || !(f.negated || f.hedged))
                    .filter(|f| {
                        super::eval::holds(&inner, self.scan, self.rules, Some(f.submission), None)
                    })
                    .map(|f| f.rule)
                    .collect();
                ids.sort();
                ids.dedup();
                Some(Pred::Among(ids))
            }
            Expr::Compare {
                field,
                op,
                op_span,
                values,
            } => {
                let Some(f) = self.field(field) else {
                    // Check the value against the field meant, so both typos are reported at once.
                    if let Some(meant) = closest(&field.text, Field::names_for(self.source))
                        .and_then(|c| Field::lookup(c, self.source))
                    {
                        self.cond(meant, *op, op_span, values);
                    }
                    return None;
                };
                let cond = self.cond(f, *op, op_span, values)?;
                Some(match op {
                    Op::Ne | Op::NotIn => Pred::Not(Box::new(Pred::Test { field: f, cond })),
                    _ => Pred::Test { field: f, cond },
                })
            }
        }
    }

    /// Resolves `cond` as a test of `source`'s rows (inside `uses (...)` or `named by (...)`).
    fn within(&mut self, source: Rows, inside: &'static str, cond: &Expr) -> Option<Pred> {
        let saved = (self.source, self.inside);
        (self.source, self.inside) = (source, Some(inside));
        let pred = self.pred(cond);
        (self.source, self.inside) = saved;
        pred
    }

    /// The `having` condition: tests of the result's columns.
    fn having(&mut self, e: &Expr, cols: &[Column]) -> Option<Pred> {
        match e {
            Expr::And(a, b) | Expr::Or(a, b) => {
                let (x, y) = (self.having(a, cols), self.having(b, cols));
                let (x, y) = (Box::new(x?), Box::new(y?));
                Some(if matches!(e, Expr::And(..)) {
                    Pred::And(x, y)
                } else {
                    Pred::Or(x, y)
                })
            }
            Expr::Not(a) => Some(Pred::Not(Box::new(self.having(a, cols)?))),
            Expr::Uses(_) | Expr::UsesWhere { .. } | Expr::NamedBy { .. } => {
                self.diags.push(
                    self.error(
                        Code::E411,
                        span_of(e),
                        "`having` tests the result's columns, not what submissions name",
                    )
                    .with_label("not a column test")
                    .with_help("move this test to `where`"),
                );
                None
            }
            Expr::Compare {
                field,
                op,
                op_span,
                values,
            } => {
                if self.source == Rows::Matrix {
                    self.diags.push(
                        self.error(Code::E411, field.span.clone(), "a matrix has no `having`: its columns are submissions")
                            .with_label("not for `matrix`")
                            .with_help("test the projects in `where`, or ask `adoption ... having stacks >= N`"),
                    );
                    return None;
                }
                let key = field.text.to_ascii_lowercase();
                let by_field = Field::lookup(&key, self.source);
                let Some(index) = cols
                    .iter()
                    .position(|c| c.key() == key || (by_field.is_some() && c.field == by_field))
                else {
                    let keys: Vec<String> = cols.iter().map(Column::key).collect();
                    let listing = format!("columns: {}", keys.join(", "));
                    let help = match closest(&field.text, keys.iter().map(String::as_str)) {
                        Some(c) => format!("did you mean `{c}`? {listing}"),
                        None => listing,
                    };
                    self.diags.push(
                        self.error(
                            Code::E411,
                            field.span.clone(),
                            format!(
                                "`having` tests the result's columns; `{}` is not one",
                                field.text
                            ),
                        )
                        .with_label("not a column of the result")
                        .with_help(help),
                    );
                    return None;
                };
                let col = &cols[index];
                let cond = match col.field {
                    Some(f) => self.cond(f, *op, op_span, values)?,
                    None => self.column_cond(col, *op, op_span, values)?,
                };
                let test = Pred::Column { index, cond };
                Some(match op {
                    Op::Ne | Op::NotIn => Pred::Not(Box::new(test)),
                    _ => test,
                })
            }
        }
    }

    /// A test of a column with no field (`count`, `projects`, `quote`).
    fn column_cond(
        &mut self,
        col: &Column,
        op: Op,
        op_span: &Span,
        values: &[Literal],
    ) -> Option<Cond> {
        if col.kind() != FieldKind::Count {
            if op == Op::Contains {
                return Some(Cond::Contains(values[0].text.to_lowercase()));
            }
            let v = values.iter().map(|l| Val::Text(l.text.clone())).collect();
            return match op {
                Op::Eq | Op::Ne | Op::In | Op::NotIn => Some(Cond::OneOf(v)),
                _ => {
                    self.diags.push(
                        self.error(
                            Code::E406,
                            op_span.clone(),
                            format!("`{}` does not apply to `{}`", op.as_str(), col.key()),
                        )
                        .with_label("not for this column")
                        .with_help(format!("`{}` takes =, !=, in, ~ (contains)", col.key())),
                    );
                    None
                }
            };
        }
        if op == Op::Contains {
            self.diags.push(
                self.error(
                    Code::E406,
                    op_span.clone(),
                    format!("`~` does not apply to `{}`", col.key()),
                )
                .with_label("not for this column")
                .with_help(format!("`{}` takes =, !=, <, <=, >, >=, in", col.key())),
            );
            return None;
        }
        let mut vals = Vec::new();
        for lit in values {
            match lit.text.trim().parse::<i64>() {
                Ok(n) => vals.push(Val::Int(n)),
                Err(_) => {
                    self.diags.push(
                        self.error(
                            Code::E404,
                            lit.span.clone(),
                            format!("`{}` is not a whole number", lit.text),
                        )
                        .with_label("expected a whole number"),
                    );
                    return None;
                }
            }
        }
        Some(match op {
            Op::Eq | Op::Ne | Op::In | Op::NotIn => Cond::OneOf(vals),
            _ => Cond::Cmp(op, vals.into_iter().next()?),
        })
    }

    /// A field name valid for this source.
    fn field(&mut self, name: &Name) -> Option<Field> {
        let Some(f) = Field::lookup(&name.text, self.source) else {
            let known = Field::names_for(self.source);
            let all: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            let mut d = self
                .error(
                    Code::E402,
                    name.span.clone(),
                    format!("unknown field `{}`", name.text),
                )
                .with_label("not a field");
            d = d.with_help(match closest(&name.text, all.iter().copied()) {
                Some(c) => format!(
                    "did you mean `{c}`? fields of `{}`: {}",
                    self.source,
                    known.join(", ")
                ),
                None => format!("fields of `{}`: {}", self.source, known.join(", ")),
            });
            self.diags.push(d);
            return None;
        };
        if let (Some(inside), false) = (self.inside, f.allowed_in(self.source)) {
            let whose = if self.source == Rows::Projects {
                "projects"
            } else {
                "submissions"
            };
            self.diags.push(
                self.error(
                    Code::E403,
                    name.span.clone(),
                    format!(
                        "`{}` is a field of {}; `{inside}` tests {whose}",
                        name.text,
                        f.entity().as_str()
                    ),
                )
                .with_label(format!("not a field of {whose}"))
                .with_help(format!(
                    "fields of {whose}: {}",
                    Field::names_for(self.source).join(", ")
                )),
            );
            return None;
        }
        if !f.allowed_in(self.source) {
            self.diags.push(
                self.error(
                    Code::E403,
                    name.span.clone(),
                    format!(
                        "`{}` is a field of {}, not of `{}` rows",
                        name.text,
                        f.entity().as_str(),
                        self.source
                    ),
                )
                .with_label(format!("not a field of `{}`", self.source))
                .with_help(self.other_source_help(f)),
            );
            return None;
        }
        Some(f)
    }

    fn other_source_help(&self, f: Field) -> String {
        let known = Field::names_for(self.source).join(", ");
        match (self.source, f.entity()) {
            (Rows::Submissions, _) => format!("fields of `submissions`: {known}; to test what a submission names, use `uses PROJECT`, or query `findings`"),
            (Rows::Projects, _) => format!("fields of `projects`: {known}; to count submissions, query `adoption where ...`"),
            (_, Entity::Aggregate) => "`stacks` and `share` are columns of `adoption`".to_string(),
            _ => format!("fields of `{}`: {known}", self.source),
        }
    }

    fn group(&mut self, name: &Name) -> Option<Field> {
        let f = self.field(name)?;
        if !f.groupable_in(self.source) {
            let help = match self.source {
                Rows::Matrix => "a matrix is not grouped; try `findings where ... group by FIELD`".to_string(),
                Rows::Adoption => "`adoption` groups by fields of projects (category, cncf, vendor, license, repo, project) and of submissions (version, submission, platform, submission_vendor); to group findings by a field of theirs, ask `findings ... group by FIELD`".to_string(),
                _ => format!("fields of `{}`: {}", self.source, Field::names_for(self.source).join(", ")),
            };
            self.diags.push(
                self.error(
                    Code::E407,
                    name.span.clone(),
                    format!("`{}` cannot group by `{}`", self.source, name.text),
                )
                .with_label("cannot group by this")
                .with_help(help),
            );
            return None;
        }
        Some(f)
    }

    fn sort_key(&mut self, name: &Name, cols: &[Column]) -> Option<SortKey> {
        let key = name.text.to_ascii_lowercase();
        let field = Field::lookup(&key, self.source);
        if let Some(i) = cols
            .iter()
            .position(|c| c.key() == key || (field.is_some() && c.field == field))
        {
            return Some(SortKey::Column(i));
        }
        if self.source == Rows::Matrix {
            let hit = self.scan.submissions.iter().position(|s| {
                s.id.eq_ignore_ascii_case(&key) || short(&s.id).eq_ignore_ascii_case(&key)
            });
            if let Some(i) = hit {
                return Some(SortKey::Submission(i as u32));
            }
        }
        let keys: Vec<String> = cols.iter().map(Column::key).collect();
        let mut d = self
            .error(
                Code::E408,
                name.span.clone(),
                format!("cannot order these rows by `{}`", name.text),
            )
            .with_label("not a column of the result");
        let extra = if self.source == Rows::Matrix {
            " or a submission's folder name"
        } else {
            ""
        };
        d = d.with_help(match closest(&name.text, keys.iter().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`? columns: {}{extra}", keys.join(", ")),
            None => format!("columns: {}{extra}", keys.join(", ")),
        });
        self.diags.push(d);
        None
    }

    /// The condition on a field's value, read according to its kind.
    fn cond(&mut self, f: Field, op: Op, op_span: &Span, values: &[Literal]) -> Option<Cond> {
        let kind = f.kind();
        let ordered = matches!(
            kind,
            FieldKind::Version | FieldKind::Count | FieldKind::Share | FieldKind::ProjectVersion
        );
        let textual = !matches!(
            kind,
            FieldKind::Version | FieldKind::Count | FieldKind::Share | FieldKind::Bool
        );
        let ok = match op {
            Op::Lt | Op::Le | Op::Gt | Op::Ge => ordered,
            Op::Contains => textual,
            Op::In | Op::NotIn => kind != FieldKind::Bool,
            Op::Eq | Op::Ne => true,
        };
        if !ok {
            let allowed = match kind {
                FieldKind::Bool => "=, !=",
                FieldKind::ProjectVersion => "=, !=, <, <=, >, >=, in, not in, ~ (contains)",
                _ if ordered => "=, !=, <, <=, >, >=, in, not in",
                _ => "=, !=, in, not in, ~ (contains)",
            };
            self.diags.push(
                self.error(
                    Code::E406,
                    op_span.clone(),
                    format!("`{}` does not apply to `{}`", op.as_str(), f.name()),
                )
                .with_label("not for this field")
                .with_help(format!("`{}` takes {allowed}", f.name())),
            );
            return None;
        }
        if op == Op::Contains {
            return Some(Cond::Contains(values[0].text.to_lowercase()));
        }
        let mut vals = Vec::new();
        let mut failed = false;
        for lit in values {
            match self.value(f, lit) {
                Some(mut v) => vals.append(&mut v),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        Some(match op {
            Op::Eq | Op::Ne | Op::In | Op::NotIn => Cond::OneOf(vals),
            _ => Cond::Cmp(op, vals.into_iter().next()?),
        })
    }

    /// A literal read as a value of `f` (a submission folder name may stand for several).
    fn value(&mut self, f: Field, lit: &Literal) -> Option<Vec<Val>> {
        let t = lit.text.trim();
        let got = match f.kind() {
            FieldKind::Version => Version::parse(t).map(|v| vec![Val::Version(v)]),
            FieldKind::ProjectVersion => Some(vec![project_version(t)]),
            FieldKind::Count => t.parse::<i64>().ok().map(|n| vec![Val::Int(n)]),
            FieldKind::Share => share(t).map(|s| vec![Val::Share(s)]),
            FieldKind::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "yes" => Some(vec![Val::Bool(true)]),
                "false" | "no" => Some(vec![Val::Bool(false)]),
                _ => None,
            },
            FieldKind::Cell => Cell::parse(t)
                .or_else(|| t.eq_ignore_ascii_case("none").then_some(Cell::NotNamed))
                .map(|c| vec![Val::Cell(c)]),
            FieldKind::Category => {
                Category::parse(t).map(|c| vec![Val::Text(c.as_str().to_string())])
            }
            FieldKind::Cncf => {
                CncfStatus::parse(t).map(|c| vec![Val::Text(c.as_str().to_string())])
            }
            FieldKind::Section => SECTIONS
                .iter()
                .find(|s| s.eq_ignore_ascii_case(t))
                .map(|s| vec![Val::Text(s.to_string())]),
            FieldKind::Project => self
                .rules
                .find(t)
                .map(|id| vec![Val::Project(self.rules.get(id).name.clone())]),
            FieldKind::Submission => {
                let subs: Vec<Val> = self
                    .scan
                    .submissions
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        s.id.eq_ignore_ascii_case(t) || short(&s.id).eq_ignore_ascii_case(t)
                    })
                    .map(|(i, s)| Val::Sub(i as u32, s.id.clone()))
                    .collect();
                (!subs.is_empty()).then_some(subs)
            }
            FieldKind::Known if matches!(f, Field::Vendor | Field::SubmissionVendor) => {
                let want = Val::Vendor(t.to_string());
                self.known_values(f)
                    .into_iter()
                    .any(|k| Val::Vendor(k).same(&want))
                    .then(|| vec![want])
            }
            FieldKind::Known => self
                .known_values(f)
                .iter()
                .any(|k| k.eq_ignore_ascii_case(t))
                .then(|| vec![Val::Text(t.to_string())]),
            FieldKind::Text => Some(vec![Val::Text(t.to_string())]),
        };
        if got.is_none() {
            self.diags.push(self.bad_value(f, lit));
        }
        got
    }

    /// The values a known-text field has in the loaded data.
    fn known_values(&self, f: Field) -> Vec<String> {
        let mut v: Vec<String> = match f {
            Field::Platform => self
                .scan
                .submissions
                .iter()
                .map(|s| s.platform.clone())
                .collect(),
            Field::SubmissionVendor => self
                .scan
                .submissions
                .iter()
                .map(|s| s.vendor.clone())
                .collect(),
            Field::Vendor => self.rules.rules.iter().map(|r| r.vendor.clone()).collect(),
            Field::License => self.rules.rules.iter().map(|r| r.license.clone()).collect(),
            _ => Vec::new(),
        };
        v.retain(|s| !s.is_empty());
        v.sort_by_key(|s| s.to_lowercase());
        v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        v
    }

    /// The diagnostic for a value that is not of its field's kind.
    fn bad_value(&self, f: Field, lit: &Literal) -> Diagnostic {
        let t = lit.text.as_str();
        let (what, known): (String, Vec<String>) = match f.kind() {
            FieldKind::Version => ("a version".into(), vec![]),
            FieldKind::Count => ("a whole number".into(), vec![]),
            FieldKind::Share => ("a share (0..1 or N%)".into(), vec![]),
            FieldKind::Bool => ("true or false".into(), vec![]),
            FieldKind::Cell => (
                "a cell: M (named with a version), X (named) or - (not named)".into(),
                vec![],
            ),
            FieldKind::Category => (
                "a category".into(),
                CATEGORIES.iter().map(|s| s.to_string()).collect(),
            ),
            FieldKind::Cncf => (
                "a CNCF status".into(),
                CNCF_STATUSES
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.to_string())
                    .collect(),
            ),
            FieldKind::Section => (
                "a checklist section".into(),
                SECTIONS.iter().map(|s| s.to_string()).collect(),
            ),
            FieldKind::Project => (
                "a project of the loaded rules".into(),
                self.rules.rules.iter().map(|r| r.name.clone()).collect(),
            ),
            FieldKind::Submission => (
                "a submission of the corpus".into(),
                self.scan.submissions.iter().map(|s| s.id.clone()).collect(),
            ),
            FieldKind::Known => (
                format!("a {} in the loaded data", f.name().replace('_', " ")),
                self.known_values(f),
            ),
            FieldKind::Text | FieldKind::ProjectVersion => ("text".into(), vec![]),
        };
        let message = match f.kind() {
            FieldKind::Version => format!("`{t}` is not a version"),
            FieldKind::Count | FieldKind::Share | FieldKind::Bool => format!("`{t}` is not {what}"),
            FieldKind::Project => format!("no project `{t}` in the loaded rules"),
            FieldKind::Submission => format!("no submission `{t}` in the corpus"),
            FieldKind::Cncf => format!("unknown CNCF status `{t}`"),
            _ => format!("unknown {} `{t}`", f.name().replace('_', " ")),
        };
        let mut d = self
            .error(Code::E404, lit.span.clone(), message)
            .with_label(format!("expected {what}"));
        let mut pool: Vec<&str> = known.iter().map(String::as_str).collect();
        if f.kind() == FieldKind::Submission {
            pool.extend(self.scan.submissions.iter().map(|s| short(&s.id)));
        }
        let listing = if known.is_empty() {
            String::new()
        } else if known.len() <= 16 {
            format!("{}: {}", plural(&what), known.join(", "))
        } else {
            format!("{} {} are loaded", known.len(), plural(&what))
        };
        let help = match (closest(t, pool.iter().copied()), f.kind()) {
            (Some(c), _) if c.contains(' ') => Some(format!("did you mean \"{c}\"? {listing}")),
            (Some(c), _) => Some(format!("did you mean `{c}`? {listing}")),
            (None, FieldKind::Version) => {
                Some("write a Kubernetes version like 1.34 or v1.34".to_string())
            }
            (None, FieldKind::Share) => {
                Some("write a fraction like 0.5, or a percentage like 50%".to_string())
            }
            (None, _) if !listing.is_empty() => Some(listing),
            _ => None,
        };
        if let Some(h) = help {
            d = d.with_help(h.trim_end().to_string());
        }
        d
    }

    fn project(&mut self, lit: &Literal) -> Option<RuleId> {
        let id = self.rules.find(lit.text.trim());
        if id.is_none() {
            self.diags.push(self.bad_value(Field::Project, lit));
        }
        id
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
