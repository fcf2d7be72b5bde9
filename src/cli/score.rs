//! `aiconf score`: the engine against a truth set of hand labels.

use std::path::PathBuf;

use super::{CorpusArgs, Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::tools::score::{self, ScoreFormat};

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  aiconf score --truth truth --corpus ../shared/corpus/head-b2c8969"
)]
pub(crate) struct Args {
    /// The truth folder: one vMAJOR.MINOR__<folder>.json per labelled submission (and projects.txt).
    #[arg(long, value_name = "DIR")]
    truth: PathBuf,
    #[command(flatten)]
    corpus: CorpusArgs,
    #[arg(long, value_parser = super::choice::<ScoreFormat>(), default_value = "text")]
    format: ScoreFormat,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let mut problems = false;
    let scored = score::truth::load(&a.truth).and_then(|t| {
        let source = a.corpus.open().map_err(|d| vec![d])?;
        let scan = crate::scan::Scanner::new(&ctx.engine, source.as_ref())
            .map_err(|d| vec![d])?
            .scan();
        problems = super::note_scan_problems(&scan);
        score::score(&t, &scan, ctx.engine.rules())
    });
    match scored {
        Ok(s) => print!("{}", score::render(&s, a.format)),
        Err(diags) => {
            for d in &diags {
                eprint!("{}", d.render(None));
            }
            return Ok(Done::Exit(2));
        }
    }
    Ok(Done::Ran { problems })
}
