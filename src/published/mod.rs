//! The published analysis: read ([`Published`]), reconciled with a scan of the
//! same corpus ([`reconcile`]) and regenerated from one ([`report`]).
//!
//! The published analysis as data: [`parse()`] reads the plain-text copy of the
//! hand-made analysis (`adoption-analysis-*.txt`, one table cell per line) into
//! a [`Published`] — the matrix per Kubernetes version, the adoption summary,
//! the project reference, the NVIDIA tables, the key-finding numbers and the
//! inventory. A truncated or garbled file is rejected with a [`Diagnostic`](crate::diagnostic::Diagnostic)
//! naming the line, never read into wrong numbers. The published file names
//! one project several ways ("K-Gateway (GW API Inf. Ext)", "Triton");
//! [`Published::project_key`] maps each to its matrix row name.

mod parse;
pub mod reconcile;
pub mod report;

use serde::Serialize;

use crate::scan::finding::Cell;

pub use parse::parse;

/// The whole published analysis.
#[derive(Clone, Debug, Serialize)]
pub struct Published {
    /// The file, as the user named it.
    pub path: String,
    /// Submissions the analysis covers ("Stacks (of 28)").
    pub total: usize,
    /// One per Kubernetes version, in file order.
    pub matrices: Vec<PublishedMatrix>,
    /// The adoption summary, in rank order.
    pub summary: Vec<PublishedSummaryRow>,
    /// The project reference table.
    pub reference: Vec<PublishedReference>,
    /// The NVIDIA ecosystem section.
    pub nvidia: PublishedNvidia,
    /// The numbers of "Key Findings".
    pub key_findings: KeyFindings,
    /// Submission folder names per version, as listed.
    pub inventory: Vec<PublishedInventory>,
    /// `v1.33`, ... as listed under "Version Directories Present".
    pub version_folders: Vec<String>,
    /// "Total Submissions".
    pub total_submissions: usize,
    /// "Total Unique Vendors".
    pub total_vendors: usize,
    /// "Analysis Date", as written.
    pub analysis_date: String,
    /// "Repository": the corpus's repository.
    pub repository: String,
    /// The corpus commit the analysis was made from.
    pub commit: String,
    /// "Branch" of that repository.
    pub branch: String,
}

/// The matrix of one Kubernetes version.
#[derive(Clone, Debug, Serialize)]
pub struct PublishedMatrix {
    /// `v1.33`
    pub version: String,
    /// Column headers: submission folder names, e.g. `OKE`.
    pub submissions: Vec<String>,
    pub rows: Vec<PublishedRow>,
    /// 1-based line of the `vX.Y Submissions` heading.
    pub line: usize,
}

/// One project row of a matrix.
#[derive(Clone, Debug, Serialize)]
pub struct PublishedRow {
    pub project: String,
    /// One per submission column.
    pub cells: Vec<Cell>,
    /// 1-based line of the project name.
    pub line: usize,
}

/// One row of the adoption summary.
#[derive(Clone, Debug, Serialize)]
pub struct PublishedSummaryRow {
    pub rank: usize,
    pub project: String,
    pub stacks: usize,
    pub total: usize,
    /// The percentage as printed.
    pub percent: u32,
    /// Empty when the cell is absent.
    pub cncf: String,
    pub category: String,
    pub line: usize,
}

/// One row of the project reference table.
#[derive(Clone, Debug, Serialize)]
pub struct PublishedReference {
    pub project: String,
    pub repo: String,
    pub license: String,
    /// Empty when the cell is absent.
    pub cncf: String,
    pub description: String,
    pub line: usize,
}

/// The NVIDIA ecosystem section.
#[derive(Clone, Debug, Serialize)]
pub struct PublishedNvidia {
    pub projects: Vec<NvidiaProject>,
    /// Column headers of the per-submission table between `Version` and
    /// `NVIDIA Projects Used`, e.g. `GPU Operator`.
    pub columns: Vec<String>,
    pub usage: Vec<NvidiaUsage>,
    /// The prose after the tables (footnotes and observations), one line each.
    pub notes: Vec<String>,
    /// "Only N of T stacks support any non-NVIDIA accelerator": N, when stated.
    pub non_nvidia_stacks: Option<usize>,
}

/// One row of "NVIDIA Project Adoption Across All N Stacks".
#[derive(Clone, Debug, Serialize)]
pub struct NvidiaProject {
    pub project: String,
    pub repo: String,
    pub stacks: usize,
    pub percent: u32,
    /// Versions observed, with the submission label they come from.
    pub versions: Vec<ObservedVersion>,
    pub line: usize,
}

