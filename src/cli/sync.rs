//! `aiconf sync`: clone or fast-forward the official repository into the cache folder.

use std::path::PathBuf;

use super::Done;
use crate::diagnostic::Diagnostic;
use crate::source::{cache, sync};

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  aiconf sync\n  aiconf sync --into ~/src/k8s-ai-conformance")]
pub(crate) struct Args {
    /// Clone into this folder instead (it must be new, empty, or a clone already).
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// The repository to sync from (default: $AICONF_SYNC_URL, or the official one).
    #[arg(long, hide = true)]
    url: Option<String>,
}

pub(crate) fn run(a: &Args) -> Result<Done, Diagnostic> {
    let dir = a.into.clone().unwrap_or_else(cache::synced_clone);
    let url = a.url.clone().unwrap_or_else(sync::url);
    print!("{}", sync::sync(&url, &dir)?.summary());
    Ok(Done::Ran { problems: false })
}
