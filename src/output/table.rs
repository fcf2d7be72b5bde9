//! Rendering: a [`Table`] of text cells as an aligned terminal table,
//! Markdown, CSV or JSON. Every command's tabular output goes through here.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use unicode_width::UnicodeWidthStr;

use crate::output::sink;

/// Columns whose cells quote the vendor's text (a line of a file, or
/// `file:line: quote`): ANSI colours removed in the aligned table, a code
/// span in Markdown. Every other text cell is escaped as a name.
pub const QUOTE_COLUMNS: [&str; 3] = ["Quote", "Example", "Evidence"];

/// Columns of aiconf's own text with `code` spans around names (the reasons of
/// `reconcile`): in Markdown the spans stay code ([`sink::markdown_spans`]).
pub const SPAN_COLUMNS: [&str; 1] = ["Reason"];

/// Output formats for tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// A Markdown table.
    Markdown,
    /// Comma-separated values.
    Csv,
    /// JSON (a command's typed contract, or a table's rows as objects).
    Json,
}

impl crate::output::Choice for Format {
    const CHOICES: &'static [(&'static str, Self, &'static str)] = &[
        ("table", Format::Table, "Aligned columns for a terminal"),
        ("markdown", Format::Markdown, ""),
        ("csv", Format::Csv, ""),
        ("json", Format::Json, ""),
    ];
}

/// Columns and rows of typed cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<CellValue>>,
}

/// What one table cell holds. The renderers decide how it looks: the aligned table, Markdown and
/// CSV write [`CellValue::text`] (the aligned table cuts a [`CellValue::Quote`] to
/// [`QUOTE_CHARS`]), JSON writes the value ([`Serialize`]: a number, a boolean, an array, `null`).
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Nothing: empty text, `null` in JSON; a column of numbers and empty cells is right-aligned.
    Empty,
    Text(String),
    /// A line of the vendor's text: whole everywhere but in the aligned table, which shows its
    /// first [`QUOTE_CHARS`] characters.
    Quote(String),
    /// A count; right-aligned when the whole column is numbers.
    Int(i64),
    /// A share 0..1: `64%` as text, the fraction to four places in JSON.
    Share(f64),
    Bool(bool),
    /// Several texts: `a, b` as text, an array in JSON.
    List(Vec<String>),
}

impl CellValue {
    /// The text the aligned table (before cutting a quote), Markdown and CSV show.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            CellValue::Empty => Cow::Borrowed(""),
            CellValue::Text(s) | CellValue::Quote(s) => Cow::Borrowed(s),
            CellValue::Int(n) => Cow::Owned(n.to_string()),
            CellValue::Share(f) => Cow::Owned(format!("{}%", (f * 100.0).round() as i64)),
            CellValue::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            CellValue::List(v) => Cow::Owned(v.join(", ")),
        }
    }

    /// A number or nothing: a column of these is right-aligned.
    fn is_numeric(&self) -> bool {
        matches!(self, CellValue::Int(_) | CellValue::Empty)
    }

    /// Text a person or program wrote, which CSV neutralises ([`sink::csv`]); numbers and
    /// booleans are aiconf's own.
    fn is_text(&self) -> bool {
        matches!(
            self,
            CellValue::Text(_) | CellValue::Quote(_) | CellValue::Share(_) | CellValue::List(_)
        )
    }
}

impl Serialize for CellValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CellValue::Empty => s.serialize_none(),
            CellValue::Text(t) | CellValue::Quote(t) => s.serialize_str(t),
            CellValue::Int(n) => s.serialize_i64(*n),
            CellValue::Share(f) => s.serialize_f64((f * 10_000.0).round() / 10_000.0),
            CellValue::Bool(b) => s.serialize_bool(*b),
            CellValue::List(v) => v.serialize(s),
        }
    }
}

impl From<&str> for CellValue {
    fn from(s: &str) -> Self {
        CellValue::Text(s.to_string())
    }
}

impl From<String> for CellValue {
    fn from(s: String) -> Self {
        CellValue::Text(s)
    }
}

impl From<&String> for CellValue {
    fn from(s: &String) -> Self {
        CellValue::Text(s.clone())
    }
}

impl From<bool> for CellValue {
    fn from(b: bool) -> Self {
        CellValue::Bool(b)
    }
}

impl<T: Into<CellValue>> From<Option<T>> for CellValue {
    /// `None` is [`CellValue::Empty`].
    fn from(v: Option<T>) -> Self {
        v.map_or(CellValue::Empty, Into::into)
    }
}

