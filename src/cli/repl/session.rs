//! The REPL's state without a terminal: the loaded rules and scan, the
//! output format, the timer, the last result. [`Session::eval`] takes one
//! line (a query or a dot command) and returns what to print, so tests and
//! scripts drive it exactly as the interactive loop does.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::output::Choice;

use crate::diagnostic::Diagnostic;
use crate::output::table::Format;
use crate::query::{self, Field, Outcome, Rows, KEYWORDS};
use crate::rules::engine::Engine;
use crate::rules::{self, closest, RuleSet, CATEGORIES, CNCF_STATUSES};
use crate::scan::{Scan, Scanner};

/// Where a session loads from; `.reload` loads from it again.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// `--corpus` (a directory, clone, bare repository or bundle).
    pub corpus: Option<PathBuf>,
    /// `--rev`, for a git corpus.
    pub rev: Option<String>,
    /// `--rules DIR`; the built-in rules when absent.
    pub rules: Option<PathBuf>,
}

/// What one line gives: text for standard output and for standard error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// The result.
    pub out: String,
    /// An acknowledgement (`format: csv`): shown on the terminal, kept out of a script's output.
    pub note: String,
    /// Errors.
    pub err: String,
    /// False when the line was a bad query or command.
    pub ok: bool,
    /// `.quit`
    pub quit: bool,
}

impl Reply {
    fn out(text: impl Into<String>) -> Reply {
        Reply {
            out: text.into(),
            ok: true,
            ..Reply::default()
        }
    }

    fn note(text: impl Into<String>) -> Reply {
        Reply {
            note: text.into(),
            ok: true,
            ..Reply::default()
        }
    }

    fn err(text: impl Into<String>) -> Reply {
        Reply {
            err: text.into(),
            ok: false,
            ..Reply::default()
        }
    }
}

/// The dot commands, with their one-line help.
pub const COMMANDS: &[(&str, &str)] = &[
    (".help", "this help"),
    (
        ".format",
        "FORMAT: table, markdown, csv or json (no argument: show it)",
    ),
    (".timer", "on|off: show how long each query took"),
    (".last", "the last result again, every row"),
    (".rules", "the loaded rules, and any problem in them"),
    (".reload", "read the rule files and the corpus again"),
    (".quit", "leave (also .exit, Ctrl-D)"),
];

/// A loaded corpus and rule set, and the REPL's settings.
pub struct Session {
    /// Where the rules and the corpus were loaded from (read again by `.reload`).
    pub origin: Origin,
    /// The loaded rules and their matcher.
    pub engine: Engine,
    /// The problems loading the rules met.
    pub rule_diagnostics: Vec<Diagnostic>,
    /// The corpus scanned with the engine.
    pub scan: Scan,
    /// How answers are printed (`.format`).
    pub format: Format,
    /// Whether each query's time is shown (`.timer`).
    pub timer: bool,
    /// Rows shown before a result is cut (a screenful); `None` shows every row.
    pub page: Option<usize>,
    /// How long the last load took.
    pub load_time: Duration,
    last: Option<(String, Outcome)>,
    /// The scan's index for queries, built by the first query after each load.
    index: std::sync::OnceLock<query::Index>,
}

impl Session {
    /// Loads the rules and scans the corpus once.
    pub fn load(origin: Origin) -> Result<Session, Diagnostic> {
        let start = Instant::now();
        let (rules, rule_diagnostics, _) = load_rules(&origin, None)?;
        Session::start(origin, Engine::new(rules), rule_diagnostics, start)
    }

    /// Scans the corpus once with an engine already made (the command's own, its rules
    /// loaded from `origin.rules` with `rule_diagnostics`).
    pub fn with_engine(
        origin: Origin,
        engine: Engine,
        rule_diagnostics: Vec<Diagnostic>,
    ) -> Result<Session, Diagnostic> {
        Session::start(origin, engine, rule_diagnostics, Instant::now())
    }

    fn start(
        origin: Origin,
        engine: Engine,
        rule_diagnostics: Vec<Diagnostic>,
        start: Instant,
    ) -> Result<Session, Diagnostic> {
        let scan = scan_corpus(&origin, &engine)?;
        Ok(Session {
            origin,
            engine,
            rule_diagnostics,
            scan,
            format: Format::Table,
            timer: false,
            page: None,
            load_time: start.elapsed(),
            last: None,
            index: std::sync::OnceLock::new(),
        })
    }

