//! A document model that knows nothing of the pipeline: headings, paragraphs, lists, key-value
//! lines, tables, code blocks, sections and bar charts, their text made of inline pieces (text,
//! code, aiconf's own words, links, line breaks). [`text`], [`markdown`] and [`html`] render it. The report,
//! `delta`, `reconcile` and `explain QUERY` build their outputs as documents; a block a stage
//! needs of its own (the report's matrix with the evidence of its cells) is an [`Extension`].
//!
//! Vendor strings are made inert by the renderers, for each format ([`crate::output::sink`]):
//! they go in [`Inline::Text`], [`Inline::Code`] and table cells, never in [`Inline::Raw`].

pub mod html;
pub mod markdown;
pub mod text;

use crate::output::chart::BarChart;
use crate::output::table::Table;

/// A document: blocks in reading order. `X` is the kind of block a stage adds ([`Extension`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Doc<X = NoExtension> {
    pub blocks: Vec<Block<X>>,
}

impl<X> Default for Doc<X> {
    fn default() -> Self {
        Doc { blocks: Vec::new() }
    }
}

/// One block.
#[derive(Clone, Debug, PartialEq)]
pub enum Block<X = NoExtension> {
    /// Level 1 (a title) to 6.
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    /// `key value` lines: the keys aligned in text, a list in Markdown, `<dl>` in HTML.
    Definitions(Vec<(String, Vec<Inline>)>),
    Table(Table),
    /// Preformatted text, in a language (`sh`) or none.
    Code {
        language: &'static str,
        text: String,
    },
    /// Blocks that belong together: as if they stood in the enclosing list in text and Markdown,
    /// a `<section>` with these attributes in HTML.
    Section {
        attributes: Vec<(&'static str, String)>,
        blocks: Vec<Block<X>>,
    },
    /// A bar chart: drawn in HTML, left out of text and Markdown (which carry its numbers in a table).
    Chart(BarChart),
    /// A block of the stage that built the document.
    Extension(X),
}

/// A block a stage adds to the model, with how each format shows it.
pub trait Extension {
    /// Markdown, ending with a newline; empty leaves the block out.
    fn markdown(&self) -> String;
    /// Plain text, ending with a newline; empty leaves the block out.
    fn text(&self) -> String;
    /// HTML, ending with a newline.
    fn html(&self, options: &html::Options) -> String;
}

/// No block of a stage's own.
#[derive(Clone, Debug, PartialEq)]
pub enum NoExtension {}

impl Extension for NoExtension {
    fn markdown(&self) -> String {
        match *self {}
    }
    fn text(&self) -> String {
        match *self {}
    }
    fn html(&self, _: &html::Options) -> String {
        match *self {}
    }
}

/// A piece of a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Text that may hold vendor strings: escaped for each format (a terminal, Markdown, HTML).
    Text(String),
    /// A code span: backticks in text, a fenced span in Markdown, `<code>` in HTML.
    Code(String),
    /// aiconf's own words, and names it has always printed as they are (a query, a revision, a
    /// Kubernetes version folder): Markdown source whose backticks are code spans, as written in
    /// text and Markdown; in HTML escaped, the spans as `<code>`. Never a vendor's text.
    Raw(String),
    /// A link: the text escaped as [`Inline::Text`]; the URL the caller built and checked (only
    /// `https` to a known host, its path percent-encoded), escaped as an attribute in HTML.
    Link { text: String, url: String },
    /// A line break within a paragraph or a list item.
    Break,
}

impl Inline {
    /// aiconf's text with `` `code` `` spans holding vendor strings: split at backticks into
    /// [`Inline::Text`] and [`Inline::Code`] (an unmatched backtick opens a span that runs to the end).
    pub fn spans(s: &str) -> Vec<Inline> {
        s.split('`')
            .enumerate()
            .map(|(i, part)| match i % 2 {
                1 => Inline::Code(part.to_string()),
                _ => Inline::Text(part.to_string()),
            })
            .collect()
    }

    /// [`Inline::Raw`] as a line of its own.
    pub fn raw(s: impl Into<String>) -> Vec<Inline> {
        vec![Inline::Raw(s.into())]
    }
}

impl<X> Doc<X> {
    pub fn push(&mut self, block: Block<X>) {
        self.blocks.push(block);
    }

    /// A heading of aiconf's own words ([`Inline::Raw`]).
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.push(Block::Heading(level, Inline::raw(text)));
    }

    pub fn paragraph(&mut self, line: Vec<Inline>) {
        self.push(Block::Paragraph(line));
    }

    /// A list, unless `items` is empty.
    pub fn list(&mut self, items: Vec<Vec<Inline>>) {
        if !items.is_empty() {
            self.push(Block::List(items));
        }
    }

    pub fn table(&mut self, t: Table) {
        self.push(Block::Table(t));
    }
}