macro_rules! int_cells {
    ($($t:ty),*) => {$(
        impl From<$t> for CellValue {
            fn from(n: $t) -> Self {
                CellValue::Int(n as i64)
            }
        }
        impl From<&$t> for CellValue {
            fn from(n: &$t) -> Self {
                CellValue::Int(*n as i64)
            }
        }
    )*};
}
int_cells!(usize, u32, u64, i64, i32);

/// How many characters of a quote the aligned table shows.
pub const QUOTE_CHARS: usize = 80;

/// The columns `text` takes on a terminal (printable ASCII: one per byte).
fn width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        text.len()
    } else {
        text.width()
    }
}

/// A quote for a terminal ([`sink::terminal_quote`] without its flag).
fn quote_text(text: &str) -> Cow<'_, str> {
    sink::terminal_quote(text).0
}

/// `text` cut to at most `n` characters, with `…`.
pub fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut s: String = text.chars().take(n - 1).collect();
    s.push('…');
    s
}

/// How the aligned table shows a cell, said by whoever writes its text for [`aligned`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Text (escaped for a terminal; a column named in [`QUOTE_COLUMNS`] as a quote).
    Text,
    /// A line of the vendor's text ([`CellValue::Quote`]): cut to [`QUOTE_CHARS`] characters.
    Quote,
    /// A number or nothing ([`CellValue::Int`], [`CellValue::Empty`]): a column of these is
    /// right-aligned.
    Number,
}

