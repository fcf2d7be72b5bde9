//! `aiconf rules`: the loaded rules.

use super::{Ctx, Done};
use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::tables::view;

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  aiconf rules\n  aiconf rules --rules my-rules --format json")]
pub(crate) struct Args {
    #[arg(long, value_parser = super::choice::<Format>(), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    print!("{}", view::rules_table(ctx.engine.rules()).render(a.format));
    Ok(Done::Ran { problems: false })
}
