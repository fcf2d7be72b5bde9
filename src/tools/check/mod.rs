//! `aiconf check`: lints and tests a set of rule files, as CI would.
//!
//! [`check`] chains the stages: the loader's own diagnostics (syntax, regexes,
//! vocabularies, duplicates: E001-E008, E100), the lints that need the whole
//! rule set or the compiled matcher ([`lint`]: E009, E010, W012, W013, W014), and
//! every rule's examples run through the real [`Matcher`] ([`examples`]:
//! E011). The [`Report`] holds all of it; [`output`] renders it as miette
//! text, JSON or GitHub workflow commands. Nothing here prints.

mod examples;
mod lint;
mod output;

use crate::diagnostic::Code;
use serde::Serialize;

pub use examples::run_example;
pub use output::{render, render_with, CheckFormat};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::engine::matcher::Matcher;
use crate::rules::{self, NotLoaded, RuleFiles, RuleSet};

/// The examples of one rule, run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    pub id: String,
    pub name: String,
    pub file: String,
    pub passed: usize,
    pub failed: usize,
}

/// Everything `check` found: diagnostics in file order, then example results per rule.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// One row per loaded rule, in load order (rules dropped for errors have none).
    pub rules: Vec<RuleResult>,
    /// The `project` blocks that did not load (named, never dropped silently).
    pub not_loaded: Vec<NotLoaded>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn examples_passed(&self) -> usize {
        self.rules.iter().map(|r| r.passed).sum()
    }

    pub fn examples_failed(&self) -> usize {
        self.rules.iter().map(|r| r.failed).sum()
    }

    /// Did a check fail? Errors always fail; warnings only when `strict`.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }
}

/// Loads (path, text) rule files and checks them.
pub fn check(files: &[(String, String)]) -> (RuleSet, Report) {
    let (set, diags) = rules::load(files);
    let report = check_set(&set, diags);
    (set, report)
}

/// Checks a loaded rule set; `load_diagnostics` are the loader's (kept first).
pub fn check_set(set: &RuleSet, load_diagnostics: Vec<Diagnostic>) -> Report {
    check_set_with(set, &Matcher::compile(set), load_diagnostics, &|_| true)
}

/// [`check_set`] with the set's matcher compiled already, running the
/// examples only of the rules of the files `examples_of` accepts (the
/// language server re-checks one file as it is typed).
pub fn check_set_with(
    set: &RuleSet,
    matcher: &Matcher,
    load_diagnostics: Vec<Diagnostic>,
    examples_of: &dyn Fn(&str) -> bool,
) -> Report {
    let mut diagnostics = load_diagnostics;
    diagnostics.extend(lint::lint(set, matcher));
    let mut rules = Vec::with_capacity(set.rules.len());
    for id in set.ids() {
        let rule = set.get(id);
        let file = set.sources[rule.source.0 as usize].path.clone();
        if !examples_of(&file) {
            continue;
        }
        let mut result = RuleResult {
            id: rule.id.clone(),
            name: rule.name.clone(),
            file,
            passed: 0,
            failed: 0,
        };
        for (i, ex) in rule.examples.iter().enumerate() {
            let outcome = run_example(set, matcher, id, ex);
            match examples::judge(set, id, i, ex, &outcome) {
                None => result.passed += 1,
                Some(d) => {
                    result.failed += 1;
                    diagnostics.push(d);
                }
            }
        }
        rules.push(result);
    }
    sort_by_file(&mut diagnostics, set);
    Report {
        diagnostics,
        rules,
        not_loaded: set.not_loaded(),
    }
}

/// `check FILE...`: the `focus` files checked with the `others` loaded
/// beside them (so that duplicates and aliases matching another project's
/// name are found), a file of `others` with the same file name as a focus
/// file being replaced by it (`rules/kueue.rule` edited is checked instead of
/// the built-in one). The report keeps what is about the focus files: their
/// diagnostics, the E009s that name one of their rules, their rules' rows.
pub fn check_focus(others: &[(String, String)], focus: &[(String, String)]) -> (RuleSet, Report) {
    let (set, diags) = rules::load(&focus_files(others, focus));
    let matcher = Matcher::compile(&set);
    let in_focus = |file: &str| focus.iter().any(|(p, _)| p == file);
    let report = check_set_with(&set, &matcher, diags, &in_focus);
    let report = keep_focus(&set, report, &in_focus);
    (set, report)
}

/// The files [`check_focus`] loads: `others` without those `focus`
/// replaces (same file name), then the `focus` files, last so that a
/// duplicate id or name is reported in them.
pub fn focus_files(others: &[(String, String)], focus: &[(String, String)]) -> RuleFiles {
    let file_name = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_string();
    let focus_names: Vec<String> = focus.iter().map(|(p, _)| file_name(p)).collect();
    let mut files: RuleFiles = others
        .iter()
        .filter(|(p, _)| !focus_names.contains(&file_name(p)))
        .cloned()
        .collect();
    files.extend(focus.iter().cloned());
    files
}

/// What of `report` is about the files `in_focus` accepts: their
/// diagnostics, the E009s naming one of their rules, their rows.
pub fn keep_focus(set: &RuleSet, mut report: Report, in_focus: &dyn Fn(&str) -> bool) -> Report {
    let focus_ids: Vec<String> = set
        .rules
        .iter()
        .filter(|r| in_focus(&set.sources[r.source.0 as usize].path))
        .map(|r| format!("`{}`", r.id))
        .collect();
    report.diagnostics.retain(|d| {
        in_focus(&d.file)
            || (d.code == Code::E009 && focus_ids.iter().any(|id| d.message.contains(id.as_str())))
    });
    report.rules.retain(|r| in_focus(&r.file));
    report.not_loaded.retain(|n| in_focus(&n.file));
    report
}

/// `aiconf check FILE...`: reads the rule files (or folders of them) in
/// `paths` and checks them with `others` loaded beside them ([`check_focus`]);
/// a file that cannot be read is an E100 in the report, `Err` a path that
/// cannot be read at all.
pub fn check_paths(
    paths: &[std::path::PathBuf],
    others: &[(String, String)],
) -> Result<(RuleSet, Report), Diagnostic> {
    let mut focus = Vec::new();
    let mut unreadable = Vec::new();
    for p in paths {
        let (files, diags) = rules::read_rule_files(p)?;
        focus.extend(files);
        unreadable.extend(diags);
    }
    let (set, mut report) = check_focus(others, &focus);
    unreadable.append(&mut report.diagnostics);
    report.diagnostics = unreadable;
    Ok((set, report))
}

/// Diagnostics in the order of the rule files, then by position (stable otherwise).
fn sort_by_file(diags: &mut [Diagnostic], set: &RuleSet) {
    let order = |file: &str| {
        set.sources
            .iter()
            .position(|s| s.path == file)
            .unwrap_or(usize::MAX)
    };
    diags.sort_by_key(|d| (order(&d.file), d.line, d.column));
}
