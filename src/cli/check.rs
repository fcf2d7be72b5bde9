//! `aiconf check`: lints and tests the rules (or only some rule files, the others loaded beside
//! them); exit 1 when a check failed.

use std::path::PathBuf;

use super::Done;
use crate::diagnostic::Diagnostic;
use crate::rules;
use crate::tools::check::{self, CheckFormat};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf check\n  aiconf check rules/kueue.rule --verbose\n  aiconf check --strict --format github"
)]
pub(crate) struct Args {
    #[arg(long, value_parser = super::choice::<CheckFormat>(), default_value = "text")]
    format: CheckFormat,
    /// List every rule in the examples table, not only those that failed.
    #[arg(long)]
    verbose: bool,
    /// Check only these rule files (or folders), with the other rules (--rules DIR, else
    /// the built-in ones) loaded beside them for the lints across rules; a file replaces
    /// the rule file of the same name.
    files: Vec<PathBuf>,
}

pub(crate) fn run(
    rules_dir: Option<&std::path::Path>,
    a: &Args,
    strict: bool,
) -> Result<Done, Diagnostic> {
    let (rules, report) = if a.files.is_empty() {
        let (rules, diags) = rules::load_from(rules_dir)?;
        let report = check::check_set(&rules, diags);
        (rules, report)
    } else {
        let others = match rules_dir {
            Some(dir) => rules::read_rule_files(dir)?.0,
            None => rules::builtin_files(),
        };
        check::check_paths(&a.files, &others)?
    };
    print!(
        "{}",
        check::render_with(&report, &rules, a.format, a.verbose)
    );
    Ok(Done::Exit(u8::from(report.failed(strict))))
}
