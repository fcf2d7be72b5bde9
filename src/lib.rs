//! aiconf: which open-source projects do the CNCF Kubernetes AI Conformance
//! submissions use?
//!
//! The pipeline, one stage per module (see `ARCHITECTURE.md`):
//!
//! ```text
//! corpus (files) -> documents (vendor text) -> findings -> tables -> query results
//! ```
#![doc = include_str!("../ARCHITECTURE.md")]

pub mod diagnostic;
pub mod rules;
pub mod corpus;
pub mod document;
pub mod template;
pub mod matcher;
pub mod finding;
pub mod scan;
pub mod render;
pub mod table;
pub mod view;
pub mod published;
