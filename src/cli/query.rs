//! `aiconf query`: one query over the findings; exit 2 on a bad query.

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;

#[derive(clap::Args)]
#[command(after_help = "Query language:\n".to_string() + &super::repl::session::grammar() + "Examples:\n  aiconf query --corpus ../shared/corpus/head-b2c8969 'adoption where version = 1.35 and not named by (version = 1.34)'\n  aiconf query 'submissions group by submission_vendor having count >= 2' --format csv\nFields and values: the README's \"Queries\" section, or `.help` in `aiconf repl`.")]
pub(crate) struct Args {
    /// The query (the language in brief below; in full in the README's "Queries" section).
    query: String,
    #[command(flatten)]
    corpus: CorpusArgs,
    #[arg(long, value_parser = super::choice::<Format>(), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let rules = ctx.engine.rules();
    let source = a.corpus.open()?;
    // What the answer reads of each finding: its first mention whole. An explanation listing
    // more of a finding's mentions has them fetched for the rows it explains.
    let scanner =
        crate::scan::Scanner::new(&ctx.engine, source.as_ref())?.keeping(crate::scan::Keep::First);
    let mut scan = scanner.scan();
    let problems = super::note_scan_problems(&scan);
    match crate::query::run(&a.query, &scan, rules) {
        Ok(outcome) => {
            let wanted = crate::query::evidence::wanted(&outcome, &scan, rules, a.format);
            crate::query::evidence::fetch(&scanner, &mut scan, &wanted);
            print!("{}", outcome.render(&scan, rules, a.format))
        }
        Err(diags) => {
            eprint!("{}", crate::query::render_errors(&a.query, &diags));
            return Ok(Done::Exit(2));
        }
    }
    Ok(Done::Ran { problems })
}
