//! Queries: a small language for asking the loaded findings questions
//! (`adoption where category = Scheduling and version >= 1.34`).
//!
//! One chain, each stage public on its own (see `grammar/query.pest`):
//!
//! ```text
//! text --parse::parse--> Query --plan::plan--> Plan --eval::eval--> Answer --table/explain--> Table, text, JSON
//! ```
//!
//! [`run`] chains them, over an [`Index`] of the scan ([`run_indexed`] with one kept
//! with the scan, as the REPL does; [`run_walk`] without, walking the scan: the
//! reference the index is tested against). Every problem is a [`Diagnostic`] pointing into the
//! query text (file name [`QUERY_FILE`]); planning returns all of its
//! problems at once. Nothing here prints.

pub mod ast;
pub mod eval;
pub mod evidence;
pub mod explain;
pub mod field;
pub mod index;
pub mod parse;
pub mod plan;
pub mod value;

pub use ast::Rows;
pub use eval::{eval, Answer, Row as QueryRow, MATRIX_MAX_COLUMNS};
pub use field::Field;
pub use index::Index;
pub use parse::{parse, KEYWORDS};
pub use plan::{plan, Plan};
pub use value::{Val, Version};

use crate::diagnostic::{Code, Diagnostic};
use crate::output::table::Format;
use crate::rules::RuleSet;
use crate::scan::Scan;

/// The name diagnostics give the query text.
pub const QUERY_FILE: &str = "query";

/// A planned and evaluated query.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The checked query.
    pub plan: Plan,
    /// Its rows.
    pub answer: Answer,
}

/// Parses, plans and evaluates `text` over a loaded scan (indexing it first).
pub fn run(text: &str, scan: &Scan, rules: &RuleSet) -> Result<Outcome, Vec<Diagnostic>> {
    let query = parse(text).map_err(|d| vec![d])?;
    run_parsed(text, &query, scan, rules, Some(&Index::build(scan)))
}

/// [`run`] over `index`, built from `scan` with [`Index::build`] and kept with it (a different
/// scan is indexed anew).
pub fn run_indexed(
    text: &str,
    scan: &Scan,
    index: &Index,
    rules: &RuleSet,
) -> Result<Outcome, Vec<Diagnostic>> {
    if !index.fits(scan) {
        return run(text, scan, rules);
    }
    let query = parse(text).map_err(|d| vec![d])?;
    run_parsed(text, &query, scan, rules, Some(index))
}

/// [`run`] without an index: every condition tested of every submission and finding.
pub fn run_walk(text: &str, scan: &Scan, rules: &RuleSet) -> Result<Outcome, Vec<Diagnostic>> {
    let query = parse(text).map_err(|d| vec![d])?;
    run_parsed(text, &query, scan, rules, None)
}

fn run_parsed(
    text: &str,
    query: &ast::Query,
    scan: &Scan,
    rules: &RuleSet,
    index: Option<&Index>,
) -> Result<Outcome, Vec<Diagnostic>> {
    let plan = plan(text, query, scan, rules, index)?;
    let answer = eval(&plan, scan, rules, index).map_err(|r| vec![refused(text, &plan, r)])?;
    Ok(Outcome { plan, answer })
}

/// The diagnostic of a plan [`eval`] refused to answer.
fn refused(text: &str, plan: &Plan, r: eval::Refusal) -> Diagnostic {
    match r {
        eval::Refusal::TooWide(n) => Diagnostic::error(
            Code::E412,
            QUERY_FILE,
            format!(
                "a matrix of {n} submissions is too wide to read (at most {})",
                eval::MATRIX_MAX_COLUMNS
            ),
        )
        .at(text, plan.source_span.clone())
        .with_label("one column per submission")
        .with_help(
            "narrow it with `where` (a version and a vendor, `uses PROJECT`, `platform ~ TEXT`), \
             or ask `findings where ...` (one row per submission and project) or `adoption` (counts)",
        ),
    }
}

impl Outcome {
    /// The result in `format`: the table, or for `explain` the explanation.
    /// An empty aligned table says so under its header; the other formats
    /// stay machine-readable (`[]` in JSON, the header alone in CSV).
    pub fn render(&self, scan: &Scan, rules: &RuleSet, format: Format) -> String {
        if self.plan.explain {
            return explain::render(&self.plan, &self.answer, scan, rules, format);
        }
        let mut out = match format {
            Format::Table => self.answer.to_text(scan, rules),
            other => self.answer.table(scan, rules).render(other),
        };
        if format == Format::Table && self.answer.rows.is_empty() {
            out.push_str("(no rows)\n");
        }
        out
    }

    /// Like [`Outcome::render`] with at most `max` rows, and how many were left out.
    pub fn render_first(
        &self,
        scan: &Scan,
        rules: &RuleSet,
        format: Format,
        max: usize,
    ) -> (String, usize) {
        let hidden = self.answer.rows.len().saturating_sub(max);
        if hidden == 0 {
            return (self.render(scan, rules, format), 0);
        }
        let short = Outcome {
            plan: self.plan.clone(),
            answer: self.answer.first(max),
        };
        (short.render(scan, rules, format), hidden)
    }
}

/// Renders query diagnostics with miette against the query text.
pub fn render_errors(text: &str, diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| d.render(Some(text))).collect()
}

/// Example queries, shown by `.help` (and tested).
pub const EXAMPLES: &[&str] = &[
    "adoption where category = Scheduling and version >= 1.34",
    "adoption where vendor = NVIDIA order by stacks desc",
    "matrix where version = 1.35",
    "submissions where uses Kueue and not uses Volcano",
    "findings where project = \"NVIDIA DCGM Exporter\" and cell = M",
    "projects where category in (Networking, Observability)",
    "adoption where version >= 1.34 group by category",
    "top 5 adoption where version < 1.35",
    "submissions group by submission_vendor having count >= 2",
    "adoption where version >= 1.34 group by version",
    "adoption where category = Scheduling group by project, version order by project, version",
    "findings group by project, cell having count >= 5",
    "projects where category not in (Networking, Observability, Scheduling)",
    "submissions where uses (category = Accelerator and vendor != NVIDIA)",
    "findings where versions >= 25 and project ~ nvidia",
    "adoption where version = 1.35 and not named by (version = 1.34)",
    "adoption where version = 1.34 and not named by (version = 1.33)",
];
