//! `aiconf completions SHELL`: the shell completion script (clap_complete).

use clap::CommandFactory;

use super::Done;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  aiconf completions bash > ~/.local/share/bash-completion/completions/aiconf"
)]
pub(crate) struct Args {
    /// The shell to complete in.
    shell: clap_complete::Shell,
}

pub(crate) fn run(a: &Args) -> Done {
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "aiconf", &mut out);
    print!("{}", String::from_utf8_lossy(&out));
    Done::Ran { problems: false }
}
