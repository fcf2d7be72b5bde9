//! History: the adoption of every project at every commit of the first-parent
//! line that changed a submission, oldest first. Revisions are scanned
//! through [`Revisions`], so a file is scanned once however many commits
//! keep it. Rendered as CSV (one row per commit, one column per project),
//! JSON, or an SVG line chart ([`crate::output::chart`]).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::output::chart::{self, Chart, Series};
use crate::output::table::{CellValue, Table};
use crate::rules::{RuleId, RuleSet};
use crate::source::corpus::{Corpus, SubmissionId};
use crate::source::git::Commit;
use crate::tables::{self, Mentions};
use crate::timeline::revision::{self, Revisions};

/// Adoption at one commit.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub commit: Commit,
    /// Tags pointing at the commit.
    pub tags: Vec<String>,
    pub submissions: usize,
    /// Stacks per rule, indexed by [`RuleId`].
    pub stacks: Vec<usize>,
}

/// Adoption over a history.
#[derive(Clone, Debug)]
pub struct History {
    pub points: Vec<Point>,
    /// Commits on the line, including those that changed no submission.
    pub commits: usize,
    /// Problems met at the last point (the newest revision).
    pub diagnostics: Vec<Diagnostic>,
}

impl History {
    /// Rules ordered by stacks at the newest point (most first), then rule order.
    pub fn order(&self, rules: &RuleSet) -> Vec<RuleId> {
        let last = self.points.last();
        let mut ids: Vec<RuleId> = rules.ids().collect();
        ids.sort_by_key(|r| {
            (
                std::cmp::Reverse(last.map_or(0, |p| p.stacks[r.0 as usize])),
                *r,
            )
        });
        ids
    }
}

/// A window of the line listed before its revisions are scanned: at most this many revisions
/// that changed a submission, or of files listed in them, are held at once.
const WINDOW_REVISIONS: usize = 64;
const WINDOW_FILES: usize = 200_000;

/// A revision listed, that changed a submission.
struct Listed {
    commit: Commit,
    corpus: Corpus,
    diagnostics: Vec<Diagnostic>,
}

/// Scans every commit of the first-parent line up to `to` that changed a
/// submission. `progress(done, total)` is called as each commit is listed.
///
/// Two passes over each window of the line: its revisions are listed one after another (trees
/// read through the repository's one `cat-file` process, each folder once) while the files each
/// adds are scanned on rayon's pool meanwhile ([`Revisions::prefetch`]); then each revision's
/// scan is put together from those file scans.
pub fn history(
    revs: &Revisions,
    to: &Commit,
    mentions: Mentions,
    progress: &dyn Fn(usize, usize),
) -> Result<History, Diagnostic> {
    // Two git commands, run at once.
    let (line, tags) = std::thread::scope(|s| {
        let tags = s.spawn(|| revs.repo().tags());
        let line = revs.repo().first_parent_line(to);
        (line, tags.join().unwrap_or_default())
    });
    let line = line?;
    let mut points = Vec::new();
    let mut diagnostics = Vec::new();
    let mut previous: Option<Vec<(String, Option<String>)>> = None;
    let mut next = 0;
    while next < line.len() {
        let mut window: Vec<Listed> = Vec::new();
        let listed: Result<(), Diagnostic> = rayon::in_place_scope(|scope| {
            let mut files = 0;
            while next < line.len() && window.len() < WINDOW_REVISIONS && files < WINDOW_FILES {
                let commit = &line[next];
                next += 1;
                let (corpus, diags) = revs.load(commit)?;
                progress(next, line.len());
                let sig: Vec<(String, Option<String>)> = revision::signature(&corpus)
                    .into_iter()
                    .map(|(p, c)| (p.to_string(), c.map(str::to_string)))
                    .collect();
                if previous.as_ref() == Some(&sig) || (previous.is_none() && sig.is_empty()) {
                    continue;
                }
                previous = Some(sig);
                revs.prefetch(scope, commit, &corpus);
                files += corpus
                    .submissions
                    .iter()
                    .map(|s| s.files.len())
                    .sum::<usize>();
                window.push(Listed {
                    commit: commit.clone(),
                    corpus,
                    diagnostics: diags,
                });
            }
            Ok(())
        });
        listed?;
        revs.forget_bytes();
        for l in window {
            let scan = revs.scan_loaded(&l.commit, &l.corpus, l.diagnostics);
            let all: Vec<SubmissionId> = scan.submission_ids().collect();
            let mut stacks = vec![0; revs.rules.rules.len()];
            for a in tables::adoption(&scan, revs.rules, &all, mentions) {
                stacks[a.rule.0 as usize] = a.stacks;
            }
            points.push(Point {
                tags: tags
                    .iter()
                    .filter(|(c, _)| *c == l.commit.id)
                    .map(|(_, t)| t.clone())
                    .collect(),
                commit: l.commit,
                submissions: scan.submissions.len(),
                stacks,
            });
            diagnostics = scan.diagnostics;
        }
    }
    Ok(History {
        points,
        commits: line.len(),
        diagnostics,
    })
}

