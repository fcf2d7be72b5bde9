//! `aiconf man [COMMAND]`: the man page (roff, by clap_mangen) of aiconf or of one command.

use clap::CommandFactory;

use super::Done;
use crate::diagnostic::{Code, Diagnostic};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf man > aiconf.1 && man ./aiconf.1\n  aiconf man matrix | man -l -"
)]
pub(crate) struct Args {
    /// A command (`matrix`, `query`, ...): its own page, named aiconf-COMMAND.
    command: Option<String>,
}

pub(crate) fn run(a: &Args) -> Result<Done, Diagnostic> {
    let top = super::Cli::command();
    let cmd = match &a.command {
        None => top,
        Some(name) => {
            let names: Vec<String> = top
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = top.find_subcommand(name).cloned() else {
                let mut d =
                    Diagnostic::error(Code::E215, name.clone(), format!("no command `{name}`"));
                d = match crate::rules::closest(name, names.iter().map(String::as_str)) {
                    Some(c) => d.with_help(format!("did you mean `{c}`?")),
                    None => d.with_help(format!("commands: {}", names.join(", "))),
                };
                return Err(d);
            };
            let full = format!("aiconf-{}", sub.get_name());
            sub.display_name(full.clone()).bin_name(full)
        }
    };
    let mut out = Vec::new();
    // Rendering into memory cannot fail; writing it out is print!'s to handle.
    let _ = clap_mangen::Man::new(cmd).render(&mut out);
    print!("{}", String::from_utf8_lossy(&out));
    Ok(Done::Ran { problems: false })
}
