//! The NVIDIA section of the published analysis: the adoption table, the
//! per-submission table and the notes after them.

use super::*;

/// The NVIDIA section: prose, the adoption table, the per-submission table, notes.
pub(super) fn nvidia(c: &mut Cursor, total: usize) -> Result<PublishedNvidia, Diagnostic> {
    c.skip_to(
        |l| NVIDIA_TABLE.is_match(l),
        "`NVIDIA Project Adoption Across All N Stacks`",
    )?;
    let of = c.captures(
        &NVIDIA_TABLE,
        "`NVIDIA Project Adoption Across All N Stacks`",
    )?[0];
    if of != total {
        return Err(c.error_prev(
            INCONSISTENT,
            format!("the NVIDIA table is out of {of} stacks, the summary out of {total}"),
        ));
    }
    for h in [
        "NVIDIA Project",
        "GitHub Repo",
        &format!("Stacks (of {total})"),
        &format!("% of {total}"),
        "Versions Observed",
    ] {
        c.expect(h)?;
    }
    let projects = projects(c)?;
    let (columns, usage) = usage(c)?;
    let notes: Vec<String> = c
        .take_until_heading(
            |c| c.peek(0).is_none_or(|l| l == KEY_FINDINGS),
            &format!("`{KEY_FINDINGS}`"),
        )?
        .into_iter()
        .map(|(_, l)| l.to_string())
        .collect();
    let non_nvidia_stacks = notes
        .iter()
        .find_map(|n| NON_NVIDIA.captures(n))
        .and_then(|m| m[1].parse().ok());
    Ok(PublishedNvidia {
        projects,
        columns,
        usage,
        notes,
        non_nvidia_stacks,
    })
}

/// The rows of `NVIDIA Project Adoption Across All N Stacks`.
fn projects(c: &mut Cursor) -> Result<Vec<NvidiaProject>, Diagnostic> {
    let mut projects = Vec::new();
    while c.peek(0).is_some_and(|l| l != NVIDIA_USAGE) {
        let (line, project) = c.next("an NVIDIA project")?;
        let (rl, repo) = c.next("a repository")?;
        if !REPO.is_match(repo) {
            return Err(c.error_at(
                rl,
                BAD_VALUE,
                format!("`{repo}` is not a repository `owner/name` (NVIDIA row `{project}`)"),
            ));
        }
        let (_, stacks) = c.next("a number of stacks")?;
        let stacks = c.number(stacks)?;
        let percent = c.captures(&PERCENT, "a percentage `p%`")?[0] as u32;
        let (vl, observed) = c.next("the versions observed")?;
        let versions = observed_versions(observed).ok_or_else(|| {
            c.error_at(vl, BAD_VALUE, format!("`{observed}` is not a list of `vX.Y (Submission)` nor `(versions not specified)`"))
        })?;
        projects.push(NvidiaProject {
            project: project.to_string(),
            repo: repo.to_string(),
            stacks,
            percent,
            versions,
            line,
        });
    }
    Ok(projects)
}

/// `NVIDIA Project Usage by Submission (detailed)`: its project columns and a row per submission.
fn usage(c: &mut Cursor) -> Result<(Vec<String>, Vec<NvidiaUsage>), Diagnostic> {
    c.expect(NVIDIA_USAGE)?;
    c.expect("Submission")?;
    c.expect("Version")?;
    let columns: Vec<String> = c
        .take_until_heading(
            |c| c.peek(0).is_none_or(|l| l == "NVIDIA Projects Used"),
            "`NVIDIA Projects Used`",
        )?
        .into_iter()
        .map(|(_, l)| l.to_string())
        .collect();
    c.expect("NVIDIA Projects Used")?;
    let mut usage = Vec::new();
    while c.peek(1).is_some_and(|l| VERSION.is_match(l)) {
        let (line, submission) = c.next("a submission")?;
        let (_, version) = c.next("a version")?;
        let mut cells = Vec::new();
        for col in &columns {
            let (cl, text) = c.next(&format!("the `{col}` cell of `{submission}`"))?;
            cells.push(Cell::parse(text).ok_or_else(|| {
                c.error_at(cl, BAD_CELL, format!("expected the `{col}` cell of `{submission}` ({version}) in the NVIDIA table (M, X or -), found `{text}`"))
            })?);
        }
        let (ul, used) = c.next("the number of NVIDIA projects used")?;
        let caps = USED.captures(used).ok_or_else(|| {
            c.error_at(ul, BAD_VALUE, format!("expected the number of NVIDIA projects `{submission}` uses (a count, optionally with `*` marks), found `{used}`"))
        })?;
        usage.push(NvidiaUsage {
            submission: submission.to_string(),
            version: version.to_string(),
            cells,
            used: c.number(&caps[1])?,
            marks: caps[2].to_string(),
            line,
        });
    }
    Ok((columns, usage))
}

/// `v1.0.1 (Giant Swarm), v25.3.4 (Palette)`, or `(versions not specified)`.
fn observed_versions(text: &str) -> Option<Vec<ObservedVersion>> {
    if text.starts_with('(') && text.ends_with(')') && text.contains("not specified") {
        return Some(Vec::new());
    }
    text.split(", ")
        .map(|part| {
            let m = OBSERVED.captures(part.trim())?;
            Some(ObservedVersion {
                version: m[1].to_string(),
                submission: m[2].to_string(),
            })
        })
        .collect()
}
