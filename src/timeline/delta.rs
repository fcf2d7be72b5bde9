//! Delta: what changed between two revisions `A..B` of a git corpus:
//! submissions added, removed and changed (by id, with platform and vendor),
//! Kubernetes version folders that appeared, every project's stacks and
//! share before and after, projects that appear or disappear, and names no
//! rule covers that more submissions use now ([`crate::scan::candidates`]).
//! Rendered as a document ([`crate::output::doc`]: text or Markdown), or the stable JSON object
//! of the command.

use crate::diagnostic::Code;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::output::doc::{self, Doc, Inline};
use crate::output::table::{CellValue, Format, Table};
use crate::rules::{RuleId, RuleSet};
use crate::scan::candidates::{self, Candidate, CandidateKind, ExampleJson};
use crate::source::corpus::SubmissionId;
use crate::source::git::Commit;
use crate::tables::{self, Mentions};
use crate::timeline::history::share;
use crate::timeline::revision::{Revisions, Snapshot};

/// A submission, as the delta names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionRef {
    pub id: String,
    pub platform: String,
    pub vendor: String,
}

/// One project's adoption before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectChange {
    pub rule: RuleId,
    pub stacks_before: usize,
    pub stacks_after: usize,
    pub total_before: usize,
    pub total_after: usize,
}

impl ProjectChange {
    pub fn share_before(&self) -> f64 {
        share(self.stacks_before, self.total_before)
    }

    pub fn share_after(&self) -> f64 {
        share(self.stacks_after, self.total_after)
    }
}

/// A name no rule covers, with how many submissions named it before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncovered {
    pub candidate: Candidate,
    /// Submission ids (`v1.35/oke`) naming it after.
    pub submissions: Vec<String>,
    pub before: usize,
}

/// Everything that changed between two revisions.
#[derive(Clone, Debug)]
pub struct Delta {
    /// The revisions as the user wrote them.
    pub from_rev: String,
    pub to_rev: String,
    pub from: Commit,
    pub to: Commit,
    pub added: Vec<SubmissionRef>,
    pub removed: Vec<SubmissionRef>,
    pub changed: Vec<SubmissionRef>,
    pub new_versions: Vec<String>,
    pub removed_versions: Vec<String>,
    /// Every rule, most stacks after first.
    pub projects: Vec<ProjectChange>,
    pub uncovered: Vec<Uncovered>,
    /// Problems met reading revision B (malformed or skipped files), as a scan reports them.
    pub diagnostics: Vec<Diagnostic>,
}

impl Delta {
    /// Projects no submission named before and some name after.
    pub fn appeared(&self) -> impl Iterator<Item = &ProjectChange> {
        self.projects
            .iter()
            .filter(|p| p.stacks_before == 0 && p.stacks_after > 0)
    }

    /// Projects some submission named before and none after.
    pub fn disappeared(&self) -> impl Iterator<Item = &ProjectChange> {
        self.projects
            .iter()
            .filter(|p| p.stacks_before > 0 && p.stacks_after == 0)
    }
}

/// Splits `A..B` (`A..` means `A..HEAD`); three dots are refused.
pub fn parse_range(range: &str) -> Result<(String, String), Diagnostic> {
    let bad = |why: &str| {
        Diagnostic::error(Code::E265, range, format!("not a revision range: {why}"))
            .with_help("write A..B, e.g. `aiconf delta baseline-223d15f..head`")
    };
    if range.contains("...") {
        return Err(bad("`...` (symmetric difference) is not supported"));
    }
    let (a, b) = range.split_once("..").ok_or_else(|| bad("no `..`"))?;
    if a.is_empty() {
        return Err(bad("the first revision is missing"));
    }
    Ok((
        a.to_string(),
        if b.is_empty() {
            "HEAD".to_string()
        } else {
            b.to_string()
        },
    ))
}

/// Scans both revisions (sharing the file cache) and compares them.
pub fn delta(
    revs: &Revisions,
    from_rev: &str,
    to_rev: &str,
    mentions: Mentions,
) -> Result<Delta, Diagnostic> {
    let from = revs.repo().resolve(from_rev)?;
    let to = revs.repo().resolve(to_rev)?;
    let a = revs.scan(&from)?;
    let b = revs.scan(&to)?;
    let (added, removed, changed) = submissions(&a, &b);
    let (va, vb) = (&a.version_folders, &b.version_folders);
    Ok(Delta {
        from_rev: from_rev.to_string(),
        to_rev: to_rev.to_string(),
        new_versions: vb.iter().filter(|v| !va.contains(v)).cloned().collect(),
        removed_versions: va.iter().filter(|v| !vb.contains(v)).cloned().collect(),
        projects: projects(revs.rules, &a, &b, mentions),
        uncovered: uncovered(revs, &a, &b),
        diagnostics: b.scan.diagnostics.clone(),
        added,
        removed,
        changed,
        from,
        to,
    })
}

