//! The report as Markdown: headings, paragraphs, lists, pipe tables and
//! fenced shell blocks. Charts are left out; their numbers are in the tables.

use super::{Block, Doc};
use crate::output::sink;

/// Renders the document as Markdown.
pub fn markdown(doc: &Doc) -> String {
    let mut out = format!("# {}\n", doc.title);
    blocks(&mut out, &doc.blocks);
    out
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        out.push('\n');
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("{} {t}\n", "#".repeat(*level as usize)))
            }
            Block::Paragraph(t) => out.push_str(&format!("{}\n", inline(t))),
            Block::List(items) => items
                .iter()
                .for_each(|i| out.push_str(&format!("- {}\n", inline(i)))),
            // The evidence of a matrix's cells is the HTML page's.
            Block::Table(t) | Block::Matrix(t, _) => out.push_str(&t.to_markdown()),
            Block::Section { blocks: inner, .. } => {
                out.pop();
                self::blocks(out, inner);
            }
            Block::Code(c) => out.push_str(&format!("```sh\n{c}\n```\n")),
            Block::Chart(_) => {
                out.pop();
            }
        }
    }
}

/// A paragraph or list item: aiconf's text with `code` spans, which may hold
/// vendor names (vendors, submissions); see [`sink::markdown_spans`].
fn inline(text: &str) -> String {
    sink::markdown_spans(text)
}
