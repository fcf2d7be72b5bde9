//! Lints that need the whole rule set or the compiled matcher:
//!
//! - E009: a project's alias (any pattern but `name`) matches another
//!   project's display name or `name`, so mentions of that project would be
//!   counted for this one too;
//! - E010: a `version` pattern that can never match where versions are read
//!   (the rest of the line after a hit, at most 96 bytes);
//! - W014: a `name` of one project starts another project's name (`Grafana`
//!   and `Grafana Alloy`, `Gateway API` and `Gateway API Inference
//!   Extension`), so every mention of the other counts for it too, unless
//!   it says `not "Gateway API Inference Extension"`;
//! - W012: a rule with no example, so nothing tests it;
//! - W013: a regex with no literal prefix, which the matcher must run as a
//!   pass of its own over every text instead of at its atoms;
//! - W015: two rules naming one organisation (the same normalised vendor
//!   name, as the report and queries count vendors) spelled two ways.

use crate::diagnostic::Code;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::diagnostic::Diagnostic;
use crate::rules::engine::matcher::{prefix_atoms, Matcher};
use crate::rules::{Needle, Pattern, PatternKind, Rule, RuleSet};

/// How far after a hit a version is looked for (see `Matcher::version_after`).
const VERSION_WINDOW: usize = 96;

/// Every lint diagnostic of `set`.
pub(super) fn lint(set: &RuleSet, matcher: &Matcher) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    aliases_matching_names(set, matcher, &mut out);
    names_starting_names(set, matcher, &mut out);
    vendor_spellings(set, &mut out);
    for id in set.ids() {
        let rule = set.get(id);
        let src = &set.sources[rule.source.0 as usize];
        for (v, span) in version_spans(&src.text, rule).into_iter() {
            if let Some(why) = never_matches(v) {
                out.push(
                    Diagnostic::error(Code::E010, &src.path, format!("version pattern of `{}` can never match: {why}", rule.id))
                        .at(&src.text, span)
                        .with_label("this version pattern")
                        .with_help("a version pattern is tried on the rest of the line right after a hit, e.g. /[ :v]*(\\d+\\.\\d+(?:\\.\\d+)?)/"),
                );
            }
        }
        if rule.examples.is_empty() {
            out.push(
                Diagnostic::warning(Code::W012, &src.path, format!("rule `{}` has no example: nothing tests it", rule.id))
                    .at(&src.text, header_span(rule))
                    .with_help("add `example \"a sentence naming it\" => X` and one that must not match (`=> -`)"),
            );
        }
        for p in rule.patterns.iter().chain(&rule.excludes) {
            if let Needle::Regex(src_re) = &p.needle {
                if prefix_atoms(src_re).is_none() {
                    out.push(
                        Diagnostic::warning(Code::W013, &src.path, format!("regex /{src_re}/ of `{}` has no literal prefix: it needs a pass of its own over every text", rule.id))
                            .at(&src.text, p.span.clone())
                            .with_label("no literal prefix of 3 or more characters")
                            .with_help("start the regex with a fixed word (e.g. /kai-scheduler(-[a-z]+)?/), or use a literal pattern"),
                    );
                }
            }
        }
    }
    out
}

