//! The report as one self-contained HTML page: inline CSS, charts as inline
//! SVG, one inline script (filters by Kubernetes version and category,
//! sortable columns) and no external URL loaded. Every matrix cell carries
//! its evidence: the first quote with file:line on hover, and a
//! `<details>` with every mention, its version and kind, negated and hedged
//! marks, and a link to the file at the corpus's commit when the corpus is a
//! revision of a GitHub repository. The page reads the same with scripts off.
//!
//! Vendor text is untrusted: every quote, name and path is escaped, links are
//! built only from a checked GitHub repository and percent-encoded paths, and
//! a Content-Security-Policy allows no script but this page's own (by its
//! hash), so even markup that escaped escaping could not run. The markup is
//! also well-formed XML (void elements closed, the five XML escapes only).

use std::collections::BTreeSet;

use base64::Engine as _;
use sha2::Digest as _;

use super::evidence::{CellEvidence, MatrixEvidence};
use super::{svg, Block, Doc};
use crate::output::table::{CellValue, Table};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;color:#1b1f24}\
table{border-collapse:collapse;margin:0.5rem 0 1rem;font-size:0.85rem}\
th,td{border:1px solid #c9d1d9;padding:0.2rem 0.45rem;text-align:left;vertical-align:top}\
th{background:#f0f3f6}td.M{background:#b7e4c7}td.X{background:#e3f2e8}td.neg{background:#f6d5d5}td.hedge{background:#fdf1c7}\
table.sortable th{cursor:pointer}th[aria-sort=descending]::after{content:\" \\25BE\"}th[aria-sort=ascending]::after{content:\" \\25B4\"}\
details>summary{cursor:pointer;list-style:none}details>summary::-webkit-details-marker{display:none}\
details[open]{min-width:24rem}details ul{margin:0.3rem 0;padding-left:1rem;font-size:0.8rem}details li{margin:0.2rem 0}\
.quote{display:block;color:#57606a;overflow-wrap:anywhere}.mark{font-size:0.75rem;background:#eaeef2;border-radius:3px;padding:0 0.2rem}\
form#filters{margin:1rem 0;padding:0.5rem;background:#f6f8fa;border:1px solid #d0d7de}form#filters label{margin-right:1rem}\
code,pre{font-family:ui-monospace,monospace;background:#f0f3f6}pre{padding:0.6rem}\
svg{display:block;margin:0.5rem 0 1.5rem}";

/// The page's one script.
const SCRIPT: &str = include_str!("page.js");

/// The Content-Security-Policy source for [`SCRIPT`]: `'sha256-...'`.
pub fn script_hash() -> String {
    let digest = sha2::Sha256::digest(SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Renders the document as a complete HTML page.
pub fn html(doc: &Doc) -> String {
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {}; base-uri 'none'; form-action 'none'",
        script_hash()
    );
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\"/>\n<meta name=\"referrer\" content=\"no-referrer\"/>\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape(&doc.title)
    );
    filters(&mut out, &doc.blocks);
    blocks(&mut out, &doc.blocks);
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}

fn blocks(out: &mut String, list: &[Block]) {
    for b in list {
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
            Block::Table(t) => out.push_str(&table(t, None)),
            Block::Matrix(t, ev) => out.push_str(&table(t, Some(ev))),
            Block::Section {
                version,
                blocks: inner,
            } => {
                out.push_str(&format!(
                    "<section class=\"matrix\" data-version=\"{}\">\n",
                    escape(version)
                ));
                blocks(out, inner);
                out.push_str("</section>\n");
            }
            Block::Code(c) => out.push_str(&format!("<pre><code>{}</code></pre>\n", escape(c))),
            Block::Chart(c) => out.push_str(&svg::bar_chart(c)),
        }
    }
}

/// The filter form over the matrices (hidden until the script shows it).
fn filters(out: &mut String, doc: &[Block]) {
    let mut versions = Vec::new();
    let mut categories = BTreeSet::new();
    for b in doc {
        if let Block::Section { version, blocks } = b {
            versions.push(version.clone());
            for inner in blocks {
                if let Block::Matrix(_, ev) = inner {
                    categories.extend(ev.categories.values().cloned());
                }
            }
        }
    }
    if versions.is_empty() {
        return;
    }
    let options = |all: &str, values: &mut dyn Iterator<Item = &String>| {
        let mut s = format!("<option value=\"\">{all}</option>");
        for v in values {
            s.push_str(&format!(
                "<option value=\"{v}\">{v}</option>",
                v = escape(v)
            ));
        }
        s
    };
    out.push_str("<p>Each cell of the matrices holds its evidence: hover for the first quote, click for every mention with its file and line, the version it pins and its kind. A red cell: every mention says the project is not used; a yellow one: it is named only as an example or a possibility.</p>\n");
    out.push_str(&format!(
        "<form id=\"filters\" hidden=\"hidden\"><label>Kubernetes version <select id=\"f-version\">{}</select></label><label>Category <select id=\"f-category\">{}</select></label></form>\n",
        options("all versions", &mut versions.iter()),
        options("all categories", &mut categories.iter()),
    ));
}

/// A table; matrix cells get a class (`M`, `X`) for colour, and, with the
/// matrix's evidence, their mentions. Sortable by any column.
fn table(t: &Table, ev: Option<&MatrixEvidence>) -> String {
    let mut out = String::from("<table class=\"sortable\">\n<thead><tr>");
    for c in &t.columns {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        let row_name = r.first().map(text).unwrap_or_default();
        match ev.and_then(|e| e.categories.get(&row_name)) {
            Some(c) => out.push_str(&format!("<tr data-category=\"{}\">", escape(c))),
            None => out.push_str("<tr>"),
        }
        for (i, v) in r.iter().enumerate() {
            let text = text(v);
            let cell = ev.and_then(|e| {
                let column = t.columns.get(i)?;
                Some((e, e.cells.get(&(row_name.clone(), column.clone()))?))
            });
            match (cell, text.as_str()) {
                (Some((e, c)), _) => out.push_str(&evidence_cell(&text, e, c)),
                (None, "M" | "X") => out.push_str(&format!("<td class=\"{text}\">{text}</td>")),
                _ => out.push_str(&format!("<td>{}</td>", escape(&text))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn text(v: &CellValue) -> String {
    v.text().into_owned()
}

/// One matrix cell with its evidence: the mark, the first quote on hover,
/// every mention in a `<details>`.
fn evidence_cell(mark: &str, e: &MatrixEvidence, c: &CellEvidence) -> String {
    let class = if c.negated {
        "neg"
    } else if c.hedged {
        "hedge"
    } else if mark.starts_with('M') {
        "M"
    } else {
        "X"
    };
    let hover = c.mentions.first().map_or_else(String::new, |m| {
        format!("{}:{} {}", m.file, m.line, m.quote)
    });
    let mut s = format!(
        "<td class=\"{class}\" data-sort=\"{m}\"><details><summary title=\"{}\">{m}</summary>",
        escape(&hover),
        m = escape(mark)
    );
    let mut head = Vec::new();
    if !c.versions.is_empty() {
        head.push(format!("versions {}", c.versions.join(", ")));
    }
    if c.negated {
        head.push("every mention says it is not used".to_string());
    } else if c.hedged {
        head.push("named only as an example or a possibility".to_string());
    }
    head.push(match c.total {
        1 => "1 mention".to_string(),
        n if n > c.mentions.len() => format!("{n} mentions, the first {} shown", c.mentions.len()),
        n => format!("{n} mentions"),
    });
    s.push_str(&format!("<div>{}</div><ul>", escape(&head.join("; "))));
    for m in &c.mentions {
        let place = format!("{}:{}", m.file, m.line);
        let at = match e.revision.as_ref().and_then(|r| r.link(&m.file, m.line)) {
            Some(url) => format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                escape(&url),
                escape(&place)
            ),
            None => format!("<code>{}</code>", escape(&place)),
        };
        let mut marks = String::new();
        if let Some(v) = &m.version {
            marks.push_str(&format!(
                " <span class=\"mark\">version {}</span>",
                escape(v)
            ));
        }
        if let Some(st) = m.stance {
            marks.push_str(&format!(" <span class=\"mark\">{st}</span>"));
        }
        s.push_str(&format!(
            "<li>{at}{marks}<span class=\"quote\">{}</span></li>",
            escape(&m.quote)
        ));
    }
    s.push_str("</ul></details></td>");
    s
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