/// An aligned table of `columns` and `rows` rows, numbers right-aligned, each line's trailing
/// blanks removed. `cell(row, column, out)` writes a cell's text into `out` (given empty) and says
/// how it is shown. Every cell and header goes through [`sink::terminal`] (the cells of a column in
/// [`QUOTE_COLUMNS`] through [`sink::terminal_quote`]). The cells are written once, one after the
/// other into one buffer, their widths taken as they come, then laid out: no string per cell,
/// as an answer at scale is tens of thousands of rows.
pub fn aligned(
    columns: &[String],
    rows: usize,
    mut cell: impl FnMut(usize, usize, &mut String) -> Shown,
) -> String {
    let n = columns.len();
    let quote: Vec<bool> = columns
        .iter()
        .map(|c| QUOTE_COLUMNS.contains(&c.as_str()))
        .collect();
    let headers: Vec<Cow<'_, str>> = columns.iter().map(|c| sink::terminal(c)).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    let mut numeric = vec![rows > 0; n];
    // Every cell's text, one after the other; each cell's end in it and its width.
    let mut texts = String::new();
    let mut ends: Vec<(usize, usize)> = Vec::with_capacity(rows * n);
    let mut raw = String::new();
    for r in 0..rows {
        for c in 0..n {
            raw.clear();
            let shown = cell(r, c, &mut raw);
            numeric[c] &= shown == Shown::Number;
            let cut_quote = match shown == Shown::Quote && raw.chars().nth(QUOTE_CHARS).is_some() {
                true => Some(cut(&raw, QUOTE_CHARS)),
                false => None,
            };
            let text = cut_quote.as_deref().unwrap_or(&raw);
            let shown = match quote[c] {
                true => quote_text(text),
                false => sink::terminal(text),
            };
            let w = width(&shown);
            texts.push_str(&shown);
            widths[c] = widths[c].max(w);
            ends.push((texts.len(), w));
        }
    }
    let mut out = String::with_capacity(texts.len() + (rows + 2) * (n * 2 + 1));
    let line = |cells: &mut dyn Iterator<Item = (&str, usize)>, out: &mut String| {
        let start = out.len();
        for (i, (c, w)) in cells.enumerate() {
            let pad = widths[i].saturating_sub(w);
            if i > 0 {
                out.push_str("  ");
            }
            if numeric[i] {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(c);
            } else {
                out.push_str(c);
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
    };
    line(
        &mut headers.iter().map(|h| (h.as_ref(), width(h))),
        &mut out,
    );
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut rule.iter().map(|r| (r.as_str(), r.len())), &mut out);
    if n == 0 {
        out.extend(std::iter::repeat_n('\n', rows));
    }
    let mut start = 0;
    for row in ends.chunks(n.max(1)) {
        let mut cells = row.iter().map(|&(end, w)| {
            let text = &texts[start..end];
            start = end;
            (text, w)
        });
        line(&mut cells, &mut out);
    }
    out
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<CellValue>) {
        self.rows.push(row);
    }

    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.to_text(),
            Format::Markdown => self.to_markdown(),
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json(),
        }
    }

    fn texts(&self) -> Vec<Vec<Cow<'_, str>>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(CellValue::text).collect())
            .collect()
    }

    /// Aligned columns; numbers right-aligned ([`aligned`] over the cells' texts).
    pub fn to_text(&self) -> String {
        aligned(&self.columns, self.rows.len(), |r, c, out| {
            let v = &self.rows[r][c];
            out.push_str(&v.text());
            match v {
                CellValue::Quote(_) => Shown::Quote,
                v if v.is_numeric() => Shown::Number,
                _ => Shown::Text,
            }
        })
    }

    /// A pipe table; every cell and header through [`sink::markdown`], quotes
    /// through [`sink::markdown_code`], so vendor text renders as text.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "| {} |\n",
            self.columns
                .iter()
                .map(|c| sink::markdown(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        out.push_str(&format!(
            "|{}\n",
            self.columns.iter().map(|_| " --- |").collect::<String>()
        ));
        for r in self.texts() {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(i, c)| match self.columns.get(i).map(String::as_str) {
                    Some(q) if QUOTE_COLUMNS.contains(&q) => sink::markdown_code(c),
                    Some(r) if SPAN_COLUMNS.contains(&r) => sink::markdown_spans(c),
                    _ => sink::markdown(c).into_owned(),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }

    /// CSV; every text cell and header through [`sink::csv`] (formula
    /// neutralisation, unless `--raw-csv`).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(self.columns.iter().map(|c| sink::csv(c).into_owned()));
        for (r, values) in self.texts().iter().zip(&self.rows) {
            let cells: Vec<Cow<'_, str>> = r
                .iter()
                .zip(values)
                .map(|(c, v)| match v.is_text() {
                    true => sink::csv(c),
                    false => Cow::Borrowed(c.as_ref()),
                })
                .collect();
            let cells = cells.iter().map(|c| c.as_bytes());
            let _ = w.write_record(cells);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// An array of row objects keyed by the column names in snake_case (see [`Table::json_rows`]).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.json_rows()).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The rows as JSON objects: each cell under its column's name in snake_case, the keys in
    /// alphabetical order.
    pub fn json_rows(&self) -> Vec<JsonRow<'_>> {
        let keys: Vec<String> = self.columns.iter().map(|c| snake_case(c)).collect();
        self.rows
            .iter()
            .map(|r| keys.iter().cloned().zip(r).collect())
            .collect()
    }
}

/// A table row as JSON: cells by key, in alphabetical order.
pub type JsonRow<'a> = BTreeMap<String, &'a CellValue>;

/// `Stacks (of 28)` -> `stacks_of_28`, `kubernetesVersion` -> `kubernetes_version`.
pub fn snake_case(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_alphanumeric() {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Table {
        let mut t = Table::new(&["Project", "Stacks", "Share"]);
        t.push(vec!["Kueue".into(), 18.into(), CellValue::Share(0.64)]);
        t.push(vec![
            "K-Gateway, ext".into(),
            4.into(),
            CellValue::Share(0.14),
        ]);
        t
    }

    #[test]
    fn text_aligns_and_right_aligns_numbers() {
        assert_eq!(t().to_text(), "Project         Stacks  Share\n--------------  ------  -----\nKueue               18  64%\nK-Gateway, ext       4  14%\n");
    }

    #[test]
    fn cells_are_formatted_by_the_renderer() {
        let mut t = Table::new(&["Quote", "Share", "Versions", "Negated", "Stacks"]);
        let long = "x".repeat(100);
        t.push(vec![
            CellValue::Quote(long.clone()),
            CellValue::Share(0.64285714),
            CellValue::List(vec!["1.2".into(), "1.3".into()]),
            true.into(),
            CellValue::Empty,
        ]);
        let text = t.to_text();
        assert!(text.contains(&format!("{}…", "x".repeat(79))), "{text}");
        assert!(!text.contains(&long));
        assert!(text.contains("64%    1.2, 1.3  true"), "{text}");
        assert!(t
            .to_csv()
            .contains(&format!("{long},64%,\"1.2, 1.3\",true,\n")));
        let j: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(
            j,
            serde_json::json!([{"negated": true, "quote": long, "share": 0.6429, "stacks": null, "versions": ["1.2", "1.3"]}])
        );
        assert_eq!(cut("abcdef", 4), "abc…");
    }

    #[test]
    fn csv_quotes_and_json_uses_snake_case_keys() {
        assert!(t().to_csv().contains("\"K-Gateway, ext\",4,14%"));
        let j: serde_json::Value = serde_json::from_str(&t().to_json()).unwrap();
        assert_eq!(j[0]["project"], "Kueue");
        assert_eq!(snake_case("kubernetesVersion"), "kubernetes_version");
        assert_eq!(snake_case("Stacks (of 28)"), "stacks_of_28");
    }
}
