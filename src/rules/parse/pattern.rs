//! Patterns and their regexes: flags and defaults, and every regex checked
//! as the matcher will compile it.

use super::grammar::Rule as Rule_;
use super::{unescape, unescape_regex};
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{Needle, Pattern, PatternKind};

pub(super) fn build_pattern(
    path: &str,
    text: &str,
    kind: PatternKind,
    mut it: pest::iterators::Pairs<'_, Rule_>,
    span: std::ops::Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pattern> {
    let needle_pair = it.next()?;
    let nspan = needle_pair.as_span().start()..needle_pair.as_span().end();
    let is_regex = needle_pair.as_rule() == Rule_::regex;
    let needle = if is_regex {
        Needle::Regex(unescape_regex(needle_pair))
    } else {
        Needle::Literal(unescape(needle_pair))
    };
    // Defaults: API kinds are case-sensitive; literals need word boundaries, regexes do not.
    let mut case_sensitive = kind == PatternKind::Kind;
    let mut whole_word = !is_regex;
    for flag in it {
        match flag.as_str() {
            "case" => case_sensitive = true,
            "partial" => whole_word = false,
            "word" => whole_word = true,
            _ => {}
        }
    }
    match &needle {
        Needle::Regex(src) => {
            // Check the form the matcher compiles: a case-insensitive regex
            // can exceed the size limit where its case-sensitive form does not.
            // (Its syntax alone checked as written: `a)(b` is no regex, `(?i:a)(b)` is one.)
            let compiled = if case_sensitive {
                check_regex(src)
            } else {
                check_syntax(src).and_then(|()| check_regex(&format!("(?i:{src})")))
            };
            if let Err(e) = compiled {
                diags.push(regex_error(path, text, nspan, &e));
                return None;
            }
        }
        Needle::Literal(s) if s.trim().is_empty() => {
            diags.push(
                Diagnostic::error(Code::E008, path, "an empty pattern matches everything")
                    .at(text, nspan)
                    .with_help("write the name, URL or kind to look for"),
            );
            return None;
        }
        Needle::Literal(_) => {}
    }
    Some(Pattern {
        kind,
        needle,
        case_sensitive,
        whole_word,
        span,
    })
}

/// Does `src` compile as the matcher compiles it, within the `regex` crate's size limit? Its number
/// of groups (the whole match counts as one); else the `regex` crate's message for it. Only the
/// syntax and the Thompson NFAs are built (no DFA, no prefilter): a full `regex::Regex` for each
/// of the built-in rules' patterns, twice, was most of the start-up.
pub(super) fn check_regex(src: &str) -> Result<usize, String> {
    use regex_automata::meta::Regex;
    // The `regex` crate's default NFA size limit.
    const SIZE_LIMIT: usize = 10 * (1 << 20);
    // The matcher's configuration (`engine::matcher::small_regex`: its reverse NFA, built for the
    // lazy DFA, can exceed the limit where the forward one does not), without the prefilter.
    let config = Regex::config()
        .nfa_size_limit(Some(SIZE_LIMIT))
        .dfa(false)
        .onepass(false)
        .auto_prefilter(false);
    match Regex::builder().configure(config).build(src) {
        Ok(re) => Ok(re.captures_len()),
        // As `regex::Error` words them.
        Err(e) => Err(match (e.size_limit(), e.syntax_error()) {
            (Some(limit), _) => format!("Compiled regex exceeds size limit of {limit} bytes."),
            (None, Some(syntax)) => syntax.to_string(),
            (None, None) => e.to_string(),
        }),
    }
}

/// Is `src` a regex as written (its syntax only; `regex`'s message when not)?
pub(super) fn check_syntax(src: &str) -> Result<(), String> {
    regex_syntax::Parser::new()
        .parse(src)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub(super) fn regex_error(
    path: &str,
    text: &str,
    span: std::ops::Range<usize>,
    detail: &str,
) -> Diagnostic {
    let last = detail.lines().last().unwrap_or("invalid regex").trim();
    let last = last.strip_prefix("error: ").unwrap_or(last).to_string();
    Diagnostic::error(
        Code::E002,
        path,
        format!("invalid regular expression: {last}"),
    )
    .at(text, span)
    .with_label("this regex does not compile")
}
