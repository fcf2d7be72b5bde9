//! The sections of the report, in the published document's order: the conformance requirements,
//! the matrices (with each cell's evidence and a chart per version), the adoption summary, the
//! project reference, the NVIDIA tables, the key findings, the inventory and how to detect deltas.
//! Each appends its headings, paragraphs, tables and charts to the [`Doc`].

use super::{
    evidence, plural, Block, Checklist, Doc, Matrix as MatrixBlock, Meta, Revision, Write,
};
use crate::output::chart::BarChart;
use crate::output::doc::Inline;
use crate::output::table::{CellValue, Table};
use crate::rules::RuleSet;
use crate::scan::finding::Cell;
use crate::scan::Scan;
use crate::tables::analysis::{Analysis, Vendor};
use crate::tables::view;
use crate::tables::{self, Matrix, Mentions};

pub(super) fn requirements(d: &mut Doc, c: &Checklist) {
    if c.requirements.is_empty() {
        return;
    }
    d.h2("Conformance requirements");
    d.para(format!(
        "The checklist of each Kubernetes version (`docs/AIConformance-*.yaml`): {} requirements in {} sections.",
        c.requirements.len(),
        c.sections().len()
    ));
    let mut cols = vec!["Section".to_string(), "Requirement".to_string()];
    cols.extend(c.versions.iter().cloned());
    let mut t = Table {
        columns: cols,
        rows: Vec::new(),
    };
    for r in &c.requirements {
        let mut row = vec![CellValue::from(&r.section), CellValue::from(&r.id)];
        row.extend(
            r.levels
                .iter()
                .map(|l| CellValue::from(l.as_deref().unwrap_or("-"))),
        );
        t.push(row);
    }
    d.table(t);
}

pub(super) fn matrices(
    d: &mut Doc,
    a: &Analysis,
    scan: &Scan,
    rules: &RuleSet,
    revision: Option<&Revision>,
) {
    d.h2("Project-by-submission matrix");
    d.para(format!("Which open-source projects each of the {} AI-conformant stacks names, per Kubernetes version.", a.total));
    d.items(vec![
        format!("`{}` = named with a version", Cell::M),
        format!("`{}` = named, no version given", Cell::X),
        format!("`{}` = not named", Cell::NotNamed),
    ]);
    for m in &a.matrices {
        let blocks = vec![
            Block::Heading(
                3,
                Inline::raw(format!(
                    "{} Submissions ({})",
                    m.version,
                    m.submissions.len()
                )),
            ),
            Block::Extension(MatrixBlock {
                table: view::matrix_table(m, scan, rules, false),
                evidence: evidence::MatrixEvidence::of(m, scan, rules, revision),
            }),
            Block::Chart(version_chart(m, rules)),
        ];
        d.blocks.push(Block::Section {
            attributes: vec![
                ("class", "matrix".into()),
                ("data-version", m.version.clone()),
            ],
            blocks,
        });
    }
    d.blocks.push(Block::Chart(BarChart {
        title: "Submissions per Kubernetes version".into(),
        max: a
            .versions
            .iter()
            .map(|v| v.submissions.len())
            .max()
            .unwrap_or(0) as f64,
        bars: a
            .versions
            .iter()
            .map(|v| {
                (
                    v.version.clone(),
                    v.submissions.len() as f64,
                    v.submissions.len().to_string(),
                )
            })
            .collect(),
    }));
}

/// Adoption within one version: stacks of that version naming each project, most first.
pub(super) fn version_chart(m: &Matrix, rules: &RuleSet) -> BarChart {
    let n = m.submissions.len();
    let mut bars: Vec<(String, f64, String)> = m
        .projects
        .iter()
        .zip(&m.cells)
        .map(|(&rule, row)| {
            let stacks = row.iter().filter(|c| **c != Cell::NotNamed).count();
            let text = format!(
                "{stacks} ({}%)",
                crate::tables::analysis::percent(stacks, n)
            );
            (rules.get(rule).name.clone(), stacks as f64, text)
        })
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    BarChart {
        title: format!("Adoption in {} (stacks of {n})", m.version),
        max: n as f64,
        bars,
    }
}

