//! The parser of the published analysis: a cursor over the file's non-blank
//! lines that reads each section in order and checks every cell, count and
//! heading, so that a truncated or garbled copy stops with a [`Diagnostic`]
//! at the line where it stops making sense.

mod cursor;
mod nvidia;

use crate::diagnostic::Code;
use std::sync::LazyLock;

use regex::Regex;

use super::*;
use crate::diagnostic::Diagnostic;
use crate::rules::Category;
use cursor::Cursor;
use nvidia::nvidia;

/// The file ends before a section is complete.
const TRUNCATED: Code = Code::E601;
/// A line is not what the section's layout has there.
const UNEXPECTED: Code = Code::E602;
/// A matrix or NVIDIA table cell is not M, X or -.
const BAD_CELL: Code = Code::E603;
/// A number, percentage, repository or version is malformed.
const BAD_VALUE: Code = Code::E604;
/// The file contradicts itself in a way that makes it unreadable (duplicates, counts).
const INCONSISTENT: Code = Code::E605;

const SUMMARY: &str = "Open Source Project Adoption Summary";
const REFERENCE: &str = "Open Source Project Reference";
const NVIDIA: &str = "NVIDIA Ecosystem Summary";
const NVIDIA_USAGE: &str = "NVIDIA Project Usage by Submission (detailed)";
const KEY_FINDINGS: &str = "Key Findings";
const INVENTORY: &str = "Submission Inventory at Time of Analysis";
const FOLDERS: &str = "Version Directories Present";
const DELTAS: &str = "How to Detect Deltas";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in regex: {e}"))
}

static MATRIX_HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^(v\d+\.\d+) Submissions$"));
static VERSION: LazyLock<Regex> = LazyLock::new(|| re(r"^v\d+\.\d+$"));
static REPO: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"));
static RANK: LazyLock<Regex> = LazyLock::new(|| re(r"^\d+$"));
static STACKS: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d+) / (\d+)$"));
static PERCENT: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d+)%$"));
static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^Total unique stacks using each project across all (\d+) submissions:$"));
static NVIDIA_TABLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^NVIDIA Project Adoption Across All (\d+) Stacks$"));
static OBSERVED: LazyLock<Regex> = LazyLock::new(|| re(r"^(v?\d[\w.+-]*) \(([^()]+)\)$"));
static USED: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d+)(\**)$"));
static NON_NVIDIA: LazyLock<Regex> =
    LazyLock::new(|| re(r"Only (\d+) of (\d+) stacks support any non-NVIDIA accelerator"));
static MARKET: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(\d+) unique submissions from (\d+) distinct vendors across (\d+) Kubernetes versions")
});
static MULTI: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d+) vendors have submitted for multiple versions"));
static INVENTORY_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(v\d+\.\d+) \((\d+) submissions?\)$"));
static COMMIT: LazyLock<Regex> = LazyLock::new(|| re(r"^[0-9a-f]{7,40}$"));

/// Parses the plain-text published analysis. `path` is used in diagnostics.
pub fn parse(path: &str, text: &str) -> Result<Published, Diagnostic> {
    let mut c = Cursor::new(path, text);
    c.skip_to(
        |l| MATRIX_HEADING.is_match(l),
        "the first matrix heading `vX.Y Submissions`",
    )?;
    let mut matrices = Vec::new();
    while c.peek(0).is_some_and(|l| MATRIX_HEADING.is_match(l)) {
        let m = matrix(&mut c)?;
        if let Some(prev) = matrices
            .iter()
            .find(|p: &&PublishedMatrix| p.version == m.version)
        {
            return Err(c.error_at(
                m.line,
                INCONSISTENT,
                format!(
                    "a second matrix for {} (the first is on line {})",
                    m.version, prev.line
                ),
            ));
        }
        matrices.push(m);
    }
    let (total, summary) = summary(&mut c)?;
    let reference = reference(&mut c)?;
    let nvidia = nvidia(&mut c, total)?;
    let key_findings = key_findings(&mut c)?;
    let analysis_date = c.expect_prefix("Analysis Date: ")?.to_string();
    let repository = c.expect_prefix("Repository: ")?.to_string();
    let commit = c.expect_prefix("Commit SHA: ")?.to_string();
    if !COMMIT.is_match(&commit) {
        return Err(c.error_prev(
            BAD_VALUE,
            format!("`{commit}` is not a commit id (7 to 40 lowercase hex digits)"),
        ));
    }
    let branch = c.expect_prefix("Branch: ")?.to_string();
    let inventory = inventory(&mut c)?;
    c.expect(FOLDERS)?;
    let mut version_folders = Vec::new();
    while c.peek(0).is_some_and(|l| VERSION.is_match(l)) {
        version_folders.push(c.next("a version folder")?.1.to_string());
    }
    let total_submissions = c.expect_prefix("Total Submissions: ")?;
    let total_submissions = c.number(total_submissions)?;
    let total_vendors = c.expect_prefix("Total Unique Vendors: ")?;
    let total_vendors = c.number(total_vendors)?;
    c.expect(DELTAS)?;
    Ok(Published {
        path: path.to_string(),
        total,
        matrices,
        summary,
        reference,
        nvidia,
        key_findings,
        inventory,
        version_folders,
        total_submissions,
        total_vendors,
        analysis_date,
        repository,
        commit,
        branch,
    })
}

