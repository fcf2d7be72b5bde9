//! `aiconf fmt`: rule files in one canonical layout, comments kept.
//!
//! The grammar's `COMMENT` is silent, so the pest tree has no comments; the
//! formatter gets them back from the text: every `#` outside a string or a
//! regex token (whose spans the tree gives) starts a comment. Each comment
//! is then placed by position: after a token on the same line it stays a
//! trailing comment of that line; on its own line it stays a comment line
//! (indented with the block it is in); inside a statement or a `project`
//! header, where a line break would change nothing but a comment cannot stay,
//! it moves to its own line just before. Tokens are kept as written (quotes,
//! escapes, `category Scheduling` vs `"Scheduling"`); only layout changes:
//! one statement per line, two-space indent, values in a fixed column per
//! kind of statement (see [`column()`]), single blank lines kept, one blank line
//! between projects, `\n` line ends, no byte-order mark, one final newline.
//! Formatting is idempotent, and the formatted file loads to the same rules.

use crate::diagnostic::Code;
use std::ops::Range;

use pest::iterators::Pair;
use pest::Parser as _;

use super::parse::grammar::{Rule as R, RulesParser};
use super::parse::syntax_error;
use crate::diagnostic::Diagnostic;

/// One rule file in canonical layout; a syntax error (E001) if it does not parse.
pub fn format(path: &str, text: &str) -> Result<String, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = RulesParser::parse(R::file, text)
        .map_err(|e| syntax_error(path, text, e))?
        .next()
        .expect("the file rule yields one pair");
    let mut tokens = Vec::new();
    collect_token_spans(file.clone(), &mut tokens);
    let comments = find_comments(text, &tokens);
    let mut f = Formatter {
        text,
        comments,
        next_comment: 0,
        lines: Vec::new(),
        prev_end: 0,
    };
    for project in file.into_inner().filter(|p| p.as_rule() == R::project) {
        f.project(project);
    }
    f.flush_comments(text.len(), 0);
    Ok(f.render())
}

/// E020 when `text` is not in canonical layout (at the first line that differs).
pub fn unformatted(path: &str, text: &str, formatted: &str) -> Option<Diagnostic> {
    if text == formatted {
        return None;
    }
    let line = text
        .lines()
        .zip(formatted.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| text.lines().count().min(formatted.lines().count()));
    let want = formatted.lines().nth(line).unwrap_or("(end of file)");
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let end = text[start.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| start + i);
    let what = if text.starts_with('\u{feff}') && line == 0 {
        "a byte-order mark, ".to_string()
    } else {
        String::new()
    };
    Some(
        Diagnostic::error(
            Code::E020,
            path,
            format!(
                "not formatted: {what}line {} differs from the canonical layout",
                line + 1
            ),
        )
        .at(text, start.min(text.len())..end)
        .with_label(format!("expected: {}", want.trim_end()))
        .with_help(format!(
            "run `aiconf fmt --write {path}` to rewrite it in this layout"
        )),
    )
}

/// What `aiconf fmt` does with each file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FmtMode {
    /// Print the formatted text.
    Print,
    /// Rewrite files that are not formatted.
    Write,
    /// Change nothing; report files that are not formatted (E020).
    Check,
}

/// The result of `aiconf fmt` over some files.
#[derive(Debug, Default)]
pub struct FmtRun {
    /// (path, formatted text) of every file that parsed, in order.
    pub formatted: Vec<(String, String)>,
    /// Paths rewritten (`Write`) or found unformatted (`Check`).
    pub changed: Vec<String>,
    /// Syntax errors (E001), unformatted files (E020, `Check`), unreadable files (E100).
    pub diagnostics: Vec<Diagnostic>,
    /// The source text of each file, for rendering diagnostics.
    pub sources: Vec<(String, String)>,
    /// A file or folder could not be read or written (exit 2).
    pub io_failed: bool,
}

/// Formats rule files and folders of them (`*.rule`, sorted) in `mode`.
pub fn fmt_paths(paths: &[std::path::PathBuf], mode: FmtMode) -> FmtRun {
    let mut run = FmtRun::default();
    for p in paths {
        match super::read_rule_files(p) {
            Ok((files, diags)) => {
                run.io_failed |= !diags.is_empty();
                run.diagnostics.extend(diags);
                for (path, text) in files {
                    fmt_one(&mut run, path, text, mode);
                }
            }
            Err(d) => {
                run.io_failed = true;
                run.diagnostics.push(d);
            }
        }
    }
    run
}

fn fmt_one(run: &mut FmtRun, path: String, text: String, mode: FmtMode) {
    match format(&path, &text) {
        Ok(formatted) => {
            if formatted != text {
                match mode {
                    FmtMode::Check => run
                        .diagnostics
                        .extend(unformatted(&path, &text, &formatted)),
                    FmtMode::Write => {
                        if let Err(e) = std::fs::write(&path, &formatted) {
                            run.io_failed = true;
                            run.diagnostics.push(Diagnostic::error(
                                Code::E100,
                                &path,
                                format!("cannot write the rule file: {e}"),
                            ));
                        }
                    }
                    FmtMode::Print => {}
                }
                if mode != FmtMode::Print {
                    run.changed.push(path.clone());
                }
            }
            run.formatted.push((path.clone(), formatted));
        }
        Err(d) => run.diagnostics.push(d),
    }
    run.sources.push((path, text));
}

