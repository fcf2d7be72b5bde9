//! `aiconf explain`: every piece of evidence for one cell, or why there is none.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::tables::view;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Project display name or rule id, e.g. "NVIDIA GPU Operator" or kueue.
    project: String,
    /// Submission id, e.g. v1.34/gardener.
    submission: String,
    #[command(flatten)]
    corpus: CorpusArgs,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let rules = &ctx.rules;
    let scan = crate::scan::scan(a.corpus.open()?.as_ref(), rules)?;
    let rule = rules.resolve(&a.project)?;
    let sub = scan.resolve_submission(&a.submission)?;
    print!("{}", view::explain(&scan, rules, rule, sub));
    if scan.finding(sub, rule).is_none() {
        let source = a.corpus.open()?;
        let absent = crate::reconcile::explain_absent(source.as_ref(), rules, &scan, sub, rule);
        print!("{}", crate::output::sink::terminal_text(&absent));
    }
    Ok(Done::Ran { problems: false })
}
