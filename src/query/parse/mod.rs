//! Query text -> [`Query`]: the pest parse of `grammar/query.pest`, with
//! `and`/`or`/`not` precedence from a [`PrattParser`]. A syntax error is one
//! [`Diagnostic`] (code `E401`) that points at the column, names what was
//! expected in the user's words, and suggests the closest keyword.

use crate::diagnostic::Code;
use std::sync::LazyLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op as PrattOp, PrattParser};
use pest::Parser as _;

use crate::diagnostic::Diagnostic;
use crate::query::ast::{Count, Direction, Expr, Literal, Name, Op, OrderKey, Query, Rows, Span};
use crate::query::QUERY_FILE;

mod error;
use error::syntax_error;

mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/query.pest"]
    pub struct QueryParser;
}
use grammar::{QueryParser, Rule};

/// Longest query read, in bytes.
pub const MAX_LEN: usize = 4096;
/// Deepest nesting of parentheses read.
pub const MAX_DEPTH: usize = 32;

/// The reserved words of the language.
pub const KEYWORDS: &[&str] = &[
    "explain", "top", "where", "and", "or", "not", "uses", "in", "contains", "group", "order",
    "by", "having", "named", "used", "asc", "desc", "limit",
];

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(PrattOp::infix(Rule::or, Assoc::Left))
        .op(PrattOp::infix(Rule::and, Assoc::Left))
        .op(PrattOp::prefix(Rule::not))
});

/// Is `word` reserved (case-insensitive)?
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// Parses one query.
pub fn parse(text: &str) -> Result<Query, Diagnostic> {
    check_size(text)?;
    let pair = QueryParser::parse(Rule::query, text)
        .map_err(|e| syntax_error(text, e))?
        .next()
        .expect("the query rule yields one pair");
    build_query(text, pair)
}

/// Refuses queries too long or too deeply nested to parse safely.
fn check_size(text: &str) -> Result<(), Diagnostic> {
    if text.len() > MAX_LEN {
        return Err(Diagnostic::error(
            Code::E400,
            QUERY_FILE,
            format!(
                "the query is {} bytes long; at most {MAX_LEN} are read",
                text.len()
            ),
        )
        .at(text, MAX_LEN..text.len())
        .with_label("not read"));
    }
    let (mut depth, mut quote) = (0usize, None);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Diagnostic::error(
                        Code::E400,
                        QUERY_FILE,
                        format!("parentheses nested deeper than {MAX_DEPTH}"),
                    )
                    .at(text, i..i + 1)
                    .with_label("too deep"));
                }
            }
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn span(p: &Pair<'_, Rule>) -> Span {
    p.as_span().start()..p.as_span().end()
}

fn build_query(text: &str, pair: Pair<'_, Rule>) -> Result<Query, Diagnostic> {
    let mut q = Query {
        explain: false,
        top: None,
        source: Rows::Adoption,
        source_span: 0..0,
        filter: None,
        group: Vec::new(),
        having: None,
        order: Vec::new(),
        limit: None,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::explain => q.explain = true,
            Rule::top => q.top = Some(count(text, last_inner(p))?),
            Rule::source => {
                q.source = Rows::parse(p.as_str()).expect("the grammar admits only sources");
                q.source_span = span(&p);
            }
            Rule::where_clause => {
                let e = p
                    .into_inner()
                    .find(|i| i.as_rule() == Rule::expr)
                    .expect("where has a condition");
                q.filter = Some(expr(e.into_inner()));
            }
            Rule::group_clause => {
                q.group = p
                    .into_inner()
                    .filter(|i| i.as_rule() == Rule::field)
                    .map(name)
                    .collect()
            }
            Rule::having_clause => {
                let e = p
                    .into_inner()
                    .find(|i| i.as_rule() == Rule::expr)
                    .expect("having has a condition");
                q.having = Some(expr(e.into_inner()));
            }
            Rule::order_clause => {
                for k in p.into_inner().filter(|i| i.as_rule() == Rule::order_key) {
                    let mut inner = k.into_inner();
                    let field = name(inner.next().expect("order key has a field"));
                    let direction = match inner.next() {
                        Some(d) if d.as_str().eq_ignore_ascii_case("desc") => Direction::Desc,
                        _ => Direction::Asc,
                    };
                    q.order.push(OrderKey { field, direction });
                }
            }
            Rule::limit_clause => q.limit = Some(count(text, last_inner(p))?),
            _ => {}
        }
    }
    Ok(q)
}