impl FmtRun {
    /// The source text of a file, for miette.
    pub fn source_text(&self, path: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.as_str())
    }
}

/// A `#` comment: where it starts, its text (trimmed at the end), and
/// whether it is the first thing on its line.
#[derive(Debug)]
struct Comment {
    start: usize,
    text: String,
    own_line: bool,
}

/// One output line before alignment.
#[derive(Debug)]
enum Line {
    Blank,
    /// A line kept as is (a header, a closing brace, a comment), with its indent.
    Text {
        indent: usize,
        text: String,
    },
    /// A statement: its keyword and the rest, aligned per run.
    Stmt {
        keyword: String,
        rest: String,
        trailing: Option<String>,
    },
}

struct Formatter<'t> {
    text: &'t str,
    comments: Vec<Comment>,
    next_comment: usize,
    lines: Vec<Line>,
    /// Source offset where the last element placed ended.
    prev_end: usize,
}

impl<'t> Formatter<'t> {
    fn project(&mut self, project: Pair<'t, R>) {
        let span = project.as_span();
        let close = span.end() - 1;
        let mut inner = project.into_inner();
        let id = inner.next().map(|p| p.as_str()).unwrap_or_default();
        let name = inner.next().map(|p| p.as_str()).unwrap_or_default();
        let open = self.open_brace(span.start());
        // Comments before the project, at the top level; one blank line after a previous project.
        self.flush_comments(span.start(), 0);
        let after_project = self.after_close();
        self.blank_before(span.start(), after_project);
        // Comments inside the header move above it.
        self.flush_comments(open, 0);
        self.lines.push(Line::Text {
            indent: 0,
            text: format!("project {id} {name} {{"),
        });
        self.prev_end = open + 1;
        self.trailing(open + 1);
        let mut first = true;
        for stmt in inner {
            let sspan = stmt.as_span();
            let end = stmt
                .clone()
                .into_inner()
                .last()
                .map_or(sspan.end(), |p| p.as_span().end());
            self.flush_comments_in_block(sspan.start(), first);
            if !first
                || self
                    .lines
                    .last()
                    .is_some_and(|l| !matches!(l, Line::Text { indent: 0, .. }))
            {
                self.blank_before(sspan.start(), false);
            }
            // Comments between the statement's own tokens move above it.
            self.flush_comments_at(end, 2, false);
            let (keyword, rest) = statement(stmt);
            self.lines.push(Line::Stmt {
                keyword,
                rest,
                trailing: None,
            });
            self.prev_end = end;
            self.trailing(end);
            first = false;
        }
        self.flush_comments_in_block(close, first);
        self.lines.push(Line::Text {
            indent: 0,
            text: "}".into(),
        });
        self.prev_end = close + 1;
        self.trailing(close + 1);
    }

    /// Where the `{` of a project header is: after the name, past blanks and comments.
    fn open_brace(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = from;
        // Skip `project`, the id and the name: the brace is the first `{` outside tokens and comments.
        let comments: Vec<Range<usize>> = self
            .comments
            .iter()
            .map(|c| c.start..c.start + c.text.len())
            .collect();
        let mut in_string = false;
        while i < bytes.len() {
            if let Some(c) = comments.iter().find(|c| c.start == i) {
                i = c.end;
                continue;
            }
            match bytes[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'{' if !in_string => return i,
                _ => {}
            }
            i += 1;
        }
        from
    }