/// E009: another rule's non-`name` pattern hits this rule's display name or names.
fn aliases_matching_names(set: &RuleSet, matcher: &Matcher, out: &mut Vec<Diagnostic>) {
    for b in set.ids() {
        let rule_b = set.get(b);
        let mut names = vec![rule_b.name.clone()];
        for p in rule_b
            .patterns
            .iter()
            .filter(|p| p.kind == PatternKind::Name)
        {
            if let Needle::Literal(s) = &p.needle {
                if !names.iter().any(|n| n.eq_ignore_ascii_case(s)) {
                    names.push(s.clone());
                }
            }
        }
        for name in &names {
            for hit in matcher.find(name) {
                if hit.rule == b || hit.kind == PatternKind::Name {
                    continue;
                }
                let rule_a = set.get(hit.rule);
                let src = &set.sources[rule_a.source.0 as usize];
                let matched = &name[hit.range.clone()];
                let span = pattern_for(rule_a, hit.kind, matched)
                    .map_or_else(|| header_span(rule_a), |p| p.span.clone());
                let dup = out.iter().any(|d: &Diagnostic| {
                    d.code == Code::E009
                        && d.file == src.path
                        && d.span.as_ref() == Some(&span)
                        && d.message.contains(&format!("`{}`", rule_b.id))
                });
                if dup {
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        Code::E009,
                        &src.path,
                        format!(
                            "{} pattern of `{}` matches \"{matched}\" in the name \"{name}\" of project `{}`: its mentions would count for `{}` too",
                            hit.kind.keyword(),
                            rule_a.id,
                            rule_b.id,
                            rule_a.id
                        ),
                    )
                    .at(&src.text, span)
                    .with_label(format!("matches \"{name}\""))
                    .with_help(format!("narrow the pattern, or add `not \"{name}\"` to `{}`", rule_a.id)),
                );
            }
        }
    }
}

/// The display name and literal `name`s of a rule.
fn names_of(rule: &Rule) -> Vec<String> {
    let mut names = vec![rule.name.clone()];
    for p in rule.patterns.iter().filter(|p| p.kind == PatternKind::Name) {
        if let Needle::Literal(s) = &p.needle {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(s)) {
                names.push(s.clone());
            }
        }
    }
    names
}

/// W014: a `name` of another rule hits the start of this rule's name, and
/// that rule has no `not` for it: a sub-product ("Grafana Alloy") or a
/// project of its own ("Gateway API Inference Extension") would count for
/// the shorter name's project too.
fn names_starting_names(set: &RuleSet, matcher: &Matcher, out: &mut Vec<Diagnostic>) {
    for b in set.ids() {
        let rule_b = set.get(b);
        for name in names_of(rule_b) {
            for hit in matcher.find(&name) {
                if hit.rule == b
                    || hit.kind != PatternKind::Name
                    || hit.range.start != 0
                    || hit.range.end >= name.len()
                {
                    continue;
                }
                let rule_a = set.get(hit.rule);
                let src = &set.sources[rule_a.source.0 as usize];
                let matched = &name[hit.range.clone()];
                let span = pattern_for(rule_a, hit.kind, matched)
                    .map_or_else(|| header_span(rule_a), |p| p.span.clone());
                out.push(
                    Diagnostic::warning(
                        Code::W014,
                        &src.path,
                        format!(
                            "name \"{matched}\" of `{}` starts \"{name}\", a name of `{}`: every mention of `{}` would count for `{}` too",
                            rule_a.id, rule_b.id, rule_b.id, rule_a.id
                        ),
                    )
                    .at(&src.text, span)
                    .with_label(format!("starts \"{name}\""))
                    .with_help(format!(
                        "if \"{name}\" is not `{}`, add `not \"{name}\"` to `{}`",
                        rule_a.id, rule_a.id
                    )),
                );
            }
        }
    }
}

/// The pattern of `rule` of `kind` that produced a hit on `matched`.
fn pattern_for<'r>(rule: &'r Rule, kind: PatternKind, matched: &str) -> Option<&'r Pattern> {
    let of_kind = || rule.patterns.iter().filter(move |p| p.kind == kind);
    of_kind()
        .find(|p| match &p.needle {
            Needle::Literal(s) => s.eq_ignore_ascii_case(matched),
            Needle::Regex(r) => {
                regex::Regex::new(&format!("(?i:{r})")).is_ok_and(|re| re.is_match(matched))
            }
        })
        .or_else(|| of_kind().next())
}

