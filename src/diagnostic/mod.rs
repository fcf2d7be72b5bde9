//! Diagnostics: every problem found in input (a rule file, a submission, a
//! query) becomes one [`Diagnostic`] with a stable code, a file, a position
//! and an optional span. Stages collect them instead of stopping at the first;
//! the binary renders them once, with miette, against their sources.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

mod code;

pub use code::Code;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one input, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `E001`; see `docs/diagnostics.md`.
    pub code: Code,
    /// An error or a warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it is about, as the user named it (relative to the corpus for submissions).
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub column: usize,
    /// Byte range in the file's text, for rendering.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// Short text under the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with no position yet.
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            line: 0,
            column: 0,
            span: None,
            label: None,
            help: None,
        }
    }

    /// A warning with no position yet.
    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Places the diagnostic at a byte range of `text`, computing line and column.
    pub fn at(mut self, text: &str, span: Range<usize>) -> Self {
        let start = text.floor_char_boundary(span.start.min(text.len()));
        let end = text.floor_char_boundary(span.end.clamp(start, text.len()));
        let (line, column) = line_col(text, start);
        self.line = line;
        self.column = column;
        self.span = Some(start..end);
        self
    }

    /// Places the diagnostic at a known line and column (1-based) without a span.
    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// The same, with a label on its span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The same, with a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders with miette against the file's text (when known), without colours.
    pub fn render(&self, text: Option<&str>) -> String {
        let report = MietteReport {
            diag: self,
            source: text.map(|t| miette::NamedSource::new(self.file.clone(), t.to_string())),
        };
        let mut out = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100)
                .with_wrap_lines(false);
        if handler.render_report(&mut out, &report).is_err() {
            out = format!("{self}\n");
        }
        // The snippet quotes the file (vendor text): no control character reaches the terminal.
        crate::output::sink::terminal_text(&out).into_owned()
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error[E001]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", crate::output::sink::terminal(&self.file))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(
            f,
            ": {sev}[{}]: {}",
            self.code,
            crate::output::sink::terminal(&self.message)
        )
    }
}

struct MietteReport<'a> {
    diag: &'a Diagnostic,
    source: Option<miette::NamedSource<String>>,
}

impl fmt::Debug for MietteReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}

impl fmt::Display for MietteReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_none() || self.diag.span.is_none() {
            // Without a snippet the position must be in the message itself.
            return write!(f, "{}", self.diag);
        }
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for MietteReport<'_> {}

impl miette::Diagnostic for MietteReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diag.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diag.span.as_ref()?;
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.diag.span.clone()?;
        self.source.as_ref()?;
        let label = self.diag.label.clone().or_else(|| Some("here".to_string()));
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            label,
            span.start,
            span.end - span.start,
        ))))
    }
}

/// 1-based (line, column) of a byte offset; the column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'f' is after a two-byte character: byte 8, column 5.
        assert_eq!(line_col(text, 8), (2, 5));
    }

    #[test]
    fn display_names_file_line_column_and_code() {
        let d = Diagnostic::error(Code::E001, "rules/x.rule", "bad").at("a\nbc", 3..4);
        assert_eq!(d.to_string(), "rules/x.rule:2:2: error[E001]: bad");
    }
}
