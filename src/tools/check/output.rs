//! Renders a check [`Report`]: miette reports and a table of examples per
//! rule (text), one JSON object (json), or GitHub Actions workflow commands
//! (`::error file=...,line=...,col=...::message`) followed by the table.

use serde::Serialize;

use super::Report;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::output::table::{CellValue, Table};
use crate::rules::RuleSet;

/// How `aiconf check` prints its report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CheckFormat {
    /// miette reports with the rule file's lines, then the examples table.
    #[default]
    Text,
    /// One JSON object: diagnostics, rules, summary.
    Json,
    /// GitHub Actions annotations (`::error file=...,line=...,col=...::`), then the table.
    Github,
}

impl crate::output::Choice for CheckFormat {
    const CHOICES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "text",
            CheckFormat::Text,
            "miette reports with the rule file's lines, then the examples table",
        ),
        (
            "json",
            CheckFormat::Json,
            "One JSON object: diagnostics, rules, summary",
        ),
        (
            "github",
            CheckFormat::Github,
            "GitHub Actions annotations (`::error file=...,line=...,col=...::`), then the table",
        ),
    ];
}

/// The whole report in `format`, the examples table shortened to the rules
/// that failed (see [`render_with`]).
pub fn render(report: &Report, set: &RuleSet, format: CheckFormat) -> String {
    render_with(report, set, format, false)
}

/// The whole report in `format`. Text and GitHub print the examples table
/// first (every rule when `verbose`, else only the rules with a failed
/// example or that did not load), then the diagnostics, then one summary
/// line, so the errors are what is left on the screen.
pub fn render_with(report: &Report, set: &RuleSet, format: CheckFormat, verbose: bool) -> String {
    match format {
        CheckFormat::Text => {
            let mut out = table_part(report, verbose);
            for d in &report.diagnostics {
                out.push('\n');
                out.push_str(&d.render(set.source_text(&d.file)));
            }
            out.push_str(&summary(report));
            out
        }
        CheckFormat::Json => serde_json::to_string_pretty(&json(report)).unwrap_or_default() + "\n",
        CheckFormat::Github => {
            let mut out = table_part(report, verbose);
            out.push('\n');
            for d in &report.diagnostics {
                out.push_str(&annotation(d));
                out.push('\n');
            }
            out.push_str(&summary(report));
            out
        }
    }
}

/// The examples table and, when rows were left out, a line saying so.
fn table_part(report: &Report, verbose: bool) -> String {
    let mut out = examples_table_of(report, verbose).to_text();
    let hidden = report
        .rules
        .iter()
        .filter(|r| !verbose && r.failed == 0)
        .count();
    if hidden > 0 {
        out.push_str(&format!(
            "({} whose examples all pass not shown; --verbose lists every rule)\n",
            plural(hidden, "rule", "rules")
        ));
    }
    out
}

/// `check --format json`: one object (every object's keys in alphabetical order, as the contract
/// has always had them).
#[derive(Serialize)]
pub struct CheckJson<'a> {
    pub diagnostics: Vec<DiagnosticJson<'a>>,
    pub not_loaded: Vec<NotLoadedJson<'a>>,
    /// No error, and every example passed.
    pub ok: bool,
    pub rules: Vec<RuleJson<'a>>,
    pub summary: SummaryJson,
}

/// One diagnostic, with its label and help when it has them.
#[derive(Serialize)]
pub struct DiagnosticJson<'a> {
    pub code: Code,
    pub column: usize,
    pub file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'a str>,
    pub line: usize,
    pub message: &'a str,
    pub severity: Severity,
}

/// The examples of one loaded rule, passed and failed.
#[derive(Serialize)]
pub struct RuleJson<'a> {
    pub failed: usize,
    pub file: &'a str,
    pub id: &'a str,
    pub name: &'a str,
    pub passed: usize,
}

/// A `project` block that did not load.
#[derive(Serialize)]
pub struct NotLoadedJson<'a> {
    pub file: &'a str,
    pub id: &'a str,
    pub line: usize,
    pub previous_kept: bool,
}

