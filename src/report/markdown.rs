//! The report as Markdown: headings, paragraphs, lists, pipe tables and
//! fenced shell blocks. Charts are left out; their numbers are in the tables.

use super::{Block, Doc};

/// Renders the document as Markdown.
pub fn markdown(doc: &Doc) -> String {
    let mut out = format!("# {}\n", doc.title);
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("{} {t}\n", "#".repeat(*level as usize)))
            }
            Block::Paragraph(t) => out.push_str(&format!("{t}\n")),
            Block::List(items) => items.iter().for_each(|i| out.push_str(&format!("- {i}\n"))),
            Block::Table(t) => out.push_str(&t.to_markdown()),
            Block::Code(c) => out.push_str(&format!("```sh\n{c}\n```\n")),
            Block::Chart(_) => {
                out.pop();
            }
        }
    }
    out
}
