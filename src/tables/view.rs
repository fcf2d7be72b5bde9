//! Views: the tables and findings of a scan shaped for output (terminal
//! tables, Markdown, CSV, and the stable JSON forms of the command contract).
//! Nothing here prints; the binary does.

use serde_json::{json, Value};

use crate::output::sink;
use crate::output::table::{Format, Table};
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::Cell;
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;
use crate::tables::Matrix;

/// The `scan --format json` object: submissions, findings, errors.
pub fn scan_json(scan: &Scan, rules: &RuleSet) -> Value {
    let submissions: Vec<Value> = scan
        .submissions
        .iter()
        .map(|s| json!({"id": s.id, "kubernetes_version": s.kubernetes_version, "platform": s.platform, "vendor": s.vendor, "files": s.files}))
        .collect();
    let findings: Vec<Value> = scan
        .findings
        .iter()
        .map(|f| {
            json!({
                "submission": scan.submission(f.submission).id,
                "project": rules.get(f.rule).name,
                "cell": f.cell.as_str(),
                "versions": f.versions,
                "negated": f.negated,
                "hedged": f.hedged,
                "mentions": f.mentions,
                "evidence": f.evidence,
            })
        })
        .collect();
    let errors: Vec<Value> = scan
        .diagnostics
        .iter()
        .map(|d| json!({"file": d.file, "line": d.line, "column": d.column, "code": d.code, "severity": d.severity, "message": d.message}))
        .collect();
    json!({"submissions": submissions, "findings": findings, "errors": errors})
}

/// A readable summary of a scan: per submission, the projects it names.
pub fn scan_summary(scan: &Scan, rules: &RuleSet) -> String {
    let mut t = Table::new(&["Submission", "Platform", "Vendor", "Projects"]);
    for id in scan.submission_ids() {
        let s = scan.submission(id);
        let names: Vec<String> = scan
            .findings
            .iter()
            .filter(|f| f.submission == id)
            .map(|f| {
                format!(
                    "{}{}",
                    rules.get(f.rule).name,
                    if f.cell == Cell::M {
                        format!(" {}", f.version_labels().join("/"))
                    } else {
                        String::new()
                    }
                )
            })
            .collect();
        t.push(vec![
            json!(s.id),
            json!(s.platform),
            json!(s.vendor),
            json!(names.join(", ")),
        ]);
    }
    let mut out = t.to_text();
    out.push_str(&format!(
        "\n{} submissions, {} findings, {} projects named, {} bytes scanned, {} problems\n",
        scan.submissions.len(),
        scan.findings.len(),
        {
            let mut r: Vec<RuleId> = scan.findings.iter().map(|f| f.rule).collect();
            r.sort();
            r.dedup();
            r.len()
        },
        scan.bytes,
        scan.diagnostics.len()
    ));
    out
}

/// The matrix as a table: `Project` then one column per submission (folder
/// name); with `marks`, negated and hedged cells are marked as in [`MATRIX_LEGEND`].
pub fn matrix_table(m: &Matrix, scan: &Scan, rules: &RuleSet, marks: bool) -> Table {
    let mut columns = vec!["Project".to_string()];
    columns.extend(m.submissions.iter().map(|&s| short_name(scan, s)));
    let mut t = Table {
        columns,
        rows: Vec::new(),
    };
    for (row, &rule) in m.projects.iter().enumerate() {
        let mut r = vec![json!(rules.get(rule).name)];
        r.extend(
            m.cells[row]
                .iter()
                .zip(&m.submissions)
                .map(|(c, &s)| json!(marked_cell(*c, scan.finding(s, rule).filter(|_| marks)))),
        );
        t.push(r);
    }
    t
}

/// A cell as the text and Markdown matrices show it: `(X)` when every
/// mention says the project is not used, `X?` when it is named only as an
/// example or a possibility (see [`MATRIX_LEGEND`]).
fn marked_cell(c: Cell, f: Option<&crate::scan::finding::Finding>) -> String {
    match f {
        Some(f) if c != Cell::None && f.negated => format!("({c})"),
        Some(f) if c != Cell::None && f.hedged => format!("{c}?"),
        _ => c.as_str().to_string(),
    }
}

/// The line under the text and Markdown matrices that says what a cell means.
pub const MATRIX_LEGEND: &str = "M named with a version, X named, - not named; (X) (M) every mention says it is not used, X? M? named only as an example or a possibility (matrix --uses leaves both out)";