type Refs = Vec<SubmissionRef>;

/// A submission's files with their blob ids.
type Files = Vec<(String, Option<String>)>;

/// Added, removed and changed submissions (changed: any file added, removed or edited).
fn submissions(a: &Snapshot, b: &Snapshot) -> (Refs, Refs, Refs) {
    let files = |s: &Snapshot| -> BTreeMap<String, (SubmissionId, Files)> {
        s.corpus
            .submissions
            .iter()
            .enumerate()
            .map(|(i, sub)| {
                let f = sub
                    .files
                    .iter()
                    .map(|f| (f.path.clone(), f.content_id.clone()))
                    .collect();
                (sub.id.clone(), (SubmissionId(i as u32), f))
            })
            .collect()
    };
    let named = |s: &Snapshot, id: SubmissionId| {
        let info = s.scan.submission(id);
        SubmissionRef {
            id: info.id.clone(),
            platform: info.platform.clone(),
            vendor: info.vendor.clone(),
        }
    };
    let (fa, fb) = (files(a), files(b));
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for (id, (sb, files_b)) in &fb {
        match fa.get(id) {
            None => added.push(named(b, *sb)),
            Some((_, files_a)) if files_a != files_b => changed.push(named(b, *sb)),
            Some(_) => {}
        }
    }
    let removed = fa
        .iter()
        .filter(|(id, _)| !fb.contains_key(*id))
        .map(|(_, (sa, _))| named(a, *sa))
        .collect();
    (added, removed, changed)
}

fn projects(rules: &RuleSet, a: &Snapshot, b: &Snapshot, mentions: Mentions) -> Vec<ProjectChange> {
    let stacks = |s: &Snapshot| -> BTreeMap<RuleId, usize> {
        let all: Vec<SubmissionId> = s.scan.submission_ids().collect();
        tables::adoption(&s.scan, rules, &all, mentions)
            .into_iter()
            .map(|x| (x.rule, x.stacks))
            .collect()
    };
    let (sa, sb) = (stacks(a), stacks(b));
    let mut out: Vec<ProjectChange> = rules
        .ids()
        .map(|rule| ProjectChange {
            rule,
            stacks_before: sa.get(&rule).copied().unwrap_or(0),
            stacks_after: sb.get(&rule).copied().unwrap_or(0),
            total_before: a.scan.submissions.len(),
            total_after: b.scan.submissions.len(),
        })
        .collect();
    out.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.stacks_after),
            std::cmp::Reverse(p.stacks_before),
            p.rule,
        )
    });
    out
}

/// Candidates named by more submissions after than before.
fn uncovered(revs: &Revisions, a: &Snapshot, b: &Snapshot) -> Vec<Uncovered> {
    let find = |s: &Snapshot| {
        let source = revs.source(&s.commit);
        let (_, templates) = revs.templates(&source, &s.corpus);
        candidates::find(&source, &s.corpus, revs.matcher(), &templates)
    };
    let before: BTreeMap<(candidates::CandidateKind, String), usize> = find(a)
        .into_iter()
        .map(|c| ((c.kind, c.name.to_lowercase()), c.submissions.len()))
        .collect();
    find(b)
        .into_iter()
        .filter_map(|c| {
            let was = before
                .get(&(c.kind, c.name.to_lowercase()))
                .copied()
                .unwrap_or(0);
            (c.submissions.len() > was).then(|| Uncovered {
                submissions: c
                    .submissions
                    .iter()
                    .map(|&s| b.corpus.get(s).id.clone())
                    .collect(),
                before: was,
                candidate: c,
            })
        })
        .collect()
}

