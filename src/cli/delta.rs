//! `aiconf delta A..B`: what changed between two revisions of a git corpus.

use std::path::PathBuf;

use super::{Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::source::git;
use crate::timeline::{delta, revision::Revisions};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf delta baseline-223d15f..head --corpus ../shared/corpus/history.bundle\n  aiconf delta v1.0.0.. --uses --format markdown"
)]
pub(crate) struct Args {
    /// Two revisions, e.g. baseline-223d15f..head (A.. means A..HEAD).
    range: String,
    /// A clone, a bare repository or a bundle (default: the clone `aiconf sync` keeps).
    #[arg(long, value_name = "PATH")]
    corpus: Option<PathBuf>,
    /// Leave out projects whose every mention is negated.
    #[arg(long)]
    uses: bool,
    /// Uncovered names shown in text and Markdown (JSON has them all).
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[arg(long, value_parser = super::choice_of::<Format>(&["table", "markdown", "json"]), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let (from, to) = delta::parse_range(&a.range)?;
    let revs = Revisions::new(git::open_repo(a.corpus.as_deref())?, &ctx.engine);
    let d = delta::delta(&revs, &from, &to, super::mentions(a.uses))?;
    print!("{}", delta::render(&d, ctx.engine.rules(), a.format, a.top));
    let problems = super::report_problems_at(&d.diagnostics, &to, d.to.short());
    Ok(Done::Ran { problems })
}
