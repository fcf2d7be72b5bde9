//! Output building blocks that know nothing of the pipeline: a [`table::Table`] of text cells
//! rendered aligned, as Markdown, CSV or JSON; a document model ([`doc`]) rendered as text,
//! Markdown or HTML; the SVG writer ([`svg`]) and the charts drawn with it ([`chart`]).

pub mod chart;
pub mod doc;
pub mod json;
pub mod sink;
pub mod spool;
pub mod svg;
pub mod table;

/// A closed set of named choices (an output format, a chart's metric): the names the command line
/// and the REPL accept, each with the value it stands for and a line of help (empty for none).
pub trait Choice: Copy + 'static {
    /// Every choice, in the order help lists them.
    const CHOICES: &'static [(&'static str, Self, &'static str)];

    /// The choice named `name`, in any case.
    fn from_name(name: &str) -> Option<Self> {
        Self::CHOICES
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, v, _)| v)
    }
}
