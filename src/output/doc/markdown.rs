//! A [`Doc`] as Markdown: ATX headings, paragraphs, `-` lists, pipe tables and fenced code, one
//! blank line between blocks. Charts are left out (their numbers are in tables). Vendor text is
//! escaped ([`sink::markdown`], [`sink::markdown_code`]) so that it renders as text.

use super::{Block, Doc, Extension, Inline};
use crate::output::sink;

/// How the Markdown ends.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// A blank line after the last block (`reconcile` has always ended so).
    pub trailing_blank_line: bool,
}

/// Renders the document as Markdown.
pub fn markdown<X: Extension>(doc: &Doc<X>, options: Options) -> String {
    let mut parts = Vec::new();
    blocks(&mut parts, &doc.blocks);
    let mut out = parts.join("\n");
    if options.trailing_blank_line {
        out.push('\n');
    }
    out
}

/// Each block's Markdown, sections flattened, blocks without a Markdown form left out.
fn blocks<X: Extension>(parts: &mut Vec<String>, list: &[Block<X>]) {
    for b in list {
        let part = match b {
            Block::Heading(level, t) => {
                format!("{} {}\n", "#".repeat(usize::from(*level)), inline(t))
            }
            Block::Paragraph(t) => format!("{}\n", inline(t)),
            Block::List(items) => items.iter().map(|i| format!("- {}\n", inline(i))).collect(),
            Block::Definitions(rows) => rows
                .iter()
                .map(|(k, v)| format!("- {}: {}\n", sink::markdown(k), inline(v)))
                .collect(),
            Block::Table(t) => t.to_markdown(),
            Block::Code { language, text } => format!("```{language}\n{text}\n```\n"),
            Block::Section { blocks: inner, .. } => {
                blocks(parts, inner);
                continue;
            }
            Block::Chart(_) => continue,
            Block::Extension(x) => x.markdown(),
        };
        if !part.is_empty() {
            parts.push(part);
        }
    }
}

/// One line of inline pieces as Markdown.
pub fn inline(line: &[Inline]) -> String {
    let mut out = String::new();
    for p in line {
        match p {
            Inline::Text(s) => out.push_str(&sink::markdown(s)),
            Inline::Code(s) => out.push_str(&sink::markdown_code(s)),
            Inline::Raw(s) => out.push_str(s),
            Inline::Link { text, url } => {
                out.push_str(&format!("[{}](<{url}>)", sink::markdown(text)))
            }
            Inline::Break => out.push('\n'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::table::{CellValue, Table};

    #[test]
    fn blocks_are_separated_by_a_blank_line_and_vendor_text_escaped() {
        let mut t = Table::new(&["A"]);
        t.push(vec![CellValue::from("x|y")]);
        let doc: Doc = Doc {
            blocks: vec![
                Block::Heading(1, Inline::raw("Title")),
                Block::Paragraph(Inline::spans("see `a|b` and *c*")),
                Block::Section {
                    attributes: Vec::new(),
                    blocks: vec![Block::List(vec![vec![
                        Inline::Text("*e*".into()),
                        Inline::Break,
                        Inline::Raw("*l*".into()),
                        Inline::Link {
                            text: "a_b".into(),
                            url: "https://example.com/x".into(),
                        },
                    ]])],
                },
                Block::Table(t),
                Block::Code {
                    language: "sh",
                    text: "ls".into(),
                },
            ],
        };
        assert_eq!(
            markdown(&doc, Options::default()),
            "# Title\n\nsee `a\\|b` and \\*c\\*\n\n- \\*e\\*\n*l*[a_b](<https://example.com/x>)\n\n| A |\n| --- |\n| x\\|y |\n\n```sh\nls\n```\n"
        );
        let trailing = markdown(
            &doc,
            Options {
                trailing_blank_line: true,
            },
        );
        assert!(trailing.ends_with("```\n\n"));
    }
}
