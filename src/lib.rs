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
pub mod cli;
pub mod diagnostic;
pub mod document;
pub mod output;
pub mod published;
pub mod query;
pub mod rules;
pub mod scan;
pub mod source;
pub mod tables;
pub mod timeline;
pub mod tools;