/// One `vX.Y Submissions` block: the header row, then rows of a project name
/// and one cell per submission. The header ends at the first line followed by a cell.
fn matrix(c: &mut Cursor) -> Result<PublishedMatrix, Diagnostic> {
    let (line, heading) = c.next("a matrix heading")?;
    let version = MATRIX_HEADING
        .captures(heading)
        .map(|m| m[1].to_string())
        .unwrap_or_default();
    c.expect("Project")?;
    let submissions = matrix_header(c, &version)?;
    let rows = matrix_rows(c, &version, &submissions)?;
    matrix_end(c, &version, rows.is_empty(), submissions.len())?;
    Ok(PublishedMatrix {
        version,
        submissions,
        rows,
        line,
    })
}

/// A matrix's header: its submission columns, up to its first project row.
fn matrix_header(c: &mut Cursor, version: &str) -> Result<Vec<String>, Diagnostic> {
    let mut submissions: Vec<String> = Vec::new();
    while c.peek(1).is_none_or(|l| Cell::parse(l).is_none()) {
        let (l, name) = c.next(&format!(
            "a submission of the {version} matrix header or its first project row"
        ))?;
        if Cell::parse(name).is_some() || name == SUMMARY || MATRIX_HEADING.is_match(name) {
            return Err(c.error_at(
                l,
                UNEXPECTED,
                format!("the {version} matrix has a header but no project row: found `{name}`"),
            ));
        }
        if submissions.iter().any(|s| s == name) {
            return Err(c.error_at(
                l,
                INCONSISTENT,
                format!("submission `{name}` appears twice in the {version} matrix header"),
            ));
        }
        submissions.push(name.to_string());
    }
    if submissions.is_empty() {
        return Err(c.error_at(
            c.line_no(),
            UNEXPECTED,
            format!("the {version} matrix has no submission columns"),
        ));
    }
    Ok(submissions)
}

/// A matrix's project rows: a name and a cell per submission each.
fn matrix_rows(
    c: &mut Cursor,
    version: &str,
    submissions: &[String],
) -> Result<Vec<PublishedRow>, Diagnostic> {
    let mut rows: Vec<PublishedRow> = Vec::new();
    while c.peek(1).is_some_and(|l| Cell::parse(l).is_some()) {
        let (l, project) = c.next("a project row")?;
        if Cell::parse(project).is_some() {
            return Err(c.error_at(l, UNEXPECTED, format!("a cell where a project name of the {version} matrix should be: the row above has more cells than the {} submissions", submissions.len())));
        }
        if let Some(prev) = rows.iter().find(|r| r.project == project) {
            return Err(c.error_at(
                l,
                INCONSISTENT,
                format!(
                    "project `{project}` appears twice in the {version} matrix (also on line {})",
                    prev.line
                ),
            ));
        }
        let mut cells = Vec::with_capacity(submissions.len());
        for sub in submissions {
            let (cl, text) = c.next(&format!(
                "the cell of `{project}` for `{sub}` in the {version} matrix"
            ))?;
            let cell = Cell::parse(text).ok_or_else(|| {
                c.error_at(cl, BAD_CELL, format!("expected the cell of `{project}` for `{sub}` in the {version} matrix (M, X or -), found `{text}`"))
                    .with_help(format!("every row of the {version} matrix has a project name and {} cells", submissions.len()))
            })?;
            cells.push(cell);
        }
        rows.push(PublishedRow {
            project: project.to_string(),
            cells,
            line: l,
        });
    }
    Ok(rows)
}

