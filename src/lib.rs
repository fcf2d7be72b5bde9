//! aiconf: which open-source projects do the CNCF Kubernetes AI Conformance
//! submissions use?
//!
//! The pipeline, one stage per module (see `ARCHITECTURE.md`):
//!
//! ```text
//! corpus (files) -> documents (vendor text) -> findings -> tables -> query results
//! ```
#![doc = include_str!("../ARCHITECTURE.md")]

#[cfg(feature = "cli")]
pub mod authoring;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostic;
pub mod document;
pub mod engine;
#[cfg(feature = "cli")]
pub mod lsp;
pub mod output;
pub mod query;
pub mod reconcile;
pub mod report;
pub mod rules;
pub mod scan;
pub mod score;
pub mod source;
pub mod tables;
pub mod timeline;
