//! `aiconf matrix`: the project-by-submission matrix per Kubernetes version.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::scan::{Keep, Scanner};
use crate::tables::{self, layout};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf matrix --corpus ../shared/corpus/head-b2c8969 --version 1.35\n  aiconf matrix --uses --transpose --width 100\n  aiconf matrix --format csv --long > cells.csv"
)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Only this Kubernetes version (e.g. v1.34 or 1.34).
    #[arg(long)]
    version: Option<String>,
    /// Leave out projects whose every mention is negated ("X is not used").
    #[arg(long)]
    uses: bool,
    #[arg(long, value_parser = super::choice::<Format>(), default_value = "table")]
    format: Format,
    /// Fit the aligned table to this many columns (default: `COLUMNS`, else the terminal's width; a pipe gets whole lines).
    #[arg(long, value_name = "N")]
    width: Option<usize>,
    /// Submissions as rows, projects as columns.
    #[arg(long)]
    transpose: bool,
    /// With `--format csv`: one row per version, submission and project (cell, versions, negated).
    #[arg(long)]
    long: bool,
}

/// The width to fit: `--width`, else `COLUMNS`, else the terminal standard
/// output is (none when it is not a terminal: a pipe gets whole lines).
fn width(flag: Option<usize>) -> Option<usize> {
    flag.or_else(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
    })
    .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
    .filter(|w| *w > 0)
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let source = a.corpus.open()?;
    let scan = Scanner::new(&ctx.engine, source.as_ref())?
        .keeping(Keep::Counts)
        .scan();
    let problems = super::report_scan_diagnostics(&scan, false);
    let mut ms = tables::matrices(&scan, ctx.engine.rules(), super::mentions(a.uses));
    if let Some(v) = &a.version {
        // Compared as versions: 1.35 = v1.35 = 1.35.0, as in queries.
        let want = crate::query::Version::parse(v);
        ms.retain(|m| want.is_some() && crate::query::Version::parse(&m.version) == want);
        if ms.is_empty() {
            return Err(Diagnostic::error(
                Code::E210,
                v.clone(),
                format!("no submissions for Kubernetes version {v}"),
            )
            .with_help(format!(
                "versions in this corpus: {}",
                scan.kubernetes_versions().join(", ")
            )));
        }
    }
    let layout = layout::Layout {
        width: width(a.width),
        transpose: a.transpose,
        long: a.long,
    };
    print!(
        "{}",
        layout::render(&ms, &scan, ctx.engine.rules(), a.format, layout)
    );
    Ok(Done::Ran { problems })
}
