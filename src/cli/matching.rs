//! `aiconf match`: every rule over a text or one file, each hit with its rule, position, cell,
//! version, negation, and what `not` exclusions stopped.

use std::path::PathBuf;

use super::{Ctx, Done};
use crate::diagnostic::{Code, Diagnostic};
use crate::output::table::Format;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf match \"We deploy Kueue v0.14.2 for gang scheduling\"\n  aiconf match --file v1.35/gke/PRODUCT.yaml --format json"
)]
pub(crate) struct Args {
    /// The text to match.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    text: Option<String>,
    /// A file to match instead, read as a file of a submission (PRODUCT.yaml: its vendor fields).
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    #[arg(long, value_parser = super::choice_of::<Format>(&["table", "json"]), default_value = "table")]
    format: Format,
}

pub(crate) fn run(ctx: &Ctx, a: &Args) -> Result<Done, Diagnostic> {
    let rules = ctx.engine.rules();
    let matcher = ctx.engine.matcher();
    let report = match &a.file {
        Some(path) => {
            let shown = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| {
                Diagnostic::error(Code::E213, &shown, format!("cannot read the file: {e}"))
            })?;
            crate::tools::authoring::match_file(rules, matcher, &shown, bytes)
        }
        None => {
            crate::tools::authoring::match_text(rules, matcher, a.text.as_deref().unwrap_or(""))
        }
    };
    for d in &report.diagnostics {
        super::warn(&format!("{d}\n"), d.is_error());
    }
    print!("{}", report.render(a.format));
    Ok(Done::Ran {
        problems: !report.diagnostics.is_empty(),
    })
}
