//! The report as one self-contained HTML page: inline CSS, charts as inline
//! SVG, no script and no external URL loaded. The markup is also well-formed
//! XML (void elements closed, the five XML escapes only), so any XML parser reads it.

use super::{svg, Block, Doc};
use crate::output::table::Table;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;color:#1b1f24}\
table{border-collapse:collapse;margin:0.5rem 0 1rem;font-size:0.85rem}\
th,td{border:1px solid #c9d1d9;padding:0.2rem 0.45rem;text-align:left}\
th{background:#f0f3f6}td.M{background:#b7e4c7}td.X{background:#e3f2e8}\
code,pre{font-family:ui-monospace,monospace;background:#f0f3f6}pre{padding:0.6rem}\
svg{display:block;margin:0.5rem 0 1.5rem}";

/// Renders the document as a complete HTML page.
pub fn html(doc: &Doc) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape(&doc.title)
    );
    for b in &doc.blocks {
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(t)))
            }
            Block::Paragraph(t) => out.push_str(&format!("<p>{}</p>\n", inline(t))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                items
                    .iter()
                    .for_each(|i| out.push_str(&format!("<li>{}</li>\n", inline(i))));
                out.push_str("</ul>\n");
            }
            Block::Table(t) => out.push_str(&table(t)),
            Block::Code(c) => out.push_str(&format!("<pre><code>{}</code></pre>\n", escape(c))),
            Block::Chart(c) => out.push_str(&svg::bar_chart(c)),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A table; matrix cells get a class (`M`, `X`) for colour.
fn table(t: &Table) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for c in &t.columns {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for v in r {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            match text.as_str() {
                "M" | "X" => out.push_str(&format!("<td class=\"{text}\">{text}</td>")),
                _ => out.push_str(&format!("<td>{}</td>", escape(&text))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Escaped text with `code` spans.
fn inline(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

/// The five XML escapes, control characters shown escaped ([`crate::output::sink::html`]).
pub fn escape(text: &str) -> String {
    crate::output::sink::html(text).into_owned()
}
