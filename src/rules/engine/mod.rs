//! The engine: the rules compiled into one multi-pattern matcher (literal atoms in one
//! automaton, regexes verified at their atom), built once per run and shared by every
//! scan, match and explanation of it ([`Engine`]).

pub mod atoms;
mod literal;
pub mod matcher;

use std::sync::OnceLock;

use crate::rules::RuleSet;
use matcher::Matcher;

/// The loaded rules and their compiled [`Matcher`], made once and handed to every stage
/// that matches text: a [`crate::scan::Scanner`], the reconciliation's outside hits, `match`
/// and `candidates`. The matcher is compiled the first time it is asked for, and only then:
/// a command that never matches (`rules`, `sync`) pays nothing for it, and one that matches
/// several times (reconcile: the scan, then the text outside the vendor's words) compiles it
/// once.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    matcher: OnceLock<Matcher>,
}

impl Engine {
    /// The engine of `rules`; the matcher is compiled on first use.
    pub fn new(rules: RuleSet) -> Engine {
        Engine {
            rules,
            matcher: OnceLock::new(),
        }
    }

    /// The rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The compiled matcher: compiled by the first call, the same one for every later call.
    pub fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| Matcher::compile(&self.rules))
    }

    /// Has the matcher been compiled yet?
    pub fn is_compiled(&self) -> bool {
        self.matcher.get().is_some()
    }

    /// The rules back, for a caller that changes them (a reload keeps the previous version of a
    /// rule whose new text fails): a changed rule set is a new engine.
    pub fn into_rules(self) -> RuleSet {
        self.rules
    }
}
