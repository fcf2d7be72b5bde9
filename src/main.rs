//! The `aiconf` binary: parses the command line, runs one stage chain of the
//! library, prints its output and diagnostics, and decides the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use aiconf::check::{self, CheckFormat};
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use aiconf::candidates::{self, Kind as CandidateKind};
use aiconf::corpus::Source;
use aiconf::diagnostic::Diagnostic;
use aiconf::history::{self, HistoryFormat, Metric};
use aiconf::render::Format;
use aiconf::revision::Revisions;
use aiconf::rules::{self, RuleSet};
use aiconf::scan::{self, Scan};
use aiconf::{table, view};

/// `print!` and `println!` for this file: a reader that stops early
/// (`aiconf history | head`) closes the pipe, and std's macros would panic on
/// the failed write. Here a closed pipe ends the program quietly (exit 0, as
/// the output was read as far as wanted); any other write error exits 2.
macro_rules! print {
    ($($arg:tt)*) => { write_stdout(format_args!($($arg)*)) };
}

macro_rules! println {
    () => { print!("\n") };
    ($($arg:tt)*) => { write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("aiconf: cannot write the output: {e}");
        std::process::exit(2);
    }
}

const EXIT_CODES: &str = "Exit codes:\n  0  success\n  1  a check failed (--strict: any problem in the input; `check`: an error in the rules, or with --strict a warning; `fmt --check`: a file not formatted)\n  2  the command could not run (bad arguments, unreadable corpus or rules, bad query)\n\nEvery diagnostic code is explained in docs/diagnostics.md.";

