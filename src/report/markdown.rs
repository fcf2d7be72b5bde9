//! The report as Markdown: headings, paragraphs, lists, pipe tables and
//! fenced shell blocks. Charts are left out; their numbers are in the tables.

use super::{Block, Doc};
use crate::output::sink;

/// Renders the document as Markdown.
pub fn markdown(doc: &Doc) -> String {
    let mut out = format!("# {}\n", doc.title);
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("{} {t}\n", "#".repeat(*level as usize)))
            }
            Block::Paragraph(t) => out.push_str(&format!("{}\n", inline(t))),
            Block::List(items) => items
                .iter()
                .for_each(|i| out.push_str(&format!("- {}\n", inline(i)))),
            Block::Table(t) => out.push_str(&t.to_markdown()),
            Block::Code(c) => out.push_str(&format!("```sh\n{c}\n```\n")),
            Block::Chart(_) => {
                out.pop();
            }
        }
    }
    out
}

/// A paragraph or list item: aiconf's text with `code` spans, which may hold
/// vendor names (vendors, submissions); see [`sink::markdown_spans`].
fn inline(text: &str) -> String {
    sink::markdown_spans(text)
}
