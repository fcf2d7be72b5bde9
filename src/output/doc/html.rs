//! A [`Doc`]'s blocks as HTML elements (the page around them is the caller's): every text
//! escaped ([`sink::html`]), charts as inline SVG. The markup is well-formed XML.

use super::{Block, Extension, Inline};
use crate::output::sink;
use crate::output::table::Table;

/// What the page around the blocks expects of them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// The class of every `<table>` (the report's script sorts `sortable` tables).
    pub table_class: Option<&'static str>,
    /// A cell whose whole text is one of these gets it as its class (the report colours `M` and `X`).
    pub class_cells: &'static [&'static str],
}

/// Renders `list` into `out`.
pub fn blocks<X: Extension>(out: &mut String, list: &[Block<X>], options: &Options) {
    for b in list {
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(t)))
            }
            Block::Paragraph(t) => out.push_str(&format!("<p>{}</p>\n", inline(t))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", inline(i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Definitions(rows) => {
                out.push_str("<dl>\n");
                for (k, v) in rows {
                    out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), inline(v)));
                }
                out.push_str("</dl>\n");
            }
            Block::Table(t) => {
                out.push_str(&table(t, options, &|_| String::new(), &|_, _, _| None))
            }
            Block::Code { text, .. } => {
                out.push_str(&format!("<pre><code>{}</code></pre>\n", escape(text)))
            }
            Block::Section {
                attributes,
                blocks: inner,
            } => {
                out.push_str("<section");
                for (name, value) in attributes {
                    out.push_str(&format!(" {name}=\"{}\"", escape(value)));
                }
                out.push_str(">\n");
                blocks(out, inner, options);
                out.push_str("</section>\n");
            }
            Block::Chart(c) => out.push_str(&c.svg()),
            Block::Extension(x) => out.push_str(&x.html(options)),
        }
    }
}

/// Attributes of a row's `<tr>` (each with its leading space), from the row's first cell.
pub type RowAttributes<'a> = dyn Fn(&str) -> String + 'a;

/// A cell's whole `<td>` from (the row's first cell, the cell's column, its text), or `None` for
/// the plain cell.
pub type CellMarkup<'a> = dyn Fn(&str, usize, &str) -> Option<String> + 'a;

/// A table: a header row, then the rows; `row` adds attributes to a row, `cell` writes a cell of
/// its own (the report's matrix cells with their evidence).
pub fn table(t: &Table, options: &Options, row: &RowAttributes, cell: &CellMarkup) -> String {
    let mut out = match options.table_class {
        Some(c) => format!("<table class=\"{}\">\n<thead><tr>", escape(c)),
        None => String::from("<table>\n<thead><tr>"),
    };
    for c in &t.columns {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        let name = r.first().map(|v| v.text().into_owned()).unwrap_or_default();
        out.push_str(&format!("<tr{}>", row(&name)));
        for (i, v) in r.iter().enumerate() {
            let text = v.text();
            match cell(&name, i, &text) {
                Some(markup) => out.push_str(&markup),
                None if options.class_cells.contains(&text.as_ref()) => {
                    out.push_str(&format!("<td class=\"{text}\">{text}</td>"))
                }
                None => out.push_str(&format!("<td>{}</td>", escape(&text))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// One line of inline pieces as HTML.
pub fn inline(line: &[Inline]) -> String {
    let mut out = String::new();
    for p in line {
        match p {
            Inline::Text(s) => out.push_str(&escape(s)),
            Inline::Code(s) => out.push_str(&format!("<code>{}</code>", escape(s))),
            Inline::Raw(s) => out.push_str(&inline(&Inline::spans(s))),
            Inline::Link { text, url } => out.push_str(&format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                escape(url),
                escape(text)
            )),
            Inline::Break => out.push_str("<br/>"),
        }
    }
    out
}

/// The five XML escapes, control characters shown escaped ([`sink::html`]).
pub fn escape(text: &str) -> String {
    sink::html(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::Doc;
    use super::*;
    use crate::output::table::CellValue;

    #[test]
    fn every_text_is_escaped_and_cells_take_their_class() {
        let mut t = Table::new(&["<A>"]);
        t.push(vec![CellValue::from("M")]);
        t.push(vec![CellValue::from("a&b")]);
        let doc: Doc = Doc {
            blocks: vec![
                Block::Heading(2, Inline::raw("x `<y>`")),
                Block::Paragraph(vec![
                    Inline::Text("'q'".into()),
                    Inline::Break,
                    Inline::Code("<l>".into()),
                    Inline::Link {
                        text: "<l>".into(),
                        url: "https://e.example/?a=1&b=2".into(),
                    },
                ]),
                Block::Section {
                    attributes: vec![("data-x", "\"v\"".into())],
                    blocks: vec![Block::Table(t)],
                },
            ],
        };
        let options = Options {
            table_class: Some("sortable"),
            class_cells: &["M"],
        };
        let mut out = String::new();
        blocks(&mut out, &doc.blocks, &options);
        assert_eq!(
            out,
            "<h2>x <code>&lt;y&gt;</code></h2>\n\
             <p>&#39;q&#39;<br/><code>&lt;l&gt;</code><a href=\"https://e.example/?a=1&amp;b=2\" rel=\"noopener noreferrer\">&lt;l&gt;</a></p>\n\
             <section data-x=\"&quot;v&quot;\">\n\
             <table class=\"sortable\">\n<thead><tr><th>&lt;A&gt;</th></tr></thead>\n<tbody>\n\
             <tr><td class=\"M\">M</td></tr>\n<tr><td>a&amp;b</td></tr>\n</tbody>\n</table>\n\
             </section>\n"
        );
    }
}
