//! The rustyline helper: tab completion (dot commands, keywords, sources,
//! fields, and after `FIELD =` or `uses` the loaded categories, projects,
//! submissions, versions ...), a hint of the only completion (or from
//! history), syntax highlighting, and multi-line input while a parenthesis
//! or quote is open. Each is a plain function of the line, tested without
//! a terminal; [`QueryHelper`] wires them into rustyline.

use std::borrow::Cow;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::session::{Vocabulary, COMMANDS};
use crate::query::{Field, Rows, KEYWORDS};

/// The rustyline helper of the REPL.
pub struct QueryHelper {
    /// The loaded names it completes and hints.
    pub vocabulary: Vocabulary,
    /// Colour the line (off when the terminal is dumb or `NO_COLOR` is set).
    pub color: bool,
    history: HistoryHinter,
}

impl QueryHelper {
    /// A helper over `vocabulary`, colouring the line when `color`.
    pub fn new(vocabulary: Vocabulary, color: bool) -> QueryHelper {
        QueryHelper {
            vocabulary,
            color,
            history: HistoryHinter::new(),
        }
    }
}

/// Characters that end a word for completion.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || "(),=<>!~;".contains(c)
}

/// Where the word under the cursor starts, and whether it opened a quote.
fn word_start(text: &str) -> (usize, Option<char>) {
    let mut quote: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some((_, q)) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some((i, c)),
            None => {}
        }
    }
    if let Some((i, q)) = quote {
        return (i, Some(q));
    }
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| is_delimiter(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    (start, None)
}

/// The tokens of `text` (words, quoted strings, operators), for context.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == '"' || c == '\'' {
            let end = text[i + 1..].find(c).map_or(text.len(), |j| i + j + 2);
            out.push(text[i..end].to_string());
            while chars.peek().is_some_and(|(j, _)| *j < end) {
                chars.next();
            }
        } else if "(),;~".contains(c) {
            out.push(c.to_string());
        } else if "=<>!".contains(c) {
            let mut op = c.to_string();
            while let Some((_, n)) = chars.peek().filter(|(_, n)| "=<>".contains(*n)) {
                op.push(*n);
                chars.next();
            }
            out.push(op);
        } else {
            let mut w = c.to_string();
            while let Some((_, n)) = chars
                .peek()
                .filter(|(_, n)| !is_delimiter(*n) && *n != '"' && *n != '\'')
            {
                w.push(*n);
                chars.next();
            }
            out.push(w);
        }
    }
    out
}

fn is_operator(t: &str) -> bool {
    matches!(t, "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" | "~")
        || t.eq_ignore_ascii_case("contains")
}

/// The field a value at the end of `before` is for: `FIELD OP _` or `FIELD in (..., _`.
fn value_field(before: &[String], source: Rows) -> Option<Field> {
    let n = before.len();
    if n >= 2 && is_operator(&before[n - 1]) {
        return Field::lookup(&before[n - 2], source);
    }
    // Inside `in (`: walk back over values and commas to the `(`.
    let mut i = n;
    while i > 0 && before[i - 1] != "(" {
        if before[i - 1] != "," && i < n && before[i] != "," {
            return None;
        }
        i -= 1;
    }
    if i >= 3 && before[i - 2].eq_ignore_ascii_case("in") {
        return Field::lookup(&before[i - 3], source);
    }
    None
}

/// The source named in the line, for field lookups (`adoption` when none).
fn source_of(tokens: &[String]) -> Rows {
    tokens
        .iter()
        .find_map(|t| Rows::parse(t))
        .unwrap_or(Rows::Adoption)
}

