//! `aiconf lsp`: the language server for `.rule` files over standard input and output.

use super::{CorpusArgs, Done};
use crate::diagnostic::{Code, Diagnostic};

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  aiconf lsp --rules rules --corpus ../shared/corpus/head-b2c8969   (started by the editor)"
)]
pub(crate) struct Args {
    /// The corpus hovers count matches in (default: the `aiconf sync` clone).
    #[command(flatten)]
    corpus: CorpusArgs,
}

pub(crate) fn run(rules_dir: Option<&std::path::Path>, a: &Args) -> Result<Done, Diagnostic> {
    let options = crate::tools::lsp::Options {
        rules: rules_dir.map(std::path::Path::to_path_buf),
        corpus: a.corpus.corpus.clone(),
        rev: a.corpus.rev.clone(),
        timing: std::env::var_os("AICONF_LSP_TIMING").is_some(),
    };
    match crate::tools::lsp::serve(options) {
        Ok(()) => Ok(Done::Exit(0)),
        Err(e) => Err(Diagnostic::error(Code::E270, "aiconf lsp", e)),
    }
}