pub(super) fn summary(d: &mut Doc, a: &Analysis, rules: &RuleSet) {
    let n = a.total;
    d.h2("Open source project adoption summary");
    d.para(match a.mentions {
        Mentions::All => format!(
            "Stacks naming each project across all {n} submissions, ranked by the Named by column (every mention counts, as in the published analysis). \
             Used by leaves out the submissions whose every mention says the project is absent (\"does not bundle a cluster-autoscaler\") or names it only as an example or a possibility; `aiconf report --uses` ranks by it."
        ),
        Mentions::Uses => format!(
            "Stacks using each project across all {n} submissions, ranked by the Used by column: a submission whose every mention of a project says it is absent, or names it only as an example or a possibility, does not count for it (`--uses`). \
             Named by counts every mention, as the published analysis does."
        ),
    });
    let mut t = Table::new(&[
        "#",
        "Project",
        &format!("Stacks (of {n})"),
        "%",
        "Named by",
        "Used by",
        "CNCF Status",
        "Category",
    ]);
    for row in &a.adoption {
        let r = rules.get(row.rule);
        t.push(vec![
            CellValue::from(&row.rank),
            CellValue::from(&r.name),
            CellValue::from(format!("{} / {n}", row.stacks)),
            CellValue::from(format!("{}%", row.percent)),
            CellValue::from(&row.named),
            CellValue::from(&row.used),
            CellValue::from(r.cncf.as_str()),
            CellValue::from(r.category.as_str()),
        ]);
    }
    d.table(t);
    d.blocks.push(Block::Chart(BarChart {
        title: format!("Adoption by project (stacks of {n})"),
        max: n as f64,
        bars: a
            .adoption
            .iter()
            .map(|row| {
                (
                    rules.get(row.rule).name.clone(),
                    row.stacks as f64,
                    format!("{} ({}%)", row.stacks, row.percent),
                )
            })
            .collect(),
    }));
    categories(d, a);
}

/// Stacks naming at least one project of each category: a table and its chart.
fn categories(d: &mut Doc, a: &Analysis) {
    let n = a.total;
    d.h3("Adoption by category");
    d.para("Stacks naming at least one project of the category:");
    let mut t = Table::new(&["Category", &format!("Stacks (of {n})"), "%"]);
    for c in &a.categories {
        t.push(vec![
            CellValue::from(c.category.as_str()),
            CellValue::from(&c.stacks),
            CellValue::from(format!("{}%", c.percent)),
        ]);
    }
    d.table(t);
    d.blocks.push(Block::Chart(BarChart {
        title: format!("Adoption by category (stacks of {n})"),
        max: n as f64,
        bars: a
            .categories
            .iter()
            .map(|c| {
                (
                    c.category.as_str().to_string(),
                    c.stacks as f64,
                    format!("{} ({}%)", c.stacks, c.percent),
                )
            })
            .collect(),
    }));
}

pub(super) fn reference(d: &mut Doc, scan: &Scan, rules: &RuleSet) {
    d.h2("Open source project reference");
    d.para(format!(
        "The {} the rules know, most named first.",
        plural(rules.rules.len(), "project")
    ));
    let mut t = Table::new(&[
        "Project",
        "GitHub Repo",
        "License",
        "CNCF Status",
        "Category",
        "Description",
    ]);
    for id in tables::project_order(scan, rules, Mentions::All) {
        let r = rules.get(id);
        t.push(vec![
            CellValue::from(&r.name),
            CellValue::from(&r.repo),
            CellValue::from(&r.license),
            CellValue::from(r.cncf.as_str()),
            CellValue::from(r.category.as_str()),
            CellValue::from(&r.description),
        ]);
    }
    d.table(t);
}