/// Completions of the word under the cursor: where it starts, and the candidates.
pub fn complete(line: &str, pos: usize, vocab: &Vocabulary) -> (usize, Vec<String>) {
    let text = &line[..pos.min(line.len())];
    let trimmed = text.trim_start();
    if trimmed.starts_with('.') {
        return complete_command(text);
    }
    let (start, quote) = word_start(text);
    let prefix = &text[start..];
    let word = prefix.trim_start_matches(['"', '\'']);
    let before = tokens(&text[..start]);
    let source = source_of(&before);
    let last = before.last().map(|s| s.to_ascii_lowercase());
    let candidates: Vec<String> = match last.as_deref() {
        None | Some("explain") => {
            let mut v: Vec<String> = Rows::ALL.iter().map(|s| s.to_string()).collect();
            v.extend(["explain", "top"].map(String::from));
            v
        }
        Some("uses") => vocab.projects.clone(),
        Some("by") => by_fields(&before, source),
        Some("top") | Some("limit") => Vec::new(),
        Some(_) if before.len() >= 2 && before[before.len() - 2].eq_ignore_ascii_case("top") => {
            Rows::ALL.iter().map(|s| s.to_string()).collect()
        }
        Some("where" | "and" | "or" | "not" | "(") if value_field(&before, source).is_none() => {
            let mut v: Vec<String> = Field::names_for(source)
                .into_iter()
                .map(String::from)
                .collect();
            v.extend(["not", "uses"].map(String::from));
            v
        }
        Some(_) => match value_field(&before, source) {
            Some(f) => vocab.values(f),
            None => KEYWORDS.iter().map(|k| k.to_string()).collect(),
        },
    };
    let mut out: Vec<String> = Vec::new();
    for c in candidates {
        if !c.to_lowercase().starts_with(&word.to_lowercase()) {
            continue;
        }
        let needs_quotes = quote.is_some()
            || c.chars()
                .any(|ch| ch.is_whitespace() || "(),=<>!~;\"'".contains(ch));
        let c = if needs_quotes {
            let q = quote.unwrap_or('"');
            format!("{q}{c}{q}")
        } else {
            c
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    (start, out)
}

/// After `group by`: the fields the source groups by; after `order by`: the result's columns.
fn by_fields(before: &[String], source: Rows) -> Vec<String> {
    let n = before.len();
    if n >= 2 && before[n - 2].eq_ignore_ascii_case("group") {
        return Field::ALL
            .into_iter()
            .filter(|f| f.groupable_in(source))
            .map(|f| f.name().to_string())
            .collect();
    }
    let group: Vec<Field> = before
        .windows(2)
        .position(|w| w[0].eq_ignore_ascii_case("group") && w[1].eq_ignore_ascii_case("by"))
        .map(|i| {
            before[i + 2..]
                .iter()
                .flat_map(|w| w.split(','))
                .take_while(|w| {
                    !w.eq_ignore_ascii_case("having") && !w.eq_ignore_ascii_case("order")
                })
                .filter_map(|w| Field::lookup(w, source))
                .collect()
        })
        .unwrap_or_default();
    crate::query::field::columns(source, &group)
        .iter()
        .map(|c| c.key())
        .collect()
}

fn complete_command(text: &str) -> (usize, Vec<String>) {
    let start = text.len() - text.trim_start().len();
    let t = &text[start..];
    match t.split_once(char::is_whitespace) {
        None => (
            start,
            COMMANDS
                .iter()
                .map(|c| c.0.to_string())
                .filter(|c| c.starts_with(&t.to_lowercase()))
                .collect(),
        ),
        Some((cmd, arg)) => {
            let arg = arg.trim_start();
            let at = text.len() - arg.len();
            let options: &[&str] = match cmd.to_lowercase().as_str() {
                ".format" => &["table", "markdown", "csv", "json"],
                ".timer" => &["on", "off"],
                _ => &[],
            };
            (
                at,
                options
                    .iter()
                    .filter(|o| o.starts_with(&arg.to_lowercase()))
                    .map(|o| o.to_string())
                    .collect(),
            )
        }
    }
}

/// The rest of the only completion of the word at the end of the line, if one.
pub fn hint(line: &str, pos: usize, vocab: &Vocabulary) -> Option<String> {
    if pos < line.len() {
        return None;
    }
    let (start, cands) = complete(line, pos, vocab);
    let typed = &line[start..pos];
    if typed.trim_matches(['"', '\'']).is_empty() || cands.len() != 1 {
        return None;
    }
    let c = &cands[0];
    let rest = c.get(typed.len()..)?;
    (c[..typed.len()].eq_ignore_ascii_case(typed) && !rest.is_empty()).then(|| rest.to_string())
}

/// Is the input unfinished (an open parenthesis or quote)?
pub fn needs_more(input: &str) -> bool {
    if input.trim_start().starts_with('.') {
        return false;
    }
    let (mut depth, mut quote) = (0i64, None);
    for c in input.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    quote.is_some() || depth > 0
}

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;34m";
const SOURCE: &str = "\x1b[1;35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[33m";
const OPERATOR: &str = "\x1b[36m";
const COMMAND: &str = "\x1b[1;36m";

/// The line with ANSI colours: keywords, sources, strings, numbers, operators.
pub fn highlight(line: &str) -> String {
    if line.trim_start().starts_with('.') {
        let lead = line.len() - line.trim_start().len();
        let cmd_end = line[lead..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| lead + i);
        return format!(
            "{}{COMMAND}{}{RESET}{}",
            &line[..lead],
            &line[lead..cmd_end],
            &line[cmd_end..]
        );
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let len = if c == '"' || c == '\'' {
            let l = rest[1..].find(c).map_or(rest.len(), |j| j + 2);
            paint(&mut out, STRING, &rest[..l]);
            l
        } else if "=<>!~".contains(c) {
            let l = rest
                .find(|ch: char| !"=<>!~".contains(ch))
                .unwrap_or(rest.len());
            paint(&mut out, OPERATOR, &rest[..l]);
            l
        } else if is_delimiter(c) {
            out.push(c);
            c.len_utf8()
        } else {
            let l = rest
                .find(|ch: char| is_delimiter(ch) || ch == '"' || ch == '\'')
                .unwrap_or(rest.len());
            let w = &rest[..l];
            if crate::query::parse::is_keyword(w) {
                paint(&mut out, KEYWORD, w);
            } else if Rows::parse(w).is_some() {
                paint(&mut out, SOURCE, w);
            } else if w.starts_with(|ch: char| ch.is_ascii_digit()) {
                paint(&mut out, NUMBER, w);
            } else {
                out.push_str(w);
            }
            l
        };
        rest = &rest[len..];
    }
    out
}

fn paint(out: &mut String, color: &str, text: &str) {
    out.push_str(color);
    out.push_str(text);
    out.push_str(RESET);
}

impl Completer for QueryHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, cands) = complete(line, pos, &self.vocabulary);
        Ok((
            start,
            cands
                .into_iter()
                .map(|c| Pair {
                    display: c.clone(),
                    replacement: c,
                })
                .collect(),
        ))
    }
}

