//! `explain QUERY`: how an answer was reached. The parsed query in canonical
//! form, how its condition was split (scope, projects, findings, counts)
//! with how many submissions and projects passed, then each result row with
//! the findings behind it (submission, file:line, quote). A document rendered as text
//! ([`crate::output::doc`]), or JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ast::{Direction, Rows};
use super::eval::{Answer, Behind};
use super::plan::{Part, Plan, SortKey};
use super::value::Val;
use crate::output::doc::{self, Block, Doc, Inline};
use crate::output::sink;
use crate::output::table::{cut, snake_case, CellValue, Format};
use crate::rules::{RuleId, RuleSet};
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;

/// Mentions of a finding, and findings of a row, listed before "… and N more".
pub const PER_ROW: usize = 10;

/// What the rows of each source are.
fn describe(source: Rows) -> &'static str {
    match source {
        Rows::Adoption => "one row per project: stacks = submissions in scope naming it, share = stacks / submissions in scope",
        Rows::Matrix => "one row per project named in scope, one column per submission in scope (M named with a version, X named, - not)",
        Rows::Findings => "one row per (submission, project) finding",
        Rows::Submissions => "one row per submission in scope",
        Rows::Projects => "one row per loaded rule",
    }
}

fn tests(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn order(plan: &Plan, scan: &Scan) -> String {
    if plan.order.is_empty() {
        return match (plan.source, plan.group.is_empty()) {
            (Rows::Adoption, _) => "most stacks first (default)".to_string(),
            (_, false) => "largest count first (default)".to_string(),
            (Rows::Matrix, _) => "projects by stacks in the whole corpus (default)".to_string(),
            (Rows::Projects, _) => "rule order (default)".to_string(),
            _ => "corpus order (default)".to_string(),
        };
    }
    plan.order
        .iter()
        .map(|(k, d)| {
            let name = match k {
                SortKey::Column(i) => plan.columns[*i].key(),
                SortKey::Submission(s) => scan.submissions[*s as usize].id.clone(),
            };
            if *d == Direction::Desc {
                format!("{name} desc")
            } else {
                name
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The explanation in `format` (JSON, or text for every other format).
pub fn render(
    plan: &Plan,
    answer: &Answer,
    scan: &Scan,
    rules: &RuleSet,
    format: Format,
) -> String {
    if format == Format::Json {
        let mut s =
            serde_json::to_string_pretty(&to_json(plan, answer, scan, rules)).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let options = doc::text::Options {
        key_width: 9,
        ..Default::default()
    };
    doc::text::text(&document(plan, answer, scan, rules), options)
}

/// The explanation as a document: how the query was read and split (`name value` lines), then
/// each row, numbered, with what stands behind it on lines of its own.
pub fn document(plan: &Plan, answer: &Answer, scan: &Scan, rules: &RuleSet) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Definitions(plan_lines(plan, answer, scan)));
    let at = answer.reader(scan, rules);
    for (i, row) in answer.rows.iter().enumerate() {
        let row = row.row(at);
        let cells: Vec<String> = row
            .cells
            .iter()
            .zip(&answer.columns)
            .map(|(c, column)| {
                match crate::output::table::QUOTE_COLUMNS.contains(&column.as_str()) {
                    true => sink::terminal_quote(&c.text()).0.into_owned(),
                    false => sink::terminal(&c.text()).into_owned(),
                }
            })
            .collect();
        let mut line = Inline::raw(format!("{}. {}", i + 1, cells.join(" | ")));
        for l in behind_lines(&row.behind, plan.source, scan, rules) {
            line.push(Inline::Break);
            line.push(Inline::Raw(l));
        }
        doc.paragraph(line);
    }
    doc
}

/// How the query was read and split, one `name value` line each, and the number of rows.
fn plan_lines(plan: &Plan, answer: &Answer, scan: &Scan) -> Vec<(String, Vec<Inline>)> {
    let mut out = Vec::new();
    let none = |s: String| if s.is_empty() { "-".to_string() } else { s };
    let mut line = |k: &str, v: String| out.push((k.to_string(), Inline::raw(v)));
    line("query", plan.canonical.clone());
    line("rows", describe(plan.source).to_string());
    if plan.source != Rows::Projects {
        line(
            "scope",
            format!(
                "{}  ({} of {} submissions)",
                none(tests(&plan.scope)),
                answer.in_scope,
                answer.submissions
            ),
        );
    }
    if plan.source != Rows::Submissions {
        line(
            "projects",
            format!(
                "{}  ({} of {} projects)",
                none(tests(&plan.projects)),
                answer.projects,
                answer.rules
            ),
        );
    }
    if matches!(plan.source, Rows::Adoption | Rows::Matrix | Rows::Findings) {
        line("findings", none(tests(&plan.findings)));
    }
    if plan.source == Rows::Adoption {
        line("counts", none(tests(&plan.having)));
    }
    if !plan.group.is_empty() {
        let names: Vec<&str> = plan.group.iter().map(|g| g.name()).collect();
        line("group by", names.join(", "));
    }
    if let Some(h) = &plan.rows {
        line("having", h.text.clone());
    }
    line("order", order(plan, scan));
    if let Some(n) = plan.limit {
        line("limit", format!("{n} (of {} rows)", answer.matched));
    }
    line(
        "result",
        format!(
            "{} row{}",
            answer.rows.len(),
            if answer.rows.len() == 1 { "" } else { "s" }
        ),
    );
    out
}

/// What stands behind a row, a line each (vendor text made inert for a terminal).
fn behind_lines(b: &Behind, source: Rows, scan: &Scan, rules: &RuleSet) -> Vec<String> {
    match b {
        Behind::Nothing => vec!["   from the corpus listing: no finding involved".to_string()],
        Behind::Rule(r) => {
            let rule = rules.get(*r);
            let file = rules
                .sources
                .get(rule.source.0 as usize)
                .map_or("?", |s| s.path.as_str());
            vec![format!("   from the rule `{}` in {file}", rule.id)]
        }
        Behind::Findings(pairs) if source == Rows::Findings => {
            let mut out = Vec::new();
            for &(s, r) in pairs {
                let Some(f) = scan.finding(s, r) else {
                    continue;
                };
                out.extend(f.evidence.iter().take(PER_ROW).map(evidence_line));
                if f.mentions > PER_ROW.min(f.evidence.len()) {
                    out.push(format!(
                        "   … and {} more mentions",
                        f.mentions - PER_ROW.min(f.evidence.len())
                    ));
                }
            }
            out
        }
        Behind::Findings(pairs) => {
            let mut out = Vec::new();
            for &(s, r) in pairs.iter().take(PER_ROW) {
                let Some(f) = scan.finding(s, r) else {
                    continue;
                };
                out.push(format!(
                    "   {} names {}: {}",
                    scan.submission(s).id,
                    rules.get(r).name,
                    f.cell
                ));
                out.extend(f.evidence.first().map(evidence_line));
            }
            if pairs.len() > PER_ROW {
                out.push(format!("   … and {} more findings", pairs.len() - PER_ROW));
            }
            out
        }
    }
}

fn evidence_line(e: &crate::scan::finding::Evidence) -> String {
    let (quote, cleaned) = sink::terminal_quote(&e.quote);
    format!(
        "     {}:{}{}{}  {}{}",
        sink::terminal(&e.file),
        e.line,
        e.field
            .as_ref()
            .map(|f| format!(" [{}]", sink::terminal(f)))
            .unwrap_or_default(),
        match e.stance() {
            crate::scan::stance::Stance::Negated => " (negated)",
            crate::scan::stance::Stance::Hedged => " (hedged)",
            crate::scan::stance::Stance::Uses => "",
        },
        cut(&quote, 100),
        if cleaned {
            "  (terminal escape codes removed)"
        } else {
            ""
        }
    )
}

/// `explain QUERY --format json`: how the answer was reached, one object (keys in alphabetical
/// order, as the contract has always had them).
#[derive(Serialize)]
pub struct ExplainJson<'a> {
    /// The `having` tests on counts.
    pub counts: Tests,
    /// The tests on findings.
    pub findings: Tests,
    pub group_by: Vec<&'static str>,
    /// The `having` condition on the result's rows.
    pub having: Option<String>,
    pub limit: Option<usize>,
    /// Rows before `top`/`limit`.
    pub matched: usize,
    pub order: String,
    pub projects: ProjectTests,
    /// The query in canonical form.
    pub query: &'a str,
    pub rows: Vec<RowJson>,
    pub scope: ScopeTests,
    pub source: &'static str,
}

/// Tests of one kind, as written.
#[derive(Serialize)]
pub struct Tests {
    pub tests: Vec<String>,
}

/// The project tests and how many projects passed them, of those loaded.
#[derive(Serialize)]
pub struct ProjectTests {
    pub of: usize,
    pub projects: usize,
    pub tests: Vec<String>,
}

/// The scope (submission) tests and how many submissions passed them, of the corpus's.
#[derive(Serialize)]
pub struct ScopeTests {
    pub of: usize,
    pub submissions: usize,
    pub tests: Vec<String>,
}

/// One result row and what stands behind it.
#[derive(Serialize)]
pub struct RowJson {
    pub behind: BehindJson,
    /// The row's cells by column (see [`crate::output::table::Table::json_rows`]).
    pub row: BTreeMap<String, CellValue>,
}

/// What stands behind a row: its findings, the rule (`projects` rows), or `null`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum BehindJson {
    Findings(Vec<FindingJson>),
    Rule {
        /// The rule file.
        file: Option<String>,
        rule: String,
    },
    Nothing,
}

/// One finding behind a row, with its first mention (`null`s when none is kept).
#[derive(Serialize)]
pub struct FindingJson {
    pub cell: &'static str,
    pub field: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub project: String,
    pub quote: Option<String>,
    pub submission: String,
}

/// The explanation as one JSON object.
pub fn to_json<'a>(
    plan: &'a Plan,
    answer: &'a Answer,
    scan: &Scan,
    rules: &RuleSet,
) -> ExplainJson<'a> {
    let keys: Vec<String> = answer.columns.iter().map(|c| snake_case(c)).collect();
    let at = answer.reader(scan, rules);
    let rows = answer
        .rows
        .iter()
        .map(|row| row.row(at))
        .map(|row| RowJson {
            behind: behind_json(&row.behind, scan, rules),
            row: keys
                .iter()
                .cloned()
                .zip(row.cells.iter().map(Val::cell))
                .collect(),
        })
        .collect();
    let texts = |parts: &[Part]| parts.iter().map(|p| p.text.clone()).collect::<Vec<_>>();
    ExplainJson {
        counts: Tests {
            tests: texts(&plan.having),
        },
        findings: Tests {
            tests: texts(&plan.findings),
        },
        group_by: plan.group.iter().map(|g| g.name()).collect(),
        having: plan.rows.as_ref().map(|h| h.text.clone()),
        limit: plan.limit,
        matched: answer.matched,
        order: order(plan, scan),
        projects: ProjectTests {
            of: answer.rules,
            projects: answer.projects,
            tests: texts(&plan.projects),
        },
        query: &plan.canonical,
        rows,
        scope: ScopeTests {
            of: answer.submissions,
            submissions: answer.in_scope,
            tests: texts(&plan.scope),
        },
        source: plan.source.as_str(),
    }
}

/// What stands behind a row, as JSON.
fn behind_json(b: &Behind, scan: &Scan, rules: &RuleSet) -> BehindJson {
    match b {
        Behind::Findings(pairs) => BehindJson::Findings(
            pairs
                .iter()
                .filter_map(|&(s, r)| finding_json(scan, rules, s, r))
                .collect(),
        ),
        Behind::Rule(r) => {
            let rule = rules.get(*r);
            BehindJson::Rule {
                file: rules
                    .sources
                    .get(rule.source.0 as usize)
                    .map(|s| s.path.clone()),
                rule: rule.id.clone(),
            }
        }
        Behind::Nothing => BehindJson::Nothing,
    }
}

fn finding_json(scan: &Scan, rules: &RuleSet, s: SubmissionId, r: RuleId) -> Option<FindingJson> {
    let f = scan.finding(s, r)?;
    let e = f.evidence.first();
    Some(FindingJson {
        cell: f.cell.as_str(),
        field: e.and_then(|e| e.field.clone()),
        file: e.map(|e| e.file.clone()),
        line: e.map(|e| e.line),
        project: rules.get(r).name.clone(),
        quote: e.map(|e| e.quote.clone()),
        submission: scan.submission(s).id.clone(),
    })
}
