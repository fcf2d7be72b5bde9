//! The reconciliation as a document ([`crate::output::doc`]: text with aligned tables, or
//! Markdown) for people, the stable JSON object for CI. Nothing here prints.

use super::{Kind, Reconciliation};
use crate::output::doc::{self, Block, Doc, Inline};
use crate::output::table::{CellValue, Format, Table};

/// Renders in `format` (`csv` is read as `table`).
pub fn render(r: &Reconciliation, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(r).unwrap_or_default() + "\n",
        Format::Markdown => doc::markdown::markdown(
            &document(r, false),
            doc::markdown::Options {
                trailing_blank_line: true,
            },
        ),
        _ => doc::text::text(
            &document(r, true),
            doc::text::Options {
                underline_level: Some(2),
                trailing_blank_line: true,
                ..Default::default()
            },
        ),
    }
}

/// The reconciliation as a document: a title, then a section per part. For a `terminal` the
/// disagreeing cells are blocks of lines rather than a table of eight columns.
pub fn document(r: &Reconciliation, terminal: bool) -> Doc {
    let mut doc = Doc::default();
    doc.heading(
        1,
        format!("Reconciliation of {} with the engine", r.published),
    );
    let sections = [
        cells(r, terminal),
        summary(r),
        self_inconsistencies(r),
        nvidia_projects(r),
        nvidia_usage(r),
        reference(r),
        numbers(r),
    ];
    for s in sections {
        s.add_to(&mut doc);
    }
    doc
}

/// One part of the reconciliation: a heading, a paragraph, and a block (a table unless it has no
/// rows).
struct Section {
    title: &'static str,
    intro: String,
    block: Option<Block>,
}

impl Section {
    fn add_to(self, doc: &mut Doc) {
        doc.heading(2, self.title);
        doc.paragraph(Inline::raw(self.intro));
        match self.block {
            Some(Block::Table(t)) if t.rows.is_empty() => {}
            Some(b) => doc.push(b),
            None => {}
        }
    }
}

/// The matrix cells: the counts, then the disagreements (a table in Markdown, blocks for a terminal).
fn cells(r: &Reconciliation, terminal: bool) -> Section {
    let c = &r.cells;
    let kinds: Vec<String> = c
        .by_kind
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    let intro = format!(
        "{} compared, {} agreed, {} disagreed{}.",
        c.compared,
        c.agreed,
        c.disagreed,
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        }
    );
    Section {
        title: "Matrix cells",
        intro,
        block: Some(match terminal {
            true => Block::Code {
                language: "",
                text: disagreement_blocks(r).trim_end().to_string(),
            },
            false => Block::Table(disagreements(r)),
        }),
    }
}

/// The adoption summary rows that differ from the engine.
fn summary(r: &Reconciliation) -> Section {
    let differing: Vec<_> = r.summary.iter().filter(|s| !s.agrees).collect();
    let mut t = Table::new(&[
        "#",
        "Project",
        "Stacks",
        "Matrix",
        "Engine",
        "%",
        "Engine %",
        "CNCF",
        "Rule CNCF",
        "Category",
        "Rule category",
    ]);
    for s in &differing {
        t.push(vec![
            CellValue::from(s.published_rank),
            CellValue::from(&s.project),
            CellValue::from(s.published_stacks),
            CellValue::from(&s.published_matrix_stacks),
            CellValue::from(s.engine_stacks),
            CellValue::from(s.published_percent),
            CellValue::from(s.engine_percent),
            CellValue::from(s.published_cncf.clone()),
            CellValue::from(s.rule_cncf.clone()),
            CellValue::from(s.published_category.clone()),
            CellValue::from(s.rule_category.clone()),
        ]);
    }
    Section {
        title: "Adoption summary",
        intro: format!(
            "{} rows, {} agree with the engine (stacks, %, CNCF status, category); the {} others below. \
             `Matrix` is the count in the published matrix itself; an empty published cell is a project the summary lacks.",
            r.summary.len(),
            r.summary.len() - differing.len(),
            differing.len()
        ),
        block: Some(Block::Table(t)),
    }
}

/// Published summary rows against their own matrix.
fn self_inconsistencies(r: &Reconciliation) -> Section {
    let mut t = Table::new(&["Project", "Published stacks", "Published matrix stacks"]);
    for s in &r.summary_self_inconsistencies {
        t.push(vec![
            CellValue::from(&s.project),
            CellValue::from(&s.published_stacks),
            CellValue::from(&s.published_matrix_stacks),
        ]);
    }
    Section {
        title: "Published summary against its own matrix",
        intro: format!(
            "{} summary rows contradict the published matrix.",
            r.summary_self_inconsistencies.len()
        ),
        block: Some(Block::Table(t)),
    }
}

/// The NVIDIA project adoption rows.
fn nvidia_projects(r: &Reconciliation) -> Section {
    let mut t = Table::new(&[
        "Project",
        "Stacks",
        "Matrix",
        "Engine",
        "Published versions",
        "Engine versions",
    ]);
    for p in &r.nvidia.projects {
        t.push(vec![
            CellValue::from(&p.project),
            CellValue::from(&p.published_stacks),
            CellValue::from(&p.published_matrix_stacks),
            CellValue::from(p.engine_stacks),
            CellValue::from(p.published_versions.join(", ")),
            CellValue::from(p.engine_versions.join(", ")),
        ]);
    }
    let agreeing = r.nvidia.projects.iter().filter(|p| p.agrees).count();
    Section {
        title: "NVIDIA projects",
        intro: format!(
            "{} of {} rows agree with the engine (stacks and number of versions).",
            agreeing,
            r.nvidia.projects.len()
        ),
        block: Some(Block::Table(t)),
    }
}

