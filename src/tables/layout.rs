//! The matrix laid out for people and for tools: an aligned table that fits
//! a width (split into blocks of columns, or transposed), with row totals;
//! one CSV table (wide, or long: one row per version, submission and
//! project); typed JSON with the versions behind each cell. Nothing here
//! prints.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::output::table::{CellValue, Format, Table};
use crate::rules::RuleSet;
use crate::scan::finding::Cell;
use crate::scan::finding::Finding;
use crate::scan::stance::Stance;
use crate::scan::version::VersionKind;
use crate::scan::Scan;
use crate::tables::view::{marked_cell, short_name, MATRIX_LEGEND};
use crate::tables::Matrix;

/// How to lay the matrices out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The aligned table's width in columns of text; `None`: never split.
    pub width: Option<usize>,
    /// Submissions as rows, projects as columns.
    pub transpose: bool,
    /// CSV: one row per (version, submission, project) instead of one per project.
    pub long: bool,
}

/// The matrices in `format`.
pub fn render(
    ms: &[Matrix],
    scan: &Scan,
    rules: &RuleSet,
    format: Format,
    layout: Layout,
) -> String {
    match format {
        Format::Json => {
            let v: Vec<MatrixJson> = ms.iter().map(|m| MatrixJson::new(m, scan, rules)).collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        Format::Csv if layout.long => long_csv(ms, scan, rules).to_csv(),
        Format::Csv => wide_csv(ms, scan, rules, layout.transpose).to_csv(),
        Format::Markdown | Format::Table => {
            let mut out = String::new();
            for (i, m) in ms.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let heading = format!("{} Submissions ({})", m.version, m.submissions.len());
                let t = grid(m, scan, rules, layout.transpose, true);
                if format == Format::Markdown {
                    out.push_str(&format!("### {heading}\n\n{}", t.to_markdown()));
                } else {
                    out.push_str(&format!("{heading}\n{}", blocks_text(&t, 2, layout.width)));
                }
            }
            if !ms.is_empty() {
                let legend = match (format, layout.width) {
                    (Format::Table, Some(w)) => wrap(MATRIX_LEGEND, w),
                    _ => MATRIX_LEGEND.to_string(),
                };
                out.push_str(&format!("\n{legend}\n"));
            }
            out
        }
    }
}