/// One row per commit: `Commit, Date, Tags, Submissions`, then the stacks of every project.
pub fn table(h: &History, rules: &RuleSet) -> Table {
    let order = h.order(rules);
    let mut columns: Vec<String> = ["Commit", "Date", "Tags", "Submissions"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    columns.extend(order.iter().map(|&r| rules.get(r).name.clone()));
    let mut t = Table {
        columns,
        rows: Vec::new(),
    };
    for p in &h.points {
        let mut row = vec![
            CellValue::from(p.commit.short()),
            CellValue::from(&p.commit.date),
            CellValue::from(p.tags.join(" ")),
            CellValue::from(&p.submissions),
        ];
        row.extend(
            order
                .iter()
                .map(|&r| CellValue::from(p.stacks[r.0 as usize])),
        );
        t.push(row);
    }
    t
}

/// One commit of `history --format json` (keys in alphabetical order, as the contract has always
/// had them).
#[derive(Serialize)]
pub struct PointJson<'a> {
    /// The full commit id.
    pub commit: &'a str,
    pub date: &'a str,
    /// Every project, in the order of [`History::order`].
    pub projects: Vec<ProjectPointJson<'a>>,
    pub subject: &'a str,
    pub submissions: usize,
    pub tags: &'a [String],
}

/// One project's adoption at one commit.
#[derive(Serialize)]
pub struct ProjectPointJson<'a> {
    pub project: &'a str,
    /// Stacks over the submissions, to four places.
    pub share: f64,
    pub stacks: usize,
}

/// `[{commit, date, projects: [{project, share, stacks}], subject, submissions, tags}]`.
pub fn json<'a>(h: &'a History, rules: &'a RuleSet) -> Vec<PointJson<'a>> {
    let order = h.order(rules);
    h.points
        .iter()
        .map(|p| PointJson {
            commit: &p.commit.id,
            date: &p.commit.date,
            projects: order
                .iter()
                .map(|&r| {
                    let stacks = p.stacks[r.0 as usize];
                    ProjectPointJson {
                        project: &rules.get(r).name,
                        share: share(stacks, p.submissions),
                        stacks,
                    }
                })
                .collect(),
            subject: &p.commit.subject,
            submissions: p.submissions,
            tags: &p.tags,
        })
        .collect()
}

/// Share of `total`, rounded to 4 decimals.
pub fn share(stacks: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        (stacks as f64 / total as f64 * 10_000.0).round() / 10_000.0
    }
}

/// The forms `aiconf history` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HistoryFormat {
    /// One row per commit, one column per project (stacks).
    #[default]
    Csv,
    Json,
    /// A line chart of the top projects.
    Svg,
}

impl crate::output::Choice for HistoryFormat {
    const CHOICES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "csv",
            HistoryFormat::Csv,
            "One row per commit, one column per project (stacks)",
        ),
        ("json", HistoryFormat::Json, ""),
        (
            "svg",
            HistoryFormat::Svg,
            "A line chart of the top projects",
        ),
    ];
}

/// What the chart's y axis shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Metric {
    /// Percent of the submissions at that commit.
    #[default]
    Share,
    /// Number of submissions naming the project.
    Stacks,
}

impl crate::output::Choice for Metric {
    const CHOICES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "share",
            Metric::Share,
            "Percent of the submissions at that commit",
        ),
        (
            "stacks",
            Metric::Stacks,
            "Number of submissions naming the project",
        ),
    ];
}

/// The line chart of the `top` projects (by stacks at the newest commit).
pub fn svg(h: &History, rules: &RuleSet, top: usize, metric: Metric) -> String {
    let order: Vec<RuleId> = h
        .order(rules)
        .into_iter()
        .filter(|r| h.points.iter().any(|p| p.stacks[r.0 as usize] > 0))
        .take(top)
        .collect();
    let series = order
        .iter()
        .map(|&r| Series {
            name: rules.get(r).name.clone(),
            points: h
                .points
                .iter()
                .filter_map(|p| {
                    let y = match metric {
                        Metric::Share => share(p.stacks[r.0 as usize], p.submissions) * 100.0,
                        Metric::Stacks => p.stacks[r.0 as usize] as f64,
                    };
                    Some((chart::epoch_seconds(&p.commit.date)?, y))
                })
                .collect(),
        })
        .collect();
    let (title, y_label) = match metric {
        Metric::Share => (
            format!("Adoption of the top {} projects over time", order.len()),
            "% of submissions",
        ),
        Metric::Stacks => (
            format!("Adoption of the top {} projects over time", order.len()),
            "submissions naming it",
        ),
    };
    let y_max = match metric {
        Metric::Share => 100.0,
        Metric::Stacks => h
            .points
            .iter()
            .map(|p| p.submissions)
            .max()
            .unwrap_or(1)
            .max(1) as f64,
    };
    Chart {
        title,
        y_label: y_label.to_string(),
        y_max,
        series,
    }
    .svg()
}
