//! The mentions an explanation lists, fetched on demand. A query is answered over a scan keeping
//! each finding's first mention whole ([`Keep::First`]): all its rows show and all that the JSON
//! explanation and the explanation of counts list. The text explanation of a `findings` query
//! lists up to ten mentions ([`PER_ROW`]) of each finding behind a row; [`wanted`] says which
//! findings have more mentions than kept, and [`fetch`] scans their submissions again, keeping
//! every mention, and gives those findings the first ten mentions a scan keeping every mention
//! ([`Keep::Evidence`]) has: what the text shows. Memory then grows with the rows explained, not
//! with the corpus.

use std::sync::Arc;

use super::ast::Rows;
use super::eval::Behind;
use super::explain::PER_ROW;
use super::Outcome;
use crate::output::table::Format;
use crate::rules::{RuleId, RuleSet};
use crate::scan::{Keep, Scan, Scanner};
use crate::source::corpus::{Corpus, SubmissionId};

/// How many submissions are scanned again at a time (what they keep beyond the findings wanted
/// is dropped after each batch).
const BATCH: usize = 32;

/// The findings, as (submission, project) in scan order, that `outcome` rendered in `format`
/// lists more mentions of than `scan` keeps (none but for the text explanation of a `findings`
/// query).
pub fn wanted(
    outcome: &Outcome,
    scan: &Scan,
    rules: &RuleSet,
    format: Format,
) -> Vec<(SubmissionId, RuleId)> {
    let (plan, answer) = (&outcome.plan, &outcome.answer);
    if !plan.explain || plan.source != Rows::Findings || format == Format::Json {
        return Vec::new();
    }
    let mut pairs: Vec<(SubmissionId, RuleId)> = Vec::new();
    for i in 0..answer.rows.len() {
        if let Behind::Findings(behind) = &answer.row(i, scan, rules).behind {
            pairs.extend(behind.iter().filter(|&&(s, r)| {
                scan.finding(s, r)
                    .is_some_and(|f| f.mentions > f.evidence.len())
            }));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Scans the submissions of findings `wanted` (as [`wanted`] gives them) of `scanner`'s corpus,
/// the one `scan` was made from, again, keeping every mention, and puts the first [`PER_ROW`]
/// mentions of each of those findings in `scan`'s.
pub fn fetch(scanner: &Scanner<'_>, scan: &mut Scan, wanted: &[(SubmissionId, RuleId)]) {
    let all = &scanner.corpus().submissions;
    let mut subs: Vec<SubmissionId> = wanted
        .iter()
        .map(|&(s, _)| s)
        .filter(|s| (s.0 as usize) < all.len())
        .collect();
    subs.dedup();
    let templates = Arc::new(scanner.templates().clone());
    for batch in subs.chunks(BATCH) {
        let corpus = Corpus {
            submissions: batch.iter().map(|s| all[s.0 as usize].clone()).collect(),
            templates: scanner.corpus().templates.clone(),
        };
        let again = Scanner::of_corpus(
            scanner.engine(),
            scanner.source(),
            Vec::new(),
            corpus,
            Arc::clone(&templates),
            Vec::new(),
        )
        .keeping(Keep::Evidence)
        .scan();
        for mut f in again.findings {
            let Some(&s) = batch.get(f.submission.0 as usize) else {
                continue;
            };
            if wanted.binary_search(&(s, f.rule)).is_err() {
                continue;
            }
            let at = scan
                .findings
                .binary_search_by(|g| (g.submission, g.rule).cmp(&(s, f.rule)));
            if let Ok(i) = at {
                f.evidence.truncate(PER_ROW);
                scan.findings[i].evidence = f.evidence;
            }
        }
    }
}