    /// Emits own-line comments before `until` inside a block (indent 2).
    fn flush_comments_in_block(&mut self, until: usize, first: bool) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= until {
                break;
            }
            if !(first
                && self
                    .lines
                    .last()
                    .is_some_and(|l| matches!(l, Line::Text { indent: 0, .. })))
            {
                self.blank_before(c.start, false);
            }
            self.push_comment(2);
        }
    }

    /// Emits every comment before `until` on its own line at `indent`.
    fn flush_comments(&mut self, until: usize, indent: usize) {
        self.flush_comments_at(until, indent, true);
    }

    fn flush_comments_at(&mut self, until: usize, indent: usize, keep_blanks: bool) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= until {
                break;
            }
            if keep_blanks {
                let force = self.after_close();
                self.blank_before(c.start, force);
            }
            self.push_comment(indent);
        }
    }

    /// Is the last line a project's closing brace? Then a blank line follows.
    fn after_close(&self) -> bool {
        matches!(self.lines.last(), Some(Line::Text { indent: 0, text }) if text.starts_with('}'))
    }

    fn push_comment(&mut self, indent: usize) {
        let c = &self.comments[self.next_comment];
        self.lines.push(Line::Text {
            indent,
            text: c.text.clone(),
        });
        self.prev_end = c.start + c.text.len();
        self.next_comment += 1;
    }

    /// A comment right after `end` on the same line becomes that line's trailing comment.
    fn trailing(&mut self, end: usize) {
        let Some(c) = self.comments.get(self.next_comment) else {
            return;
        };
        if c.own_line || self.text[end.min(c.start)..c.start].contains('\n') {
            return;
        }
        let text = c.text.clone();
        match self.lines.last_mut() {
            Some(Line::Stmt { trailing, .. }) => *trailing = Some(text),
            Some(Line::Text { text: t, .. }) => {
                t.push(' ');
                t.push_str(&text);
            }
            _ => return,
        }
        self.prev_end = c.start + c.text.len();
        self.next_comment += 1;
    }

    /// A blank line before the element at `start` when the source had one (or `force`),
    /// never at the start of the file and never two.
    fn blank_before(&mut self, start: usize, force: bool) {
        if self.lines.is_empty() || matches!(self.lines.last(), Some(Line::Blank)) {
            return;
        }
        let gap = &self.text[self.prev_end.min(start)..start];
        if force || gap.matches('\n').count() >= 2 {
            self.lines.push(Line::Blank);
        }
    }

    /// The lines as text, keywords padded to their column.
    fn render(self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Blank => out.push('\n'),
                Line::Text { indent, text } => {
                    out.push_str(&" ".repeat(*indent));
                    out.push_str(text);
                    out.push('\n');
                }
                Line::Stmt {
                    keyword,
                    rest,
                    trailing,
                } => {
                    let width = column(keyword);
                    out.push_str(&format!("  {keyword:<width$} {rest}"));
                    if let Some(t) = trailing {
                        out.push(' ');
                        out.push_str(t);
                    }
                    out.push('\n');
                }
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}

/// Values start in a fixed column per kind of statement, so that adding a
/// line never re-aligns its neighbours: after `description` for the fields,
/// after `alias` for patterns and `not`; `version` and `example` take one space.
fn column(keyword: &str) -> usize {
    match keyword {
        "category" | "cncf" | "repo" | "license" | "vendor" | "description" => "description".len(),
        "name" | "alias" | "url" | "kind" | "image" | "chart" | "match" | "not" => "alias".len(),
        other => other.len(),
    }
}

/// A statement's keyword and the rest of its tokens, as written, one space apart.
fn statement(stmt: Pair<'_, R>) -> (String, String) {
    let rule = stmt.as_rule();
    let mut parts: Vec<String> = Vec::new();
    let mut keyword = match rule {
        R::exclude => "not".to_string(),
        R::version => "version".to_string(),
        R::example => "example".to_string(),
        _ => String::new(),
    };
    for p in stmt.into_inner() {
        match p.as_rule() {
            R::meta_key | R::pattern_kind => keyword = p.as_str().to_string(),
            R::expect => {
                parts.push("=>".to_string());
                parts.extend(p.into_inner().map(|c| c.as_str().to_string()));
            }
            _ => parts.push(p.as_str().to_string()),
        }
    }
    (keyword, parts.join(" "))
}

/// Spans of string and regex tokens, where a `#` is not a comment.
fn collect_token_spans(pair: Pair<'_, R>, out: &mut Vec<Range<usize>>) {
    match pair.as_rule() {
        R::string | R::regex => out.push(pair.as_span().start()..pair.as_span().end()),
        _ => {
            for p in pair.into_inner() {
                collect_token_spans(p, out);
            }
        }
    }
}

/// Every comment of the file, in order.
fn find_comments(text: &str, tokens: &[Range<usize>]) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut t = 0;
    let mut i = 0;
    while i < bytes.len() {
        while t < tokens.len() && tokens[t].end <= i {
            t += 1;
        }
        if t < tokens.len() && tokens[t].start <= i {
            i = tokens[t].end;
            continue;
        }
        if bytes[i] == b'#' {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            out.push(Comment {
                start: i,
                text: text[i..end].trim_end().to_string(),
                own_line: text[line_start..i].trim().is_empty(),
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format("t.rule", s).unwrap()
    }

    #[test]
    fn one_line_rule_is_laid_out() {
        let got =
            fmt(r#"project a "A" { category Platform name "Alpha" case example "Alpha"=>M"1.0" }"#);
        assert_eq!(got, "project a \"A\" {\n  category    Platform\n  name  \"Alpha\" case\n  example \"Alpha\" => M \"1.0\"\n}\n");
    }

    #[test]
    fn comments_stay_where_they_belong() {
        let src = "# file\n\nproject a # in header\n \"A\" {  # after brace\n  # own line\n  name \"A # not a comment\" # trailing\n  example # inside\n \"x\" => -\n  # before close\n} # after close\n# end\n";
        let want = "# file\n\n# in header\nproject a \"A\" { # after brace\n  # own line\n  name  \"A # not a comment\" # trailing\n  # inside\n  example \"x\" => -\n  # before close\n} # after close\n\n# end\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
    }
}
