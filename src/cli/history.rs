//! `aiconf history`: adoption at every commit that changed a submission, with a progress bar on a
//! terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::source::git;
use crate::timeline::history::{self, HistoryFormat, Metric};
use crate::timeline::revision::Revisions;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf history --corpus ../shared/corpus/history.bundle > adoption.csv\n  aiconf history --format svg --top 5 > adoption.svg"
)]
pub(crate) struct Args {
    /// The corpus (a git repository or bundle) and the newest revision (--rev, default HEAD).
    #[command(flatten)]
    corpus: CorpusArgs,
    #[arg(long, value_parser = super::choice::<HistoryFormat>(), default_value = "csv")]
    format: HistoryFormat,
    /// Projects drawn in the SVG chart.
    #[arg(long, default_value_t = 8)]
    top: usize,
    /// The chart's y axis.
    #[arg(long, value_parser = super::choice::<Metric>(), default_value = "share")]
    metric: Metric,
    /// Leave out projects whose every mention is negated.
    #[arg(long)]
    uses: bool,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let rules = ctx.engine.rules();
    let revs = Revisions::new(git::open_repo(a.corpus.corpus.as_deref())?, &ctx.engine);
    let rev = a.corpus.rev.as_deref().unwrap_or("HEAD");
    let to = revs.repo().resolve(rev)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} commits {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(0).with_style(style)
    });
    let started = std::time::Instant::now();
    let h = history::history(&revs, &to, super::mentions(a.uses), &|done, total| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
        let (scanned, reused) = revs.counts();
        eprintln!(
            "{} of {} commits changed a submission; {scanned} files scanned, {reused} taken from the cache, {:.2?}",
            h.points.len(),
            h.commits,
            started.elapsed()
        );
    }
    match a.format {
        HistoryFormat::Csv => print!("{}", history::table(&h, rules).to_csv()),
        HistoryFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&history::json(&h, rules)).unwrap_or_default()
        ),
        HistoryFormat::Svg => print!("{}", history::svg(&h, rules, a.top, a.metric)),
    }
    let newest = h.points.last().map_or("", |p| p.commit.short());
    let problems = super::report_problems_at(&h.diagnostics, rev, newest);
    Ok(Done::Ran { problems })
}
