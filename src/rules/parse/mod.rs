//! Rule files -> [`Rule`]s: the pest parse of `grammar/rules.pest` and the
//! checks that need no matcher (regex syntax, vocabularies, required fields).

use crate::diagnostic::Code;
use pest::iterators::Pair;
use pest::Parser as _;

use super::category::{closest, CATEGORIES, CNCF_STATUSES};
use super::{Category, CncfStatus, Example, Expect, Needle, Pattern, PatternKind, Rule, SourceId};
use crate::diagnostic::Diagnostic;

pub(super) mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/rules.pest"]
    pub struct RulesParser;
}
use grammar::{Rule as Rule_, RulesParser};

/// Parses one rule file. A syntax error fails the whole file (one
/// diagnostic); a semantic error drops only the rule it is in.
pub fn parse_file(
    path: &str,
    text: &str,
    source: SourceId,
) -> Result<(Vec<Rule>, Vec<Diagnostic>), Diagnostic> {
    let file = RulesParser::parse(Rule_::file, text)
        .map_err(|e| syntax_error(path, text, e))?
        .next()
        .expect("the file rule always yields one pair");
    let mut rules = Vec::new();
    let mut diags = Vec::new();
    for pair in file.into_inner().filter(|p| p.as_rule() == Rule_::project) {
        let before = diags.len();
        let rule = build_rule(path, text, source, pair, &mut diags);
        let failed = diags[before..].iter().any(|d| d.is_error());
        if !failed {
            rules.push(rule);
        }
    }
    Ok((rules, diags))
}

