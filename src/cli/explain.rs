//! `aiconf explain`: every piece of evidence for one cell, or why there is none.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::tables::view;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf explain \"NVIDIA DCGM Exporter\" v1.35/kops --limit 3\n  aiconf explain kueue v1.34/gardener --all --format json"
)]
pub(crate) struct Args {
    /// Project display name or rule id, e.g. "NVIDIA GPU Operator" or kueue.
    project: String,
    /// Submission id, e.g. v1.34/gardener.
    submission: String,
    #[command(flatten)]
    corpus: CorpusArgs,
    /// `json` prints the evidence as one object; anything else as text.
    #[arg(long, value_parser = super::choice_of::<Format>(&["table", "json"]), default_value = "table")]
    format: Format,
    /// List at most N mentions (default 10).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    limit: Option<usize>,
    /// List every mention kept.
    #[arg(long)]
    all: bool,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let rules = ctx.engine.rules();
    let source = a.corpus.open()?;
    let scanner = crate::scan::Scanner::new(&ctx.engine, source.as_ref())?;
    let rule = rules.resolve(&a.project)?;
    // Only the submission asked about is read and scanned.
    let sub = scanner.resolve_submission(&a.submission)?;
    let scanner = scanner.only(sub);
    let scan = scanner.scan();
    let sub = crate::SubmissionId(0);
    let limit = if a.all {
        None
    } else {
        Some(a.limit.unwrap_or(view::EXPLAIN_LIMIT))
    };
    let cell = view::explain(&scan, rules, rule, sub, limit);
    if a.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&cell).unwrap_or_default()
        );
        return Ok(Done::Ran { problems: false });
    }
    print!("{}", cell.text());
    if scan.finding(sub, rule).is_none() {
        let absent = crate::published::reconcile::explain_absent(&scanner, &scan, sub, rule);
        print!("{}", crate::output::sink::terminal_text(&absent));
    }
    Ok(Done::Ran { problems: false })
}
