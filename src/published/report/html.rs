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

use super::evidence::{CellEvidence, MatrixEvidence, Mention};
use super::{Block, Doc, Matrix};
use crate::output::doc::html::{self as doc_html, escape, Options};
use crate::output::doc::{text, Inline};

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

/// How the page's tables look: sortable by the page's script, `M` and `X` cells coloured.
const OPTIONS: Options = Options {
    table_class: Some("sortable"),
    class_cells: &["M", "X"],
};

/// Renders the document as a complete HTML page (its first block, the title, as the page's).
pub fn html(doc: &Doc) -> String {
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {}; base-uri 'none'; form-action 'none'",
        script_hash()
    );
    let (title, blocks) = match doc.blocks.split_first() {
        Some((Block::Heading(1, t), rest)) => (text::inline(t), rest),
        _ => (String::new(), &doc.blocks[..]),
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\"/>\n<meta name=\"referrer\" content=\"no-referrer\"/>\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape(&title)
    );
    filters(&mut out, blocks);
    doc_html::blocks(&mut out, blocks, &OPTIONS);
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}

/// The filter form over the matrices (hidden until the script shows it).
fn filters(out: &mut String, doc: &[Block]) {
    let mut versions = Vec::new();
    let mut categories = BTreeSet::new();
    for b in doc {
        if let Block::Section { blocks, .. } = b {
            for inner in blocks {
                if let Block::Extension(m) = inner {
                    versions.push(m.evidence.version.clone());
                    categories.extend(m.evidence.categories.values().cloned());
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

/// A matrix: rows carry their category (for the filter), cells their evidence.
pub(super) fn matrix(m: &Matrix, options: &Options) -> String {
    let e = &m.evidence;
    let row = |name: &str| match e.categories.get(name) {
        Some(c) => format!(" data-category=\"{}\"", escape(c)),
        None => String::new(),
    };
    let cell = |name: &str, i: usize, text: &str| {
        let column = m.table.columns.get(i)?;
        let c = e.cells.get(&(name.to_string(), column.clone()))?;
        Some(evidence_cell(text, e, c))
    };
    doc_html::table(&m.table, options, &row, &cell)
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
    s.push_str(&format!("<div>{}</div><ul>", escape(&summary(c))));
    for m in &c.mentions {
        s.push_str(&mention(e, m));
    }
    s.push_str("</ul></details></td>");
    s
}

/// What a cell's mentions say together: the versions, negated or hedged, how many.
fn summary(c: &CellEvidence) -> String {
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
    head.join("; ")
}

/// One mention as an item: where (a link to the file at the commit when there is one), its
/// version and stance, the quote.
fn mention(e: &MatrixEvidence, m: &Mention) -> String {
    let place = format!("{}:{}", m.file, m.line);
    let at = match e.revision.as_ref().and_then(|r| r.link(&m.file, m.line)) {
        Some(url) => Inline::Link { text: place, url },
        None => Inline::Code(place),
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
    format!(
        "<li>{}{marks}<span class=\"quote\">{}</span></li>",
        doc_html::inline(&[at]),
        escape(&m.quote)
    )
}
