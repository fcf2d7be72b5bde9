//! The `where` and `having` conditions resolved: tests of submissions,
//! projects and findings, `uses (...)` and `named by (...)` turned into sets
//! of projects, and tests of the result's columns.

use super::{span_of, Cond, Pred, Resolver};
use crate::diagnostic::Code;
use crate::query::ast::{Expr, Literal, Name, Op, Rows, Span};
use crate::query::field::{Column, Field, FieldKind};
use crate::query::value::Val;
use crate::rules::{closest, RuleId};

impl Resolver<'_> {
    /// Resolves a condition; `None` (with diagnostics) when any part is wrong.
    pub(super) fn pred(&mut self, e: &Expr) -> Option<Pred> {
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
            Expr::Uses(lit) => self.uses(lit),
            Expr::UsesWhere { cond, span } => self.uses_where(cond, span),
            Expr::NamedBy { used, cond, span } => self.named_by(*used, cond, span),
            Expr::Compare {
                field,
                op,
                op_span,
                values,
            } => self.compare(field, *op, op_span, values),
        }
    }

    /// `uses PROJECT`: a test of a submission.
    fn uses(&mut self, lit: &Literal) -> Option<Pred> {
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

    /// `uses (CONDITION)`: the projects passing it, then a test of a submission.
    fn uses_where(&mut self, cond: &Expr, span: &Span) -> Option<Pred> {
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
            .filter(|&id| crate::query::eval::holds(&inner, self.scan, self.rules, None, Some(id)))
            .collect();
        self.uses.extend(ids.iter().copied());
        Some(Pred::Uses(ids))
    }

    /// `named by (CONDITION)` / `used by (CONDITION)`: the projects the
    /// submissions passing it name (or use).
    fn named_by(&mut self, used: bool, cond: &Expr, span: &Span) -> Option<Pred> {
        if matches!(self.source, Rows::Submissions) {
            self.diags.push(
                self.error(
                    Code::E403,
                    span.clone(),
                    "`named by` tests a project; these rows are submissions",
                )
                .with_label("not a test of a submission")
                .with_help("to test what a submission names, `uses PROJECT` or `uses (CONDITION)`"),
            );
            return None;
        }
        let word = if used {
            "used by (...)"
        } else {
            "named by (...)"
        };
        let inner = self.within(Rows::Submissions, word, cond)?;
        if let Some(index) = self.index {
            let subs = crate::query::eval::passing(&inner, self.scan, self.rules, index);
            let ids = self.rules.ids().filter(|&r| {
                let mut named = index
                    .of_rule(r)
                    .iter()
                    .map(|&i| &self.scan.findings[i as usize]);
                named.any(|f| {
                    (!used || !(f.negated || f.hedged)) && subs.get(f.submission.0 as usize)
                })
            });
            return Some(Pred::Among(ids.collect()));
        }
        let mut ids: Vec<RuleId> = self
            .scan
            .findings
            .iter()
            .filter(|f| !used || !(f.negated || f.hedged))
            .filter(|f| {
                crate::query::eval::holds(&inner, self.scan, self.rules, Some(f.submission), None)
            })
            .map(|f| f.rule)
            .collect();
        ids.sort();
        ids.dedup();
        Some(Pred::Among(ids))
    }

    /// `FIELD OP VALUES`.
    fn compare(
        &mut self,
        field: &Name,
        op: Op,
        op_span: &Span,
        values: &[Literal],
    ) -> Option<Pred> {
        let Some(f) = self.field(field) else {
            // Check the value against the field meant, so both typos are reported at once.
            if let Some(meant) = closest(&field.text, Field::names_for(self.source))
                .and_then(|c| Field::lookup(c, self.source))
            {
                self.cond(meant, op, op_span, values);
            }
            return None;
        };
        let cond = self.cond(f, op, op_span, values)?;
        Some(match op {
            Op::Ne | Op::NotIn => Pred::Not(Box::new(Pred::Test { field: f, cond })),
            _ => Pred::Test { field: f, cond },
        })
    }

    /// Resolves `cond` as a test of `source`'s rows (inside `uses (...)` or `named by (...)`).
    pub(super) fn within(
        &mut self,
        source: Rows,
        inside: &'static str,
        cond: &Expr,
    ) -> Option<Pred> {
        let saved = (self.source, self.inside);
        (self.source, self.inside) = (source, Some(inside));
        let pred = self.pred(cond);
        (self.source, self.inside) = saved;
        pred
    }

    /// The `having` condition: tests of the result's columns.
    pub(super) fn having(&mut self, e: &Expr, cols: &[Column]) -> Option<Pred> {
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
            } => self.having_compare(field, *op, op_span, values, cols),
        }
    }

    /// `COLUMN OP VALUES` in `having`.
    fn having_compare(
        &mut self,
        field: &Name,
        op: Op,
        op_span: &Span,
        values: &[Literal],
        cols: &[Column],
    ) -> Option<Pred> {
        if self.source == Rows::Matrix {
            self.diags.push(
                self.error(
                    Code::E411,
                    field.span.clone(),
                    "a matrix has no `having`: its columns are submissions",
                )
                .with_label("not for `matrix`")
                .with_help(
                    "test the projects in `where`, or ask `adoption ... having stacks >= N`",
                ),
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
            Some(f) => self.cond(f, op, op_span, values)?,
            None => self.column_cond(col, op, op_span, values)?,
        };
        let test = Pred::Column { index, cond };
        Some(match op {
            Op::Ne | Op::NotIn => Pred::Not(Box::new(test)),
            _ => test,
        })
    }

    /// A test of a column with no field (`count`, `projects`, `quote`).
    pub(super) fn column_cond(
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
}
