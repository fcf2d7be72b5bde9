//! The REPL: `aiconf repl`. A thin rustyline loop over a [`Session`] (which
//! owns the loaded rules and scan and evaluates each line); history is kept
//! in the user's data directory. When standard input is not a terminal it
//! reads one query per line and prints each result, so it can be scripted.
//! This module and the binary are the only places that print.

pub mod helper;
pub mod session;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

pub use helper::QueryHelper;
pub use session::{Origin, Reply, Session, Vocabulary};

/// The history file: `$AICONF_HISTORY`, else `<data dir>/aiconf/history.txt`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AICONF_HISTORY") {
        return Some(PathBuf::from(p));
    }
    dirs::data_dir().map(|d| d.join("aiconf").join("history.txt"))
}

/// Runs the REPL on the terminal, or reads standard input as a script.
/// Returns false when some line was a bad query or command.
pub fn run(session: Session) -> bool {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        match interactive(session) {
            Ok(ok) => ok,
            Err(e) => {
                eprintln!("error: the terminal failed: {e}");
                false
            }
        }
    } else {
        let stdin = std::io::stdin();
        script(
            session,
            stdin.lock(),
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )
    }
}

/// Reads one query (or dot command) per line from `input` until the end or `.quit`.
pub fn script(
    mut session: Session,
    input: impl BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> bool {
    let mut ok = true;
    for (number, line) in input.lines().enumerate() {
        let Ok(line) = line else {
            let _ = writeln!(
                err,
                "error: standard input, line {}: not UTF-8 text; stopped",
                number + 1
            );
            return false;
        };
        let mut reply = session.eval(&line);
        ok &= reply.ok;
        if !reply.ok && !reply.err.is_empty() {
            // A script's error says which of its lines failed.
            reply.err = format!("standard input, line {}:\n{}", number + 1, reply.err);
        }
        let shown = emit(&reply, out, err).and_then(|_| err.write_all(reply.note.as_bytes()));
        if shown.is_err() || reply.quit {
            break;
        }
    }
    ok
}

/// Prints a reply: results to `out`, problems to `err` (its notes, the caller prints to `err` too).
fn emit(reply: &Reply, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(reply.out.as_bytes())?;
    out.flush()?;
    err.write_all(reply.err.as_bytes())?;
    err.flush()
}

fn interactive(mut session: Session) -> rustyline::Result<bool> {
    let config = Config::builder()
        .auto_add_history(true)
        .history_ignore_dups(true)?
        .completion_type(CompletionType::List)
        .build();
    let mut rl: Editor<QueryHelper, DefaultHistory> = Editor::with_config(config)?;
    let color = std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    rl.set_helper(Some(QueryHelper::new(session.vocabulary(), color)));
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    println!(
        "aiconf repl: {} (loaded in {} ms)",
        session.summary(),
        session.load_time.as_millis()
    );
    println!(
        "Type a query, e.g. `{}`; `.help` for more, `.quit` to leave.",
        session::EXAMPLES[0]
    );
    let mut ok = true;
    loop {
        if let Some((_, rows)) = rl.dimensions() {
            session.page = Some(usize::from(rows).saturating_sub(5).max(5));
        }
        match rl.readline("aiconf> ") {
            Ok(line) => {
                let reply = session.eval(&line);
                ok &= reply.ok;
                emit(&reply, &mut std::io::stdout(), &mut std::io::stderr())?;
                eprint!("{}", reply.note);
                if reply.quit {
                    break;
                }
                if line.trim_start().starts_with(".reload") {
                    if let Some(h) = rl.helper_mut() {
                        h.vocabulary = session.vocabulary();
                    }
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e),
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = rl.save_history(h) {
            eprintln!(
                "warning: could not save the history to {}: {e}",
                h.display()
            );
        }
    }
    Ok(ok)
}

/// The arguments of `aiconf repl`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  aiconf repl --corpus ../shared/corpus/head-b2c8969\n  printf '.format csv\\nadoption where version = 1.35\\n' | aiconf repl > adoption.csv"
)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: super::CorpusArgs,
    /// The initial output format (`.format` changes it).
    #[arg(long, value_parser = super::choice::<crate::output::table::Format>(), default_value = "table")]
    format: crate::output::table::Format,
}

/// `aiconf repl`: loads a session and runs it; exit 2 when some line was a bad query or command.
pub(crate) fn command(ctx: super::Ctx, a: &Args) -> Result<super::Done, Diagnostic> {
    let origin = Origin {
        corpus: a.corpus.corpus.clone(),
        rev: a.corpus.rev.clone(),
        rules: ctx.rules_dir.clone(),
    };
    let mut session = Session::with_engine(origin, ctx.engine, ctx.rule_diagnostics)?;
    session.format = a.format;
    Ok(super::Done::Exit(if run(session) { 0 } else { 2 }))
}
