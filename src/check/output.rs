//! Renders a check [`Report`]: miette reports and a table of examples per
//! rule (text), one JSON object (json), or GitHub Actions workflow commands
//! (`::error file=...,line=...,col=...::message`) followed by the table.

use serde_json::json;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::table::Table;
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
        CheckFormat::Json => {
            serde_json::to_string_pretty(&json_value(report)).unwrap_or_default() + "\n"
        }
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

fn json_value(report: &Report) -> serde_json::Value {
    json!({
        "ok": !report.failed(false),
        "diagnostics": report.diagnostics,
        "rules": report.rules,
        "not_loaded": report.not_loaded,
        "summary": {
            "errors": report.errors(),
            "warnings": report.warnings(),
            "examples_passed": report.examples_passed(),
            "examples_failed": report.examples_failed(),
        },
    })
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

/// Examples passed and failed per rule (and the rules that did not load), with a total row.
pub fn examples_table(report: &Report) -> Table {
    examples_table_of(report, true)
}

/// [`examples_table`], with only the failing rules unless `all`.
fn examples_table_of(report: &Report, all: bool) -> Table {
    let mut t = Table::new(&["rule", "file", "examples", "passed", "failed"]);
    for r in report.rules.iter().filter(|r| all || r.failed > 0) {
        t.push(vec![
            json!(r.id),
            json!(r.file),
            json!(r.passed + r.failed),
            json!(r.passed),
            json!(r.failed),
        ]);
    }
    for n in &report.not_loaded {
        t.push(vec![
            json!(n.id),
            json!(format!("{}:{}", n.file, n.line)),
            json!("not loaded"),
            json!("-"),
            json!("-"),
        ]);
    }
    let (p, f) = (report.examples_passed(), report.examples_failed());
    t.push(vec![
        json!("total"),
        json!(plural(report.rules.len(), "rule", "rules")),
        json!(p + f),
        json!(p),
        json!(f),
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
