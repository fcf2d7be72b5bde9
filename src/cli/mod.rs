//! The command line: `main.rs` calls [`main`], which parses the arguments and dispatches to one
//! module per command (its arguments, the command, its printing). Commands chain library stages
//! and print; the exit code is decided here, in one place. Built only with the `cli` feature (the
//! default), which brings clap, rustyline and indicatif.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::diagnostic::Diagnostic;
use crate::output::Choice;
use crate::rules::engine::Engine;
use crate::rules::RuleSet;
use crate::scan::Scan;
use crate::source::corpus::Source;

/// `print!` and `println!` for the commands: a reader that stops early (`aiconf history | head`)
/// closes the pipe, and std's macros would panic on the failed write. Here a closed pipe ends the
/// program quietly (exit 0, as the output was read as far as wanted); any other write error exits 2.
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!($($arg)*)) };
}

macro_rules! println {
    () => { print!("\n") };
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

mod candidates;
mod check;
mod completions;
mod delta;
mod explain;
mod fmt;
mod gen_corpus;
mod history;
mod lsp;
mod man;
mod matching;
mod matrix;
mod new;
mod query;
mod reconcile;
pub mod repl;
mod report;
mod rules;
mod scan;
mod score;
mod sync;

/// Writes to standard output; see [`print!`].
pub(crate) fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    written(out.write_fmt(args).and_then(|()| out.flush()));
}

/// Ends the program when the output could not be written: quietly (0) when the reader closed the
/// pipe, else with a message and 2.
pub(crate) fn written(result: std::io::Result<()>) {
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("aiconf: cannot write the output: {e}");
        std::process::exit(2);
    }
}

const EXIT_CODES: &str = "Exit codes:\n  0  success\n  1  a check failed (--strict: any problem in the input; `check`: an error in the rules, or with --strict a warning; `fmt --check`: a file not formatted)\n  2  the command could not run (bad arguments, unreadable corpus or rules, bad query)\n\nEvery diagnostic code is explained in docs/diagnostics.md.";

/// Which open-source projects do the CNCF Kubernetes AI Conformance submissions use?
/// `aiconf --version`: the version and the corpus built into the binary.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nembedded corpus: cncf/k8s-ai-conformance at 223d15f97434 (2026-03-16), 28 submissions, Apache-2.0;",
    "\n  read when no --corpus, no AICONF_CORPUS and no `aiconf sync` clone is given"
);