    /// One line about what is loaded.
    pub fn summary(&self) -> String {
        let problems = self.scan.diagnostics.len() + self.rule_diagnostics.len();
        format!(
            "{} rules ({}), {} submissions, {} findings{}",
            self.engine.rules().rules.len(),
            match &self.origin.rules {
                Some(d) => d.display().to_string(),
                None => "built in".to_string(),
            },
            self.scan.submissions.len(),
            self.scan.findings.len(),
            if problems > 0 {
                format!("; {problems} problems in the input (`aiconf scan` lists them)")
            } else {
                String::new()
            }
        ) + &rules::not_loaded_note(self.engine.rules())
            .map(|n| format!("\n{n}"))
            .unwrap_or_default()
    }

    /// Evaluates one line: a dot command, a query, or nothing.
    pub fn eval(&mut self, line: &str) -> Reply {
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with("--") {
            return Reply {
                ok: true,
                ..Reply::default()
            };
        }
        if text.starts_with('.') {
            return self.command(text);
        }
        self.query(text)
    }

    fn query(&mut self, text: &str) -> Reply {
        let start = Instant::now();
        let index = self.index.get_or_init(|| query::Index::build(&self.scan));
        let outcome = match query::run_indexed(text, &self.scan, index, self.engine.rules()) {
            Ok(o) => o,
            Err(diags) => return Reply::err(query::render_errors(text, &diags)),
        };
        let (mut out, hidden) = match self.page {
            Some(n) => outcome.render_first(&self.scan, self.engine.rules(), self.format, n),
            None => (
                outcome.render(&self.scan, self.engine.rules(), self.format),
                0,
            ),
        };
        let took = start.elapsed();
        if hidden > 0 {
            out.push_str(&format!(
                "… {hidden} more rows hidden (`.last` shows every row)\n"
            ));
        }
        // The timing is a note (standard error), never part of the result a script writes.
        let note = if self.timer {
            format!(
                "time: {:.3} ms ({} rows)\n",
                took.as_secs_f64() * 1000.0,
                outcome.answer.rows.len()
            )
        } else {
            String::new()
        };
        self.space(&mut out);
        self.last = Some((text.to_string(), outcome));
        Reply {
            note,
            ..Reply::out(out)
        }
    }

