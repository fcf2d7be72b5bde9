//! `aiconf report`: the whole published analysis regenerated from the corpus and the rules.

use clap::CommandFactory;

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::{Code, Diagnostic};
use crate::published::report::{self, ReportFormat};
use crate::tables::analysis;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf report --corpus ../shared/corpus/head-b2c8969 > analysis.md\n  aiconf report --uses --format html > analysis.html"
)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// `html` writes one self-contained page with inline SVG charts.
    #[arg(long, value_parser = super::choice::<ReportFormat>(), default_value = "markdown")]
    format: ReportFormat,
    /// Count and rank by use: leave out findings whose every mention says the project is absent or names it only as an example.
    #[arg(long)]
    uses: bool,
    /// The GitHub repository the corpus is a copy of (`https://github.com/OWNER/REPO`): the HTML
    /// report links each file:line to it at the corpus's commit. Default: the clone's `origin`
    /// remote when it is on GitHub; a directory corpus has no commit and gets no links
    #[arg(long, value_name = "URL")]
    github: Option<String>,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let rules = ctx.engine.rules();
    let source = a.corpus.open()?;
    // The Markdown report prints counts and versions; only the HTML page shows each cell's
    // mentions.
    let keep = match a.format {
        ReportFormat::Html => crate::scan::Keep::Evidence,
        ReportFormat::Markdown => crate::scan::Keep::Counts,
    };
    let scanner = crate::scan::Scanner::new(&ctx.engine, source.as_ref())?.keeping(keep);
    let scan = scanner.scan();
    let problems = super::report_scan_diagnostics(&scan, false);
    let mut revision = source.revision();
    if let Some(url) = &a.github {
        let repo = crate::source::github_repository(url).ok_or_else(|| {
            Diagnostic::error(
                Code::E214,
                "--github",
                format!("`{url}` is not a GitHub repository's address"),
            )
            .with_help("give it as https://github.com/OWNER/REPO")
        })?;
        if let Some(r) = revision.as_mut() {
            r.github = Some(repo);
        }
    }
    let meta = report::Meta {
        revision,
        corpus: corpus_named(&a.corpus),
        tool: format!("aiconf {}", env!("CARGO_PKG_VERSION")),
        commands: super::Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect(),
    };
    let mut analysis = analysis::analyse_with(&scan, rules, super::mentions(a.uses));
    analysis.version_folders = analysis::version_folders(scanner.listing());
    let checklist = report::checklist::load(source.as_ref());
    let doc = report::build(&analysis, &scan, rules, &checklist, &meta);
    print!("{}", report::render(&doc, a.format));
    Ok(Done::Ran { problems })
}

/// The corpus as named on the command line, with its revision.
fn corpus_named(c: &CorpusArgs) -> String {
    match (&c.corpus, &c.rev) {
        (Some(p), Some(r)) => format!("{} --rev {r}", p.display()),
        (Some(p), None) => p.display().to_string(),
        (None, Some(r)) => format!("the aiconf sync clone --rev {r}"),
        (None, None) => "the aiconf sync clone".to_string(),
    }
}
