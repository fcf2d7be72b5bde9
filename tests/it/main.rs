//! The integration tests: one binary (faster to build and link than one per file), one module per area.

mod util;

mod agreement;
mod authoring;
mod bad_input;
mod check;
mod cli_hygiene;
mod closed_pipe;
mod diagnostics;
mod embedded;
mod fmt;
mod fuzz_regressions;
mod git_corpus;
mod git_history;
mod hostile;
mod hostile_git;
mod large_files;
mod lsp;
mod matrix_snapshots;
mod published;
mod query;
mod query_examples;
mod query_fuzz;
mod reconcile;
mod repl;
mod repl_pty;
mod report;
mod report_page;
mod rule_examples;
mod rules_doc;
mod scan_keep;
mod scoping;
mod score;
mod stance;
mod stance_head;
mod synthetic;
