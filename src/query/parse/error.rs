//! A pest syntax error in the user's words: where, what was expected, what
//! was found, and the closest keyword.

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::query::ast::{Rows, Span};
use crate::query::field::Field;
use crate::query::QUERY_FILE;
use crate::rules::closest;

/// The syntax error as a diagnostic: expected what, found what, did you mean.
pub(super) fn syntax_error(text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let at = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = token_at(text, at);
    let positives = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let mut positives = positives;
    if positives.contains(&Rule::query) {
        positives = vec![Rule::explain, Rule::top, Rule::source];
    }
    let mut expected: Vec<&str> = Vec::new();
    for r in &positives {
        let n = rule_name(*r);
        if !expected.contains(&n) {
            expected.push(n);
        }
    }
    expected.sort_by_key(|n| NAME_ORDER.iter().position(|o| o == n).unwrap_or(usize::MAX));
    let message = if expected.is_empty() {
        "syntax error".to_string()
    } else {
        format!("syntax error: expected {}", join_or(&expected))
    };
    let (label, span) = match &found {
        Some(tok) => (format!("found `{tok}`"), at..at + tok.len()),
        None => (
            "the query ends after this".to_string(),
            last_token(text, at),
        ),
    };
    if let Some(q) = found
        .as_deref()
        .and_then(|t| t.chars().next())
        .filter(|c| *c == '"' || *c == '\'')
    {
        let tok = found.as_deref().unwrap_or_default();
        if tok.len() == 1 || !tok.ends_with(q) {
            return Diagnostic::error(
                Code::E401,
                QUERY_FILE,
                "syntax error: a quoted string is not closed",
            )
            .at(text, at..at + 1)
            .with_label("opened here")
            .with_help(format!("end the string with {q}"));
        }
    }
    let mut d = Diagnostic::error(Code::E401, QUERY_FILE, message)
        .at(text, span)
        .with_label(label);
    if let Some(help) = found.as_deref().and_then(|tok| suggestion(tok, &positives)) {
        d = d.with_help(help);
    }
    d
}

/// The span of the last token before byte `at` (for errors at the end of the query).
fn last_token(text: &str, at: usize) -> Span {
    let before = text[..at.min(text.len())].trim_end();
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    if start < before.len() {
        start..before.len()
    } else {
        at..at
    }
}

/// The token at byte `at`: a word, a quoted string, or one character.
fn token_at(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let first = rest.chars().next()?;
    let len = if first.is_alphanumeric() || "._-/%+:".contains(first) {
        rest.find(|c: char| !(c.is_alphanumeric() || "._-/%+:".contains(c)))
            .unwrap_or(rest.len())
    } else if first == '"' || first == '\'' {
        rest[1..].find(first).map_or(rest.len(), |i| i + 2)
    } else {
        first.len_utf8()
    };
    Some(rest[..len].to_string())
}

/// "did you mean" among the words the expected rules stand for.
fn suggestion(found: &str, positives: &[Rule]) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for r in positives {
        words.extend(rule_words(*r));
    }
    if words.iter().any(|w| w.eq_ignore_ascii_case(found)) {
        return None;
    }
    let c = closest(found, words.iter().copied())?;
    Some(format!("did you mean `{c}`?"))
}

/// The words a rule stands for, for suggestions.
fn rule_words(rule: Rule) -> Vec<&'static str> {
    match rule {
        Rule::explain => vec!["explain"],
        Rule::top | Rule::kw_top => vec!["top"],
        Rule::source => Rows::ALL.iter().map(|s| s.as_str()).collect(),
        Rule::kw_where | Rule::where_clause => vec!["where"],
        Rule::kw_group | Rule::group_clause => vec!["group"],
        Rule::kw_order | Rule::order_clause => vec!["order"],
        Rule::kw_by => vec!["by"],
        Rule::kw_limit | Rule::limit_clause => vec!["limit"],
        Rule::and => vec!["and"],
        Rule::or => vec!["or"],
        Rule::not => vec!["not"],
        Rule::kw_uses | Rule::uses => vec!["uses"],
        Rule::kw_named | Rule::kw_used | Rule::named_by => vec!["named", "used"],
        Rule::kw_having | Rule::having_clause => vec!["having"],
        Rule::not_in => vec!["not"],
        Rule::kw_in | Rule::in_list => vec!["in"],
        Rule::op => vec!["contains"],
        Rule::direction => vec!["asc", "desc"],
        Rule::field | Rule::comparison => Field::ALL.iter().map(|f| f.name()).collect(),
        _ => vec![],
    }
}

/// The order expected items are listed in: the order they come in a query.
const NAME_ORDER: &[&str] = &[
    "`explain`",
    "`top N`",
    "a source (adoption, matrix, findings, submissions, projects)",
    "`where`",
    "a condition (a test such as `category = Scheduling` or `uses Kueue`, `not`, or `(`)",
    "`not`",
    "`(`",
    "`uses`",
    "`named by`, `used by`",
    "a field",
    "`in`",
    "`not in`",
    "an operator (=, !=, <, <=, >, >=, ~, contains)",
    "a value",
    "`,`",
    "`)`",
    "`and`",
    "`or`",
    "`and` or `or`",
    "`group by`",
    "`having`",
    "`order by`",
    "`by`",
    "a field to sort by",
    "`asc` or `desc`",
    "`limit N`",
    "a whole number",
    "`;`",
    "the end of the query",
];

/// User-facing names of grammar rules, for syntax errors.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::explain => "`explain`",
        Rule::top | Rule::kw_top => "`top N`",
        Rule::source => "a source (adoption, matrix, findings, submissions, projects)",
        Rule::where_clause | Rule::kw_where => "`where`",
        Rule::expr => {
            "a condition (a test such as `category = Scheduling` or `uses Kueue`, `not`, or `(`)"
        }
        Rule::and => "`and`",
        Rule::or => "`or`",
        Rule::not => "`not`",
        Rule::uses | Rule::kw_uses => "`uses`",
        Rule::named_by | Rule::kw_named | Rule::kw_used => "`named by`, `used by`",
        Rule::having_clause | Rule::kw_having => "`having`",
        Rule::not_in => "`not in`",
        Rule::comparison | Rule::field => "a field",
        Rule::compare | Rule::op => "an operator (=, !=, <, <=, >, >=, ~, contains)",
        Rule::in_list | Rule::kw_in => "`in`",
        Rule::group_clause | Rule::kw_group => "`group by`",
        Rule::order_clause | Rule::kw_order => "`order by`",
        Rule::kw_by => "`by`",
        Rule::order_key => "a field to sort by",
        Rule::direction => "`asc` or `desc`",
        Rule::limit_clause | Rule::kw_limit => "`limit N`",
        Rule::word | Rule::string | Rule::dq_inner | Rule::sq_inner => "a value",
        Rule::count => "a whole number",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::comma => "`,`",
        Rule::semicolon => "`;`",
        Rule::EOI => "the end of the query",
        Rule::keyword => "a keyword",
        Rule::infix => "`and` or `or`",
        Rule::prefix => "`not`",
        Rule::primary => "a test",
        Rule::value => "a value",
        Rule::ident_char => "a letter or digit",
        Rule::query | Rule::WHITESPACE => "a query",
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}
