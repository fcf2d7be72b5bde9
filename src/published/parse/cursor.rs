//! A cursor over the published file's non-blank lines: what each section
//! reads its lines, numbers and headings with, and the located errors when
//! they are not what it expects.

use super::*;

/// A cursor over the non-blank lines of the file, trimmed, with their positions.
pub(super) struct Cursor<'a> {
    path: &'a str,
    text: &'a str,
    /// (byte offset of the trimmed line, trimmed line)
    lines: Vec<(usize, &'a str)>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(path: &'a str, text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let trimmed = raw.trim();
            if !trimmed.is_empty() {
                let lead = raw.len() - raw.trim_start().len();
                lines.push((start + lead, trimmed));
            }
            start += raw.len();
        }
        Cursor {
            path,
            text,
            lines,
            pos: 0,
        }
    }

    pub(super) fn peek(&self, k: usize) -> Option<&'a str> {
        self.lines.get(self.pos + k).map(|l| l.1)
    }

    /// The 1-based file line of the current position (or of the end).
    pub(super) fn line_no(&self) -> usize {
        let off = self.lines.get(self.pos).map_or(self.text.len(), |l| l.0);
        crate::diagnostic::line_col(self.text, off).0
    }

    /// The next line and its 1-based number; `what` names it if the file ends.
    pub(super) fn next(&mut self, what: &str) -> Result<(usize, &'a str), Diagnostic> {
        let Some(&(_, l)) = self.lines.get(self.pos) else {
            return Err(self.eof(what));
        };
        let n = self.line_no();
        self.pos += 1;
        Ok((n, l))
    }

    /// The next line, which must be `want`.
    pub(super) fn expect(&mut self, want: &str) -> Result<(usize, &'a str), Diagnostic> {
        match self.peek(0) {
            Some(l) if l == want => self.next(want),
            Some(_) => Err(self.unexpected(&format!("`{want}`"))),
            None => Err(self.eof(&format!("`{want}`"))),
        }
    }

    /// The next line, which must start with `prefix`; returns the rest.
    pub(super) fn expect_prefix(&mut self, prefix: &str) -> Result<&'a str, Diagnostic> {
        match self.peek(0) {
            Some(l) if l.starts_with(prefix) => Ok(self.next(prefix)?.1[prefix.len()..].trim()),
            Some(_) => Err(self.unexpected(&format!("a line `{prefix}...`"))),
            None => Err(self.eof(&format!("a line `{prefix}...`"))),
        }
    }

    /// The next line, which must match `re`; returns its capture groups as numbers.
    pub(super) fn captures(&mut self, re: &Regex, what: &str) -> Result<Vec<usize>, Diagnostic> {
        let (line, l) = self.next(what)?;
        let caps = re.captures(l).ok_or_else(|| {
            self.error_at(line, BAD_VALUE, format!("expected {what}, found `{l}`"))
        })?;
        caps.iter()
            .skip(1)
            .flatten()
            .map(|m| self.number(m.as_str()))
            .collect()
    }

    pub(super) fn number(&self, s: &str) -> Result<usize, Diagnostic> {
        s.parse()
            .map_err(|_| self.error_prev(BAD_VALUE, format!("`{s}` is not a number")))
    }

    /// Consumes lines while `stop` is false; returns them with their line numbers.
    pub(super) fn take_until(&mut self, stop: impl Fn(&Self) -> bool) -> Vec<(usize, &'a str)> {
        let mut out = Vec::new();
        while !stop(self) {
            let n = self.line_no();
            let Some(&(_, l)) = self.lines.get(self.pos) else {
                break;
            };
            self.pos += 1;
            out.push((n, l));
        }
        out
    }

    /// Like [`Cursor::take_until`], but the end of the file is an error: these
    /// runs of lines always end at a heading.
    pub(super) fn take_until_heading(
        &mut self,
        stop: impl Fn(&Self) -> bool,
        what: &str,
    ) -> Result<Vec<(usize, &'a str)>, Diagnostic> {
        let out = self.take_until(stop);
        if self.peek(0).is_none() {
            return Err(self.eof(what));
        }
        Ok(out)
    }

    /// Skips to the first line satisfying `is`; an error if there is none.
    pub(super) fn skip_to(
        &mut self,
        is: impl Fn(&str) -> bool,
        what: &str,
    ) -> Result<(), Diagnostic> {
        while let Some(l) = self.peek(0) {
            if is(l) {
                return Ok(());
            }
            self.pos += 1;
        }
        Err(self.eof(what))
    }

    /// An error at 1-based file line `line`, spanning the line's text.
    pub(super) fn error_at(&self, line: usize, code: Code, msg: impl Into<String>) -> Diagnostic {
        let start = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let rest = &self.text[start.min(self.text.len())..];
        let end = start + rest.find('\n').unwrap_or(rest.len());
        Diagnostic::error(code, self.path, msg).at(self.text, start..end.max(start))
    }

    /// An error at the line just consumed.
    pub(super) fn error_prev(&self, code: Code, msg: impl Into<String>) -> Diagnostic {
        let off = self
            .lines
            .get(self.pos.saturating_sub(1))
            .map_or(self.text.len(), |l| l.0);
        self.error_at(crate::diagnostic::line_col(self.text, off).0, code, msg)
    }

    /// The current line is not `what` was expected.
    pub(super) fn unexpected(&self, what: &str) -> Diagnostic {
        let found = self.peek(0).unwrap_or_default();
        self.error_at(
            self.line_no(),
            UNEXPECTED,
            format!("expected {what}, found `{found}`"),
        )
    }

    /// The file ends where `what` was expected.
    pub(super) fn eof(&self, what: &str) -> Diagnostic {
        let end = self.text.trim_end().len();
        Diagnostic::error(TRUNCATED, self.path, format!("the file ends where {what} was expected: it is truncated"))
            .at(self.text, end..end)
            .with_label("the file ends here")
            .with_help("the published analysis ends with its `How to Detect Deltas` section; use a complete copy")
    }
}