/// `v25.3.4 (Palette)`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObservedVersion {
    pub version: String,
    /// The label as printed (a platform or vendor name, not a folder).
    pub submission: String,
}

/// One row of "NVIDIA Project Usage by Submission (detailed)".
#[derive(Clone, Debug, Serialize)]
pub struct NvidiaUsage {
    pub submission: String,
    pub version: String,
    /// One per [`PublishedNvidia::columns`].
    pub cells: Vec<Cell>,
    /// "NVIDIA Projects Used" as printed, without its footnote marks.
    pub used: usize,
    /// Footnote marks after the count (`*`, `**`), empty when none.
    pub marks: String,
    pub line: usize,
}

/// The numbers of "Key Findings".
#[derive(Clone, Debug, Default, Serialize)]
pub struct KeyFindings {
    pub submissions: usize,
    pub vendors: usize,
    pub versions: usize,
    /// Vendors that submitted for more than one version.
    pub multi_version_vendors: usize,
    /// Every line of the section, as printed.
    pub lines: Vec<String>,
}

/// The inventory of one version folder.
#[derive(Clone, Debug, Serialize)]
pub struct PublishedInventory {
    pub version: String,
    /// The count printed in the heading (`v1.33 (11 submissions)`).
    pub count: usize,
    pub submissions: Vec<String>,
}

impl Published {
    /// Explicit matrix cells over all versions.
    pub fn cell_count(&self) -> usize {
        self.matrices
            .iter()
            .flat_map(|m| &m.rows)
            .map(|r| r.cells.len())
            .sum()
    }

    /// Every distinct matrix row name, in order of first appearance.
    pub fn matrix_projects(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self.matrices.iter().flat_map(|m| &m.rows) {
            if !out.contains(&r.project.as_str()) {
                out.push(&r.project);
            }
        }
        out
    }

    /// The matrix row name a project is called by elsewhere in the file:
    /// the name itself when a matrix row has it; else the name without a
    /// parenthesised suffix ("K-Gateway (GW API Inf. Ext)" -> "K-Gateway");
    /// else with an `NVIDIA ` prefix (a column "GPU Operator"); else, for a
    /// name that is not a summary or reference row of its own ("Kubeflow
    /// Trainer" is), the longest row name it starts with ("NVIDIA Triton
    /// Inference Server" -> "NVIDIA Triton"). Otherwise the name without its suffix.
    pub fn project_key(&self, name: &str) -> String {
        let rows = self.matrix_projects();
        let find = |n: &str| {
            rows.iter()
                .find(|r| r.eq_ignore_ascii_case(n.trim()))
                .map(|r| r.to_string())
        };
        let bare = strip_suffix(name);
        let own_row = self
            .summary
            .iter()
            .map(|s| &s.project)
            .chain(self.reference.iter().map(|r| &r.project))
            .any(|p| p.eq_ignore_ascii_case(name.trim()));
        let prefixed = || {
            rows.iter()
                .filter(|r| {
                    bare.to_lowercase()
                        .starts_with(&format!("{} ", r.to_lowercase()))
                })
                .max_by_key(|r| r.len())
                .map(|r| r.to_string())
        };
        find(name)
            .or_else(|| find(bare))
            .or_else(|| find(&format!("NVIDIA {bare}")))
            .or_else(|| if own_row { None } else { prefixed() })
            .unwrap_or_else(|| bare.to_string())
    }

    /// The published cell of (version, submission folder, project row), if the
    /// matrix of that version has that column; `-` for a project without a row.
    pub fn cell(&self, version: &str, submission: &str, project: &str) -> Option<Cell> {
        let m = self.matrices.iter().find(|m| m.version == version)?;
        let col = m.submissions.iter().position(|s| s == submission)?;
        Some(
            m.rows
                .iter()
                .find(|r| r.project == project)
                .map_or(Cell::NotNamed, |r| r.cells[col]),
        )
    }

    /// Submissions (over all matrices) whose cell for `project` is M or X.
    pub fn matrix_stacks(&self, project: &str) -> usize {
        self.matrices
            .iter()
            .flat_map(|m| &m.rows)
            .filter(|r| r.project == project)
            .map(|r| r.cells.iter().filter(|c| **c != Cell::NotNamed).count())
            .sum()
    }
}

/// `Name (note)` -> `Name`.
fn strip_suffix(name: &str) -> &str {
    let n = name.trim();
    match n.find(" (") {
        Some(i) if n.ends_with(')') => n[..i].trim(),
        _ => n,
    }
}
