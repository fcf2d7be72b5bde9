//! Writing rules: the library behind the commands a rule author uses while
//! writing one. [`matching`] runs every rule over a piece of text or one file
//! and says what matched, where, with which cell and version, and what an
//! exclusion stopped (`aiconf match`); [`new_rule()`] writes a rule file that
//! passes `check` from a name and the corpus's quotes (`aiconf new`). The
//! language server (`crate::tools::lsp`) uses both. Nothing here prints.

pub mod matching;
pub mod new_rule;

pub use matching::{match_file, match_text};
pub use new_rule::{new_rule, NewRule, NewRuleOptions};
