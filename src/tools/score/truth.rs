//! A truth set: hand labels of submissions, one JSON file per submission
//! (`vMAJOR.MINOR__<folder>.json`, the format of `truth/README.md`), and an
//! optional `projects.txt` naming the project rows that are scored.
//!
//! Loading checks every file and returns all of its problems at once, each
//! naming the file, and the line and column where JSON gives them.

use crate::diagnostic::Code;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::scan::finding::Cell;

/// Every label of a truth folder.
#[derive(Clone, Debug, Default)]
pub struct Truth {
    /// The folder, as given.
    pub dir: String,
    /// One per labelled submission, by file name.
    pub labels: Vec<Label>,
    /// The rows of `projects.txt` (empty when the folder has none).
    pub rows: Vec<String>,
}

/// The labels of one submission.
#[derive(Clone, Debug)]
pub struct Label {
    /// The label file, as a path under the truth folder.
    pub file: String,
    /// `v1.35/kops`
    pub submission: String,
    /// Project row name -> its label, in file order.
    pub projects: Vec<(String, Labelled)>,
}

/// One labelled cell.
#[derive(Clone, Debug)]
pub struct Labelled {
    /// `M` or `X`.
    pub cell: Cell,
    /// The versions written with the project (`M` only), as written.
    pub versions: Vec<String>,
    pub evidence: Vec<Quote>,
}

/// A fragment of a line of a submission's file.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
pub struct Quote {
    /// Relative to the submission's folder.
    pub file: String,
    pub quote: String,
}

#[derive(Deserialize)]
struct RawLabel {
    submission: String,
    #[serde(default)]
    projects: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCell {
    cell: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    evidence: Vec<Quote>,
    /// The labeller's remark on this cell (not scored).
    #[serde(default, rename = "note")]
    _note: Option<String>,
}

/// Reads every `*.json` label of `dir` and its `projects.txt`.
pub fn load(dir: &Path) -> Result<Truth, Vec<Diagnostic>> {
    let shown = dir.display().to_string();
    let files = label_files(dir, &shown)?;
    let mut truth = Truth {
        dir: shown.clone(),
        ..Truth::default()
    };
    let mut problems = Vec::new();
    if files.is_empty() {
        problems.push(
            Diagnostic::error(
                Code::E700,
                &shown,
                "the truth folder has no label files (*.json)",
            )
            .with_help(
                "a truth folder holds one vMAJOR.MINOR__<folder>.json per labelled submission",
            ),
        );
    }
    for path in &files {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => match parse_label(&name, &text) {
                Ok(label) => truth.labels.push(label),
                Err(mut ds) => problems.append(&mut ds),
            },
            Err(e) => problems.push(Diagnostic::error(
                Code::E700,
                &name,
                format!("cannot read the label file: {e}"),
            )),
        }
    }
    let rows = dir.join("projects.txt");
    if rows.exists() {
        match std::fs::read_to_string(&rows) {
            Ok(text) => truth.rows = parse_rows(&text),
            Err(e) => problems.push(Diagnostic::error(
                Code::E700,
                rows.display().to_string(),
                format!("cannot read the project list: {e}"),
            )),
        }
    }
    problems.extend(labelled_twice(&truth.labels));
    if problems.is_empty() {
        Ok(truth)
    } else {
        Err(problems)
    }
}

/// The `*.json` files of the truth folder, sorted (E700 when it cannot be read).
fn label_files(dir: &Path, shown: &str) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![Diagnostic::error(
            Code::E700,
            shown,
            format!("cannot read the truth folder: {e}"),
        )]
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// An E702 for each label of a submission labelled before (ids compared ignoring case).
fn labelled_twice(labels: &[Label]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, a) in labels.iter().enumerate() {
        if let Some(b) = labels[..i]
            .iter()
            .find(|b| b.submission.eq_ignore_ascii_case(&a.submission))
        {
            problems.push(
                Diagnostic::error(
                    Code::E702,
                    &a.file,
                    format!("`{}` is labelled twice", a.submission),
                )
                .with_help(format!("also in {}", b.file)),
            );
        }
    }
    problems
}

