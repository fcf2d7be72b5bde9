//! `aiconf check`: lints and tests a set of rule files, as CI would.
//!
//! [`check`] chains the stages: the loader's own diagnostics (syntax, regexes,
//! vocabularies, duplicates: E001-E008, E100), the lints that need the whole
//! rule set or the compiled matcher ([`lint`]: E009, E010, W012, W013), and
//! every rule's examples run through the real [`Matcher`] ([`examples`]:
//! E011). The [`Report`] holds all of it; [`output`] renders it as miette
//! text, JSON or GitHub workflow commands. Nothing here prints.

mod examples;
mod lint;
mod output;

use serde::Serialize;

pub use examples::{run_example, ExampleOutcome};
pub use output::{render, CheckFormat};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::matcher::Matcher;
use crate::rules::{self, RuleSet};

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
    let matcher = Matcher::compile(set);
    let mut diagnostics = load_diagnostics;
    diagnostics.extend(lint::lint(set, &matcher));
    let mut rules = Vec::with_capacity(set.rules.len());
    for id in set.ids() {
        let rule = set.get(id);
        let file = set.sources[rule.source.0 as usize].path.clone();
        let mut result = RuleResult {
            id: rule.id.clone(),
            name: rule.name.clone(),
            file,
            passed: 0,
            failed: 0,
        };
        for (i, ex) in rule.examples.iter().enumerate() {
            let outcome = run_example(set, &matcher, id, ex);
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
    Report { diagnostics, rules }
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