pub(super) fn nvidia(d: &mut Doc, a: &Analysis, scan: &Scan, rules: &RuleSet) {
    let n = a.total;
    d.h2("NVIDIA ecosystem summary");
    let using = a.nvidia_usage.iter().filter(|u| u.used > 0).count();
    d.para(format!(
        "{} of the rules are NVIDIA's (rule vendor NVIDIA), {} of them named by some submission. \
         {using} of {n} submissions ({}%) name at least one of them; {} name none.",
        plural(a.nvidia_rules, "project"),
        a.nvidia.len(),
        crate::tables::analysis::percent(using, n),
        n - using
    ));
    d.h3(format!("NVIDIA project adoption across all {n} stacks"));
    let mut t = Table::new(&[
        "NVIDIA Project",
        "GitHub Repo",
        &format!("Stacks (of {n})"),
        &format!("% of {n}"),
        "Versions Observed",
    ]);
    for row in &a.nvidia {
        let r = rules.get(row.rule);
        let versions: Vec<String> = row
            .versions
            .iter()
            .map(|(v, s)| format!("{v} ({})", scan.submission(*s).id))
            .collect();
        let versions = if versions.is_empty() {
            "(no version named)".to_string()
        } else {
            versions.join(", ")
        };
        t.push(vec![
            CellValue::from(&r.name),
            CellValue::from(&r.repo),
            CellValue::from(&row.stacks),
            CellValue::from(format!("{}%", row.percent)),
            CellValue::from(&versions),
        ]);
    }
    d.table(t);
    nvidia_usage(d, a, scan, rules);
}

/// Which NVIDIA projects each submission names, a column per project.
fn nvidia_usage(d: &mut Doc, a: &Analysis, scan: &Scan, rules: &RuleSet) {
    d.h3("NVIDIA project usage by submission");
    let mut cols = vec!["Submission".to_string(), "Version".to_string()];
    cols.extend(a.nvidia.iter().map(|row| {
        rules
            .get(row.rule)
            .name
            .trim_start_matches("NVIDIA ")
            .to_string()
    }));
    cols.push("NVIDIA Projects Used".to_string());
    let mut t = Table {
        columns: cols,
        rows: Vec::new(),
    };
    for u in &a.nvidia_usage {
        let s = scan.submission(u.submission);
        let mut row = vec![
            CellValue::from(view::short_name(scan, u.submission)),
            CellValue::from(&s.kubernetes_version),
        ];
        row.extend(u.cells.iter().map(|c| CellValue::from(c.as_str())));
        row.push(CellValue::from(&u.used));
        t.push(row);
    }
    d.table(t);
}

pub(super) fn key_findings(d: &mut Doc, a: &Analysis, scan: &Scan, rules: &RuleSet) {
    d.h2("Key findings");
    market_participation(d, a, scan);
    leaders(d, a, rules);
    other_accelerators(d, a, scan, rules);
}