fn last_inner(p: Pair<'_, Rule>) -> Pair<'_, Rule> {
    p.into_inner().last().expect("the clause has an operand")
}

fn name(p: Pair<'_, Rule>) -> Name {
    Name {
        text: p.as_str().to_string(),
        span: span(&p),
    }
}

fn count(text: &str, p: Pair<'_, Rule>) -> Result<Count, Diagnostic> {
    let s = span(&p);
    let value = p.as_str().parse::<usize>().map_err(|_| {
        Diagnostic::error(
            Code::E405,
            QUERY_FILE,
            format!("`{}` is too large a number", p.as_str()),
        )
        .at(text, s.clone())
        .with_label("too large")
    })?;
    Ok(Count { value, span: s })
}

/// The condition of `expr` pairs, with precedence from the Pratt parser.
fn expr(pairs: Pairs<'_, Rule>) -> Expr {
    PRATT
        .map_primary(|p| match p.as_rule() {
            Rule::expr => expr(p.into_inner()),
            Rule::uses => uses(p),
            Rule::named_by => named_by(p),
            Rule::comparison => comparison(p),
            r => unreachable!("the grammar admits no primary {r:?}"),
        })
        .map_prefix(|_not, e| Expr::Not(Box::new(e)))
        .map_infix(|l, op, r| match op.as_rule() {
            Rule::and => Expr::And(Box::new(l), Box::new(r)),
            _ => Expr::Or(Box::new(l), Box::new(r)),
        })
        .parse(pairs.filter(|p| !matches!(p.as_rule(), Rule::lparen | Rule::rparen)))
}

/// `uses PROJECT` or `uses (CONDITION)`.
fn uses(p: Pair<'_, Rule>) -> Expr {
    let s = span(&p);
    let mut value = None;
    for i in p.into_inner() {
        match i.as_rule() {
            Rule::expr => {
                return Expr::UsesWhere {
                    cond: Box::new(expr(i.into_inner())),
                    span: s,
                }
            }
            Rule::word | Rule::string => value = Some(literal(i)),
            _ => {}
        }
    }
    Expr::Uses(value.expect("uses has an operand"))
}

/// `named by (CONDITION)` or `used by (CONDITION)`.
fn named_by(p: Pair<'_, Rule>) -> Expr {
    let s = span(&p);
    let mut used = false;
    let mut cond = None;
    for i in p.into_inner() {
        match i.as_rule() {
            Rule::kw_used => used = true,
            Rule::expr => cond = Some(expr(i.into_inner())),
            _ => {}
        }
    }
    Expr::NamedBy {
        used,
        cond: Box::new(cond.expect("named by has a condition")),
        span: s,
    }
}

fn comparison(p: Pair<'_, Rule>) -> Expr {
    let mut inner = p.into_inner();
    let field = name(inner.next().expect("comparison has a field"));
    let rest = inner.next().expect("comparison has an operator");
    match rest.as_rule() {
        Rule::in_list => {
            let words: Vec<Span> = rest
                .clone()
                .into_inner()
                .take_while(|k| matches!(k.as_rule(), Rule::not_in | Rule::kw_in))
                .map(|k| span(&k))
                .collect();
            let negated = words.len() == 2;
            let op_span = match (words.first(), words.last()) {
                (Some(a), Some(b)) => a.start..b.end,
                _ => Span::default(),
            };
            let values = rest
                .into_inner()
                .filter(|v| matches!(v.as_rule(), Rule::word | Rule::string))
                .map(literal)
                .collect();
            Expr::Compare {
                field,
                op: if negated { Op::NotIn } else { Op::In },
                op_span,
                values,
            }
        }
        _ => {
            let mut parts = rest.into_inner();
            let op_pair = parts.next().expect("compare has an operator");
            let op = match op_pair.as_str().to_ascii_lowercase().as_str() {
                "!=" | "<>" => Op::Ne,
                "<=" => Op::Le,
                ">=" => Op::Ge,
                "<" => Op::Lt,
                ">" => Op::Gt,
                "~" | "contains" => Op::Contains,
                _ => Op::Eq,
            };
            let value = literal(parts.next().expect("compare has a value"));
            Expr::Compare {
                field,
                op,
                op_span: span(&op_pair),
                values: vec![value],
            }
        }
    }
}

fn literal(p: Pair<'_, Rule>) -> Literal {
    let s = span(&p);
    match p.as_rule() {
        Rule::string => {
            let inner = p
                .into_inner()
                .next()
                .map(|i| i.as_str())
                .unwrap_or_default();
            Literal {
                text: crate::rules::unescape_str(inner),
                quoted: true,
                span: s,
            }
        }
        _ => Literal {
            text: p.as_str().to_string(),
            quoted: false,
            span: s,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    fn canon(q: &str) -> String {
        parse(q)
            .map(|q| q.to_string())
            .unwrap_or_else(|d| format!("error: {}", d.message))
    }

    #[test]
    fn precedence_not_then_and_then_or() {
        let cases = [
            (
                "adoption where a = 1 or b = 2 and c = 3",
                "adoption where a = 1 or (b = 2 and c = 3)",
            ),
            (
                "adoption where a = 1 and b = 2 or c = 3",
                "adoption where (a = 1 and b = 2) or c = 3",
            ),
            (
                "adoption where not a = 1 and b = 2",
                "adoption where not a = 1 and b = 2",
            ),
            (
                "adoption where not (a = 1 and b = 2)",
                "adoption where not (a = 1 and b = 2)",
            ),
            (
                "adoption where (a = 1 or b = 2) and c = 3",
                "adoption where (a = 1 or b = 2) and c = 3",
            ),
            (
                "ADOPTION WHERE A = 1 OR NOT B = 2",
                "adoption where a = 1 or not b = 2",
            ),
        ];
        for (q, want) in cases {
            assert_eq!(canon(q), want, "{q}");
        }
    }

    #[test]
    fn clauses_values_and_operators() {
        let cases = [
            (
                "top 5 adoption where version < 1.35",
                "top 5 adoption where version < 1.35",
            ),
            (
                "findings where project = \"NVIDIA DCGM Exporter\" and cell = M",
                "findings where project = \"NVIDIA DCGM Exporter\" and cell = M",
            ),
            (
                "projects where category in (Networking, Observability)",
                "projects where category in (Networking, Observability)",
            ),
            (
                "submissions where uses Kueue and not uses Volcano",
                "submissions where uses Kueue and not uses Volcano",
            ),
            (
                "adoption where version >= 1.34 group by category",
                "adoption where version >= 1.34 group by category",
            ),
            (
                "adoption order by stacks desc, project limit 3;",
                "adoption order by stacks desc, project limit 3",
            ),
            (
                "findings where cell = - or project contains 'dcgm'",
                "findings where cell = - or project ~ dcgm",
            ),
            (
                "explain matrix where version=1.35",
                "explain matrix where version = 1.35",
            ),
            (
                "submissions where vendor <> 'a \"b\"'",
                "submissions where vendor != \"a \\\"b\\\"\"",
            ),
        ];
        for (q, want) in cases {
            assert_eq!(canon(q), want, "{q}");
        }
    }

    #[test]
    fn errors_name_what_was_expected() {
        let cases = [
            ("adoptoin", "syntax error: expected `explain`, `top N` or a source (adoption, matrix, findings, submissions, projects)"),
            ("adoption wher x = 1", "syntax error: expected `where`, `group by`, `having`, `order by`, `limit N`, `;` or the end of the query"),
            ("adoption where a = 1 and", "syntax error: expected `not`, `(`, `uses`, `named by`, `used by` or a field"),
            ("adoption where category", "syntax error: expected `in` or an operator (=, !=, <, <=, >, >=, ~, contains)"),
            ("adoption where (a = 1", "syntax error: expected `)`, `and` or `or`"),
            ("adoption where a = 'x", "syntax error: a quoted string is not closed"),
            ("adoption limit x", "syntax error: expected a whole number"),
            ("adoption order stacks", "syntax error: expected `by`"),
        ];
        for (q, want) in cases {
            assert_eq!(canon(q), format!("error: {want}"), "{q}");
        }
    }

    #[test]
    fn suggestions_for_misspelt_keywords() {
        let d = parse("adoptoin where x = 1").unwrap_err();
        assert_eq!(d.help.as_deref(), Some("did you mean `adoption`?"));
        assert_eq!((d.line, d.column), (1, 1));
        let d = parse("adoption wher x = 1").unwrap_err();
        assert_eq!(d.help.as_deref(), Some("did you mean `where`?"));
        assert_eq!(d.column, 10);
    }

    #[test]
    fn too_deep_or_too_long_is_refused_before_parsing() {
        assert_eq!(
            parse(&format!("adoption where {}a = 1", "(".repeat(40)))
                .unwrap_err()
                .code,
            Code::E400
        );
        assert_eq!(
            parse(&"x".repeat(MAX_LEN + 1)).unwrap_err().code,
            Code::E400
        );
        assert!(parse(&format!(
            "adoption where {}a = 1{}",
            "(".repeat(30),
            ")".repeat(30)
        ))
        .is_ok());
        assert_eq!(
            parse("top 99999999999999999999999 adoption")
                .unwrap_err()
                .code,
            Code::E405
        );
    }
}
