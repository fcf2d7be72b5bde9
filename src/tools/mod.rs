//! The tools beside the pipeline: [`check`] lints rule files and runs their
//! examples, [`score`] measures a scan against hand labels, [`authoring`]
//! shows what the rules make of a text and drafts new rules, [`lsp`] serves
//! rule files to editors. Each reads the pipeline's stages; none feeds them.

#[cfg(feature = "cli")]
pub mod authoring;
pub mod check;
#[cfg(feature = "cli")]
pub mod lsp;
pub mod score;
