//! `aiconf candidates`: names in the vendors' text that no rule covers.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::scan::candidates::{self, CandidateKind};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf candidates --corpus ../shared/corpus/head-b2c8969 --min 2\n  aiconf candidates --kind chart --top 0 --format json"
)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Only this kind of name.
    #[arg(long, value_parser = super::choice::<CandidateKind>())]
    kind: Option<CandidateKind>,
    /// Only names that at least this many submissions use.
    #[arg(long, default_value_t = 1)]
    min: usize,
    /// Show at most this many (0: all).
    #[arg(long, default_value_t = 40)]
    top: usize,
    #[arg(long, value_parser = super::choice::<Format>(), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let source = a.corpus.open()?;
    let (c, diags) = crate::source::corpus::load(source.as_ref())?;
    for d in &diags {
        super::warn(&format!("{d}\n"), d.is_error());
    }
    let templates = crate::scan::load_templates(source.as_ref(), &c);
    let mut found = candidates::find(source.as_ref(), &c, ctx.engine.matcher(), &templates);
    found.retain(|x| a.kind.is_none_or(|k| x.kind == k) && x.submissions.len() >= a.min);
    if a.top > 0 {
        found.truncate(a.top);
    }
    print!("{}", candidates::render(&found, &c, a.format));
    Ok(Done::Ran {
        problems: !diags.is_empty(),
    })
}
