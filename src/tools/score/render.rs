//! Renders a [`Score`]: a table of figures per project with the overall row
//! first, then every disagreement with the evidence on each side (text), or
//! the [`Score`] itself as JSON.

use super::{Disagreement, Figures, Score};
use crate::output::sink;
use crate::output::table::{CellValue, Table};

/// How `aiconf score` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ScoreFormat {
    /// The figures table, then the disagreements.
    #[default]
    Text,
    /// The [`Score`] as one JSON object.
    Json,
}

impl crate::output::Choice for ScoreFormat {
    const CHOICES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "text",
            ScoreFormat::Text,
            "The figures table, then the disagreements",
        ),
        ("json", ScoreFormat::Json, "The score as one JSON object"),
    ];
}

/// The score in `format`.
pub fn render(score: &Score, format: ScoreFormat) -> String {
    match format {
        ScoreFormat::Json => serde_json::to_string_pretty(score).unwrap_or_default() + "\n",
        ScoreFormat::Text => text(score),
    }
}

fn text(score: &Score) -> String {
    let mut out = format!(
        "{} labelled submissions ({}), {} projects\n\n",
        score.submissions,
        score.truth,
        score.projects.len()
    );
    out.push_str(&format!("overall: {}\n\n", summary(&score.overall)));
    let mut t = Table::new(&[
        "project",
        "labelled",
        "reported",
        "agreed",
        "precision",
        "recall",
        "M/X right",
        "versions right",
        "foreign versions",
    ]);
    t.push(row("(overall)", &score.overall));
    for p in &score.projects {
        t.push(row(&p.project, &p.figures));
    }
    out.push_str(&t.to_text());
    out.push_str(&format!("\n{} disagreements\n", score.disagreements.len()));
    for d in &score.disagreements {
        out.push_str(&disagreement(d));
    }
    out
}

/// `precision 0.987 (150/152), recall ...`: the overall figures on one line.
pub fn summary(f: &Figures) -> String {
    format!(
        "precision {} ({}/{}), recall {} ({}/{}), M/X right {} ({}/{}), versions right {} ({}/{}), foreign versions {}",
        ratio(f.precision),
        f.agreed,
        f.reported,
        ratio(f.recall),
        f.agreed,
        f.labelled,
        ratio(f.mx_right),
        f.cells_right,
        f.agreed,
        ratio(f.versions_right),
        f.versions_ok,
        f.versions_judged,
        f.foreign_versions
    )
}

fn row(name: &str, f: &Figures) -> Vec<CellValue> {
    vec![
        CellValue::from(name),
        CellValue::from(f.labelled),
        CellValue::from(f.reported),
        CellValue::from(f.agreed),
        CellValue::from(ratio(f.precision)),
        CellValue::from(ratio(f.recall)),
        CellValue::from(ratio(f.mx_right)),
        CellValue::from(ratio(f.versions_right)),
        CellValue::from(f.foreign_versions),
    ]
}

fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_string(), |r| format!("{r:.3}"))
}

fn cell(c: crate::scan::finding::Cell, versions: &[String]) -> String {
    if versions.is_empty() {
        c.as_str().to_string()
    } else {
        format!("{c} {}", versions.join(", "))
    }
}

fn disagreement(d: &Disagreement) -> String {
    let mut out = format!(
        "\n{} | {} | {}: label {}, engine {}",
        d.submission,
        d.project,
        d.kind.as_str(),
        cell(d.label_cell, &d.label_versions),
        cell(d.engine_cell, &d.engine_versions),
    );
    if !d.foreign_versions.is_empty() {
        out.push_str(&format!(
            " (not labelled: {})",
            d.foreign_versions.join(", ")
        ));
    }
    out.push('\n');
    for q in &d.label_quotes {
        out.push_str(&format!(
            "  label:  {}: {}\n",
            sink::terminal(&q.file),
            sink::terminal_quote(&q.quote).0
        ));
    }
    if let Some(e) = &d.engine_evidence {
        out.push_str(&format!(
            "  engine: {}:{}:{}: {}\n",
            sink::terminal(&e.file),
            e.line,
            e.column,
            sink::terminal_quote(&e.quote).0
        ));
    }
    out
}
