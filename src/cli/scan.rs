//! `aiconf scan`: submissions, findings with evidence, problems met.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::tables::view;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf scan --corpus ../shared/corpus/head-b2c8969\n  aiconf scan --corpus k8s-ai-conformance.bundle --rev main --format json > scan.json"
)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// `json` prints the stable JSON object; anything else a readable summary.
    #[arg(long, value_parser = super::choice_of::<Format>(&["table", "json"]), default_value = "table")]
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
