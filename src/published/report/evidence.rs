//! The evidence behind each cell of the report's matrices, for the HTML
//! page: every mention of a project in a submission (file, line, quote, the
//! version it pins with its kind, whether it is negated or hedged), and
//! where the file can be read at the corpus's commit when the corpus is a
//! revision of a GitHub repository. The Markdown report has no room for it
//! and prints the plain table.

use std::collections::HashMap;

use crate::rules::RuleSet;
use crate::scan::Scan;
use crate::source::Revision;
use crate::tables::view;
use crate::tables::Matrix;

/// One mention, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub file: String,
    pub line: usize,
    pub quote: String,
    /// `1.0.1 (package)`; a project's own version bare.
    pub version: Option<String>,
    /// `negated`, `hedged` or `None` (uses).
    pub stance: Option<&'static str>,
}

/// The evidence of one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellEvidence {
    pub mentions: Vec<Mention>,
    /// All mentions, including those the scan kept only as a count.
    pub total: usize,
    /// The versions with their kinds.
    pub versions: Vec<String>,
    /// Every mention negated / every mention hedged or negated.
    pub negated: bool,
    pub hedged: bool,
}

/// The evidence of one matrix, by (project display name, submission folder)
/// as the matrix table names its rows and columns, and each row's category.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatrixEvidence {
    pub version: String,
    pub cells: HashMap<(String, String), CellEvidence>,
    pub categories: HashMap<String, String>,
    pub revision: Option<Revision>,
}

impl MatrixEvidence {
    pub fn of(m: &Matrix, scan: &Scan, rules: &RuleSet, revision: Option<&Revision>) -> Self {
        let mut cells = HashMap::new();
        let mut categories = HashMap::new();
        for &rule in &m.projects {
            let r = rules.get(rule);
            categories.insert(r.name.clone(), r.category.to_string());
            for &s in &m.submissions {
                let Some(f) = scan.finding(s, rule) else {
                    continue;
                };
                let mentions = f
                    .evidence
                    .iter()
                    .map(|e| Mention {
                        file: e.file.clone(),
                        line: e.line,
                        quote: e.quote.clone(),
                        version: e.version.as_ref().map(|v| match e.version_kind {
                            Some(k) => k.label(v),
                            None => v.clone(),
                        }),
                        stance: if e.negated {
                            Some("negated")
                        } else if e.hedged {
                            Some("hedged")
                        } else {
                            None
                        },
                    })
                    .collect();
                cells.insert(
                    (r.name.clone(), view::short_name(scan, s)),
                    CellEvidence {
                        mentions,
                        total: f.mentions,
                        versions: f.version_labels(),
                        negated: f.negated,
                        hedged: f.hedged,
                    },
                );
            }
        }
        MatrixEvidence {
            version: m.version.clone(),
            cells,
            categories,
            revision: revision.cloned(),
        }
    }
}
