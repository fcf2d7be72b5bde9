//! `aiconf fmt`: rule files in the canonical layout, printed, rewritten or checked.

use std::path::{Path, PathBuf};

use super::Done;
use crate::rules::{self, FmtMode};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf fmt rules/kueue.rule\n  aiconf fmt --check\n  aiconf fmt --write rules/"
)]
pub(crate) struct Args {
    /// Write nothing; exit 1 (with an E020 per file) when a file is not formatted.
    #[arg(long)]
    check: bool,
    /// Rewrite the files that are not formatted, in place.
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// Rule files or folders of them (default: --rules DIR, else ./rules).
    files: Vec<PathBuf>,
}

/// Prints, rewrites or checks; exit 2 when a file could not be read or written.
pub(crate) fn run(rules_dir: Option<&Path>, a: &Args) -> Done {
    let mode = match (a.check, a.write) {
        (true, _) => FmtMode::Check,
        (_, true) => FmtMode::Write,
        _ => FmtMode::Print,
    };
    let default = vec![rules_dir.map_or_else(|| PathBuf::from("rules"), Path::to_path_buf)];
    let run = rules::fmt_paths(
        if a.files.is_empty() {
            &default
        } else {
            &a.files
        },
        mode,
    );
    if mode == FmtMode::Print {
        let headers = run.sources.len() > 1;
        for (i, (path, text)) in run.formatted.iter().enumerate() {
            if headers {
                print!("{}==> {path} <==\n", if i > 0 { "\n" } else { "" });
            }
            print!("{text}");
        }
    }
    if mode == FmtMode::Write {
        for p in &run.changed {
            println!("formatted {p}");
        }
    }
    for d in &run.diagnostics {
        eprint!("{}", d.render(run.source_text(&d.file)));
    }
    Done::Exit(if run.io_failed {
        2
    } else if run.diagnostics.is_empty() {
        0
    } else {
        1
    })
}