/// Submissions, vendors and versions, and the vendors table.
fn market_participation(d: &mut Doc, a: &Analysis, scan: &Scan) {
    d.h3("Market participation");
    let multi = a.multi_version_vendors();
    let mut items = vec![format!(
        "{} submissions from {} distinct vendors across {} Kubernetes versions",
        a.total,
        a.vendors.len(),
        a.versions.len()
    )];
    items.extend(
        a.versions
            .iter()
            .map(|v| format!("{}: {} submissions", v.version, v.submissions.len())),
    );
    if let Some(most) = a.versions.iter().max_by_key(|v| v.submissions.len()) {
        items.push(format!(
            "{} has the most submissions ({})",
            most.version,
            most.submissions.len()
        ));
    }
    items.push(format!(
        "{} vendors submitted for several versions: {}",
        multi.len(),
        multi
            .iter()
            .map(|v| format!("{} ({})", v.name, v.versions.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    d.items(items);
    d.para(
        "Vendors are counted by `metadata.vendorName`, compared lowercase with punctuation read as spaces, \
         parenthesised parts and legal forms (Inc, Ltd, LLC, GmbH, Corp, ...) dropped; a submission without a vendor name counts as its own vendor.",
    );
    let mut t = Table::new(&["Vendor", "Submissions", "Versions"]);
    for v in &a.vendors {
        t.push(vec![
            CellValue::from(&v.name),
            CellValue::from(submission_ids(scan, v)),
            CellValue::from(v.versions.join(", ")),
        ]);
    }
    d.table(t);
}

/// The leading project of each category.
fn leaders(d: &mut Doc, a: &Analysis, rules: &RuleSet) {
    let n = a.total;
    d.h3("Leading project per category");
    let mut t = Table::new(&[
        "Category",
        "Leading project",
        &format!("Stacks (of {n})"),
        "%",
        "Projects named",
    ]);
    for l in &a.leaders {
        t.push(vec![
            CellValue::from(l.category.as_str()),
            CellValue::from(&rules.get(l.rule).name),
            CellValue::from(&l.stacks),
            CellValue::from(format!(
                "{}%",
                crate::tables::analysis::percent(l.stacks, n)
            )),
            CellValue::from(&l.contenders),
        ]);
    }
    d.table(t);
}

/// Submissions naming an accelerator project of a vendor other than NVIDIA.
fn other_accelerators(d: &mut Doc, a: &Analysis, scan: &Scan, rules: &RuleSet) {
    let n = a.total;
    d.h3("Accelerators beyond NVIDIA");
    let k = a.other_accelerators.len();
    d.para(format!(
        "{k} of {n} submissions name an accelerator project of a vendor other than NVIDIA (category Accelerator, a vendor's own project: vendor-neutral tools such as Node Feature Discovery or HAMi, which serve NVIDIA's devices too, are not counted); {} name none.",
        n - k
    ));
    let mut t = Table::new(&["Submission", "Platform", "Vendor", "Accelerator projects"]);
    for s in &a.other_accelerators {
        let info = scan.submission(s.submission);
        let names: Vec<&str> = s
            .rules
            .iter()
            .map(|&r| rules.get(r).name.as_str())
            .collect();
        t.push(vec![
            CellValue::from(&info.id),
            CellValue::from(&info.platform),
            CellValue::from(&info.vendor),
            CellValue::from(names.join(", ")),
        ]);
    }
    if !t.rows.is_empty() {
        d.table(t);
    }
}

fn submission_ids(scan: &Scan, v: &Vendor) -> String {
    v.submissions
        .iter()
        .map(|&s| scan.submission(s).id.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn inventory(d: &mut Doc, a: &Analysis, scan: &Scan) {
    d.h2("Submission inventory");
    for v in &a.versions {
        d.h3(format!(
            "{} ({} submissions)",
            v.version,
            v.submissions.len()
        ));
        let mut t = Table::new(&["Submission", "Platform", "Vendor", "Files"]);
        for &s in &v.submissions {
            let info = scan.submission(s);
            t.push(vec![
                CellValue::from(view::short_name(scan, s)),
                CellValue::from(&info.platform),
                CellValue::from(&info.vendor),
                CellValue::from(info.files.len()),
            ]);
        }
        d.table(t);
    }
    d.h3("Version folders present");
    d.items(
        a.version_folders
            .iter()
            .map(|v| {
                let n = a
                    .versions
                    .iter()
                    .find(|x| &x.version == v)
                    .map_or(0, |x| x.submissions.len());
                format!("`{v}` ({})", plural(n, "submission"))
            })
            .collect(),
    );
    d.para(format!(
        "Total submissions: {}. Total unique vendors: {}.",
        a.total,
        a.vendors.len()
    ));
}

/// The commands of this tool that find what changed, those the binary has.
const DELTA_COMMANDS: &[(&str, &str, &str)] = &[
    ("report", "aiconf report --corpus NEW > analysis.md", "regenerate this document from a newer corpus"),
    ("reconcile", "aiconf reconcile --corpus NEW --published OLD.txt", "compare an earlier published analysis with a newer corpus, cell by cell"),
    ("matrix", "aiconf matrix --corpus NEW --format json > matrix.json", "the matrices as JSON, to diff between two runs"),
    ("delta", "aiconf delta OLD..NEW --corpus CLONE", "submissions added, removed and changed, and every project's change in stacks, between two revisions"),
    ("history", "aiconf history --corpus CLONE --format csv", "adoption of every project at every commit that changed a submission"),
    ("candidates", "aiconf candidates --corpus NEW", "projects named in the vendors' text that no rule covers yet"),
];

pub(super) fn deltas(d: &mut Doc, meta: &Meta) {
    d.h2("How to detect deltas");
    let cmds: Vec<&(&str, &str, &str)> = DELTA_COMMANDS
        .iter()
        .filter(|(c, _, _)| meta.commands.iter().any(|m| m == c))
        .collect();
    d.para(format!(
        "Against this corpus (`{}`), with the commands of {}:",
        meta.corpus, meta.tool
    ));
    d.blocks.push(Block::Code {
        language: "sh",
        text: cmds
            .iter()
            .map(|(_, line, what)| format!("# {what}\n{line}"))
            .collect::<Vec<_>>()
            .join("\n"),
    });
}
