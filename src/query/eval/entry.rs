//! [`Entry`]: a result row as an [`Answer`] keeps it. The rows of `submissions` and
//! `findings` without `group by` (tens of thousands at scale) are ids into the scan, their
//! columns read from it when the row is shown: written straight into the aligned table
//! ([`Entry::write`]), or made into values ([`Entry::row`]) for the other formats, `explain`,
//! `having` and `order by`. Every other row is made with its values ([`Entry::Made`]).

use std::borrow::Cow;

use super::*;
use crate::output::table::Shown;
use crate::scan::version::VersionKind;

/// One row of an answer.
#[derive(Clone, Debug)]
pub enum Entry {
    /// Values made for the row (adoption, projects, groups, the matrix).
    Made(Row),
    /// A submission (`submissions` without `group by`): its id, Kubernetes version, platform
    /// and vendor; behind it, its findings of the projects `uses` names.
    Submission(SubmissionId),
    /// A finding (`findings` without `group by`), by its place in the scan's findings.
    Finding(u32),
}

/// What an entry's columns are read from: the scan and rules the answer was made from, and the
/// projects its `uses` names.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub scan: &'a Scan,
    pub rules: &'a RuleSet,
    pub uses: &'a [RuleId],
}

impl Entry {
    /// The row with its values.
    pub fn row(&self, at: Reader<'_>) -> Cow<'_, Row> {
        match self {
            Entry::Made(r) => Cow::Borrowed(r),
            Entry::Submission(s) => Cow::Owned(submission_row(*s, at)),
            Entry::Finding(i) => Cow::Owned(finding_row(&at.scan.findings[*i as usize], at)),
        }
    }

    /// The value of column `c`.
    pub fn cell(&self, c: usize, at: Reader<'_>) -> Option<Cow<'_, Val>> {
        match self {
            Entry::Made(r) => r.cells.get(c).map(Cow::Borrowed),
            other => other
                .row(at)
                .into_owned()
                .cells
                .into_iter()
                .nth(c)
                .map(Cow::Owned),
        }
    }

    /// Writes the text of column `c` (column `quote` holding quotes) into `out` as
    /// [`Answer::table`] would show its value, without making the value.
    pub fn write(&self, c: usize, quote: Option<usize>, at: Reader<'_>, out: &mut String) -> Shown {
        match self {
            Entry::Made(r) => match r.cells.get(c) {
                Some(v) => {
                    v.write_text(out);
                    match v {
                        Val::Int(_) => Shown::Number,
                        Val::Text(_) if Some(c) == quote => Shown::Quote,
                        _ => Shown::Text,
                    }
                }
                None => Shown::Text,
            },
            Entry::Submission(s) => {
                let i = at.scan.submission(*s);
                out.push_str(match c {
                    0 => &i.id,
                    1 => Version::shown(&i.kubernetes_version),
                    2 => &i.platform,
                    _ => &i.vendor,
                });
                Shown::Text
            }
            Entry::Finding(i) => {
                write_finding(&at.scan.findings[*i as usize], c, at, out);
                match c {
                    5 => Shown::Number,
                    _ if Some(c) == quote => Shown::Quote,
                    _ => Shown::Text,
                }
            }
        }
    }
}

/// Rows touched ahead of writing them ([`Entry::touch`]).
pub const AHEAD: usize = 16;

impl Entry {
    /// Reads a byte of each text the row shows that lives apart from the others (a
    /// submission's or a finding's, or a group's, scattered over memory), so that written one after the other
    /// the rows do not wait for memory one text at a time: touched [`AHEAD`] rows at a time,
    /// their reads are independent and go out together. What it read, to be used (so it is read).
    pub fn touch(&self, at: Reader<'_>) -> u8 {
        let first = |t: &str| t.as_bytes().first().copied().unwrap_or(0);
        match self {
            Entry::Made(r) => r.cells.iter().fold(0, |t, v| match v {
                Val::Text(s) | Val::Project(s) | Val::Sub(_, s) | Val::Vendor(s) => t ^ first(s),
                _ => t,
            }),
            Entry::Submission(s) => {
                let i = at.scan.submission(*s);
                first(&i.id) ^ first(&i.kubernetes_version) ^ first(&i.platform) ^ first(&i.vendor)
            }
            Entry::Finding(i) => {
                let f = &at.scan.findings[*i as usize];
                let e = f
                    .evidence
                    .first()
                    .map_or(0, |e| first(&e.quote) ^ first(&e.file));
                let v = f.versions.first().map_or(0, |v| first(v));
                e ^ v ^ first(&at.scan.submission(f.submission).id)
            }
        }
    }
}

/// The row of submission `s`.
fn submission_row(s: SubmissionId, at: Reader<'_>) -> Row {
    let i = at.scan.submission(s);
    let behind: Pairs = at
        .uses
        .iter()
        .filter(|&&r| at.scan.finding(s, r).is_some())
        .map(|&r| (s, r))
        .collect();
    Row {
        cells: vec![
            Val::Sub(s.0, i.id.clone()),
            version_val(&i.kubernetes_version),
            Val::Text(i.platform.clone()),
            Val::Text(i.vendor.clone()),
        ],
        behind: match behind.is_empty() {
            true => Behind::Nothing,
            false => Behind::Findings(behind),
        },
    }
}

/// The row of finding `f`: submission, project, cell, versions, negated, mentions, sections,
/// where its first mention is (`file:line`) and its quote.
fn finding_row(f: &Finding, at: Reader<'_>) -> Row {
    let (s, r) = (f.submission, f.rule);
    let first = f.evidence.first();
    Row {
        cells: vec![
            Val::Sub(s.0, at.scan.submission(s).id.clone()),
            Val::Project(at.rules.get(r).name.clone()),
            Val::Cell(f.cell),
            Val::List(f.version_labels()),
            Val::Bool(f.negated),
            Val::Int(f.mentions as i64),
            Val::List(sections(f)),
            Val::Text(
                first
                    .map(|e| format!("{}:{}", e.file, e.line))
                    .unwrap_or_default(),
            ),
            Val::Text(first.map(|e| e.quote.clone()).unwrap_or_default()),
        ],
        behind: Behind::Findings(vec![(s, r)]),
    }
}

/// Writes the text of column `c` of [`finding_row`] into `out`.
fn write_finding(f: &Finding, c: usize, at: Reader<'_>, out: &mut String) {
    use std::fmt::Write;
    let first = f.evidence.first();
    match c {
        0 => out.push_str(&at.scan.submission(f.submission).id),
        1 => out.push_str(&at.rules.get(f.rule).name),
        2 => out.push_str(f.cell.as_str()),
        3 => {
            for (i, v) in f.versions.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                // As `VersionKind::label`: a project's own version bare.
                out.push_str(v);
                match f.version_kinds.get(i).copied().unwrap_or_default() {
                    VersionKind::Project => {}
                    k => {
                        let _ = write!(out, " ({})", k.as_str());
                    }
                }
            }
        }
        4 => out.push_str(if f.negated { "true" } else { "false" }),
        5 => {
            let _ = write!(out, "{}", f.mentions);
        }
        6 => crate::query::value::join_into(f.sections.names(), out),
        7 => {
            if let Some(e) = first {
                let _ = write!(out, "{}:{}", e.file, e.line);
            }
        }
        _ => out.push_str(first.map_or("", |e| e.quote.as_str())),
    }
}