/// What must follow a matrix: the next matrix or the summary.
fn matrix_end(c: &Cursor, version: &str, no_rows: bool, columns: usize) -> Result<(), Diagnostic> {
    match c.peek(0) {
        Some(l) if l == SUMMARY || MATRIX_HEADING.is_match(l) => {}
        Some(l) if c.peek(1).is_none() => {
            return Err(c.eof(&format!("the cells of `{l}` in the {version} matrix")))
        }
        Some(l) if no_rows => {
            return Err(c.error_at(
                c.line_no(),
                UNEXPECTED,
                format!("the {version} matrix has no project row: found `{l}`"),
            ));
        }
        Some(l) => {
            return Err(c
                .error_at(c.line_no(), UNEXPECTED, format!("expected a project row of the {version} matrix, the next `vX.Y Submissions` or `{SUMMARY}`, found `{l}`"))
                .with_help(format!("every row of the {version} matrix has a project name and {columns} cells")));
        }
        None => return Err(c.eof(&format!("`{SUMMARY}`"))),
    }
    Ok(())
}

/// The adoption summary: rank, project, `n / N`, `p%`, [CNCF status], category.
fn summary(c: &mut Cursor) -> Result<(usize, Vec<PublishedSummaryRow>), Diagnostic> {
    c.expect(SUMMARY)?;
    let total = c.captures(
        &TOTAL,
        "`Total unique stacks using each project across all N submissions:`",
    )?[0];
    for h in [
        "#",
        "Project",
        &format!("Stacks (of {total})"),
        "%",
        "CNCF Status",
        "Category",
    ] {
        c.expect(h)?;
    }
    let mut rows: Vec<PublishedSummaryRow> = Vec::new();
    while c.peek(0).is_some_and(|l| RANK.is_match(l)) {
        rows.push(summary_row(c, total, rows.len())?);
    }
    if rows.is_empty() {
        return Err(c.unexpected("the first summary row (a rank)"));
    }
    Ok((total, rows))
}

/// The project reference: project, `owner/repo`, licence, [CNCF status], description.
fn reference(c: &mut Cursor) -> Result<Vec<PublishedReference>, Diagnostic> {
    c.expect(REFERENCE)?;
    for h in [
        "Project",
        "GitHub Repo",
        "License",
        "CNCF Status",
        "Description",
    ] {
        c.expect(h)?;
    }
    let mut rows = Vec::new();
    while c.peek(1).is_some_and(|l| REPO.is_match(l)) {
        let (line, project) = c.next("a project")?;
        let (_, repo) = c.next("a repository")?;
        let (_, license) = c.next("a licence")?;
        let tail = c.take_until_heading(
            |c| {
                c.peek(0).is_none_or(|l| l == NVIDIA) || c.peek(1).is_some_and(|l| REPO.is_match(l))
            },
            &format!("`{NVIDIA}`"),
        )?;
        let (cncf, description) = match tail[..] {
            [(_, d)] => (String::new(), d),
            [(_, s), (_, d)] => (status(s), d),
            _ => {
                return Err(c.error_at(line, UNEXPECTED, format!("reference row `{project}` has {} cells after its licence; expected a CNCF status (optional) and a description", tail.len())));
            }
        };
        rows.push(PublishedReference {
            project: project.to_string(),
            repo: repo.to_string(),
            license: license.to_string(),
            cncf,
            description: description.to_string(),
            line,
        });
    }
    if rows.is_empty() {
        return Err(c.unexpected("the first reference row (a project followed by `owner/repo`)"));
    }
    c.expect(NVIDIA)?;
    Ok(rows)
}