/// `delta --format json`, the stable object (every object's keys in alphabetical order, as the
/// contract has always had them).
#[derive(Serialize)]
pub struct DeltaJson<'a> {
    /// Projects no submission named before and some name after.
    pub appeared: Vec<&'a str>,
    /// Projects some submission named before and none after.
    pub disappeared: Vec<&'a str>,
    /// Revision A as written.
    pub from: &'a str,
    pub from_commit: &'a str,
    pub from_date: &'a str,
    pub new_versions: &'a [String],
    /// Every rule, most stacks after first.
    pub projects: Vec<ProjectJson<'a>>,
    pub removed_versions: &'a [String],
    pub submissions: SubmissionsJson<'a>,
    /// Revision B as written.
    pub to: &'a str,
    pub to_commit: &'a str,
    pub to_date: &'a str,
    pub uncovered: Vec<UncoveredJson<'a>>,
}

/// Submissions before and after, and which were added, removed or changed.
#[derive(Serialize)]
pub struct SubmissionsJson<'a> {
    pub added: Vec<SubmissionRefJson<'a>>,
    pub after: usize,
    pub before: usize,
    pub changed: Vec<SubmissionRefJson<'a>>,
    pub removed: Vec<SubmissionRefJson<'a>>,
}

/// A submission: id, platform, vendor.
#[derive(Serialize)]
pub struct SubmissionRefJson<'a> {
    pub id: &'a str,
    pub platform: &'a str,
    pub vendor: &'a str,
}

/// One project's stacks and share before and after.
#[derive(Serialize)]
pub struct ProjectJson<'a> {
    pub project: &'a str,
    pub share_after: f64,
    pub share_before: f64,
    pub stacks_after: usize,
    pub stacks_before: usize,
}

/// A name no rule covers, with the submissions naming it before and after.
#[derive(Serialize)]
pub struct UncoveredJson<'a> {
    pub example: ExampleJson<'a>,
    pub kind: CandidateKind,
    pub name: &'a str,
    /// Ids of the submissions naming it after.
    pub submissions: &'a [String],
    pub submissions_after: usize,
    pub submissions_before: usize,
}

/// The stable JSON object.
pub fn json<'a>(d: &'a Delta, rules: &'a RuleSet) -> DeltaJson<'a> {
    let refs = |v: &'a [SubmissionRef]| -> Vec<SubmissionRefJson<'a>> {
        v.iter()
            .map(|s| SubmissionRefJson {
                id: &s.id,
                platform: &s.platform,
                vendor: &s.vendor,
            })
            .collect()
    };
    let name = |p: &ProjectChange| rules.get(p.rule).name.as_str();
    DeltaJson {
        appeared: d.appeared().map(name).collect(),
        disappeared: d.disappeared().map(name).collect(),
        from: &d.from_rev,
        from_commit: &d.from.id,
        from_date: &d.from.date,
        new_versions: &d.new_versions,
        projects: d
            .projects
            .iter()
            .map(|p| ProjectJson {
                project: name(p),
                share_after: p.share_after(),
                share_before: p.share_before(),
                stacks_after: p.stacks_after,
                stacks_before: p.stacks_before,
            })
            .collect(),
        removed_versions: &d.removed_versions,
        submissions: SubmissionsJson {
            added: refs(&d.added),
            after: d.projects.first().map_or(0, |p| p.total_after),
            before: d.projects.first().map_or(0, |p| p.total_before),
            changed: refs(&d.changed),
            removed: refs(&d.removed),
        },
        to: &d.to_rev,
        to_commit: &d.to.id,
        to_date: &d.to.date,
        uncovered: d
            .uncovered
            .iter()
            .map(|u| UncoveredJson {
                example: ExampleJson::new(&u.candidate.example),
                kind: u.candidate.kind,
                name: &u.candidate.name,
                submissions: &u.submissions,
                submissions_after: u.submissions.len(),
                submissions_before: u.before,
            })
            .collect(),
    }
}

/// Text or Markdown: a heading, then one table per part that is not empty.
/// `uncovered_top` limits the uncovered names shown (JSON has them all).
pub fn render(d: &Delta, rules: &RuleSet, format: Format, uncovered_top: usize) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(&json(d, rules)).unwrap_or_default() + "\n",
        Format::Markdown => doc::markdown::markdown(
            &document(d, rules, uncovered_top),
            doc::markdown::Options::default(),
        ),
        _ => doc::text::text(
            &document(d, rules, uncovered_top),
            doc::text::Options::default(),
        ),
    }
}

