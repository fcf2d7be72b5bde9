//! The syntax tree of a query, as written: names and values are still text,
//! each with its byte span in the query so later stages can point at it.
//! [`Query`]'s `Display` prints the canonical form, with the precedence of
//! `and`/`or`/`not` made explicit by parentheses.

use std::fmt;
use std::ops::Range;

/// Byte range in the query text.
pub type Span = Range<usize>;

/// What the rows of a query are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rows {
    /// One row per project: stacks and share among the submissions in scope.
    Adoption,
    /// Projects by submissions, M / X / -.
    Matrix,
    /// One row per (submission, project) finding, with its evidence.
    Findings,
    /// One row per submission.
    Submissions,
    /// One row per loaded rule (the reference table).
    Projects,
}

impl Rows {
    /// Every source, in the order the documentation lists them.
    pub const ALL: [Rows; 5] = [
        Rows::Adoption,
        Rows::Matrix,
        Rows::Findings,
        Rows::Submissions,
        Rows::Projects,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rows::Adoption => "adoption",
            Rows::Matrix => "matrix",
            Rows::Findings => "findings",
            Rows::Submissions => "submissions",
            Rows::Projects => "projects",
        }
    }

    /// The source written `text` (case-insensitive).
    pub fn parse(text: &str) -> Option<Rows> {
        Rows::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name as written (a field), with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A value as written: a bare word or a quoted string (unescaped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    pub text: String,
    pub quoted: bool,
    pub span: Span,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `in (...)`
    In,
    /// `not in (...)`
    NotIn,
    /// `~` or `contains`: case-insensitive substring.
    Contains,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::In => "in",
            Op::NotIn => "not in",
            Op::Contains => "~",
        }
    }
}

/// A condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `uses PROJECT`
    Uses(Literal),
    /// `uses (CONDITION)`: some project passing the condition is used.
    UsesWhere {
        cond: Box<Expr>,
        span: Span,
    },
    /// `named by (CONDITION)` (or `used by`, when `used`): some submission
    /// passing the condition names (uses) the project.
    NamedBy {
        used: bool,
        cond: Box<Expr>,
        span: Span,
    },
    /// `FIELD OP VALUE`, or `FIELD [not] in (VALUE, ...)` with several values.
    Compare {
        field: Name,
        op: Op,
        op_span: Span,
        values: Vec<Literal>,
    },
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Asc,
    Desc,
}

/// One `order by` key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderKey {
    pub field: Name,
    pub direction: Direction,
}

/// A number as written after `top` or `limit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub value: usize,
    pub span: Span,
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub explain: bool,
    pub top: Option<Count>,
    pub source: Rows,
    pub source_span: Span,
    pub filter: Option<Expr>,
    /// `group by` fields, in order (empty: no grouping).
    pub group: Vec<Name>,
    /// `having`: a test of the result's rows.
    pub having: Option<Expr>,
    pub order: Vec<OrderKey>,
    pub limit: Option<Count>,
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bare = !self.text.is_empty()
            && self
                .text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_/%+:".contains(c))
            && !super::parse::is_keyword(&self.text);
        if bare {
            f.write_str(&self.text)
        } else {
            write!(
                f,
                "\"{}\"",
                self.text.replace('\\', "\\\\").replace('"', "\\\"")
            )
        }
    }
}

impl Expr {
    fn fmt_nested(&self, f: &mut fmt::Formatter<'_>, top: bool) -> fmt::Result {
        let binary = |f: &mut fmt::Formatter<'_>, l: &Expr, word: &str, r: &Expr| {
            if !top {
                f.write_str("(")?;
            }
            l.fmt_nested(f, false)?;
            write!(f, " {word} ")?;
            r.fmt_nested(f, false)?;
            if !top {
                f.write_str(")")?;
            }
            Ok(())
        };
        match self {
            Expr::And(l, r) => binary(f, l, "and", r),
            Expr::Or(l, r) => binary(f, l, "or", r),
            Expr::Not(e) => {
                f.write_str("not ")?;
                e.fmt_nested(f, false)
            }
            Expr::Uses(p) => write!(f, "uses {p}"),
            Expr::UsesWhere { cond, .. } => write!(f, "uses ({cond})"),
            Expr::NamedBy { used, cond, .. } => {
                let word = if *used { "used" } else { "named" };
                write!(f, "{word} by ({cond})")
            }
            Expr::Compare {
                field,
                op: op @ (Op::In | Op::NotIn),
                values,
                ..
            } => {
                let vs: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                write!(
                    f,
                    "{} {} ({})",
                    field.text.to_lowercase(),
                    op.as_str(),
                    vs.join(", ")
                )
            }
            Expr::Compare {
                field, op, values, ..
            } => {
                write!(
                    f,
                    "{} {} {}",
                    field.text.to_lowercase(),
                    op.as_str(),
                    values[0]
                )
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_nested(f, true)
    }
}

impl fmt::Display for Query {
    /// The canonical form: lower-case keywords, explicit precedence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.explain {
            f.write_str("explain ")?;
        }
        if let Some(t) = &self.top {
            write!(f, "top {} ", t.value)?;
        }
        f.write_str(self.source.as_str())?;
        if let Some(e) = &self.filter {
            write!(f, " where {e}")?;
        }
        if !self.group.is_empty() {
            let names: Vec<String> = self.group.iter().map(|g| g.text.to_lowercase()).collect();
            write!(f, " group by {}", names.join(", "))?;
        }
        if let Some(h) = &self.having {
            write!(f, " having {h}")?;
        }
        if !self.order.is_empty() {
            let keys: Vec<String> = self
                .order
                .iter()
                .map(|k| {
                    format!(
                        "{}{}",
                        k.field.text.to_lowercase(),
                        if k.direction == Direction::Desc {
                            " desc"
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            write!(f, " order by {}", keys.join(", "))?;
        }
        if let Some(l) = &self.limit {
            write!(f, " limit {}", l.value)?;
        }
        Ok(())
    }
}
