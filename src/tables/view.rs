//! Views: the tables and findings of a scan shaped for output (terminal
//! tables, Markdown, CSV, and the stable JSON forms of the command contract).
//! Nothing here prints; the binary does.

use serde::Serialize;

use crate::output::sink;
use crate::output::table::{CellValue, Table};
use crate::rules::{RuleId, RuleSet};
use crate::scan::finding::{Cell, Evidence};
use crate::scan::stance::Stance;
use crate::scan::version::VersionKind;
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;
use crate::tables::Matrix;

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
            CellValue::from(&s.id),
            CellValue::from(&s.platform),
            CellValue::from(&s.vendor),
            CellValue::from(names.join(", ")),
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
/// name), as the published document has it (the report's form; `aiconf
/// matrix` adds totals and layouts: [`crate::tables::layout`]); with `marks`,
/// negated and hedged cells are marked as in [`MATRIX_LEGEND`].
pub fn matrix_table(m: &Matrix, scan: &Scan, rules: &RuleSet, marks: bool) -> Table {
    let mut columns = vec!["Project".to_string()];
    columns.extend(m.submissions.iter().map(|&s| short_name(scan, s)));
    let mut t = Table {
        columns,
        rows: Vec::new(),
    };
    for (row, &rule) in m.projects.iter().enumerate() {
        let mut r = vec![CellValue::from(&rules.get(rule).name)];
        r.extend(m.cells[row].iter().zip(&m.submissions).map(|(c, &s)| {
            CellValue::from(marked_cell(*c, scan.finding(s, rule).filter(|_| marks)))
        }));
        t.push(r);
    }
    t
}

/// A cell as the text and Markdown matrices show it: `(X)` when every
/// mention says the project is not used, `X?` when it is named only as an
/// example or a possibility (see [`MATRIX_LEGEND`]).
pub(crate) fn marked_cell(c: Cell, f: Option<&crate::scan::finding::Finding>) -> String {
    match f {
        Some(f) if c != Cell::NotNamed && f.negated => format!("({c})"),
        Some(f) if c != Cell::NotNamed && f.hedged => format!("{c}?"),
        _ => c.as_str().to_string(),
    }
}

/// The line under the text and Markdown matrices that says what a cell means.
pub const MATRIX_LEGEND: &str = "M named with a version, X named, - not named; (X) (M) every mention says it is not used, X? M? named only as an example or a possibility (matrix --uses leaves both out)";

/// `explain PROJECT SUBMISSION`: one cell's evidence, or why there is none
/// (the `--format json` object).
#[derive(Clone, Debug, Serialize)]
pub struct CellEvidence {
    pub project: String,
    pub submission: String,
    /// `M`, `X` or `-`.
    pub cell: &'static str,
    /// The project versions named, in order of appearance.
    pub versions: Vec<String>,
    /// What each of `versions` is the version of (`project`, `chart`, `package`, `image`).
    pub version_kinds: Vec<VersionKind>,
    /// Every mention says the project is absent.
    pub negated: bool,
    /// Every mention is hedged or negated and one is hedged: named only as an example or a possibility.
    pub hedged: bool,
    /// All mentions, including those not kept as evidence.
    pub mentions: usize,
    /// For an M: the first mention that carries a version (the line holding it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_at: Option<Evidence>,
    /// Mentions kept per file, in file order.
    pub files: Vec<FileMentions>,
    /// The mentions listed (the first `--limit`).
    pub evidence: Vec<Evidence>,
    /// Mentions not listed.
    pub omitted: usize,
    /// For `-`: what the rule looks for, found nowhere in the vendor's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<String>,
    /// Files of the submission.
    pub submission_files: usize,
}

/// How many of a finding's kept mentions are in one file, and on which lines.
#[derive(Clone, Debug, Serialize)]
pub struct FileMentions {
    pub file: String,
    pub mentions: usize,
    pub lines: Vec<usize>,
}

/// Mentions `explain` lists unless told otherwise.
pub const EXPLAIN_LIMIT: usize = 10;