/// The counts of the summary line.
#[derive(Serialize)]
pub struct SummaryJson {
    pub errors: usize,
    pub examples_failed: usize,
    pub examples_passed: usize,
    pub warnings: usize,
}

/// The report as its JSON object.
pub fn json(report: &Report) -> CheckJson<'_> {
    CheckJson {
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| DiagnosticJson {
                code: d.code,
                column: d.column,
                file: &d.file,
                help: d.help.as_deref(),
                label: d.label.as_deref(),
                line: d.line,
                message: &d.message,
                severity: d.severity,
            })
            .collect(),
        not_loaded: report
            .not_loaded
            .iter()
            .map(|n| NotLoadedJson {
                file: &n.file,
                id: &n.id,
                line: n.line,
                previous_kept: n.previous_kept,
            })
            .collect(),
        ok: !report.failed(false),
        rules: report
            .rules
            .iter()
            .map(|r| RuleJson {
                failed: r.failed,
                file: &r.file,
                id: &r.id,
                name: &r.name,
                passed: r.passed,
            })
            .collect(),
        summary: SummaryJson {
            errors: report.errors(),
            examples_failed: report.examples_failed(),
            examples_passed: report.examples_passed(),
            warnings: report.warnings(),
        },
    }
}

/// One workflow command: `::error file=F,line=L,col=C,title=E011::message`.
pub fn annotation(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = vec![format!("file={}", escape_property(&d.file))];
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        props.push(format!("col={}", d.column.max(1)));
    }
    props.push(format!("title={}", d.code));
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

/// Workflow-command data escaping (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command property escaping (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Examples passed and failed per rule (and the rules that did not load), with a total row;
/// only the failing rules unless `all`.
fn examples_table_of(report: &Report, all: bool) -> Table {
    let mut t = Table::new(&["rule", "file", "examples", "passed", "failed"]);
    for r in report.rules.iter().filter(|r| all || r.failed > 0) {
        t.push(vec![
            CellValue::from(&r.id),
            CellValue::from(&r.file),
            CellValue::from(r.passed + r.failed),
            CellValue::from(&r.passed),
            CellValue::from(&r.failed),
        ]);
    }
    for n in &report.not_loaded {
        t.push(vec![
            CellValue::from(&n.id),
            CellValue::from(format!("{}:{}", n.file, n.line)),
            CellValue::from("not loaded"),
            CellValue::from("-"),
            CellValue::from("-"),
        ]);
    }
    let (p, f) = (report.examples_passed(), report.examples_failed());
    t.push(vec![
        CellValue::from("total"),
        CellValue::from(plural(report.rules.len(), "rule", "rules")),
        CellValue::from(p + f),
        CellValue::from(&p),
        CellValue::from(&f),
    ]);
    t
}

fn summary(report: &Report) -> String {
    let verdict = if report.failed(false) { "FAILED" } else { "ok" };
    let not_loaded = match report.not_loaded.len() {
        0 => String::new(),
        n => format!("; {} not loaded", plural(n, "rule", "rules")),
    };
    format!(
        "\ncheck {verdict}: {}, {}; {} passed, {} failed{not_loaded}\n",
        plural(report.errors(), "error", "errors"),
        plural(report.warnings(), "warning", "warnings"),
        plural(report.examples_passed(), "example", "examples"),
        report.examples_failed()
    )
}

/// `1 error`, `2 errors`, `0 errors`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn annotations_escape_and_place() {
        let d = Diagnostic::error(Code::E011, "rules/a,b.rule", "100% bad\nreally")
            .at_line(3, 7)
            .with_help("fix");
        assert_eq!(annotation(&d), "::error file=rules/a%2Cb.rule,line=3,col=7,title=E011::100%25 bad%0Areally%0Ahelp: fix");
        let w = Diagnostic::warning(Code::W012, "x.rule", "no example");
        assert_eq!(
            annotation(&w),
            "::warning file=x.rule,title=W012::no example"
        );
    }
}