#[derive(Parser)]
#[command(name = "aiconf", version, long_version = LONG_VERSION, about, after_help = EXIT_CODES)]
struct Cli {
    /// Load rule files from this folder instead of the built-in rules.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Exit with 1 when any input problem (malformed submission, rule warning) was met.
    #[arg(long, global = true)]
    strict: bool,
    /// Write CSV cells as the bytes they hold: no leading `'` before a cell that
    /// begins with = + - @ (formula neutralisation), no escaped control characters.
    #[arg(long, global = true)]
    raw_csv: bool,
    /// Print no warnings or notes on standard error (errors still are; `--strict` still counts them).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// Where the corpus is read from, shared by the commands that scan one.
#[derive(Args, Clone)]
pub(crate) struct CorpusArgs {
    /// The corpus: a directory laid out like cncf/k8s-ai-conformance, a clone of it, a bare
    /// repository or a bundle (default: $AICONF_CORPUS, else the clone `aiconf sync` keeps).
    #[arg(long, value_name = "PATH")]
    corpus: Option<PathBuf>,
    /// The revision to read from a git corpus: a tag, a branch, a full or short commit id.
    #[arg(long, value_name = "REV", default_value = None)]
    rev: Option<String>,
}

impl CorpusArgs {
    /// The source these arguments name.
    fn open(&self) -> Result<Box<dyn Source>, Diagnostic> {
        let source = crate::source::git::open_corpus(self.corpus.as_deref(), self.rev.as_deref())?;
        if self.corpus.is_none()
            && self.rev.is_none()
            && crate::source::git::default_corpus_path().is_none()
        {
            warn(
                &format!(
                    "note: no corpus given: reading the {}; `aiconf sync` fetches the current repository\n",
                    crate::source::embedded::provenance()
                ),
                false,
            );
        }
        Ok(source)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Scan the corpus: submissions, findings with evidence, problems met.
    Scan(scan::Args),
    /// The project-by-submission matrix per Kubernetes version (M / X / -).
    Matrix(matrix::Args),
    /// Every piece of evidence for one cell, or why there is none.
    Explain(explain::Args),
    /// The whole published analysis regenerated from the corpus and the rules.
    Report(report::Args),
    /// Compare the published analysis with the engine, cell by cell and number by number.
    Reconcile(reconcile::Args),
    /// Write a synthetic corpus for benchmarks: a real corpus scaled to N submissions.
    GenCorpus(gen_corpus::Args),
    /// Clone or update cncf/k8s-ai-conformance into the cache folder; the clone is the default corpus.
    Sync(sync::Args),
    /// What changed between two revisions A..B of a git corpus: submissions, versions, projects.
    Delta(delta::Args),
    /// Adoption of every project at every commit that changed a submission, oldest first.
    History(history::Args),
    /// Names in the vendors' text that no rule covers (repositories, charts, images, products), by submissions.
    Candidates(candidates::Args),
    /// Run one query over the findings, e.g. 'adoption where category = Scheduling and version >= 1.34'.
    Query(query::Args),
    /// Ask queries interactively; with standard input not a terminal, one query per line.
    Repl(repl::Args),
    /// The engine against a truth set of hand labels: precision, recall, M/X and versions right,
    /// per project and overall, and every disagreement with its evidence.
    Score(score::Args),
    /// Run every rule over TEXT (as a line of a submission's notes) or a file (as a file of a
    /// submission): each hit with its rule, position, cell, version, negation, and what `not`
    /// exclusions stopped.
    Match(matching::Args),
    /// A Language Server Protocol server for `.rule` files over standard input and output
    /// (diagnostics, completion, hover with corpus counts, formatting, ...); see docs/editors.md.
    Lsp(lsp::Args),
    /// Write a new rule file (rules/ID.rule) that passes `check` at once: metadata to fill in,
    /// the name, the URL, chart or image `candidates` saw, and examples quoted from the corpus.
    New(new::Args),
    /// The loaded rules.
    Rules(rules::Args),
    /// Lint and test the rules (built-in, or --rules DIR, or only FILES): syntax, regexes,
    /// vocabularies, duplicates, aliases that match another project's name,
    /// version patterns that never match, and every rule's examples.
    Check(check::Args),
    /// Print rule files in the canonical layout (comments kept) on standard output, changing
    /// nothing; `--write` rewrites them in place, `--check` exits 1 when one is not formatted.
    /// Several files are printed each after a `==> FILE <==` header.
    Fmt(fmt::Args),
    /// Print the shell completion script for bash, zsh, fish, elvish or PowerShell.
    Completions(completions::Args),
    /// Print the man page (roff) of aiconf, or of one command.
    Man(man::Args),
}

/// What every command is given: the global options and, once loaded, the rules in the one
/// [`Engine`] of the run.
pub(crate) struct Ctx {
    /// `--rules DIR`.
    rules_dir: Option<PathBuf>,
    /// The loaded rules and their matcher (every command but the rule tools loads them).
    engine: Engine,
    /// The problems met loading the rules (reported once, before the command runs).
    rule_diagnostics: Vec<Diagnostic>,
}

/// How a command ended.
pub(crate) enum Done {
    /// It ran; true when it met problems in its input (exit 1 under `--strict`).
    Ran { problems: bool },
    /// It decided its exit code itself.
    Exit(u8),
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::output::sink::set_raw_csv(cli.raw_csv);
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    let strict = cli.strict;
    match run(cli) {
        Ok(Done::Ran { problems }) if strict && problems => ExitCode::from(1),
        Ok(Done::Ran { .. }) => ExitCode::SUCCESS,
        Ok(Done::Exit(code)) => ExitCode::from(code),
        Err(d) => {
            eprint!("{}", d.render(None));
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Err` is a problem that stopped it (exit code 2).
fn run(cli: Cli) -> Result<Done, Diagnostic> {
    let dir = cli.rules.as_deref();
    match &cli.command {
        // The rule tools read the rules themselves (one file, a folder, the editor's text).
        Command::Fmt(a) => Ok(fmt::run(dir, a)),
        Command::Check(a) => check::run(dir, a, cli.strict),
        Command::Lsp(a) => lsp::run(dir, a),
        Command::Completions(a) => Ok(completions::run(a)),
        Command::Man(a) => man::run(a),
        // Every other command runs with the loaded rules.
        Command::Scan(a) => with_rules(&cli, |ctx| scan::run(&ctx, a)),
        Command::Matrix(a) => with_rules(&cli, |ctx| matrix::run(&ctx, a)),
        Command::Explain(a) => with_rules(&cli, |ctx| explain::run(&ctx, a)),
        Command::Report(a) => with_rules(&cli, |ctx| report::run(&ctx, a)),
        Command::Reconcile(a) => with_rules(&cli, |ctx| reconcile::run(&ctx, a)),
        Command::GenCorpus(a) => with_rules(&cli, |ctx| gen_corpus::run(&ctx, a)),
        Command::Sync(a) => with_rules(&cli, |_| sync::run(a)),
        Command::Delta(a) => with_rules(&cli, |ctx| delta::run(&ctx, a)),
        Command::History(a) => with_rules(&cli, |ctx| history::run(&ctx, a)),
        Command::Candidates(a) => with_rules(&cli, |ctx| candidates::run(&ctx, a)),
        Command::Query(a) => with_rules(&cli, |ctx| query::run(&ctx, a)),
        Command::Repl(a) => with_rules(&cli, |ctx| repl::command(ctx, a)),
        Command::Score(a) => with_rules(&cli, |ctx| score::run(&ctx, a)),
        Command::Rules(a) => with_rules(&cli, |ctx| rules::run(&ctx, a)),
        Command::Match(a) => with_rules(&cli, |ctx| matching::run(&ctx, a)),
        Command::New(a) => with_rules(&cli, |ctx| new::run(&ctx, a)),
    }
}

/// Loads the rules (`--rules DIR`, else the built-in ones), reports their
/// problems once, and runs `command` with them; problems with the rules count
/// as problems met (exit 1 under `--strict`).
fn with_rules(
    cli: &Cli,
    command: impl FnOnce(Ctx) -> Result<Done, Diagnostic>,
) -> Result<Done, Diagnostic> {
    let (rules, rule_diagnostics) = crate::rules::load_from(cli.rules.as_deref())?;
    let problems = report_rule_diagnostics(&rules, &rule_diagnostics);
    let ctx = Ctx {
        rules_dir: cli.rules.clone(),
        engine: Engine::new(rules),
        rule_diagnostics,
    };
    Ok(match command(ctx)? {
        Done::Ran { problems: p } => Done::Ran {
            problems: p || problems,
        },
        exit => exit,
    })
}

/// The value parser of a closed set of choices (formats, metrics): the names, with their help,
/// that the library's [`Choice`] lists.
fn choice<T: Choice + Clone + Send + Sync>() -> impl TypedValueParser<Value = T> {
    let values = T::CHOICES.iter().map(|&(name, _, help)| {
        let v = PossibleValue::new(name);
        if help.is_empty() {
            v
        } else {
            v.help(help)
        }
    });
    PossibleValuesParser::new(values).map(|name| T::from_name(&name).expect("a listed name"))
}

/// `--quiet`: warnings and notes are not printed.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// What [`warn`] printed already in this run.
static SHOWN: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Prints `text` (a rendered diagnostic, a warning or note line) on standard error, once per run
/// (a command that reads the corpus twice, or several revisions, repeats none), and not at all
/// under `--quiet` unless it is an error.
fn warn(text: &str, error: bool) {
    if !error && QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let first = SHOWN
        .lock()
        .map(|mut shown| shown.insert(text.to_string()))
        .unwrap_or(true);
    if first {
        eprint!("{text}");
    }
}

/// [`choice`] limited to the `names` a command can print (`scan --format csv` is refused by the
/// parser, with the names it takes, instead of printing something else).
fn choice_of<T: Choice + Clone + Send + Sync>(
    names: &'static [&'static str],
) -> impl TypedValueParser<Value = T> {
    let values = T::CHOICES
        .iter()
        .filter(|(name, _, _)| names.contains(name))
        .map(|&(name, _, help)| {
            let v = PossibleValue::new(name);
            if help.is_empty() {
                v
            } else {
                v.help(help)
            }
        });
    PossibleValuesParser::new(values).map(|name| T::from_name(&name).expect("a listed name"))
}

/// Prints rule diagnostics with their source; true when there were any.
fn report_rule_diagnostics(rules: &RuleSet, diags: &[Diagnostic]) -> bool {
    for d in diags {
        warn(&d.render(rules.source_text(&d.file)), d.is_error());
    }
    if let Some(note) = crate::rules::not_loaded_note(rules) {
        warn(&format!("warning: {note}\n"), false);
    }
    !diags.is_empty()
}

/// Prints the problems met while scanning (one line each) unless `quiet`; true when there were any.
fn report_scan_diagnostics(scan: &Scan, quiet: bool) -> bool {
    if !quiet {
        for d in &scan.diagnostics {
            warn(&format!("{d}\n"), d.is_error());
        }
    }
    !scan.diagnostics.is_empty()
}

/// The problems met reading revision `rev` (commit `short`) on standard error, after a line saying
/// which revision they are from (problems printed for an earlier revision are not repeated); true
/// when there were any.
fn report_problems_at(diags: &[Diagnostic], rev: &str, short: &str) -> bool {
    let quiet = QUIET.load(std::sync::atomic::Ordering::Relaxed);
    let new: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| !quiet || d.is_error())
        .filter(|d| {
            SHOWN
                .lock()
                .map(|shown| !shown.contains(&format!("{d}\n")))
                .unwrap_or(true)
        })
        .collect();
    if !new.is_empty() {
        eprintln!("problems met reading {rev} ({short}):");
        for d in new {
            warn(&format!("{d}\n"), d.is_error());
        }
    }
    !diags.is_empty()
}

/// One line on standard error when the scan met problems; true when it did.
fn note_scan_problems(scan: &Scan) -> bool {
    if !scan.diagnostics.is_empty() {
        warn(
            &format!(
                "note: {} problems met while scanning the corpus (`aiconf scan` lists them)\n",
                scan.diagnostics.len()
            ),
            false,
        );
    }
    !scan.diagnostics.is_empty()
}

/// `Mentions::Uses` with `--uses`, else every mention.
fn mentions(uses: bool) -> crate::tables::Mentions {
    if uses {
        crate::tables::Mentions::Uses
    } else {
        crate::tables::Mentions::All
    }
}
