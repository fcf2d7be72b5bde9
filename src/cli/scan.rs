//! `aiconf scan`: submissions, findings with evidence, problems met.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::scan::Scanner;
use crate::tables::{scan_json, view};

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
    if a.format == Format::Json {
        return run_json(ctx, a);
    }
    let source = a.corpus.open()?;
    let scan = Scanner::new(&ctx.engine, source.as_ref())?.scan();
    let problems = super::report_scan_diagnostics(&scan, false);
    print!("{}", view::scan_summary(&scan, ctx.engine.rules()));
    Ok(Done::Ran { problems })
}

/// The JSON object, streamed: each submission's findings written as soon as it is scanned.
fn run_json(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let source = a.corpus.open()?;
    let mut json = scan_json::ScanJsonStream::new(ctx.engine.rules());
    let mut failed = None;
    let listing = Scanner::new(&ctx.engine, source.as_ref())?.scan_each(&mut |s| {
        if failed.is_none() {
            failed = json.push(s).err();
        }
    });
    if let Some(e) = failed {
        super::written(Err(e));
    }
    let problems = !listing.is_empty() || !json.problems().is_empty();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    super::written(
        json.finish(listing, &mut out)
            .and_then(|()| std::io::Write::flush(&mut out)),
    );
    Ok(Done::Ran { problems })
}