/// All matrices in a format; JSON is one array of `{version, submissions, rows}`.
pub fn matrices_render(ms: &[Matrix], scan: &Scan, rules: &RuleSet, format: Format) -> String {
    if format == Format::Json {
        let v: Vec<Value> = ms
            .iter()
            .map(|m| {
                let rows: Vec<Value> = m
                    .projects
                    .iter()
                    .enumerate()
                    .map(|(i, &r)| json!({"project": rules.get(r).name, "cells": m.cells[i].iter().map(|c| c.as_str()).collect::<Vec<_>>()}))
                    .collect();
                json!({
                    "version": m.version,
                    "submissions": m.submissions.iter().map(|&s| scan.submission(s).id.clone()).collect::<Vec<_>>(),
                    "rows": rows,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for (i, m) in ms.iter().enumerate() {
        let t = matrix_table(m, scan, rules, format != Format::Csv);
        if format == Format::Csv {
            // One CSV with the version as first column.
            let mut c = Table {
                columns: std::iter::once("Version".to_string())
                    .chain(t.columns.clone())
                    .collect(),
                rows: Vec::new(),
            };
            for r in t.rows {
                c.push(std::iter::once(json!(m.version)).chain(r).collect());
            }
            out.push_str(&c.to_csv());
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        let heading = format!("{} Submissions ({})", m.version, m.submissions.len());
        match format {
            Format::Markdown => out.push_str(&format!("### {heading}\n\n{}", t.to_markdown())),
            _ => out.push_str(&format!("{heading}\n{}", t.to_text())),
        }
    }
    if matches!(format, Format::Markdown | Format::Table) && !ms.is_empty() {
        out.push_str(&format!("\n{MATRIX_LEGEND}\n"));
    }
    out
}

/// `explain PROJECT SUBMISSION`: the evidence, or why there is none.
pub fn explain(scan: &Scan, rules: &RuleSet, rule: RuleId, sub: SubmissionId) -> String {
    let r = rules.get(rule);
    let s = scan.submission(sub);
    let Some(f) = scan.finding(sub, rule) else {
        return format!(
            "{} / {}: -\nNo pattern of rule `{}` ({}) occurs in the vendor's words of {} ({} files).\n",
            r.name,
            s.id,
            r.id,
            describe_patterns(rules, rule),
            s.id,
            s.files.len()
        );
    };
    let mut out = format!(
        "{} / {}: {}{}{}\n",
        r.name,
        s.id,
        f.cell,
        if f.versions.is_empty() {
            String::new()
        } else {
            format!(" (versions {})", f.version_labels().join(", "))
        },
        if f.negated {
            " — every mention is negated"
        } else if f.hedged {
            " — named only as an example or a possibility (hedged)"
        } else {
            ""
        }
    );
    for e in &f.evidence {
        let (quote, cleaned) = sink::terminal_quote(&e.quote);
        out.push_str(&format!(
            "  {}:{}:{}{}{}{}\n    {}{}\n",
            sink::terminal(&e.file),
            e.line,
            e.column,
            e.field
                .as_ref()
                .map(|x| format!(" [{}]", sink::terminal(x)))
                .unwrap_or_default(),
            e.version
                .as_ref()
                .map(|v| {
                    format!(
                        " version {}",
                        sink::terminal(&e.version_kind.unwrap_or_default().label(v))
                    )
                })
                .unwrap_or_default(),
            match e.stance() {
                crate::scan::stance::Stance::Negated => " (negated)",
                crate::scan::stance::Stance::Hedged => " (hedged)",
                crate::scan::stance::Stance::Uses => "",
            },
            quote,
            if cleaned {
                "  (terminal escape codes removed)"
            } else {
                ""
            }
        ));
    }
    if f.mentions > f.evidence.len() {
        out.push_str(&format!(
            "  … and {} more mentions\n",
            f.mentions - f.evidence.len()
        ));
    }
    out
}

/// `name "Kueue", url "github.com/…"`: what a rule looks for.
pub fn describe_patterns(rules: &RuleSet, rule: RuleId) -> String {
    rules
        .get(rule)
        .patterns
        .iter()
        .map(|p| match &p.needle {
            crate::rules::Needle::Literal(s) => format!("{} {s:?}", p.kind.keyword()),
            crate::rules::Needle::Regex(s) => format!("{} /{s}/", p.kind.keyword()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rules as a table (JSON keys: id, name, category, cncf, repo, license, vendor, description).
pub fn rules_table(rules: &RuleSet) -> Table {
    let mut t = Table::new(&[
        "Id",
        "Name",
        "Category",
        "Cncf",
        "Repo",
        "License",
        "Vendor",
        "Description",
    ]);
    for r in &rules.rules {
        t.push(vec![
            json!(r.id),
            json!(r.name),
            json!(r.category.as_str()),
            json!(r.cncf.as_str()),
            json!(r.repo),
            json!(r.license),
            json!(r.vendor),
            json!(r.description),
        ]);
    }
    t
}

/// The folder name of a submission (`gardener` for `v1.34/gardener`).
pub fn short_name(scan: &Scan, s: SubmissionId) -> String {
    scan.submission(s)
        .id
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}