    fn command(&mut self, text: &str) -> Reply {
        let mut words = text.split_whitespace();
        let name = words.next().unwrap_or_default().to_ascii_lowercase();
        let arg = words.next();
        match name.as_str() {
            ".help" | ".h" | ".?" => Reply::out(help()),
            ".quit" | ".exit" | ".q" => Reply {
                quit: true,
                ok: true,
                ..Reply::default()
            },
            ".format" => self.set_format(arg),
            ".timer" => self.set_timer(arg),
            ".last" => match &self.last {
                Some((_, o)) => {
                    let mut out = o.render(&self.scan, self.engine.rules(), self.format);
                    self.space(&mut out);
                    Reply::out(out)
                }
                None => Reply::err("error: no query has been run yet\n"),
            },
            ".rules" => self.rules(),
            ".reload" => self.reload(),
            _ => {
                let names: Vec<&str> = COMMANDS.iter().map(|c| c.0).collect();
                let hint = closest(&name, names.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                Reply::err(format!(
                    "error: unknown command `{name}`{hint}; `.help` lists the commands\n"
                ))
            }
        }
    }

    /// `.format [NAME]`: the output format, or set it.
    fn set_format(&mut self, arg: Option<&str>) -> Reply {
        let Some(f) = arg else {
            return Reply::out(format!("format: {}\n", format_name(self.format)));
        };
        match Format::from_name(f) {
            Some(fmt) => {
                self.format = fmt;
                Reply::note(format!("format: {}\n", format_name(fmt)))
            }
            None => Reply::err(format!(
                "error: unknown format `{f}`; formats: table, markdown, csv, json\n"
            )),
        }
    }

    /// `.timer [on|off]`: whether each answer says how long it took, or set it.
    fn set_timer(&mut self, arg: Option<&str>) -> Reply {
        match arg.map(str::to_ascii_lowercase).as_deref() {
            Some("on") => {
                self.timer = true;
                Reply::note("timer: on\n")
            }
            Some("off") => {
                self.timer = false;
                Reply::note("timer: off\n")
            }
            None => Reply::out(format!(
                "timer: {}\n",
                if self.timer { "on" } else { "off" }
            )),
            Some(other) => Reply::err(format!(
                "error: `.timer {other}`: say `.timer on` or `.timer off`\n"
            )),
        }
    }

    /// `.rules`: the loaded rules, with the problems found loading them.
    fn rules(&self) -> Reply {
        let out = crate::tables::view::rules_table(self.engine.rules()).render(self.format);
        let mut r = Reply::out(out);
        for d in &self.rule_diagnostics {
            r.err
                .push_str(&d.render(self.engine.rules().source_text(&d.file)));
        }
        if let Some(note) = rules::not_loaded_note(self.engine.rules()) {
            r.err.push_str(&format!("warning: {note}\n"));
        }
        r
    }

    /// A blank line after a text table, so results stand apart.
    fn space(&self, out: &mut String) {
        if matches!(self.format, Format::Table | Format::Markdown) {
            out.push('\n');
        }
    }

    /// Re-reads the rules and the corpus; on failure keeps what was loaded.
    pub fn reload(&mut self) -> Reply {
        let start = Instant::now();
        let loaded =
            load_rules(&self.origin, Some(self.engine.rules())).and_then(|(rules, diags, kept)| {
                let engine = Engine::new(rules);
                let scan = scan_corpus(&self.origin, &engine)?;
                Ok((engine, diags, scan, kept))
            });
        match loaded {
            Ok((engine, diags, scan, kept)) => {
                self.engine = engine;
                self.rule_diagnostics = diags;
                self.scan = scan;
                self.index = std::sync::OnceLock::new();
                self.load_time = start.elapsed();
                self.last = None;
                let mut r = Reply::note(format!(
                    "reloaded in {:.0} ms: {}\n",
                    self.load_time.as_secs_f64() * 1000.0,
                    self.summary()
                ));
                for d in &self.rule_diagnostics {
                    r.err
                        .push_str(&d.render(self.engine.rules().source_text(&d.file)));
                }
                if !kept.is_empty() {
                    let ids: Vec<String> = kept.iter().map(|k| format!("`{k}`")).collect();
                    r.err.push_str(&format!(
                        "kept the previous version of {}: the new text has errors (above)\n",
                        ids.join(", ")
                    ));
                }
                r
            }
            Err(d) => Reply::err(format!(
                "{}the previous rules and corpus stay loaded\n",
                d.render(None)
            )),
        }
    }

    /// The words tab completion offers, from what is loaded.
    pub fn vocabulary(&self) -> Vocabulary {
        let mut versions: Vec<String> = self
            .scan
            .submissions
            .iter()
            .map(|s| s.kubernetes_version.clone())
            .collect();
        versions.sort_by_key(|v| crate::source::corpus::version_key(v));
        versions.dedup();
        let mut folders: Vec<String> = self
            .scan
            .submissions
            .iter()
            .map(|s| query::plan::short(&s.id).to_string())
            .collect();
        folders.sort();
        folders.dedup();
        let mut submissions: Vec<String> =
            self.scan.submissions.iter().map(|s| s.id.clone()).collect();
        submissions.extend(folders);
        let known = |f: &dyn Fn(&crate::scan::SubmissionInfo) -> String| {
            let mut v: Vec<String> = self
                .scan
                .submissions
                .iter()
                .map(f)
                .filter(|s| !s.is_empty())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let mut vendors: Vec<String> = self
            .engine
            .rules()
            .rules
            .iter()
            .map(|r| r.vendor.clone())
            .filter(|s| !s.is_empty())
            .collect();
        vendors.sort();
        vendors.dedup();
        Vocabulary {
            projects: self
                .engine
                .rules()
                .rules
                .iter()
                .map(|r| r.name.clone())
                .collect(),
            submissions,
            versions,
            platforms: known(&|s| s.platform.clone()),
            submission_vendors: known(&|s| s.vendor.clone()),
            vendors,
        }
    }
}

/// The rules; with the `previous` rules (a reload), a rule whose new text
/// fails to load stays as it was (its id among the ids returned).
fn load_rules(
    origin: &Origin,
    previous: Option<&RuleSet>,
) -> Result<(RuleSet, Vec<Diagnostic>, Vec<String>), Diagnostic> {
    let (mut rules, diags) = match &origin.rules {
        Some(dir) => rules::load_dir(dir)?,
        None => rules::builtin(),
    };
    let kept = previous.map_or_else(Vec::new, |p| rules.keep_previous(p));
    Ok((rules, diags, kept))
}

/// The scan of the corpus `origin` names, with `engine`.
fn scan_corpus(origin: &Origin, engine: &Engine) -> Result<Scan, Diagnostic> {
    let source = crate::source::git::open_corpus(origin.corpus.as_deref(), origin.rev.as_deref())?;
    Ok(Scanner::new(engine, source.as_ref())?.scan())
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Markdown => "markdown",
        Format::Csv => "csv",
        Format::Json => "json",
    }
}

/// The loaded names tab completion offers (the fixed ones are constants).
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Project display names.
    pub projects: Vec<String>,
    /// Ids (`v1.34/gke`), then folder names (`gke`).
    pub submissions: Vec<String>,
    /// Kubernetes versions (`v1.34`).
    pub versions: Vec<String>,
    /// Submissions' platform names.
    pub platforms: Vec<String>,
    /// Submissions' vendors.
    pub submission_vendors: Vec<String>,
    /// Project vendors.
    pub vendors: Vec<String>,
}