pub(super) fn syntax_error(path: &str, text: &str, e: pest::error::Error<Rule_>) -> Diagnostic {
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

fn build_rule(
    path: &str,
    text: &str,
    source: SourceId,
    pair: Pair<'_, Rule_>,
    diags: &mut Vec<Diagnostic>,
) -> Rule {
    let span = pair.as_span().start()..pair.as_span().end();
    let mut inner = pair.into_inner();
    let id = inner
        .next()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let name = inner.next().map(|p| unescape(p)).unwrap_or_default();
    let mut rule = Rule {
        id,
        name,
        category: Category::parse("Platform").expect("Platform is a category"),
        cncf: CncfStatus::parse("").expect("empty is a status"),
        repo: String::new(),
        license: String::new(),
        vendor: String::new(),
        description: String::new(),
        patterns: Vec::new(),
        excludes: Vec::new(),
        versions: Vec::new(),
        examples: Vec::new(),
        source,
        span: span.clone(),
    };
    // A category or pattern that is written but invalid has its own error; E005 is for none written.
    let mut has_category = false;
    let mut has_pattern = false;
    for stmt in inner {
        let sspan = stmt.as_span().start()..statement_end(&stmt);
        match stmt.as_rule() {
            Rule_::meta => {
                let mut it = stmt.into_inner();
                let key = it.next().map(|p| p.as_str()).unwrap_or_default();
                let Some(value_pair) = it.next() else {
                    continue;
                };
                let vspan = value_pair.as_span().start()..value_pair.as_span().end();
                let value = if value_pair.as_rule() == Rule_::string {
                    unescape(value_pair)
                } else {
                    value_pair.as_str().to_string()
                };
                has_category |= key == "category";
                match key {
                    "category" => match Category::parse(&value) {
                        Some(c) => {
                            rule.category = c;
                            has_category = true;
                        }
                        None => {
                            let mut d = Diagnostic::error(
                                Code::E003,
                                path,
                                format!("unknown category `{value}`"),
                            )
                            .at(text, vspan)
                            .with_label("not a known category");
                            d = d.with_help(match closest(&value, CATEGORIES.iter().copied()) {
                                Some(c) => {
                                    format!("did you mean `{c}`? Known: {}", CATEGORIES.join(", "))
                                }
                                None => format!("known categories: {}", CATEGORIES.join(", ")),
                            });
                            diags.push(d);
                        }
                    },
                    "cncf" => match CncfStatus::parse(&value) {
                        Some(c) => rule.cncf = c,
                        None => {
                            let known: Vec<&str> = CNCF_STATUSES
                                .iter()
                                .copied()
                                .filter(|s| !s.is_empty())
                                .collect();
                            let help = match closest(&value, known.iter().copied()) {
                                Some(c) => {
                                    format!("did you mean `{c}`? Known: {}, none", known.join(", "))
                                }
                                None => format!("known statuses: {}, none", known.join(", ")),
                            };
                            diags.push(
                                Diagnostic::error(
                                    Code::E004,
                                    path,
                                    format!("unknown CNCF status `{value}`"),
                                )
                                .at(text, vspan)
                                .with_help(help),
                            );
                        }
                    },
                    "repo" => rule.repo = value,
                    "license" => rule.license = value,
                    "vendor" => rule.vendor = value,
                    "description" => rule.description = value,
                    _ => {}
                }
            }
            Rule_::pattern => {
                has_pattern = true;
                let mut it = stmt.into_inner();
                let kind = match it.next().map(|p| p.as_str()).unwrap_or_default() {
                    "name" => PatternKind::Name,
                    "alias" => PatternKind::Alias,
                    "url" => PatternKind::Url,
                    "kind" => PatternKind::Kind,
                    "image" => PatternKind::Image,
                    "chart" => PatternKind::Chart,
                    _ => PatternKind::Match,
                };
                if let Some(p) = build_pattern(path, text, kind, it, sspan, diags) {
                    rule.patterns.push(p);
                }
            }
            Rule_::exclude => {
                if let Some(p) = build_pattern(
                    path,
                    text,
                    PatternKind::Match,
                    stmt.into_inner(),
                    sspan,
                    diags,
                ) {
                    rule.excludes.push(p);
                }
            }
            Rule_::version => {
                let Some(re) = stmt.into_inner().next() else {
                    continue;
                };
                let rspan = re.as_span().start()..re.as_span().end();
                let src = unescape_regex(re);
                // The matcher reads versions case-insensitively: check that form.
                match check_syntax(&src).and_then(|()| check_regex(&format!("(?i:{src})"))) {
                    Ok(groups) if groups >= 2 => rule.versions.push(src),
                    Ok(_) => diags.push(
                        Diagnostic::error(
                            Code::E007,
                            path,
                            "a version pattern needs a capture group",
                        )
                        .at(text, rspan)
                        .with_help(
                            "wrap the version in parentheses, e.g. /:v?(\\d+\\.\\d+\\.\\d+)/",
                        ),
                    ),
                    Err(e) => diags.push(regex_error(path, text, rspan, &e)),
                }
            }
            Rule_::example => {
                let mut it = stmt.into_inner();
                let Some(t) = it.next() else { continue };
                let example_text = unescape(t);
                let mut cells = it.next().map(|e| e.into_inner()).into_iter().flatten();
                let expect = match cells.next() {
                    Some(p) if p.as_rule() == Rule_::cell_m => {
                        Expect::M(cells.next().map(unescape).unwrap_or_default())
                    }
                    Some(p) if p.as_rule() == Rule_::cell_x => Expect::X,
                    _ => Expect::None,
                };
                rule.examples.push(Example {
                    text: example_text,
                    expect,
                    span: sspan,
                });
            }
            _ => {}
        }
    }
    if !has_category {
        diags.push(
            Diagnostic::error(
                Code::E005,
                path,
                format!("rule `{}` has no category", rule.id),
            )
            .at(text, span.start..span.start + 7)
            .with_help(format!(
                "add `category X` with X one of: {}",
                CATEGORIES.join(", ")
            )),
        );
    }
    if !has_pattern {
        diags.push(
            Diagnostic::error(
                Code::E005,
                path,
                format!("rule `{}` has no pattern: nothing can match it", rule.id),
            )
            .at(text, span.start..span.start + 7)
            .with_help("add at least one `name \"...\"`"),
        );
    }
    rule
}

/// Where a statement's last token ends: pest's span of a statement that ends
/// in a repetition (`flag*`) also covers the blanks and comments after it.
fn statement_end(stmt: &Pair<'_, Rule_>) -> usize {
    stmt.clone()
        .into_inner()
        .last()
        .map_or(stmt.as_span().end(), |p| p.as_span().end())
}

fn build_pattern(
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
fn check_regex(src: &str) -> Result<usize, String> {
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
fn check_syntax(src: &str) -> Result<(), String> {
    regex_syntax::Parser::new()
        .parse(src)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn regex_error(path: &str, text: &str, span: std::ops::Range<usize>, detail: &str) -> Diagnostic {
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

/// The text of a `string` pair with escapes resolved.
fn unescape(pair: Pair<'_, Rule_>) -> String {
    let raw = pair
        .into_inner()
        .next()
        .map(|p| p.as_str())
        .unwrap_or_default();
    unescape_str(raw)
}

/// Resolves the escapes of a quoted string of the rules and query languages:
/// `\n`, `\t`, and `\` before any other character stands for that character.
pub fn unescape_str(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The source of a `regex` pair: `\/` becomes `/`, other escapes stay for the regex engine.
fn unescape_regex(pair: Pair<'_, Rule_>) -> String {
    let raw = pair
        .into_inner()
        .next()
        .map(|p| p.as_str())
        .unwrap_or_default();
    raw.replace("\\/", "/")
}

#[cfg(test)]
mod tests {
    use super::super::{load, Expect, Needle, PatternKind};
    use crate::diagnostic::Code;

    fn one(src: &str) -> super::super::Rule {
        let (set, diags) = load(&[("t.rule".into(), src.into())]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(set.rules.len(), 1);
        set.rules.into_iter().next().unwrap()
    }

    #[test]
    fn a_full_rule_parses_into_its_fields() {
        let r = one(r#"
# a comment
project kai-scheduler "Kai Scheduler" {
  category    scheduling
  cncf        Sandbox
  repo        "kai-scheduler/KAI-Scheduler"
  license     "Apache-2.0"
  vendor      "NVIDIA"
  description "GPU-optimized \"AI\" scheduler"
  name  "KAI Scheduler"
  kind  "Queue" partial
  url   "github.com/NVIDIA/KAI-Scheduler" case
  match /kai-[a-z]+\/x/
  not   "kai team"
  version /:(\d+\.\d+)/
  example "KAI Scheduler v0.9.3" => M "0.9.3"
  example "kai-scheduler" => X
  example "kai team" => -
}
"#);
        assert_eq!(
            (r.id.as_str(), r.name.as_str()),
            ("kai-scheduler", "Kai Scheduler")
        );
        assert_eq!(r.category.as_str(), "Scheduling");
        assert_eq!(r.cncf.as_str(), "Sandbox");
        assert_eq!(r.description, "GPU-optimized \"AI\" scheduler");
        let kinds: Vec<PatternKind> = r.patterns.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                PatternKind::Name,
                PatternKind::Kind,
                PatternKind::Url,
                PatternKind::Match
            ]
        );
        // Defaults and flags: kinds are case-sensitive, literals whole-word, regexes not.
        assert!(!r.patterns[0].case_sensitive && r.patterns[0].whole_word);
        assert!(r.patterns[1].case_sensitive && !r.patterns[1].whole_word);
        assert!(r.patterns[2].case_sensitive);
        assert_eq!(r.patterns[3].needle, Needle::Regex("kai-[a-z]+/x".into()));
        assert!(!r.patterns[3].whole_word);
        assert_eq!(r.excludes.len(), 1);
        assert_eq!(r.versions, [r":(\d+\.\d+)"]);
        let expects: Vec<&Expect> = r.examples.iter().map(|e| &e.expect).collect();
        assert_eq!(
            expects,
            [&Expect::M("0.9.3".into()), &Expect::X, &Expect::None]
        );
    }

    /// (rule file, expected code, line, column) of the first diagnostic.
    const BAD: &[(&str, Code, usize, usize)] = &[
        ("project x \"X\" {\n  category Scheduling\n  name \"x\"\n", Code::E001, 3, 10),
        ("project X \"X\" { }", Code::E001, 1, 9),
        ("project x \"X\" {\n  categry Scheduling\n}", Code::E001, 2, 3),
        ("project x \"X\" {\n  category Schedulng\n  name \"x\"\n}", Code::E003, 2, 12),
        ("project x \"X\" {\n  category Scheduling\n  cncf Graduate\n  name \"x\"\n}", Code::E004, 3, 8),
        ("project x \"X\" {\n  category Scheduling\n}", Code::E005, 1, 1),
        ("project x \"X\" {\n  name \"x\"\n}", Code::E005, 1, 1),
        ("project x \"X\" {\n  category Scheduling\n  match /a(b/\n}", Code::E002, 3, 9),
        ("project x \"X\" {\n  category Scheduling\n  name \"x\"\n  version /v\\d+/\n}", Code::E007, 4, 11),
        ("project x \"X\" {\n  category Scheduling\n  name \"\"\n}", Code::E008, 3, 8),
        (
            "project x \"X\" { category Scheduling name \"x\" }\nproject x \"Y\" { category Scheduling name \"y\" }",
            Code::E006,
            2,
            1,
        ),
    ];

    #[test]
    fn errors_have_codes_and_positions() {
        for (src, code, line, column) in BAD {
            let (_, diags) = load(&[("bad.rule".into(), src.to_string())]);
            let d = diags
                .first()
                .unwrap_or_else(|| panic!("no diagnostic for {src:?}"));
            assert_eq!(
                (d.code, d.line, d.column),
                (*code, *line, *column),
                "{src:?}: {d}"
            );
            assert_eq!(d.file, "bad.rule");
        }
    }

    #[test]
    fn a_regex_too_large_once_case_insensitive_is_an_error_not_a_silent_drop() {
        // `k{50000}` compiles as written, but not as the matcher reads it, `(?i:k{50000})`.
        let rule = |pattern: &str| {
            format!(
                "project a \"A\" {{ category Platform name \"A\" {pattern} example \"A\" => X }}"
            )
        };
        for pattern in ["match /k{50000}/", "version /(k{50000})/"] {
            let (set, diags) = load(&[("big.rule".into(), rule(pattern))]);
            let d = diags
                .first()
                .unwrap_or_else(|| panic!("{pattern}: no diagnostic"));
            assert_eq!((d.code, d.line), (Code::E002, 1), "{pattern}: {d}");
            assert!(d.message.contains("size limit"), "{pattern}: {d}");
            assert!(set.rules.iter().all(|r| r.patterns.len() == 1), "{pattern}");
        }
        // Case-sensitive, it is compiled as written and loads.
        let (set, diags) = load(&[("big.rule".into(), rule("match /k{50000}/ case"))]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(set.rules[0].patterns.len(), 2);
    }

    #[test]
    fn unknown_category_suggests_the_closest() {
        let (_, diags) = load(&[(
            "b.rule".into(),
            "project x \"X\" { category Schedulng name \"x\" }".into(),
        )]);
        assert!(
            diags[0]
                .help
                .as_deref()
                .unwrap_or_default()
                .contains("did you mean `Scheduling`?"),
            "{:?}",
            diags[0]
        );
    }

    #[test]
    fn one_bad_rule_does_not_hide_the_others() {
        let src = "project a \"A\" { category Nope name \"a\" }\nproject b \"B\" { category Testing name \"b\" }";
        let (set, diags) = load(&[("m.rule".into(), src.into())]);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            set.rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
    }
}