/// The delta as a document: its range and counts, then a heading and a table per part.
pub fn document(d: &Delta, rules: &RuleSet, uncovered_top: usize) -> Doc {
    let mut doc = Doc::default();
    let total = |f: fn(&ProjectChange) -> usize| d.projects.first().map_or(0, f);
    doc.heading(
        2,
        format!(
            "Delta {} ({}, {}) .. {} ({}, {}): {} -> {} submissions",
            d.from_rev,
            d.from.short(),
            d.from.day(),
            d.to_rev,
            d.to.short(),
            d.to.day(),
            total(|p| p.total_before),
            total(|p| p.total_after),
        ),
    );
    submissions_changed(&mut doc, d);
    versions(&mut doc, d);
    projects_changed(&mut doc, d, rules);
    uncovered_names(&mut doc, d, uncovered_top);
    doc
}

/// Added, removed and changed submissions: a table each, unless there are none.
fn submissions_changed(doc: &mut Doc, d: &Delta) {
    for (title, list) in [
        ("Added submissions", &d.added),
        ("Removed submissions", &d.removed),
        ("Changed submissions", &d.changed),
    ] {
        if list.is_empty() {
            continue;
        }
        doc.heading(3, format!("{title} ({})", list.len()));
        let mut t = Table::new(&["Submission", "Platform", "Vendor"]);
        for s in list {
            t.push(vec![
                CellValue::from(&s.id),
                CellValue::from(&s.platform),
                CellValue::from(&s.vendor),
            ]);
        }
        doc.table(t);
    }
}

/// Kubernetes version folders that appeared or went, one line each.
fn versions(doc: &mut Doc, d: &Delta) {
    let mut lines = Vec::new();
    for (what, list) in [("new", &d.new_versions), ("gone", &d.removed_versions)] {
        if !list.is_empty() {
            if !lines.is_empty() {
                lines.push(Inline::Break);
            }
            lines.push(Inline::Raw(format!("{what}: {}", list.join(", "))));
        }
    }
    if !lines.is_empty() {
        doc.heading(3, "Kubernetes versions");
        doc.paragraph(lines);
    }
}

/// Every project some submission names before or after: stacks, shares and the change.
fn projects_changed(doc: &mut Doc, d: &Delta, rules: &RuleSet) {
    let named: Vec<&ProjectChange> = d
        .projects
        .iter()
        .filter(|p| p.stacks_before > 0 || p.stacks_after > 0)
        .collect();
    doc.heading(3, format!("Projects ({} named)", named.len()));
    let mut t = Table::new(&[
        "Project",
        "Stacks before",
        "Stacks after",
        "Share before",
        "Share after",
        "Change",
    ]);
    for p in named {
        let change = match (p.stacks_before, p.stacks_after) {
            (0, _) => "appears".to_string(),
            (_, 0) => "disappears".to_string(),
            (x, y) => format!("{:+}", y as i64 - x as i64),
        };
        t.push(vec![
            CellValue::from(&rules.get(p.rule).name),
            CellValue::from(&p.stacks_before),
            CellValue::from(&p.stacks_after),
            CellValue::from(percent(p.share_before())),
            CellValue::from(percent(p.share_after())),
            CellValue::from(&change),
        ]);
    }
    doc.table(t);
}

/// The first `top` names no rule covers that more submissions name now.
fn uncovered_names(doc: &mut Doc, d: &Delta, top: usize) {
    if d.uncovered.is_empty() {
        return;
    }
    let shown = d.uncovered.len().min(top);
    doc.heading(
        3,
        format!(
            "Named now, covered by no rule (top {shown} of {})",
            d.uncovered.len()
        ),
    );
    let mut t = Table::new(&["Name", "Kind", "Before", "After", "Example"]);
    for u in d.uncovered.iter().take(top) {
        let e = &u.candidate.example;
        t.push(vec![
            CellValue::from(&u.candidate.name),
            CellValue::from(u.candidate.kind.as_str()),
            CellValue::from(&u.before),
            CellValue::from(u.submissions.len()),
            CellValue::from(format!("{}:{}: {}", e.file, e.line, e.quote)),
        ]);
    }
    doc.table(t);
}

/// `0.6429` -> `64.3%`.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range("a..b").unwrap(),
            ("a".to_string(), "b".to_string())
        );
        assert_eq!(
            parse_range("v1..").unwrap(),
            ("v1".to_string(), "HEAD".to_string())
        );
        for bad in ["a...b", "..b", "ab"] {
            assert_eq!(parse_range(bad).unwrap_err().code, Code::E265, "{bad}");
        }
    }
}
