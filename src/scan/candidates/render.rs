//! The candidates as a table (text, Markdown, CSV) and as `candidates --format json`.

use serde::Serialize;

use super::{Candidate, CandidateKind, Example};
use crate::output::table::{CellValue, Table};
use crate::source::corpus::Corpus;

/// The candidates in `format`; an empty answer says `(no candidates)` under
/// the header of the aligned table and Markdown (`[]` in JSON, the header in CSV).
pub fn render(
    found: &[Candidate],
    corpus: &Corpus,
    format: crate::output::table::Format,
) -> String {
    use crate::output::table::Format;
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&json(found, corpus)).unwrap_or_default() + "\n"
        }
        Format::Table | Format::Markdown if found.is_empty() => {
            table(found).render(format) + "(no candidates)\n"
        }
        f => table(found).render(f),
    }
}

/// The candidates as a table: rank, name, kind, submissions, mentions, example.
pub fn table(found: &[Candidate]) -> Table {
    let mut t = Table::new(&[
        "Rank",
        "Candidate",
        "CandidateKind",
        "Submissions",
        "Mentions",
        "Example",
        "Quote",
    ]);
    for (i, c) in found.iter().enumerate() {
        let e = &c.example;
        t.push(vec![
            CellValue::from(i + 1),
            CellValue::from(&c.name),
            CellValue::from(c.kind.as_str()),
            CellValue::from(c.submissions.len()),
            CellValue::from(&c.mentions),
            CellValue::from(format!("{}:{}:{}", e.file, e.line, e.column)),
            CellValue::from(&e.quote),
        ]);
    }
    t
}

/// `candidates --format json`: one object per candidate (keys in alphabetical order, as the
/// contract has always had them).
#[derive(Serialize)]
pub struct CandidateJson<'a> {
    pub example: ExampleJson<'a>,
    pub kind: CandidateKind,
    pub mentions: usize,
    pub name: &'a str,
    /// Ids of the submissions naming it.
    pub submissions: Vec<&'a str>,
}

/// A candidate's first mention.
#[derive(Serialize)]
pub struct ExampleJson<'a> {
    pub column: usize,
    pub file: &'a str,
    pub line: usize,
    pub quote: &'a str,
    pub submission: &'a str,
}

impl<'a> ExampleJson<'a> {
    pub fn new(e: &'a Example) -> ExampleJson<'a> {
        ExampleJson {
            column: e.column,
            file: &e.file,
            line: e.line,
            quote: &e.quote,
            submission: &e.submission,
        }
    }
}

/// The JSON form: every candidate with the ids of the submissions naming it.
pub fn json<'a>(found: &'a [Candidate], corpus: &'a Corpus) -> Vec<CandidateJson<'a>> {
    found
        .iter()
        .map(|c| CandidateJson {
            example: ExampleJson::new(&c.example),
            kind: c.kind,
            mentions: c.mentions,
            name: &c.name,
            submissions: c
                .submissions
                .iter()
                .map(|&s| corpus.get(s).id.as_str())
                .collect(),
        })
        .collect()
}