/// One matrix as a table: `Project`, `Total` (submissions naming it), then
/// one column per submission; transposed, `Submission`, `Total` (projects
/// it names), then one column per project. With `marks`, negated and
/// hedged cells are marked as in [`MATRIX_LEGEND`].
pub fn grid(m: &Matrix, scan: &Scan, rules: &RuleSet, transpose: bool, marks: bool) -> Table {
    let named = |c: &Cell| *c != Cell::NotNamed;
    let show = |row: usize, col: usize| {
        let c = m.cells[row][col];
        // Only a named cell is marked: the others need no finding looked up.
        let f = (marks && named(&c))
            .then(|| scan.finding(m.submissions[col], m.projects[row]))
            .flatten();
        CellValue::from(marked_cell(c, f))
    };
    if transpose {
        let mut t = Table {
            columns: ["Submission", "Total"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        t.columns
            .extend(m.projects.iter().map(|&r| rules.get(r).name.clone()));
        for (col, &s) in m.submissions.iter().enumerate() {
            let cells: Vec<Cell> = m.cells.iter().map(|row| row[col]).collect();
            let mut r = vec![
                CellValue::from(short_name(scan, s)),
                CellValue::from(cells.iter().filter(|c| named(c)).count()),
            ];
            r.extend((0..m.projects.len()).map(|row| show(row, col)));
            t.push(r);
        }
        return t;
    }
    let mut t = Table {
        columns: ["Project", "Total"].map(String::from).to_vec(),
        rows: Vec::new(),
    };
    t.columns
        .extend(m.submissions.iter().map(|&s| short_name(scan, s)));
    for (row, &rule) in m.projects.iter().enumerate() {
        let mut r = vec![
            CellValue::from(&rules.get(rule).name),
            CellValue::from(m.cells[row].iter().filter(|c| named(c)).count()),
        ];
        r.extend((0..m.submissions.len()).map(|col| show(row, col)));
        t.push(r);
    }
    t
}

/// The aligned table, split into blocks of columns that fit `width`; the
/// first `fixed` columns (the row's name and total) repeat in every block.
pub fn blocks_text(t: &Table, fixed: usize, width: Option<usize>) -> String {
    let Some(width) = width else {
        return t.to_text();
    };
    let widths: Vec<usize> = (0..t.columns.len())
        .map(|i| {
            t.rows
                .iter()
                .map(|r| text_width(&r[i]))
                .chain([t.columns[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let fixed = fixed.min(t.columns.len());
    let base: usize = widths[..fixed].iter().sum::<usize>() + 2 * fixed.saturating_sub(1);
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start = fixed;
    while start < t.columns.len() {
        let mut end = start;
        let mut used = base;
        while end < t.columns.len() && (end == start || used + 2 + widths[end] <= width) {
            used += 2 + widths[end];
            end += 1;
        }
        blocks.push((start, end));
        start = end;
    }
    if blocks.len() <= 1 {
        return t.to_text();
    }
    let n = t.columns.len() - fixed;
    let mut out = String::new();
    for (i, &(a, b)) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "(columns {}-{} of {n})\n",
            a - fixed + 1,
            b - fixed
        ));
        let keep: Vec<usize> = (0..fixed).chain(a..b).collect();
        let part = Table {
            columns: keep.iter().map(|&k| t.columns[k].clone()).collect(),
            rows: t
                .rows
                .iter()
                .map(|r| keep.iter().map(|&k| r[k].clone()).collect())
                .collect(),
        };
        out.push_str(&part.to_text());
    }
    out
}

/// `text` broken at spaces into lines of at most `width` columns (a word
/// longer than that keeps a line of its own).
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(l) if l.width() + 1 + word.width() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

fn text_width(v: &CellValue) -> usize {
    v.text().width()
}

/// Every matrix as one CSV table: `Version`, `Project`, `Total`, then one
/// column per submission of any version (`v1.34/gke`), empty where the
/// submission is of another version; transposed, `Version`, `Submission`,
/// `Total`, then one column per project.
pub fn wide_csv(ms: &[Matrix], scan: &Scan, rules: &RuleSet, transpose: bool) -> Table {
    let (head, names): (&str, Vec<String>) = if transpose {
        let mut names: Vec<String> = Vec::new();
        for m in ms {
            for &r in &m.projects {
                let n = &rules.get(r).name;
                if !names.contains(n) {
                    names.push(n.clone());
                }
            }
        }
        ("Submission", names)
    } else {
        let names = ms
            .iter()
            .flat_map(|m| m.submissions.iter().map(|&s| scan.submission(s).id.clone()))
            .collect();
        ("Project", names)
    };
    let mut t = Table {
        columns: ["Version", head, "Total"].map(String::from).to_vec(),
        rows: Vec::new(),
    };
    t.columns.extend(names.iter().cloned());
    for m in ms {
        let g = grid(m, scan, rules, transpose, false);
        let keys: Vec<String> = if transpose {
            g.columns[2..].to_vec()
        } else {
            m.submissions
                .iter()
                .map(|&s| scan.submission(s).id.clone())
                .collect()
        };
        for r in &g.rows {
            let mut row = vec![CellValue::from(&m.version), r[0].clone(), r[1].clone()];
            row.extend(names.iter().map(|n| {
                keys.iter()
                    .position(|k| k == n)
                    .map_or(CellValue::from(""), |i| r[2 + i].clone())
            }));
            t.push(row);
        }
    }
    t
}

/// The tidy form: one row per (version, submission, project) of each
/// matrix, with the cell, the project versions named (`; `-separated), what
/// each is the version of (`project`, `chart`, `package`, `image`), whether
/// every mention is negated, and whether it is named only as an example or a
/// possibility (hedged).
pub fn long_csv(ms: &[Matrix], scan: &Scan, rules: &RuleSet) -> Table {
    let mut t = Table::new(&[
        "Version",
        "Submission",
        "Project",
        "Cell",
        "Versions",
        "Version kinds",
        "Negated",
        "Hedged",
    ]);
    for m in ms {
        for &s in &m.submissions {
            for (row, &r) in m.projects.iter().enumerate() {
                let col = m.submissions.iter().position(|&x| x == s).unwrap_or(0);
                let f = scan.finding(s, r);
                t.push(vec![
                    CellValue::from(&m.version),
                    CellValue::from(&scan.submission(s).id),
                    CellValue::from(&rules.get(r).name),
                    CellValue::from(m.cells[row][col].as_str()),
                    CellValue::from(f.map(|f| f.versions.join("; ")).unwrap_or_default()),
                    CellValue::from(
                        f.map(|f| {
                            version_kinds(f)
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default(),
                    ),
                    CellValue::from(f.is_some_and(|f| f.negated)),
                    CellValue::from(f.is_some_and(|f| f.hedged)),
                ]);
            }
        }
    }
    t
}

/// `matrix --format json`: one object per Kubernetes version.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixJson {
    pub version: String,
    /// Submission ids, in column order.
    pub submissions: Vec<String>,
    pub rows: Vec<MatrixRowJson>,
}

/// One project's row of a matrix.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixRowJson {
    pub project: String,
    /// Submissions of the version naming it (the row total).
    pub stacks: usize,
    /// `M`, `X` or `-` per submission, in column order.
    pub cells: Vec<&'static str>,
    /// The project versions named per submission, in column order (empty lists for X and -).
    pub versions: Vec<Vec<String>>,
    /// What each of those versions is the version of (`project`, `chart`, `package`, `image`).
    pub version_kinds: Vec<Vec<VersionKind>>,
    /// What the submission's mentions say, per submission: `uses`, `negated`
    /// (every mention says it is absent), `hedged` (named only as an example or
    /// a possibility); `null` for `-`.
    pub stances: Vec<Option<Stance>>,
}

/// The kind of each of a finding's versions.
fn version_kinds(f: &Finding) -> Vec<VersionKind> {
    (0..f.versions.len())
        .map(|i| f.version_kinds.get(i).copied().unwrap_or_default())
        .collect()
}

impl MatrixJson {
    pub fn new(m: &Matrix, scan: &Scan, rules: &RuleSet) -> MatrixJson {
        let rows = m
            .projects
            .iter()
            .enumerate()
            .map(|(i, &r)| MatrixRowJson {
                project: rules.get(r).name.clone(),
                stacks: m.cells[i].iter().filter(|c| **c != Cell::NotNamed).count(),
                cells: m.cells[i].iter().map(|c| c.as_str()).collect(),
                versions: m
                    .submissions
                    .iter()
                    .zip(&m.cells[i])
                    .map(|(&s, c)| match (c, scan.finding(s, r)) {
                        (Cell::M, Some(f)) => f.versions.clone(),
                        _ => Vec::new(),
                    })
                    .collect(),
                version_kinds: m
                    .submissions
                    .iter()
                    .zip(&m.cells[i])
                    .map(|(&s, c)| match (c, scan.finding(s, r)) {
                        (Cell::M, Some(f)) => version_kinds(f),
                        _ => Vec::new(),
                    })
                    .collect(),
                stances: m
                    .submissions
                    .iter()
                    .zip(&m.cells[i])
                    .map(|(&s, c)| match (c, scan.finding(s, r)) {
                        (Cell::NotNamed, _) | (_, None) => None,
                        (_, Some(f)) if f.negated => Some(Stance::Negated),
                        (_, Some(f)) if f.hedged => Some(Stance::Hedged),
                        _ => Some(Stance::Uses),
                    })
                    .collect(),
            })
            .collect();
        MatrixJson {
            version: m.version.clone(),
            submissions: m
                .submissions
                .iter()
                .map(|&s| scan.submission(s).id.clone())
                .collect(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide() -> Table {
        let mut t = Table::new(&["Project", "Total", "alpha", "bravo", "charlie", "delta"]);
        t.push(vec![
            CellValue::from("Kueue"),
            CellValue::from(3),
            CellValue::from("X"),
            CellValue::from("M"),
            CellValue::from("-"),
            CellValue::from("X"),
        ]);
        t
    }

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        let text = wrap(MATRIX_LEGEND, 40);
        assert!(text.lines().count() > 1);
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert_eq!(text.replace('\n', " "), MATRIX_LEGEND);
    }

    #[test]
    fn blocks_fit_the_width_and_repeat_the_fixed_columns() {
        let t = wide();
        let whole = blocks_text(&t, 2, None);
        assert_eq!(whole, t.to_text());
        let text = blocks_text(&t, 2, Some(32));
        for line in text.lines() {
            assert!(line.width() <= 32, "{line:?}");
        }
        assert!(text.contains("(columns 1-2 of 4)"), "{text}");
        assert!(text.contains("(columns 3-4 of 4)"), "{text}");
        assert_eq!(text.matches("Kueue").count(), 2);
        // Wide enough: one block, no note.
        assert_eq!(blocks_text(&t, 2, Some(200)), t.to_text());
        // Too narrow for even one column: one column per block, never none.
        assert_eq!(blocks_text(&t, 2, Some(5)).matches("(columns").count(), 4);
    }
}