impl Hinter for QueryHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        hint(line, pos, &self.vocabulary).or_else(|| self.history.hint(line, pos, ctx))
    }
}

impl Highlighter for QueryHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Validator for QueryHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if needs_more(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for QueryHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_value_fields() {
        let t = tokens("adoption where category in (Networking, ");
        assert_eq!(
            t,
            [
                "adoption",
                "where",
                "category",
                "in",
                "(",
                "Networking",
                ","
            ]
        );
        assert_eq!(value_field(&t, Rows::Adoption), Some(Field::Category));
        let t = tokens("findings where project=\"NVIDIA DCGM Exporter\" and cell =");
        assert_eq!(value_field(&t, Rows::Findings), Some(Field::Cell));
    }

    #[test]
    fn open_parens_and_quotes_need_more() {
        assert!(needs_more("adoption where (category = X"));
        assert!(needs_more("findings where project = \"NVIDIA"));
        assert!(!needs_more("adoption where (category = X)"));
        assert!(!needs_more("findings where project = \"(\""));
        assert!(!needs_more(".help ("));
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let line = "top 5 adoption where project = \"A (b)\" and version>=1.34";
        let h = highlight(line);
        let plain = h
            .replace(RESET, "")
            .replace(KEYWORD, "")
            .replace(SOURCE, "")
            .replace(STRING, "")
            .replace(NUMBER, "")
            .replace(OPERATOR, "");
        assert_eq!(plain, line);
        assert!(h.contains(&format!("{KEYWORD}where{RESET}")));
        assert!(h.contains(&format!("{STRING}\"A (b)\"{RESET}")));
    }
}
