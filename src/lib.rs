//! aiconf: which open-source projects do the CNCF Kubernetes AI Conformance
//! submissions use?
//!
//! The pipeline, one stage per module (see `ARCHITECTURE.md`):
//!
//! ```text
//! corpus (files) -> documents (vendor text) -> findings -> tables -> query results
//! ```
#![doc = include_str!("../ARCHITECTURE.md")]
// A `Diagnostic` is returned only on the cold path of bad input; boxing it
// everywhere would cost clarity for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod corpus;
pub mod diagnostic;
pub mod document;
pub mod finding;
pub mod matcher;
pub mod published;
pub mod render;
pub mod rules;
pub mod scan;
pub mod table;
pub mod template;
pub mod view;
