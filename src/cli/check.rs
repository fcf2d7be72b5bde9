//! `aiconf check`: lints and tests the rules; exit 1 when a check failed.

use super::{Ctx, Done};
use crate::check::{self, CheckFormat};
use crate::diagnostic::Diagnostic;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[arg(long, value_parser = super::choice::<CheckFormat>(), default_value = "text")]
    format: CheckFormat,
}

pub(crate) fn run(ctx: &Ctx, loaded: Vec<Diagnostic>, a: &Args, strict: bool) -> Done {
    let report = check::check_set(&ctx.rules, loaded);
    print!("{}", check::render(&report, &ctx.rules, a.format));
    Done::Exit(u8::from(report.failed(strict)))
}