/// Which open-source projects do the CNCF Kubernetes AI Conformance submissions use?
#[derive(Parser)]
#[command(name = "aiconf", version, about, after_help = EXIT_CODES)]
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct CorpusArgs {
    /// The corpus: a directory laid out like cncf/k8s-ai-conformance, a clone of it, a bare
    /// repository or a bundle (default: the clone `aiconf sync` keeps).
    #[arg(long, value_name = "PATH")]
    corpus: Option<PathBuf>,
    /// The revision to read from a git corpus: a tag, a branch, a full or short commit id.
    #[arg(long, value_name = "REV", default_value = None)]
    rev: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Scan the corpus: submissions, findings with evidence, problems met.
    Scan {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// `json` prints the stable JSON object; anything else a readable summary.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The project-by-submission matrix per Kubernetes version (M / X / -).
    Matrix {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Only this Kubernetes version (e.g. v1.34 or 1.34).
        #[arg(long)]
        version: Option<String>,
        /// Leave out projects whose every mention is negated ("X is not used").
        #[arg(long)]
        uses: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Fit the aligned table to this many columns (default: `COLUMNS`, else the terminal's width; a pipe gets whole lines).
        #[arg(long, value_name = "N")]
        width: Option<usize>,
        /// Submissions as rows, projects as columns.
        #[arg(long)]
        transpose: bool,
        /// With `--format csv`: one row per version, submission and project (cell, versions, negated).
        #[arg(long)]
        long: bool,
    },
    /// Every piece of evidence for one cell, or why there is none.
    Explain {
        /// Project display name or rule id, e.g. "NVIDIA GPU Operator" or kueue.
        project: String,
        /// Submission id, e.g. v1.34/gardener.
        submission: String,
        #[command(flatten)]
        corpus: CorpusArgs,
        /// `json` prints the evidence as one object; anything else as text.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// List at most N mentions (default 10).
        #[arg(long, value_name = "N", conflicts_with = "all")]
        limit: Option<usize>,
        /// List every mention kept.
        #[arg(long)]
        all: bool,
    },
    /// The whole published analysis regenerated from the corpus and the rules.
    Report {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// `html` writes one self-contained page with inline SVG charts.
        #[arg(long, value_enum, default_value_t = aiconf::report::ReportFormat::Markdown)]
        format: aiconf::report::ReportFormat,
    },
    /// Compare the published analysis with the engine, cell by cell and number by number.
    Reconcile {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// The published analysis (plain text, one table cell per line).
        #[arg(long, value_name = "FILE")]
        published: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write a synthetic corpus for benchmarks: a real corpus scaled to N submissions.
    GenCorpus {
        /// The real corpus the submissions are made from.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// How many submissions to write.
        #[arg(long, default_value_t = 1000)]
        submissions: usize,
        /// Where to write them (a new or empty folder, or one gen-corpus wrote before).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The same seed always gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Files other than PRODUCT.yaml are cut to a window of at most this many bytes.
        #[arg(long, default_value_t = 8192)]
        max_file_bytes: usize,
    },
    /// Clone or update cncf/k8s-ai-conformance into the cache folder; the clone is the default corpus.
    Sync {
        /// Clone into this folder instead (it must be new, empty, or a clone already).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// The repository to sync from (default: $AICONF_SYNC_URL, or the official one).
        #[arg(long, hide = true)]
        url: Option<String>,
    },
    /// What changed between two revisions A..B of a git corpus: submissions, versions, projects.
    Delta {
        /// Two revisions, e.g. baseline-223d15f..head (A.. means A..HEAD).
        range: String,
        /// A clone, a bare repository or a bundle (default: the clone `aiconf sync` keeps).
        #[arg(long, value_name = "PATH")]
        corpus: Option<PathBuf>,
        /// Leave out projects whose every mention is negated.
        #[arg(long)]
        uses: bool,
        /// Uncovered names shown in text and Markdown (JSON has them all).
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Adoption of every project at every commit that changed a submission, oldest first.
    History {
        /// The corpus (a git repository or bundle) and the newest revision (--rev, default HEAD).
        #[command(flatten)]
        corpus: CorpusArgs,
        #[arg(long, value_enum, default_value_t = HistoryFormat::Csv)]
        format: HistoryFormat,
        /// Projects drawn in the SVG chart.
        #[arg(long, default_value_t = 8)]
        top: usize,
        /// The chart's y axis.
        #[arg(long, value_enum, default_value_t = Metric::Share)]
        metric: Metric,
        /// Leave out projects whose every mention is negated.
        #[arg(long)]
        uses: bool,
    },
    /// Names in the vendors' text that no rule covers (repositories, charts, images, products), by submissions.
    Candidates {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Only this kind of name.
        #[arg(long, value_enum)]
        kind: Option<CandidateKind>,
        /// Only names that at least this many submissions use.
        #[arg(long, default_value_t = 1)]
        min: usize,
        /// Show at most this many (0: all).
        #[arg(long, default_value_t = 40)]
        top: usize,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Run one query over the findings, e.g. 'adoption where category = Scheduling and version >= 1.34'.
    Query {
        /// The query (see the README's "Queries" section for the language).
        query: String,
        #[command(flatten)]
        corpus: CorpusArgs,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Ask queries interactively; with standard input not a terminal, one query per line.
    Repl {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// The initial output format (`.format` changes it).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The engine against a truth set of hand labels: precision, recall, M/X and versions right,
    /// per project and overall, and every disagreement with its evidence.
    Score {
        /// The truth folder: one vMAJOR.MINOR__<folder>.json per labelled submission (and projects.txt).
        #[arg(long, value_name = "DIR")]
        truth: PathBuf,
        #[command(flatten)]
        corpus: CorpusArgs,
        #[arg(long, value_enum, default_value_t = aiconf::score::ScoreFormat::Text)]
        format: aiconf::score::ScoreFormat,
    },
    /// Run every rule over TEXT (as a line of a submission's notes) or a file (as a file of a
    /// submission): each hit with its rule, position, cell, version, negation, and what `not`
    /// exclusions stopped.
    Match {
        /// The text to match.
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        text: Option<String>,
        /// A file to match instead, read as a file of a submission (PRODUCT.yaml: its vendor fields).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// A Language Server Protocol server for `.rule` files over standard input and output
    /// (diagnostics, completion, hover with corpus counts, formatting, ...); see docs/editors.md.
    Lsp {
        /// The corpus hovers count matches in (default: the `aiconf sync` clone).
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// Write a new rule file (rules/ID.rule) that passes `check` at once: metadata to fill in,
    /// the name, the URL, chart or image `candidates` saw, and examples quoted from the corpus.
    New {
        /// The rule id, e.g. kuberay (lower case, digits, `-`, `_`).
        id: String,
        /// The display name, e.g. "KubeRay".
        #[arg(long)]
        name: String,
        /// Start from this name of `aiconf candidates` (a repository, chart, image or product name).
        #[arg(long, value_name = "NAME")]
        from_candidate: Option<String>,
        /// The category (default Platform).
        #[arg(long)]
        category: Option<String>,
        /// Where to write (default: ID.rule in --rules DIR, else in ./rules, else here).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Print the rule on standard output instead of writing a file.
        #[arg(long)]
        print: bool,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// The loaded rules.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Lint and test the rules (built-in, or --rules DIR, or only FILES): syntax, regexes,
    /// vocabularies, duplicates, aliases that match another project's name,
    /// version patterns that never match, and every rule's examples.
    Check {
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// List every rule in the examples table, not only those that failed.
        #[arg(long)]
        verbose: bool,
        /// Check only these rule files (or folders), with the other rules (--rules DIR, else
        /// the built-in ones) loaded beside them for the lints across rules; a file replaces
        /// the rule file of the same name.
        files: Vec<PathBuf>,
    },
    /// Print rule files in the canonical layout (comments kept) on standard output, changing
    /// nothing; `--write` rewrites them in place, `--check` exits 1 when one is not formatted.
    /// Several files are printed each after a `==> FILE <==` header.
    Fmt {
        /// Write nothing; exit 1 (with an E020 per file) when a file is not formatted.
        #[arg(long)]
        check: bool,
        /// Rewrite the files that are not formatted, in place.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Rule files or folders of them (default: --rules DIR, else ./rules).
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    aiconf::sink::set_raw_csv(cli.raw_csv);
    match run(cli) {
        Ok(code) => code,
        Err(d) => {
            eprint!("{}", d.render(None));
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Err` is a problem that stopped it (exit code 2).
fn run(cli: Cli) -> Result<ExitCode, Diagnostic> {
    if let Command::Check {
        format,
        verbose,
        files,
    } = &cli.command
    {
        let (rules, report) = if files.is_empty() {
            let (rules, diags) = load_rules(&cli)?;
            let report = check::check_set(&rules, diags);
            (rules, report)
        } else {
            let others = match &cli.rules {
                Some(dir) => rules::read_rule_files(dir)?.0,
                None => rules::builtin_files(),
            };
            check::check_paths(files, &others)?
        };
        print!("{}", check::render_with(&report, &rules, *format, *verbose));
        return Ok(if report.failed(cli.strict) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    if let Command::Lsp { corpus } = &cli.command {
        let options = aiconf::lsp::Options {
            rules: cli.rules.clone(),
            corpus: corpus.corpus.clone(),
            rev: corpus.rev.clone(),
            timing: std::env::var_os("AICONF_LSP_TIMING").is_some(),
        };
        return match aiconf::lsp::serve(options) {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) => Err(Diagnostic::error("E270", "aiconf lsp", e)),
        };
    }
    if let Command::Fmt {
        check,
        write,
        files,
    } = &cli.command
    {
        return Ok(fmt(&cli, *check, *write, files));
    }
    let (rules, rule_diags) = load_rules(&cli)?;
    let mut problems = report_rule_diagnostics(&rules, &rule_diags);
    match &cli.command {
        Command::Rules { format } => {
            print!("{}", view::rules_table(&rules).render(*format));
        }
        Command::New {
            id,
            name,
            from_candidate,
            category,
            out,
            print,
            corpus,
        } => {
            let dir = cli.rules.clone().unwrap_or_else(|| {
                let r = PathBuf::from("rules");
                if r.is_dir() {
                    r
                } else {
                    PathBuf::from(".")
                }
            });
            let out = out
                .clone()
                .unwrap_or_else(|| dir.join(format!("{id}.rule")));
            if !*print && out.exists() {
                return Err(Diagnostic::error(
                    "E031",
                    out.display().to_string(),
                    "the rule file exists already",
                )
                .with_help("choose another id, or --out FILE"));
            }
            let candidate = match from_candidate {
                Some(c) => {
                    let source = open_source(corpus)?;
                    Some(aiconf::authoring::new_rule::find_candidate(
                        source.as_ref(),
                        &rules,
                        c,
                    )?)
                }
                None => None,
            };
            let index = aiconf::lsp::CorpusIndex::spawn(corpus.corpus.clone(), corpus.rev.clone());
            let others = match &cli.rules {
                Some(d) => rules::read_rule_files(d)?.0,
                None => rules::builtin_files(),
            };
            let opts = aiconf::authoring::NewRuleOptions {
                id: id.clone(),
                name: name.clone(),
                category: category.clone(),
                candidate,
            };
            let made = aiconf::authoring::new_rule(&opts, &others, Some(&index))?;
            if let aiconf::lsp::corpus_index::State::Failed(m) = index.state() {
                eprintln!("note: no corpus quotes ({m}); the example is the name itself");
            }
            for d in &made.diagnostics {
                eprint!("{}", d.render(Some(&made.text)));
            }
            if *print {
                print!("{}", made.text);
            } else {
                std::fs::write(&out, &made.text).map_err(|e| {
                    Diagnostic::error(
                        "E100",
                        out.display().to_string(),
                        format!("cannot write the rule file: {e}"),
                    )
                })?;
                println!(
                    "wrote {} ({} examples from the corpus)",
                    out.display(),
                    made.examples_from.len()
                );
                for q in &made.examples_from {
                    println!("  {q}");
                }
            }
            problems |= !made.diagnostics.is_empty();
        }
        Command::Match { text, file, format } => {
            let matcher = aiconf::matcher::Matcher::compile(&rules);
            let report = match (text, file) {
                (_, Some(path)) => {
                    let shown = path.display().to_string();
                    let bytes = std::fs::read(path).map_err(|e| {
                        Diagnostic::error("E213", &shown, format!("cannot read the file: {e}"))
                    })?;
                    aiconf::authoring::match_file(&rules, &matcher, &shown, bytes)
                }
                (text, None) => {
                    aiconf::authoring::match_text(&rules, &matcher, text.as_deref().unwrap_or(""))
                }
            };
            for d in &report.diagnostics {
                eprintln!("{d}");
            }
            problems |= !report.diagnostics.is_empty();
            print!("{}", report.render(*format));
        }
        Command::Scan { corpus, format } => {
            let scan = scan_corpus(corpus, &rules)?;
            problems |= report_scan_diagnostics(&scan, *format == Format::Json);
            if *format == Format::Json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&view::scan_json(&scan, &rules))
                        .unwrap_or_default()
                );
            } else {
                print!("{}", view::scan_summary(&scan, &rules));
            }
        }
        Command::Matrix {
            corpus,
            version,
            uses,
            format,
            width,
            transpose,
            long,
        } => {
            let scan = scan_corpus_counts(corpus, &rules)?;
            problems |= report_scan_diagnostics(&scan, false);
            let mentions = if *uses {
                table::Mentions::Uses
            } else {
                table::Mentions::All
            };
            let mut ms = table::matrices(&scan, &rules, mentions);
            if let Some(v) = version {
                // Compared as versions: 1.35 = v1.35 = 1.35.0, as in queries.
                let want = aiconf::query::Version::parse(v);
                ms.retain(|m| want.is_some() && aiconf::query::Version::parse(&m.version) == want);
                if ms.is_empty() {
                    return Err(Diagnostic::error(
                        "E210",
                        v.clone(),
                        format!("no submissions for Kubernetes version {v}"),
                    )
                    .with_help(format!(
                        "versions in this corpus: {}",
                        versions(&scan).join(", ")
                    )));
                }
            }
            let layout = aiconf::layout::Layout {
                width: aiconf::layout::width(*width),
                transpose: *transpose,
                long: *long,
            };
            print!(
                "{}",
                aiconf::layout::render(&ms, &scan, &rules, *format, layout)
            );
        }
        Command::GenCorpus {
            from,
            submissions,
            out,
            seed,
            max_file_bytes,
        } => {
            let opts = aiconf::synthetic::Options {
                submissions: *submissions,
                seed: *seed,
                max_file_bytes: *max_file_bytes,
            };
            let s = aiconf::synthetic::generate(
                &aiconf::corpus::DirSource::new(from),
                &rules,
                &opts,
                out,
            )?;
            println!(
                "{} submissions, {} files, {} bytes of text in {}",
                s.submissions,
                s.files,
                s.bytes,
                out.display()
            );
        }
        // Handled before the rule diagnostics are printed, above.
        Command::Check { .. } | Command::Fmt { .. } | Command::Lsp { .. } => {}
        Command::Query {
            query,
            corpus,
            format,
        } => {
            let scan = scan_corpus(corpus, &rules)?;
            problems |= note_scan_problems(&scan);
            match aiconf::query::run(query, &scan, &rules) {
                Ok(outcome) => print!("{}", outcome.render(&scan, &rules, *format)),
                Err(diags) => {
                    eprint!("{}", aiconf::query::render_errors(query, &diags));
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Score {
            truth,
            corpus,
            format,
        } => {
            let scored = aiconf::score::truth::load(truth).and_then(|t| {
                let scan = scan_corpus(corpus, &rules).map_err(|d| vec![d])?;
                problems |= note_scan_problems(&scan);
                aiconf::score::score(&t, &scan, &rules)
            });
            match scored {
                Ok(s) => print!("{}", aiconf::score::render(&s, *format)),
                Err(diags) => {
                    for d in &diags {
                        eprint!("{}", d.render(None));
                    }
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Repl { corpus, format } => {
            let origin = aiconf::repl::Origin {
                corpus: corpus.corpus.clone(),
                rev: corpus.rev.clone(),
                rules: cli.rules.clone(),
            };
            let mut session = aiconf::repl::Session::load(origin)?;
            session.format = *format;
            if !aiconf::repl::run(session) {
                return Ok(ExitCode::from(2));
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Explain {
            project,
            submission,
            corpus,
            format,
            limit,
            all,
        } => {
            let scan = scan_corpus(corpus, &rules)?;
            let rule = rules.find(project).ok_or_else(|| {
                let names: Vec<&str> = rules.rules.iter().map(|r| r.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    "E211",
                    project.clone(),
                    format!("no rule named `{project}`"),
                );
                if let Some(c) = aiconf::rules::closest(project, names.iter().copied()) {
                    d = d.with_help(format!("did you mean `{c}`?"));
                }
                d
            })?;
            let sub = scan.find_submission(submission).ok_or_else(|| {
                let ids: Vec<&str> = scan.submissions.iter().map(|s| s.id.as_str()).collect();
                let mut d = Diagnostic::error(
                    "E212",
                    submission.clone(),
                    format!("no submission `{submission}` in the corpus"),
                );
                // A bare folder name (`gke`) names one submission per version.
                let same_folder: Vec<String> = ids
                    .iter()
                    .filter(|id| {
                        id.rsplit('/')
                            .next()
                            .is_some_and(|f| f.eq_ignore_ascii_case(submission))
                    })
                    .map(|id| format!("`{id}`"))
                    .collect();
                if !same_folder.is_empty() {
                    d = d.with_help(format!(
                        "a submission is `VERSION/FOLDER`: {}",
                        same_folder.join(" or ")
                    ));
                } else if let Some(c) = aiconf::rules::closest(submission, ids.iter().copied()) {
                    d = d.with_help(format!("did you mean `{c}`?"));
                }
                d
            })?;
            let limit = if *all {
                None
            } else {
                Some(limit.unwrap_or(view::EXPLAIN_LIMIT))
            };
            let cell = view::explain(&scan, &rules, rule, sub, limit);
            if *format == Format::Json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&cell).unwrap_or_default()
                );
            } else {
                print!("{}", cell.text());
            }
            if scan.finding(sub, rule).is_none() {
                let source = open_source(corpus)?;
                print!(
                    "{}",
                    aiconf::sink::terminal_text(&aiconf::reconcile::explain_absent(
                        source.as_ref(),
                        &rules,
                        &scan,
                        sub,
                        rule
                    ))
                );
            }
        }
        Command::Report { corpus, format } => {
            let source = open_source(corpus)?;
            let scan = scan::scan(source.as_ref(), &rules)?;
            problems |= report_scan_diagnostics(&scan, false);
            let meta = aiconf::report::Meta {
                // The corpus as named on the command line, with its revision.
                corpus: match (&corpus.corpus, &corpus.rev) {
                    (Some(p), Some(r)) => format!("{} --rev {r}", p.display()),
                    (Some(p), None) => p.display().to_string(),
                    (None, Some(r)) => format!("the aiconf sync clone --rev {r}"),
                    (None, None) => "the aiconf sync clone".to_string(),
                },
                tool: format!("aiconf {}", env!("CARGO_PKG_VERSION")),
                commands: Cli::command()
                    .get_subcommands()
                    .map(|c| c.get_name().to_string())
                    .collect(),
            };
            let mut analysis = aiconf::analysis::analyse(&scan, &rules);
            if let Ok(files) = source.list(&mut Vec::new()) {
                analysis.version_folders = aiconf::analysis::version_folders(&files);
            }
            let checklist = aiconf::report::checklist::load(source.as_ref());
            let doc = aiconf::report::build(&analysis, &scan, &rules, &checklist, &meta);
            print!("{}", aiconf::report::render(&doc, *format));
        }
        Command::Reconcile {
            corpus,
            published,
            format,
        } => {
            let shown = published.display().to_string();
            let text = std::fs::read_to_string(published).map_err(|e| {
                Diagnostic::error(
                    "E600",
                    &shown,
                    format!("cannot read the published analysis: {e}"),
                )
            })?;
            let published = match aiconf::published::parse(&shown, &text) {
                Ok(p) => p,
                Err(d) => {
                    eprint!("{}", d.render(Some(&text)));
                    return Ok(ExitCode::from(2));
                }
            };
            let source = open_source(corpus)?;
            let scan = scan::scan(source.as_ref(), &rules)?;
            problems |= report_scan_diagnostics(&scan, *format == Format::Json);
            let mut outside = aiconf::reconcile::Outside::new(source.as_ref(), &rules);
            let r = aiconf::reconcile::reconcile(&published, &scan, &rules, &mut outside);
            print!("{}", aiconf::reconcile::render(&r, *format));
        }
        Command::Sync { into, url } => {
            let dir = into.clone().unwrap_or_else(aiconf::cache::synced_clone);
            let url = url.clone().unwrap_or_else(aiconf::sync::url);
            print!("{}", aiconf::sync::sync(&url, &dir)?.summary());
        }
        Command::Delta {
            range,
            corpus,
            uses,
            top,
            format,
        } => {
            let (from, to) = aiconf::delta::parse_range(range)?;
            let revs = Revisions::new(aiconf::git::open_repo(corpus.as_deref())?, &rules);
            let d = aiconf::delta::delta(&revs, &from, &to, mentions(*uses))?;
            print!("{}", aiconf::delta::render(&d, &rules, *format, *top));
            problems |= report_problems_at(&d.diagnostics, &to, d.to.short());
        }
        Command::History {
            corpus,
            format,
            top,
            metric,
            uses,
        } => {
            let revs = Revisions::new(aiconf::git::open_repo(corpus.corpus.as_deref())?, &rules);
            let to = revs
                .repo()
                .resolve(corpus.rev.as_deref().unwrap_or("HEAD"))?;
            let bar = std::io::stderr().is_terminal().then(|| {
                let style = ProgressStyle::with_template("{bar:40} {pos}/{len} commits {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                ProgressBar::new(0).with_style(style)
            });
            let started = std::time::Instant::now();
            let h = history::history(&revs, &to, mentions(*uses), &|done, total| {
                if let Some(b) = &bar {
                    b.set_length(total as u64);
                    b.set_position(done as u64);
                }
            })?;
            if let Some(b) = bar {
                b.finish_and_clear();
                let (scanned, reused) = revs.counts();
                eprintln!(
                    "{} of {} commits changed a submission; {scanned} files scanned, {reused} taken from the cache, {:.2?}",
                    h.points.len(),
                    h.commits,
                    started.elapsed()
                );
            }
            match format {
                HistoryFormat::Csv => print!("{}", history::table(&h, &rules).to_csv()),
                HistoryFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&history::json(&h, &rules)).unwrap_or_default()
                ),
                HistoryFormat::Svg => print!("{}", history::svg(&h, &rules, *top, *metric)),
            }
            let newest = h.points.last().map_or("", |p| p.commit.short());
            problems |= report_problems_at(
                &h.diagnostics,
                corpus.rev.as_deref().unwrap_or("HEAD"),
                newest,
            );
        }
        Command::Candidates {
            corpus,
            kind,
            min,
            top,
            format,
        } => {
            let source = open_source(corpus)?;
            let (c, diags) = aiconf::corpus::load(source.as_ref())?;
            for d in &diags {
                eprintln!("{d}");
            }
            problems |= !diags.is_empty();
            let templates = scan::load_templates(source.as_ref(), &c);
            let matcher = aiconf::matcher::Matcher::compile(&rules);
            let mut found = candidates::find(source.as_ref(), &c, &matcher, &templates);
            found.retain(|x| kind.is_none_or(|k| x.kind == k) && x.submissions.len() >= *min);
            if *top > 0 {
                found.truncate(*top);
            }
            print!("{}", candidates::render(&found, &c, *format));
        }
    }
    Ok(if cli.strict && problems {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `aiconf fmt`: prints, rewrites or checks; 2 when a file could not be read or written.
fn fmt(cli: &Cli, check: bool, write: bool, files: &[PathBuf]) -> ExitCode {
    let mode = match (check, write) {
        (true, _) => rules::FmtMode::Check,
        (_, true) => rules::FmtMode::Write,
        _ => rules::FmtMode::Print,
    };
    let default = vec![cli.rules.clone().unwrap_or_else(|| PathBuf::from("rules"))];
    let run = rules::fmt_paths(if files.is_empty() { &default } else { files }, mode);
    if mode == rules::FmtMode::Print {
        let headers = run.sources.len() > 1;
        for (i, (path, text)) in run.formatted.iter().enumerate() {
            if headers {
                print!("{}==> {path} <==\n", if i > 0 { "\n" } else { "" });
            }
            print!("{text}");
        }
    }
    if mode == rules::FmtMode::Write {
        for p in &run.changed {
            println!("formatted {p}");
        }
    }
    for d in &run.diagnostics {
        eprint!("{}", d.render(run.source_text(&d.file)));
    }
    if run.io_failed {
        ExitCode::from(2)
    } else if run.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn load_rules(cli: &Cli) -> Result<(RuleSet, Vec<Diagnostic>), Diagnostic> {
    match &cli.rules {
        Some(dir) => rules::load_dir(dir),
        None => Ok(rules::builtin()),
    }
}

/// Prints rule diagnostics with their source; true when there were any.
fn report_rule_diagnostics(rules: &RuleSet, diags: &[Diagnostic]) -> bool {
    for d in diags {
        eprint!("{}", d.render(rules.source_text(&d.file)));
    }
    if let Some(note) = rules::not_loaded_note(rules) {
        eprintln!("warning: {note}");
    }
    !diags.is_empty()
}

/// Prints the problems met while scanning (one line each); true when there were any.
fn report_scan_diagnostics(scan: &Scan, quiet: bool) -> bool {
    if !quiet {
        for d in &scan.diagnostics {
            eprintln!("{d}");
        }
    }
    !scan.diagnostics.is_empty()
}

/// The problems met reading revision `rev` (commit `short`) on standard
/// error, after a line saying which revision they are from; true when there were any.
fn report_problems_at(diags: &[Diagnostic], rev: &str, short: &str) -> bool {
    if !diags.is_empty() {
        eprintln!("problems met reading {rev} ({short}):");
        for d in diags {
            eprintln!("{d}");
        }
    }
    !diags.is_empty()
}

/// One line on standard error when the scan met problems; true when it did.
fn note_scan_problems(scan: &Scan) -> bool {
    if !scan.diagnostics.is_empty() {
        eprintln!(
            "note: {} problems met while scanning the corpus (`aiconf scan` lists them)",
            scan.diagnostics.len()
        );
    }
    !scan.diagnostics.is_empty()
}

fn open_source(args: &CorpusArgs) -> Result<Box<dyn Source>, Diagnostic> {
    aiconf::git::open_corpus(args.corpus.as_deref(), args.rev.as_deref())
}

fn scan_corpus(args: &CorpusArgs, rules: &RuleSet) -> Result<Scan, Diagnostic> {
    let source = open_source(args)?;
    scan::scan(source.as_ref(), rules)
}

/// A scan that keeps counts, not evidence: enough for matrices.
fn scan_corpus_counts(args: &CorpusArgs, rules: &RuleSet) -> Result<Scan, Diagnostic> {
    let source = open_source(args)?;
    scan::scan_keeping(source.as_ref(), rules, scan::Keep::Counts)
}

fn mentions(uses: bool) -> table::Mentions {
    if uses {
        table::Mentions::Uses
    } else {
        table::Mentions::All
    }
}

fn versions(scan: &Scan) -> Vec<String> {
    let mut v: Vec<String> = scan
        .submissions
        .iter()
        .map(|s| s.kubernetes_version.clone())
        .collect();
    v.sort_by_key(|s| aiconf::corpus::version_key(s));
    v.dedup();
    v
}