/// W015: vendor names that normalise alike but are spelled differently
/// ("vLLM project" and "vLLM project (LF AI & Data)"); each later spelling
/// is reported against the first one met.
fn vendor_spellings(set: &RuleSet, out: &mut Vec<Diagnostic>) {
    let mut first: Vec<(String, &Rule)> = Vec::new();
    for id in set.ids() {
        let rule = set.get(id);
        let key = crate::tables::analysis::vendor_key(&rule.vendor);
        if key.is_empty() {
            continue;
        }
        match first.iter().find(|(k, _)| *k == key) {
            Some((_, other)) if other.vendor != rule.vendor => {
                let src = &set.sources[rule.source.0 as usize];
                let block = src.text.get(rule.span.clone()).unwrap_or_default();
                let span = block
                    .find(&format!("\"{}\"", rule.vendor))
                    .map(|i| rule.span.start + i..rule.span.start + i + rule.vendor.len() + 2)
                    .unwrap_or_else(|| header_span(rule));
                out.push(
                    Diagnostic::warning(
                        Code::W015,
                        &src.path,
                        format!(
                            "vendor \"{}\" of `{}` and \"{}\" of `{}` name one organisation two ways",
                            rule.vendor, rule.id, other.vendor, other.id
                        ),
                    )
                    .at(&src.text, span)
                    .with_label("spelled differently")
                    .with_help(format!("write \"{}\" in both, so the reference table and queries show one name", other.vendor)),
                );
            }
            Some(_) => {}
            None => first.push((key, rule)),
        }
    }
}

/// The `project` keyword of a rule, where rule-level diagnostics point.
fn header_span(rule: &Rule) -> std::ops::Range<usize> {
    rule.span.start..rule.span.start + "project".len()
}

/// The rule's version regexes with the span of their statements in the file.
/// The loader keeps the sources only; their statements are found in order.
fn version_spans<'r>(text: &str, rule: &'r Rule) -> Vec<(&'r str, std::ops::Range<usize>)> {
    let block = text.get(rule.span.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let mut from = 0;
    for v in &rule.versions {
        let escaped = v.replace('/', "\\/");
        let found = block[from..]
            .find(&format!("/{escaped}/"))
            .map(|i| from + i);
        let span = match found {
            Some(i) => {
                from = i + escaped.len() + 2;
                rule.span.start + i..rule.span.start + from
            }
            None => header_span(rule),
        };
        out.push((v.as_str(), span));
    }
    out
}

/// Why a version regex can never match after a hit, or `None` if it can.
pub(super) fn never_matches(src: &str) -> Option<&'static str> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(src)
        .ok()?;
    let props = hir.properties();
    if props.minimum_len().is_none() {
        return Some("no text matches it (an empty class or a contradiction)");
    }
    if props.look_set_prefix().contains(Look::Start) {
        return Some("it is anchored at the start of the text (`^` or `\\A`), but a version comes after a name");
    }
    if props.minimum_len().is_some_and(|n| n > VERSION_WINDOW) {
        return Some("every match is longer than the 96 bytes looked at after a hit");
    }
    if !matches_without_newline(&hir) {
        return Some("every match contains a line break, but versions are read on the rest of the hit's line");
    }
    if props.explicit_captures_len() == 0 {
        return Some("it has no capture group for the version");
    }
    None
}

/// Can `hir` match some text that contains no `\n`?
fn matches_without_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => !l.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() != '\n' || r.end() != '\n'),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() != b'\n' || r.end() != b'\n'),
        HirKind::Repetition(r) => r.min == 0 || matches_without_newline(&r.sub),
        HirKind::Capture(c) => matches_without_newline(&c.sub),
        HirKind::Concat(subs) => subs.iter().all(matches_without_newline),
        HirKind::Alternation(subs) => subs.iter().any(matches_without_newline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_patterns_that_never_match() {
        let cases: &[(&str, bool)] = &[
            (r"[ :v]*(\d+\.\d+)", true),
            (r"^(\d+\.\d+)", false),
            (r"\A(\d+)", false),
            (r"[^\s\S](\d+)", false),
            (r"\n(\d+\.\d+)", false),
            (r"(?:\n|:)(\d+\.\d+)", true),
            (r"x{100}(\d)", false),
            (r"\d+\.\d+", false),
            (r"\s*\(v?(\d+\.\d+)\)", true),
        ];
        for (src, can) in cases {
            assert_eq!(
                never_matches(src).is_none(),
                *can,
                "{src}: {:?}",
                never_matches(src)
            );
        }
    }
}
