//! Rendering: a [`Table`] of text cells as an aligned terminal table,
//! Markdown, CSV or JSON. Every command's tabular output goes through here.

use std::borrow::Cow;

use serde_json::{Map, Value};
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
    Markdown,
    Csv,
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

/// Columns and rows of JSON values (strings, numbers, booleans, null).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
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

    fn texts(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(cell_text).collect())
            .collect()
    }

    /// Whether column `i` holds quotes of the vendor's text (see [`QUOTE_COLUMNS`]).
    fn is_quote(&self, i: usize) -> bool {
        self.columns
            .get(i)
            .is_some_and(|c| QUOTE_COLUMNS.contains(&c.as_str()))
    }

    /// Aligned columns; numbers right-aligned. Every cell and header goes
    /// through [`sink::terminal`] (quotes through [`sink::terminal_quote`]).
    pub fn to_text(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|c| sink::terminal(c).into_owned())
            .collect();
        let rows: Vec<Vec<String>> = self
            .texts()
            .into_iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| match self.is_quote(i) {
                        true => sink::terminal_quote(c).0.into_owned(),
                        false => sink::terminal(c).into_owned(),
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = columns.iter().map(|c| c.width()).collect();
        for r in &rows {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.width());
            }
        }
        let numeric: Vec<bool> = (0..self.columns.len())
            .map(|i| {
                !self.rows.is_empty()
                    && self.rows.iter().all(|r| r[i].is_number() || r[i].is_null())
            })
            .collect();
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut l = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(c.width());
                if i > 0 {
                    l.push_str("  ");
                }
                if numeric[i] {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(c);
                } else {
                    l.push_str(c);
                    l.push_str(&" ".repeat(pad));
                }
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        line(&columns, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, &mut out);
        for r in &rows {
            line(r, &mut out);
        }
        out
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
                .map(|(c, v)| match v {
                    Value::String(_) => sink::csv(c),
                    _ => Cow::Borrowed(c.as_str()),
                })
                .collect();
            let cells = cells.iter().map(|c| c.as_bytes());
            let _ = w.write_record(cells);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// An array of row objects keyed by the column names in snake_case.
    pub fn to_json(&self) -> String {
        let keys: Vec<String> = self.columns.iter().map(|c| snake_case(c)).collect();
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (k, v) in keys.iter().zip(r) {
                    m.insert(k.clone(), v.clone());
                }
                Value::Object(m)
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
        s.push('\n');
        s
    }
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

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
    use serde_json::json;

    fn t() -> Table {
        let mut t = Table::new(&["Project", "Stacks", "Share"]);
        t.push(vec![json!("Kueue"), json!(18), json!(0.64)]);
        t.push(vec![json!("K-Gateway, ext"), json!(4), json!(0.14)]);
        t
    }

    #[test]
    fn text_aligns_and_right_aligns_numbers() {
        assert_eq!(t().to_text(), "Project         Stacks  Share\n--------------  ------  -----\nKueue               18   0.64\nK-Gateway, ext       4   0.14\n");
    }

    #[test]
    fn csv_quotes_and_json_uses_snake_case_keys() {
        assert!(t().to_csv().contains("\"K-Gateway, ext\",4,0.14"));
        let j: serde_json::Value = serde_json::from_str(&t().to_json()).unwrap();
        assert_eq!(j[0]["project"], "Kueue");
        assert_eq!(snake_case("kubernetesVersion"), "kubernetes_version");
        assert_eq!(snake_case("Stacks (of 28)"), "stacks_of_28");
    }
}