/// `projects.txt`: one row name per line; `#` starts a comment.
pub fn parse_rows(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One label file's text.
pub fn parse_label(file: &str, text: &str) -> Result<Label, Vec<Diagnostic>> {
    let raw: RawLabel = serde_json::from_str(text).map_err(|e| {
        vec![
            Diagnostic::error(Code::E701, file, format!("not a label file: {e}"))
                .at_line(e.line(), e.column()),
        ]
    })?;
    let mut problems = Vec::new();
    let mut projects = Vec::new();
    for (name, value) in raw.projects {
        let at = key_position(text, &name);
        let bad = |msg: String| {
            Diagnostic::error(Code::E702, file, msg)
                .at_line(at.0, at.1)
                .with_label(name.clone())
        };
        let cell: RawCell = match serde_json::from_value(value) {
            Ok(c) => c,
            Err(e) => {
                problems.push(bad(format!("the label of `{name}` is not a cell: {e}")));
                continue;
            }
        };
        let versions = split_versions(cell.version.as_deref().unwrap_or(""));
        match (Cell::parse(&cell.cell), versions.is_empty()) {
            (Some(Cell::M), false) | (Some(Cell::X), true) => projects.push((
                name.clone(),
                Labelled {
                    cell: if versions.is_empty() {
                        Cell::X
                    } else {
                        Cell::M
                    },
                    versions,
                    evidence: cell.evidence,
                },
            )),
            (Some(Cell::M), true) => {
                problems.push(bad(format!("`{name}` is labelled M without a version")))
            }
            (Some(Cell::X), false) => problems.push(bad(format!(
                "`{name}` is labelled X with a version (`{}`): M or no version",
                cell.version.unwrap_or_default()
            ))),
            _ => problems.push(bad(format!(
                "`{name}` has cell `{}`: a label is M or X (a project not named is left out)",
                cell.cell
            ))),
        }
    }
    if problems.is_empty() {
        Ok(Label {
            file: file.to_string(),
            submission: raw.submission,
            projects,
        })
    } else {
        Err(problems)
    }
}

/// `"25.12.0; 25.3.2"` -> both; a label may give several versions.
pub fn split_versions(v: &str) -> Vec<String> {
    v.split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Line and column (1-based) of the first `"key"` in `text`, or (0, 0).
fn key_position(text: &str, key: &str) -> (usize, usize) {
    let quoted = serde_json::to_string(key).unwrap_or_default();
    text.find(&quoted)
        .map(|i| crate::diagnostic::line_col(text, i))
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn a_label_file_gives_cells_versions_and_quotes() {
        let l = parse_label(
            "t.json",
            r#"{"submission": "v1.35/x", "projects": {
                "Kueue": {"cell": "M", "version": "0.14.1; v0.13", "evidence": [{"file": "README.md", "quote": "Kueue v0.14.1"}]},
                "Ray": {"cell": "X", "evidence": []}
            }, "other": {}, "remarks": "r"}"#,
        )
        .unwrap();
        assert_eq!(l.submission, "v1.35/x");
        assert_eq!(l.projects[0].0, "Kueue");
        assert_eq!(l.projects[0].1.versions, ["0.14.1", "v0.13"]);
        assert_eq!(l.projects[1].1.cell, Cell::X);
    }

    #[test]
    fn bad_labels_are_errors_at_their_key() {
        let e = parse_label(
            "t.json",
            "{\"submission\": \"v1.35/x\", \"projects\": {\n  \"Kueue\": {\"cell\": \"M\"},\n  \"Ray\": {\"cell\": \"-\"}}}",
        )
        .unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].code, e[0].line, e[0].column), (Code::E702, 2, 3));
        assert!(
            e[0].message.contains("M without a version"),
            "{}",
            e[0].message
        );
        assert!(e[1].message.contains("cell `-`"), "{}", e[1].message);
        let e = parse_label("t.json", "{\"submission\": 3}").unwrap_err();
        assert_eq!((e[0].code, e[0].line), (Code::E701, 1));
    }
}