impl Vocabulary {
    /// The values a field takes, for completion after `FIELD =`.
    pub fn values(&self, field: Field) -> Vec<String> {
        let fixed = |v: &[&str]| {
            v.iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.to_string())
                .collect()
        };
        match field {
            Field::Project => self.projects.clone(),
            Field::Submission => self.submissions.clone(),
            Field::Version => self.versions.clone(),
            Field::Platform => self.platforms.clone(),
            Field::SubmissionVendor => self.submission_vendors.clone(),
            Field::Vendor => self.vendors.clone(),
            Field::Category => fixed(CATEGORIES),
            Field::Cncf => fixed(CNCF_STATUSES),
            Field::Section => fixed(query::field::SECTIONS),
            Field::Cell => fixed(&["M", "X", "-"]),
            Field::Negated => fixed(&["true", "false"]),
            _ => Vec::new(),
        }
    }
}

/// `.help`: the commands and a summary of the language.
pub fn help() -> String {
    let mut out = String::from("Queries (one per line; see the README's \"Queries\" section):\n");
    out.push_str(&grammar());
    out.push_str("  examples:\n");
    for e in EXAMPLES {
        out.push_str(&format!("    {e}\n"));
    }
    out.push_str("Fields:\n");
    for f in Field::ALL {
        out.push_str(&format!("  {:<18} {}\n", f.name(), f.doc()));
    }
    out.push_str(&format!("Keywords: {}\n", KEYWORDS.join(", ")));
    out.push_str("Commands:\n");
    for (c, h) in COMMANDS {
        out.push_str(&format!("  {c:<8} {h}\n"));
    }
    out
}

/// The query language in brief: the shape of a query, its sources and tests (`.help` and
/// `aiconf query --help`).
pub fn grammar() -> String {
    let mut out = String::new();
    out.push_str(
        "  [explain] [top N] SOURCE [where CONDITION] [group by FIELD, ...] [having CONDITION]\n",
    );
    out.push_str("                           [order by FIELD [asc|desc], ...] [limit N]\n");
    out.push_str(&format!(
        "  sources: {}\n",
        Rows::ALL.map(|s| s.as_str()).join(", ")
    ));
    out.push_str("  tests: FIELD = != < <= > >= VALUE, FIELD [not] in (V, ...), FIELD ~ TEXT (contains); and, or, not, ( )\n");
    out.push_str("         uses PROJECT, uses (CONDITION on projects): the submission names it (neither negated nor hedged)\n");
    out.push_str("         named by (CONDITION on submissions), used by (...): some such submission names the project\n");
    out.push_str("  group by F1, F2: a row per combination, with counts; adoption groups by project and submission fields\n");
    out.push_str("  having CONDITION: keep the rows whose columns pass it (count >= 2, stacks > 3, share >= 50%)\n");
    out
}

pub use crate::query::EXAMPLES;
