//! aiconf: which open-source projects do the CNCF Kubernetes AI Conformance
//! submissions use?
//!
//! The pipeline, one stage per module (see `ARCHITECTURE.md`):
//!
//! ```text
//! corpus (files) -> documents (vendor text) -> findings -> tables -> query results
//! ```
#![doc = include_str!("../ARCHITECTURE.md")]

pub mod analysis;
pub mod atoms;
pub mod authoring;
pub mod cache;
pub mod candidates;
pub mod chart;
pub mod check;
pub mod corpus;
pub mod delta;
pub mod diagnostic;
pub mod document;
pub mod finding;
pub mod git;
pub mod history;
pub mod layout;
pub mod lsp;
pub mod matcher;
pub mod published;
pub mod query;
pub mod reconcile;
pub mod render;
pub mod repl;
pub mod report;
pub mod revision;
pub mod rules;
pub mod scan;
pub mod score;
pub mod shape;
pub mod sink;
pub mod sync;
pub mod synthetic;
pub mod table;
pub mod template;
pub mod view;
