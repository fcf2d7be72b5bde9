//! Rule files -> [`Rule`]s: the pest parse of `grammar/rules.pest` and the
//! checks that need no matcher (regex syntax, vocabularies, required fields).

mod pattern;
mod syntax;

use std::ops::Range;

use crate::diagnostic::Code;
use pest::iterators::Pair;
use pest::Parser as _;

use super::category::{closest, CATEGORIES, CNCF_STATUSES};
use super::{Category, CncfStatus, Example, Expect, PatternKind, Rule, SourceId};
use crate::diagnostic::Diagnostic;
use pattern::{build_pattern, check_regex, check_syntax, regex_error};
pub(super) use syntax::syntax_error;
pub use syntax::{FLAG_KEYWORDS, META_KEYWORDS, PATTERN_KEYWORDS};

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

/// One `project` block: its fields, patterns, exclusions, versions and examples.
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
    let mut rule = empty_rule(id, name, source, span.clone());
    // A category or pattern that is written but invalid has its own error; E005 is for none written.
    let mut has_category = false;
    let mut has_pattern = false;
    for stmt in inner {
        let sspan = stmt.as_span().start()..statement_end(&stmt);
        match stmt.as_rule() {
            Rule_::meta => has_category |= meta(path, text, stmt, &mut rule, diags),
            Rule_::pattern => {
                has_pattern = true;
                let mut it = stmt.into_inner();
                let kind = pattern_kind(it.next().map(|p| p.as_str()).unwrap_or_default());
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
            Rule_::version => version(path, text, stmt, &mut rule, diags),
            Rule_::example => example(stmt, sspan, &mut rule),
            _ => {}
        }
    }
    let at = span.start..span.start + 7;
    if !has_category {
        diags.push(no_category(path, text, &rule, at.clone()));
    }
    if !has_pattern {
        diags.push(no_pattern(path, text, &rule, at));
    }
    rule
}

/// A rule with its id and name and nothing else yet: the category `Platform` until its
/// `category` line is read.
fn empty_rule(id: String, name: String, source: SourceId, span: std::ops::Range<usize>) -> Rule {
    Rule {
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
        span,
    }
}

/// The kind of a pattern statement from its keyword (`match` for a regex of its own).
fn pattern_kind(keyword: &str) -> PatternKind {
    match keyword {
        "name" => PatternKind::Name,
        "alias" => PatternKind::Alias,
        "url" => PatternKind::Url,
        "kind" => PatternKind::Kind,
        "image" => PatternKind::Image,
        "chart" => PatternKind::Chart,
        _ => PatternKind::Match,
    }
}

/// E005: a rule with no `category` written.
fn no_category(path: &str, text: &str, rule: &Rule, at: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::E005,
        path,
        format!("rule `{}` has no category", rule.id),
    )
    .at(text, at)
    .with_help(format!(
        "add `category X` with X one of: {}",
        CATEGORIES.join(", ")
    ))
}

/// E005: a rule with no pattern written.
fn no_pattern(path: &str, text: &str, rule: &Rule, at: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::E005,
        path,
        format!("rule `{}` has no pattern: nothing can match it", rule.id),
    )
    .at(text, at)
    .with_help("add at least one `name \"...\"`")
}

/// A field of a `project` block (`category`, `cncf`, `repo`, ...); true when
/// it is a `category`, valid or not.
fn meta(
    path: &str,
    text: &str,
    stmt: Pair<'_, Rule_>,
    rule: &mut Rule,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut it = stmt.into_inner();
    let key = it.next().map(|p| p.as_str()).unwrap_or_default();
    let Some(value_pair) = it.next() else {
        return false;
    };
    let vspan = value_pair.as_span().start()..value_pair.as_span().end();
    let value = if value_pair.as_rule() == Rule_::string {
        unescape(value_pair)
    } else {
        value_pair.as_str().to_string()
    };
    match key {
        "category" => match Category::parse(&value) {
            Some(c) => rule.category = c,
            None => diags.push(unknown_category(path, text, vspan, &value)),
        },
        "cncf" => match CncfStatus::parse(&value) {
            Some(c) => rule.cncf = c,
            None => diags.push(unknown_cncf_status(path, text, vspan, &value)),
        },
        "repo" => rule.repo = value,
        "license" => rule.license = value,
        "vendor" => rule.vendor = value,
        "description" => rule.description = value,
        _ => {}
    }
    key == "category"
}

/// E003, with the closest category.
fn unknown_category(path: &str, text: &str, span: Range<usize>, value: &str) -> Diagnostic {
    Diagnostic::error(Code::E003, path, format!("unknown category `{value}`"))
        .at(text, span)
        .with_label("not a known category")
        .with_help(match closest(value, CATEGORIES.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? Known: {}", CATEGORIES.join(", ")),
            None => format!("known categories: {}", CATEGORIES.join(", ")),
        })
}

/// E004, with the closest status.
fn unknown_cncf_status(path: &str, text: &str, span: Range<usize>, value: &str) -> Diagnostic {
    let known: Vec<&str> = CNCF_STATUSES
        .iter()
        .copied()
        .filter(|s| !s.is_empty())
        .collect();
    let help = match closest(value, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? Known: {}, none", known.join(", ")),
        None => format!("known statuses: {}, none", known.join(", ")),
    };
    Diagnostic::error(Code::E004, path, format!("unknown CNCF status `{value}`"))
        .at(text, span)
        .with_help(help)
}

/// `version /regex/`: it must compile (as the matcher reads it) and capture the version.
fn version(
    path: &str,
    text: &str,
    stmt: Pair<'_, Rule_>,
    rule: &mut Rule,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(re) = stmt.into_inner().next() else {
        return;
    };
    let rspan = re.as_span().start()..re.as_span().end();
    let src = unescape_regex(re);
    // The matcher reads versions case-insensitively: check that form.
    match check_syntax(&src).and_then(|()| check_regex(&format!("(?i:{src})"))) {
        Ok(groups) if groups >= 2 => rule.versions.push(src),
        Ok(_) => diags.push(
            Diagnostic::error(Code::E007, path, "a version pattern needs a capture group")
                .at(text, rspan)
                .with_help("wrap the version in parentheses, e.g. /:v?(\\d+\\.\\d+\\.\\d+)/"),
        ),
        Err(e) => diags.push(regex_error(path, text, rspan, &e)),
    }
}

/// `example "text" EXPECTED`.
fn example(stmt: Pair<'_, Rule_>, span: Range<usize>, rule: &mut Rule) {
    let mut it = stmt.into_inner();
    let Some(t) = it.next() else { return };
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
        span,
    });
}

/// Where a statement's last token ends: pest's span of a statement that ends
/// in a repetition (`flag*`) also covers the blanks and comments after it.
fn statement_end(stmt: &Pair<'_, Rule_>) -> usize {
    stmt.clone()
        .into_inner()
        .last()
        .map_or(stmt.as_span().end(), |p| p.as_span().end())
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
