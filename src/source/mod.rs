//! Sources of a corpus: a directory or a git revision (clone, bare repository, bundle), the
//! file size limit, the cache folder and `sync` of the official repository, and synthetic
//! corpora for benchmarks.

pub mod cache;
pub mod corpus;
pub mod embedded;
pub mod git;
pub mod limit;
mod revision;
pub mod sync;
pub mod synthetic;
mod walk;

pub use revision::{github_repository, Revision};
