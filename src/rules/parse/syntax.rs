//! A syntax error in a rule file, in the user's words: what was expected,
//! and the closest keyword to a misspelled one.

use super::grammar::Rule as Rule_;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::category::closest;

pub(in crate::rules) fn syntax_error(
    path: &str,
    text: &str,
    e: pest::error::Error<Rule_>,
) -> Diagnostic {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p + 1),
        pest::error::InputLocation::Span((s, e)) => (s, e.max(s + 1)),
    };
    let message = match &e.variant {
        pest::error::ErrorVariant::ParsingError {
            positives,
            negatives,
        } => {
            let mut m = String::from("syntax error");
            let names = |rs: &[Rule_]| {
                let mut v: Vec<String> = rs.iter().map(|r| rule_name(*r).to_string()).collect();
                v.dedup();
                v
            };
            if !positives.is_empty() {
                let mut expected = names(positives);
                // Literal tokens have no rule of their own: inside a block, `}` is expected too.
                if positives.contains(&Rule_::meta_key) {
                    expected.push("`}`".to_string());
                }
                m.push_str(&format!(": expected {}", join_or(&expected)));
            }
            if !negatives.is_empty() {
                m.push_str(&format!(" (unexpected {})", join_or(&names(negatives))));
            }
            m
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    if text[start.min(text.len())..].trim().is_empty() {
        // At the end of the file: point at its last token instead of past it.
        let last = text.trim_end().len();
        let from = text.floor_char_boundary(last.saturating_sub(1));
        return Diagnostic::error(
            Code::E001,
            path,
            format!("{message} before the end of the file"),
        )
        .at(text, from..last)
        .with_label("the file ends after this");
    }
    let d = Diagnostic::error(Code::E001, path, message);
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &e.variant {
        // A misspelled keyword (`categry`): underline the word and name the closest one.
        let word_len = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(text.len() - start);
        let word = &text[start..start + word_len];
        let known = positives
            .iter()
            .flat_map(|r| keywords_of(*r).iter().copied());
        if let Some(k) = closest(word, known).filter(|k| *k != word) {
            return d
                .at(text, start..start + word_len)
                .with_label("not a keyword here")
                .with_help(format!("did you mean `{k}`?"));
        }
    }
    d.at(text, start..end.min(text.len())).with_label("here")
}

/// The keywords a grammar rule starts with, for "did you mean" on a misspelled one.
fn keywords_of(rule: Rule_) -> &'static [&'static str] {
    match rule {
        Rule_::project => &["project"],
        Rule_::meta_key | Rule_::meta => META_KEYWORDS,
        Rule_::pattern_kind | Rule_::pattern => PATTERN_KEYWORDS,
        Rule_::flag => FLAG_KEYWORDS,
        Rule_::exclude => &["not"],
        Rule_::version => &["version"],
        Rule_::example => &["example"],
        _ => &[],
    }
}

/// The statement keywords of a `project` block's fields, in the grammar's order.
pub const META_KEYWORDS: &[&str] = &[
    "category",
    "cncf",
    "repo",
    "license",
    "vendor",
    "description",
];
/// The statement keywords of patterns.
pub const PATTERN_KEYWORDS: &[&str] = &["name", "alias", "url", "kind", "image", "chart", "match"];
/// The flags after a pattern.
pub const FLAG_KEYWORDS: &[&str] = &["case", "partial", "word"];

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// User-facing names of grammar rules, for syntax errors.
fn rule_name(rule: Rule_) -> &'static str {
    match rule {
        Rule_::project => "`project`",
        Rule_::ident => "a rule id (lower case, digits, `-`, `_`)",
        Rule_::string => "a \"quoted string\"",
        Rule_::regex => "a /regex/",
        Rule_::meta_key => "a field (category, cncf, repo, license, vendor, description)",
        Rule_::pattern_kind => "a pattern (name, alias, url, kind, image, chart, match)",
        Rule_::flag => "a flag (case, partial, word)",
        Rule_::exclude => "`not`",
        Rule_::version => "`version`",
        Rule_::example => "`example`",
        Rule_::meta | Rule_::pattern => "a statement",
        Rule_::expect | Rule_::cell_m | Rule_::cell_x | Rule_::cell_none => {
            "an expected cell (M \"version\", X or -)"
        }
        Rule_::word => "a word",
        Rule_::EOI => "end of file",
        _ => "a token",
    }
}
