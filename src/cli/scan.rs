//! `aiconf scan`: submissions, findings with evidence, problems met.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::tables::view;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// `json` prints the stable JSON object; anything else a readable summary.
    #[arg(long, value_parser = super::choice::<Format>(), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let scan = crate::scan::scan(a.corpus.open()?.as_ref(), &ctx.rules)?;
    let problems = super::report_scan_diagnostics(&scan, a.format == Format::Json);
    if a.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&view::scan_json(&scan, &ctx.rules)).unwrap_or_default()
        );
    } else {
        print!("{}", view::scan_summary(&scan, &ctx.rules));
    }
    Ok(Done::Ran { problems })
}