/// One summary row, ranked right after `previous`: rank, project, `n / N`, `p%`, [CNCF status],
/// category.
fn summary_row(
    c: &mut Cursor,
    total: usize,
    previous: usize,
) -> Result<PublishedSummaryRow, Diagnostic> {
    let (line, rank) = c.next("a rank")?;
    let rank = c.number(rank)?;
    if rank != previous + 1 {
        return Err(c.error_at(
            line,
            INCONSISTENT,
            format!("rank {rank} follows rank {previous}"),
        ));
    }
    let (_, project) = c.next("the project of a summary row")?;
    let groups = c.captures(&STACKS, "stacks as `n / N`")?;
    let (stacks, of) = (groups[0], groups[1]);
    if of != total {
        return Err(c.error_prev(
            INCONSISTENT,
            format!("stacks out of {of}, but the summary is out of {total}"),
        ));
    }
    let percent = c.captures(&PERCENT, "a percentage `p%`")?[0] as u32;
    let tail = c.take_until_heading(
        |c| c.peek(0).is_none_or(|l| RANK.is_match(l) || l == REFERENCE),
        &format!("`{REFERENCE}`"),
    )?;
    let (cncf, category) = match tail[..] {
        [(_, cat)] => (String::new(), cat),
        [(_, cncf), (_, cat)] => (status(cncf), cat),
        _ => {
            return Err(c.error_at(line, UNEXPECTED, format!("summary row {rank} (`{project}`) has {} cells after its percentage; expected a CNCF status (optional) and a category", tail.len())));
        }
    };
    if Category::parse(category).is_none() {
        let l = tail.last().map_or(line, |t| t.0);
        return Err(c.error_at(
            l,
            UNEXPECTED,
            format!("`{category}` is not a category (summary row {rank}, `{project}`)"),
        ));
    }
    Ok(PublishedSummaryRow {
        rank,
        project: project.to_string(),
        stacks,
        total,
        percent,
        cncf,
        category: category.to_string(),
        line,
    })
}

/// A CNCF status cell: `-` means none, like an absent cell.
fn status(cell: &str) -> String {
    if cell == "-" {
        String::new()
    } else {
        cell.to_string()
    }
}

/// "Key Findings" up to "Analysis Date:", with its market-participation numbers.
fn key_findings(c: &mut Cursor) -> Result<KeyFindings, Diagnostic> {
    let (line, _) = c.expect(KEY_FINDINGS)?;
    let lines: Vec<String> = c
        .take_until_heading(
            |c| c.peek(0).is_none_or(|l| l.starts_with("Analysis Date:")),
            "`Analysis Date: ...`",
        )?
        .into_iter()
        .map(|(_, l)| l.to_string())
        .collect();
    let market = lines.iter().find_map(|l| MARKET.captures(l)).ok_or_else(|| {
        c.error_at(line, UNEXPECTED, "the key findings do not state `N unique submissions from V distinct vendors across K Kubernetes versions`")
    })?;
    let multi = lines
        .iter()
        .find_map(|l| MULTI.captures(l))
        .ok_or_else(|| {
            c.error_at(
                line,
                UNEXPECTED,
                "the key findings do not state `N vendors have submitted for multiple versions`",
            )
        })?;
    let num = |s: &str| s.parse::<usize>().unwrap_or_default();
    Ok(KeyFindings {
        submissions: num(&market[1]),
        vendors: num(&market[2]),
        versions: num(&market[3]),
        multi_version_vendors: num(&multi[1]),
        lines: lines.clone(),
    })
}

/// "Submission Inventory": `vX.Y (n submissions)` then n folder names, per version.
fn inventory(c: &mut Cursor) -> Result<Vec<PublishedInventory>, Diagnostic> {
    c.expect(INVENTORY)?;
    let mut out = Vec::new();
    while c.peek(0).is_some_and(|l| INVENTORY_HEADING.is_match(l)) {
        let (line, heading) = c.next("an inventory heading")?;
        let caps = INVENTORY_HEADING
            .captures(heading)
            .ok_or_else(|| c.unexpected("an inventory heading"))?;
        let (version, count) = (caps[1].to_string(), c.number(&caps[2])?);
        let submissions: Vec<String> = c
            .take_until_heading(
                |c| {
                    c.peek(0)
                        .is_none_or(|l| l == FOLDERS || INVENTORY_HEADING.is_match(l))
                },
                &format!("`{FOLDERS}`"),
            )?
            .into_iter()
            .map(|(_, l)| l.to_string())
            .collect();
        if submissions.len() != count {
            return Err(c.error_at(
                line,
                INCONSISTENT,
                format!(
                    "{version} is said to have {count} submissions but {} are listed",
                    submissions.len()
                ),
            ));
        }
        out.push(PublishedInventory {
            version,
            count,
            submissions,
        });
    }
    if out.is_empty() {
        return Err(c.unexpected("an inventory heading `vX.Y (n submissions)`"));
    }
    Ok(out)
}
