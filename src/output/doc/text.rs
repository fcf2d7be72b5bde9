//! A [`Doc`] as plain text for a terminal: headings as lines (one level underlined if asked),
//! aligned tables ([`crate::output::table::Table::to_text`]), `key value` lines with the keys
//! aligned, a blank line between blocks but none between a heading and what it heads. Charts are
//! left out. Vendor text goes through [`sink::terminal`].

use super::{Block, Doc, Extension, Inline};
use crate::output::sink;

/// The text's layout: what differs between the commands that have always printed text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Headings of this level are underlined with `=` (`reconcile`'s sections).
    pub underline_level: Option<u8>,
    /// The keys of [`Block::Definitions`] padded to this many characters (`explain QUERY`: 9).
    pub key_width: usize,
    /// A blank line after the last block (`reconcile` has always ended so).
    pub trailing_blank_line: bool,
}

/// Renders the document as text.
pub fn text<X: Extension>(doc: &Doc<X>, options: Options) -> String {
    let mut parts = Vec::new();
    blocks(&mut parts, &doc.blocks, &options);
    let mut out = String::new();
    let mut after_heading = false;
    for (i, (part, heading)) in parts.iter().enumerate() {
        if i > 0 && (*heading || !after_heading) {
            out.push('\n');
        }
        out.push_str(part);
        after_heading = *heading;
    }
    if options.trailing_blank_line {
        out.push('\n');
    }
    out
}

/// Each block's text and whether it is a heading; sections flattened, blocks without a text form
/// left out.
fn blocks<X: Extension>(parts: &mut Vec<(String, bool)>, list: &[Block<X>], options: &Options) {
    for b in list {
        let part = match b {
            Block::Heading(level, t) => {
                let t = inline(t);
                let rule = match options.underline_level == Some(*level) {
                    true => format!("{}\n", "=".repeat(t.chars().count())),
                    false => String::new(),
                };
                parts.push((format!("{t}\n{rule}"), true));
                continue;
            }
            Block::Paragraph(t) => format!("{}\n", inline(t)),
            Block::List(items) => items.iter().map(|i| format!("- {}\n", inline(i))).collect(),
            Block::Definitions(rows) => rows
                .iter()
                .map(|(k, v)| format!("{k:<w$} {}\n", inline(v), w = options.key_width))
                .collect(),
            Block::Table(t) => t.to_text(),
            Block::Code { text, .. } => format!("{text}\n"),
            Block::Section { blocks: inner, .. } => {
                blocks(parts, inner, options);
                continue;
            }
            Block::Chart(_) => continue,
            Block::Extension(x) => x.text(),
        };
        if !part.is_empty() {
            parts.push((part, false));
        }
    }
}

/// One line of inline pieces as text.
pub fn inline(line: &[Inline]) -> String {
    let mut out = String::new();
    for p in line {
        match p {
            Inline::Text(s) => out.push_str(&sink::terminal(s)),
            Inline::Code(s) => out.push_str(&format!("`{}`", sink::terminal(s))),
            Inline::Raw(s) => out.push_str(s),
            Inline::Link { text, url } => out.push_str(&format!(
                "{} <{}>",
                sink::terminal(text),
                sink::terminal(url)
            )),
            Inline::Break => out.push('\n'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::table::{CellValue, Table};

    fn doc() -> Doc {
        let mut t = Table::new(&["A", "B"]);
        t.push(vec![CellValue::from("x\u{1b}"), CellValue::from(12)]);
        Doc {
            blocks: vec![
                Block::Heading(1, Inline::raw("Title")),
                Block::Heading(2, Inline::raw("Part")),
                Block::Paragraph(vec![
                    Inline::Text("a\u{7}".into()),
                    Inline::Break,
                    Inline::Code("c".into()),
                    Inline::Link {
                        text: "l".into(),
                        url: "https://e.example".into(),
                    },
                ]),
                Block::Table(t),
                Block::Heading(2, Inline::raw("Keys")),
                Block::Definitions(vec![("query".into(), Inline::raw("x"))]),
            ],
        }
    }

    #[test]
    fn headings_head_their_block_and_other_blocks_are_separated() {
        assert_eq!(
            text(&doc(), Options::default()),
            "Title\n\nPart\na\\x07\n`c`l <https://e.example>\n\nA       B\n-----  --\nx\\x1b  12\n\nKeys\nquery x\n"
        );
    }

    #[test]
    fn options_underline_pad_and_end_with_a_blank_line() {
        let options = Options {
            underline_level: Some(2),
            key_width: 9,
            trailing_blank_line: true,
        };
        let out = text(&doc(), options);
        assert!(out.starts_with("Title\n\nPart\n====\na"), "{out}");
        assert!(out.ends_with("Keys\n====\nquery     x\n\n"), "{out}");
    }
}