/// The NVIDIA usage-by-submission cells where the table, its matrix or the engine differ.
fn nvidia_usage(r: &Reconciliation) -> Section {
    let mut t = Table::new(&[
        "Version",
        "Submission",
        "Project",
        "Published",
        "Published matrix",
        "Engine",
    ]);
    for u in &r.nvidia.usage_disagreements {
        t.push(vec![
            CellValue::from(&u.version),
            CellValue::from(&u.submission),
            CellValue::from(&u.project),
            CellValue::from(u.published.as_str()),
            CellValue::from(u.published_matrix.as_str()),
            CellValue::from(u.engine.as_str()),
        ]);
    }
    Section {
        title: "NVIDIA usage by submission",
        intro: format!(
            "{} cells compared, {} agree with the engine (used or not); cells where the table, its own matrix or the engine differ:",
            r.nvidia.usage_compared, r.nvidia.usage_agreed
        ),
        block: Some(Block::Table(t)),
    }
}

/// Project reference rows that differ from their rule.
fn reference(r: &Reconciliation) -> Section {
    let mut t = Table::new(&[
        "Project",
        "Rule",
        "Repo",
        "Rule repo",
        "License",
        "Rule license",
        "CNCF",
        "Rule CNCF",
    ]);
    for x in &r.reference {
        t.push(vec![
            CellValue::from(&x.project),
            CellValue::from(x.rule.clone()),
            CellValue::from(&x.published_repo),
            CellValue::from(x.rule_repo.clone()),
            CellValue::from(&x.published_license),
            CellValue::from(x.rule_license.clone()),
            CellValue::from(&x.published_cncf),
            CellValue::from(x.rule_cncf.clone()),
        ]);
    }
    Section {
        title: "Project reference",
        intro: format!(
            "{} reference rows differ from their rule (repository, licence or CNCF status) or have no rule.",
            r.reference.len()
        ),
        block: Some(Block::Table(t)),
    }
}

/// The key findings and inventory, number by number.
fn numbers(r: &Reconciliation) -> Section {
    let mut t = Table::new(&["Number", "Published", "Engine", "Agrees"]);
    for n in &r.numbers {
        t.push(vec![
            CellValue::from(&n.name),
            CellValue::from(n.published.text()),
            CellValue::from(n.engine.text()),
            CellValue::from(if n.agrees { "yes" } else { "NO" }),
        ]);
    }
    let wrong = r.numbers.iter().filter(|n| !n.agrees).count();
    Section {
        title: "Key findings and inventory",
        intro: format!(
            "{} of {} numbers agree.",
            r.numbers.len() - wrong,
            r.numbers.len()
        ),
        block: Some(Block::Table(t)),
    }
}

/// The disagreements table; evidence as `file:line quote`, `; `-separated.
/// For a terminal: one block per disagreement, its reason and evidence on lines of their own.
fn disagreement_blocks(r: &Reconciliation) -> String {
    let mut out = String::new();
    for d in &r.cells.disagreements {
        out.push_str(&format!(
            "{} {} / {}: published {}, engine {} [{}]\n  {}\n",
            d.version,
            d.submission,
            d.project,
            d.published,
            d.engine,
            d.kind.as_str(),
            crate::output::sink::terminal(&d.reason)
        ));
        for e in evidence_lines(d) {
            out.push_str(&format!(
                "    {}\n",
                crate::output::sink::terminal_quote(&e).0
            ));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Evidence as `file:line quote` (the vendor's words) or `file:line (location)` (template text).
fn evidence_lines(d: &super::Disagreement) -> Vec<String> {
    d.evidence.iter().map(|e| e.line()).collect()
}

fn disagreements(r: &Reconciliation) -> Table {
    let mut t = Table::new(&[
        "Version",
        "Submission",
        "Project",
        "Published",
        "Engine",
        "Kind",
        "Reason",
        "Evidence",
    ]);
    for d in &r.cells.disagreements {
        let evidence = evidence_lines(d);
        t.push(vec![
            CellValue::from(&d.version),
            CellValue::from(&d.submission),
            CellValue::from(&d.project),
            CellValue::from(d.published.as_str()),
            CellValue::from(d.engine.as_str()),
            CellValue::from(kind(d.kind)),
            CellValue::from(&d.reason),
            CellValue::from(evidence.join("; ")),
        ]);
    }
    t
}

fn kind(k: Kind) -> &'static str {
    k.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Reconciliation {
        Reconciliation {
            published: "p.txt".into(),
            cells: Default::default(),
            summary: Vec::new(),
            summary_self_inconsistencies: Vec::new(),
            nvidia: Default::default(),
            reference: Vec::new(),
            numbers: Vec::new(),
        }
    }

    /// The layouts reconcile has always printed: underlined sections, the (empty) block of
    /// disagreeing cells still followed by its blank lines, and a blank line at the end.
    #[test]
    fn text_and_markdown_keep_their_layout() {
        let text = render(&empty(), Format::Table);
        assert!(
            text.starts_with(
                "Reconciliation of p.txt with the engine\n\nMatrix cells\n============\n\
                 0 compared, 0 agreed, 0 disagreed.\n\n\n\nAdoption summary\n================\n0 rows"
            ),
            "{text}"
        );
        assert!(text.ends_with("\n0 of 0 numbers agree.\n\n"), "{text}");
        let md = render(&empty(), Format::Markdown);
        assert!(
            md.starts_with(
                "# Reconciliation of p.txt with the engine\n\n## Matrix cells\n\n\
                 0 compared, 0 agreed, 0 disagreed.\n\n## Adoption summary\n\n0 rows"
            ),
            "{md}"
        );
        assert!(md.ends_with("\n\n0 of 0 numbers agree.\n\n"), "{md}");
    }
}
