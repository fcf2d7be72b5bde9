//! aiconf: which open-source projects do the CNCF Kubernetes AI Conformance
//! submissions use?
//!
//! The pipeline, one stage per module (see `ARCHITECTURE.md`):
//!
//! ```text
//! corpus (files) -> documents (vendor text) -> findings -> tables -> query results
//! ```
#![doc = include_str!("../ARCHITECTURE.md")]
#![warn(missing_docs)]
// Without the `cli` feature the library is the API below (what the fuzz targets and benches use);
// the commands' renderers and options, reached only from `cli`, are then unused. The default
// build, which clippy checks with warnings as errors, still reports dead code.
#![cfg_attr(not(feature = "cli"), allow(dead_code, unused_imports))]
// The modules' docs link to items private to the crate: they are read with
// `cargo doc --document-private-items`, where those links resolve.
#![allow(rustdoc::private_intra_doc_links)]

#[cfg(feature = "cli")]
pub mod cli;

mod diagnostic;
mod document;
mod output;
mod published;
mod query;
mod rules;
mod scan;
mod source;
mod tables;
#[cfg(test)]
mod testing;
mod timeline;
mod tools;

// The stages' API, in pipeline order: what the tests, benches and fuzz targets drive the
// library with. The command line (`cli`) reaches the modules themselves.

// diagnostic/: every stage's problems.
pub use diagnostic::{line_col, Code, Diagnostic};

// output/: building blocks for rendering.
pub use output::sink::is_control;
pub use output::table::Format;

// rules/: rule files -> RuleSet; rules/engine/: RuleSet -> Engine, Matcher.
pub use rules::engine::matcher::Matcher;
pub use rules::engine::Engine;
pub use rules::{builtin as builtin_rules, load as load_rules, load_dir as load_rules_dir};
pub use rules::{fmt_paths, format as format_rules, unformatted, FmtMode};
pub use rules::{Needle, RuleId, RuleSet};

// source/: a directory, a git revision -> Corpus.
pub use source::corpus::{load as load_corpus, DirSource, FileEntry, Source, SubmissionId};
pub use source::git::open_corpus;

// document/: file bytes -> Document.
pub use document::template::Templates;
pub use document::{build as build_document, ChunkSize, Document, LARGE_FILE};

// scan/: Documents -> Evidence -> Findings -> Scan.
pub use scan::finding::{
    collect as collect_findings, collect_mentions, scan_document, Cell, Evidence, Finding, Mention,
    MAX_EVIDENCE,
};
pub use scan::{load_templates, scan_file, scan_large_file, FileScan, Keep, Scan, Scanner};

// tables/: Scan -> matrices, adoption, the analysis.
pub use tables::analysis::is_nvidia;
pub use tables::scan_json::ScanJson;
pub use tables::{adoption, matrices, Mentions};

// query/: query text -> Query -> Plan -> Answer.
pub use query::{
    parse as parse_query, render_errors as render_query_errors, run as run_query,
    run_indexed as run_query_indexed, run_walk as run_query_walk, Index as QueryIndex, Outcome,
    QueryRow, Val, Version, EXAMPLES as QUERY_EXAMPLES, MATRIX_MAX_COLUMNS,
};

// published/: the published analysis, reconciled and regenerated.
pub use published::reconcile::{reconcile, Kind as DisagreementKind, Outside, Reconciliation};
pub use published::report::script_hash;
pub use published::{parse as parse_published, Published};

// tools/: check.
pub use tools::check::{check as check_rules, check_set, render as render_check, CheckFormat};
