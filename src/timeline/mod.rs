//! The corpus through time: many revisions of one git repository scanned with one matcher,
//! the delta between two of them, and the adoption history of the first-parent line.

pub mod delta;
pub mod history;
pub mod revision;
