//! `aiconf reconcile`: the published analysis against the engine, cell by cell.

use crate::diagnostic::Code;
use std::path::PathBuf;

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::published::reconcile;
use crate::scan::Scanner;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  aiconf reconcile --corpus ../shared/corpus/baseline-223d15f --published ../shared/published/adoption-analysis-2026-03-16.txt"
)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// The published analysis (plain text, one table cell per line).
    #[arg(long, value_name = "FILE")]
    published: PathBuf,
    #[arg(long, value_parser = super::choice_of::<Format>(&["table", "markdown", "json"]), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let shown = a.published.display().to_string();
    let text = std::fs::read_to_string(&a.published).map_err(|e| {
        Diagnostic::error(
            Code::E600,
            &shown,
            format!("cannot read the published analysis: {e}"),
        )
    })?;
    let published = match crate::published::parse(&shown, &text) {
        Ok(p) => p,
        Err(d) => {
            eprint!("{}", d.render(Some(&text)));
            return Ok(Done::Exit(2));
        }
    };
    let source = a.corpus.open()?;
    let scanner = Scanner::new(&ctx.engine, source.as_ref())?;
    let scan = scanner.scan();
    let problems = super::report_scan_diagnostics(&scan, a.format == Format::Json);
    let mut outside = reconcile::Outside::new(&scanner);
    let r = reconcile::reconcile(&published, &scan, ctx.engine.rules(), &mut outside);
    print!("{}", reconcile::render(&r, a.format));
    Ok(Done::Ran { problems })
}