/// The evidence of one cell; `limit` mentions listed (`None`: all kept).
pub fn explain(
    scan: &Scan,
    rules: &RuleSet,
    rule: RuleId,
    sub: SubmissionId,
    limit: Option<usize>,
) -> CellEvidence {
    let r = rules.get(rule);
    let s = scan.submission(sub);
    let mut out = CellEvidence {
        project: r.name.clone(),
        submission: s.id.clone(),
        cell: Cell::NotNamed.as_str(),
        versions: Vec::new(),
        version_kinds: Vec::new(),
        negated: false,
        hedged: false,
        mentions: 0,
        version_at: None,
        files: Vec::new(),
        evidence: Vec::new(),
        omitted: 0,
        patterns: None,
        submission_files: s.files.len(),
    };
    let Some(f) = scan.finding(sub, rule) else {
        out.patterns = Some(describe_patterns(rules, rule));
        return out;
    };
    let shown = limit.unwrap_or(usize::MAX).min(f.evidence.len());
    for e in &f.evidence {
        match out.files.iter_mut().find(|x| x.file == e.file) {
            Some(x) => {
                x.mentions += 1;
                x.lines.push(e.line);
            }
            None => out.files.push(FileMentions {
                file: e.file.clone(),
                mentions: 1,
                lines: vec![e.line],
            }),
        }
    }
    out.cell = f.cell.as_str();
    out.versions = f.versions.clone();
    out.version_kinds = (0..f.versions.len())
        .map(|i| f.version_kinds.get(i).copied().unwrap_or_default())
        .collect();
    out.negated = f.negated;
    out.hedged = f.hedged;
    out.mentions = f.mentions;
    out.version_at = f.evidence.iter().find(|e| e.version.is_some()).cloned();
    out.evidence = f.evidence[..shown].to_vec();
    out.omitted = f.mentions - shown;
    out
}

impl CellEvidence {
    /// The versions as tables print them: `1.0.1 (package)`, a project's own bare.
    pub fn version_labels(&self) -> Vec<String> {
        self.versions
            .iter()
            .zip(&self.version_kinds)
            .map(|(v, k)| k.label(v))
            .collect()
    }

    /// The readable form: the cell and its mentions, the line the version is read from, the
    /// mentions per file, then the mentions listed.
    pub fn text(&self) -> String {
        if self.cell == Cell::NotNamed.as_str() {
            return format!(
                "{} / {}: -\nNo pattern of the rule ({}) occurs in the vendor's words of {} ({} files).\n",
                self.project,
                sink::terminal(&self.submission),
                self.patterns.as_deref().unwrap_or_default(),
                sink::terminal(&self.submission),
                self.submission_files
            );
        }
        let mut out = self.heading();
        if let Some(e) = &self.version_at {
            out.push_str(&format!(
                "version {} read at {}:{}:{}\n    {}\n",
                sink::terminal(
                    &e.version_kind
                        .unwrap_or_default()
                        .label(e.version.as_deref().unwrap_or_default())
                ),
                sink::terminal(&e.file),
                e.line,
                e.column,
                sink::terminal_quote(&e.quote).0
            ));
        }
        out.push_str("per file:\n");
        for f in &self.files {
            out.push_str(&format!(
                "  {} — {} mention{}, line{} {}\n",
                sink::terminal(&f.file),
                f.mentions,
                if f.mentions == 1 { "" } else { "s" },
                if f.lines.len() == 1 { "" } else { "s" },
                lines_text(&f.lines)
            ));
        }
        out.push_str("mentions:\n");
        for e in &self.evidence {
            out.push_str(&mention_text(e));
        }
        if self.omitted > 0 {
            out.push_str(&format!(
                "  … and {} more mention{} (--limit N or --all to list more)\n",
                self.omitted,
                if self.omitted == 1 { "" } else { "s" }
            ));
        }
        out
    }

    /// `Kueue / v1.34/gardener: M (versions 0.14.2) — 3 mentions`, with how the mentions stand.
    fn heading(&self) -> String {
        format!(
            "{} / {}: {}{}{} — {} mention{}\n",
            self.project,
            sink::terminal(&self.submission),
            self.cell,
            if self.versions.is_empty() {
                String::new()
            } else {
                format!(
                    " (versions {})",
                    sink::terminal(&self.version_labels().join(", "))
                )
            },
            if self.negated {
                ", every mention negated"
            } else if self.hedged {
                ", named only as an example or a possibility (hedged)"
            } else {
                ""
            },
            self.mentions,
            if self.mentions == 1 { "" } else { "s" }
        )
    }
}

/// One mention listed: `file:line:column [field] version V (negated)`, then its quote.
fn mention_text(e: &Evidence) -> String {
    let (quote, cleaned) = sink::terminal_quote(&e.quote);
    format!(
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
            Stance::Negated => " (negated)",
            Stance::Hedged => " (hedged)",
            Stance::Uses => "",
        },
        quote,
        if cleaned {
            "  (terminal escape codes removed)"
        } else {
            ""
        }
    )
}

/// `3, 5, 9-12` for sorted line numbers; at most 12 listed.
fn lines_text(lines: &[usize]) -> String {
    let mut v = lines.to_vec();
    v.sort_unstable();
    v.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", v[i], v[j])
        } else {
            v[i].to_string()
        });
        i = j + 1;
    }
    if parts.len() > 12 {
        let more = parts.len() - 12;
        parts.truncate(12);
        parts.push(format!("… ({more} more)"));
    }
    parts.join(", ")
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
            CellValue::from(&r.id),
            CellValue::from(&r.name),
            CellValue::from(r.category.as_str()),
            CellValue::from(r.cncf.as_str()),
            CellValue::from(&r.repo),
            CellValue::from(&r.license),
            CellValue::from(&r.vendor),
            CellValue::from(&r.description),
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
