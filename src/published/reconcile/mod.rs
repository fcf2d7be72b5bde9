//! Reconciliation: the published analysis ([`Published`]) against what the
//! engine computes from the same corpus ([`Analysis`](analysis::Analysis)), cell by cell and
//! number by number. Every disagreement carries its reason and evidence: the
//! vendor's words the published table missed, or — for a published mention
//! the engine cannot find — where the project occurs only in template text.
//! Published project names map to rules by display name, through
//! [`Published::project_key`].
//!
//! `model` holds the result's types (its JSON form is the `reconcile --format json` contract),
//! `cells` compares the matrices, `checks` the summary, NVIDIA, reference and number tables,
//! `render` writes text and Markdown.

mod cells;
mod checks;
mod model;
mod outside;
mod render;

pub use model::{
    CellEvidence, Cells, Disagreement, Figure, Kind, NumberCheck, NvidiaCheck, NvidiaProjectCheck,
    Reconciliation, ReferenceCheck, SelfInconsistency, SummaryCheck, UsageCheck,
};
pub use outside::{explain_absent, Outside, OutsideHit};
pub use render::render;

use crate::published::Published;
use crate::rules::RuleSet;
use crate::scan::Scan;
use crate::tables::analysis;

/// Compares `published` with the engine's scan of the same corpus. `outside`
/// looks up template-text mentions for published mentions the engine lacks.
pub fn reconcile(
    published: &Published,
    scan: &Scan,
    rules: &RuleSet,
    outside: &mut Outside,
) -> Reconciliation {
    let mut analysis = analysis::analyse(scan, rules);
    if !outside.files().is_empty() {
        analysis.version_folders = analysis::version_folders(outside.files());
    }
    let rule_of = |name: &str| {
        rules
            .find(&published.project_key(name))
            .or_else(|| rules.find(name))
    };
    Reconciliation {
        published: published.path.clone(),
        cells: cells::cells(published, scan, rules, &analysis, outside),
        summary: checks::summary(published, rules, &analysis, &rule_of),
        summary_self_inconsistencies: checks::self_inconsistencies(published),
        nvidia: checks::nvidia(published, scan, rules, &analysis, &rule_of),
        reference: checks::reference(published, rules, &rule_of),
        numbers: checks::numbers(published, scan, &analysis),
    }
}
