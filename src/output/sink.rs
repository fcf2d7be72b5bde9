//! Sinks: vendor text made inert where it is printed.
//!
//! Everything aiconf prints comes, in the end, from files anyone can propose
//! in a pull request: folder names, `metadata` values, notes, Markdown, logs.
//! This module is the one place that knows each output sink and what makes a
//! string of such text *data* there, never markup or a command:
//!
//! | sink | function | what it does |
//! | --- | --- | --- |
//! | terminal | [`terminal`] | control characters (C0, C1, DEL, bidirectional and line-separator formats) shown escaped: `\x1b`, `\n`, `\u{202e}` |
//! | terminal, several lines around vendor text | [`terminal_text`] | as [`terminal`], newline and tab kept |
//! | terminal, a quoted log line | [`terminal_quote`] | ANSI escape sequences removed, then as [`terminal`]; says whether it removed any |
//! | Markdown text (also a table cell) | [`markdown`] | no emphasis, links, images, HTML, code, tables, math, autolinks, @-mentions, `#123` references or emoji |
//! | Markdown code span (also in a table cell) | [`markdown_code`] | a code span whose fence outlasts any backticks inside |
//! | Markdown text of aiconf's with `code` spans | [`markdown_spans`] | the text as [`markdown`], the spans as [`markdown_code`] |
//! | CSV cell | [`csv()`] | a cell beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` (OWASP); off with [`set_raw_csv`] |
//! | HTML / SVG / XML text or quoted attribute | [`html`] | the five XML escapes, control characters escaped as in [`terminal`] (newline and tab kept) |
//! | a folder name | [`name_problem`] | why a version or submission folder name is not a name (`.`, `..`, empty, `/`, control characters) |
//!
//! Every function takes the text as the vendor wrote it and returns what to
//! print; aiconf's own text (headers, colours, its own markup) never goes
//! through them, so its colours and layout are untouched. JSON needs none of
//! this: `serde_json` escapes control characters and a JSON string is data.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

/// Characters never emitted raw to a terminal: C0 controls (newline and tab
/// included: a value is one line), DEL, C1 controls, the Unicode
/// bidirectional controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069)
/// and the line and paragraph separators (U+2028/9).
pub fn is_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// `\n`, `\r`, `\t`, `\x1b` (other ASCII controls), `\u{202e}` (the rest).
fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `s` with every character for which `escape` holds written as [`push_escaped`] does.
fn escape_where(s: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A vendor string for a terminal (aligned tables, `explain`, the REPL,
/// diagnostics): every [`is_control`] character escaped, so the value is one
/// line and cannot move the cursor, recolour, clear or reorder the screen.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape_where(s, is_control)
}

/// Text of several lines for a terminal, made by aiconf around vendor text
/// (a rendered diagnostic with its snippet, an explanation): as [`terminal`],
/// but newlines and tabs are kept.
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| is_control(c) && c != '\n' && c != '\t')
}

/// A quoted line of vendor text (often test output) for a terminal: ANSI
/// escape sequences (CSI such as colours `ESC[31m`, OSC such as titles and
/// hyperlinks, and two-byte `ESC x`) are removed, the rest of the line kept and
/// escaped as [`terminal`] does. The flag says whether anything was removed,
/// so the caller can say the quote was cleaned.
pub fn terminal_quote(s: &str) -> (Cow<'_, str>, bool) {
    let stripped = strip_ansi(s);
    let removed = matches!(stripped, Cow::Owned(_));
    let out = match stripped {
        Cow::Borrowed(b) => terminal(b),
        Cow::Owned(o) => Cow::Owned(terminal(&o).into_owned()),
    };
    (out, removed)
}

/// `s` without ANSI escape sequences (ECMA-48: CSI, OSC/DCS/SOS/PM/APC
/// strings, and `ESC` followed by one character), in their 7-bit and C1 forms.
fn strip_ansi(s: &str) -> Cow<'_, str> {
    if !s.contains([
        '\u{1b}', '\u{9b}', '\u{9d}', '\u{90}', '\u{98}', '\u{9e}', '\u{9f}',
    ]) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let kind = match c {
            '\u{1b}' => match it.peek() {
                Some('[') => {
                    it.next();
                    '\u{9b}'
                }
                Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
                    it.next();
                    '\u{9d}'
                }
                Some(_) => {
                    it.next();
                    continue;
                }
                None => continue,
            },
            '\u{9b}' => '\u{9b}',
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => '\u{9d}',
            c => {
                out.push(c);
                continue;
            }
        };
        if kind == '\u{9b}' {
            // CSI: parameter and intermediate bytes 0x20-0x3f, then a final byte 0x40-0x7e.
            while let Some(&n) = it.peek() {
                if ('\u{20}'..='\u{3f}').contains(&n) {
                    it.next();
                } else {
                    if ('\u{40}'..='\u{7e}').contains(&n) {
                        it.next();
                    }
                    break;
                }
            }
        } else {
            // A control string: up to BEL, ST (`ESC \`) or C1 ST.
            while let Some(n) = it.next() {
                if n == '\u{7}' || n == '\u{9c}' {
                    break;
                }
                if n == '\u{1b}' {
                    if it.peek() == Some(&'\\') {
                        it.next();
                    }
                    break;
                }
            }
        }
    }
    Cow::Owned(out)
}

/// A vendor string as Markdown text that renders, on GitHub and any
/// CommonMark reader, as exactly that text: control characters escaped as in
/// [`terminal`] (so no line structure), Markdown punctuation
/// backslash-escaped (`\ * [ ] < | ~ $` and backticks always, `_` unless
/// inside a word, `&` before a name or `#`), and a zero-width space
/// (`&#8203;`) after `@` and `#` (no mentions or issue references), inside
/// `://` and `www.` (no autolinks) and after the first `:` of `:word:` (no
/// emoji). Safe inside a table cell. Not meant for the start of a line or of
/// a list item (where `#`, `>`, `-`, `1.` would start a block), where
/// aiconf's own text always stands.
pub fn markdown(s: &str) -> Cow<'_, str> {
    let special = |c: char| is_control(c) || "\\`*_[]<|~$&#@:.".contains(c);
    if !s.chars().any(special) {
        return Cow::Borrowed(s);
    }
    const ZWSP: &str = "&#8203;";
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        match c {
            c if is_control(c) => {
                // `\x1b` shows as written: the backslash is itself escaped.
                let mut e = String::new();
                push_escaped(&mut e, c);
                out.push_str(&e.replace('\\', "\\\\"));
            }
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(prev) && word(next)) => out.push_str("\\_"),
            '&' if word(next) || next == Some('#') => out.push_str("\\&"),
            '#' if next.is_some_and(|n| !n.is_whitespace()) => {
                out.push('#');
                out.push_str(ZWSP);
            }
            '@' => {
                out.push('@');
                out.push_str(ZWSP);
            }
            ':' if chars[i + 1..].starts_with(&['/', '/']) || emoji_at(&chars[i..]) => {
                out.push(':');
                out.push_str(ZWSP);
            }
            '.' if i >= 3
                && chars[i - 3..i].iter().all(|c| c.eq_ignore_ascii_case(&'w'))
                && !word(i.checked_sub(4).map(|j| chars[j])) =>
            {
                out.push_str(ZWSP);
                out.push('.');
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// aiconf's own Markdown-free text with `` `code` `` spans, holding vendor
/// strings (a paragraph of the report, a reason of `reconcile`): split at
/// backticks, the text escaped as [`markdown`] and each span rebuilt with
/// [`markdown_code`]. A backtick inside a vendor string can only open or close
/// a code span: inert either way.
pub fn markdown_spans(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(i, part)| match i % 2 {
            1 => markdown_code(part),
            _ => markdown(part).into_owned(),
        })
        .collect()
}

/// `:name:` at the start of `chars` (a GitHub emoji shortcode).
fn emoji_at(chars: &[char]) -> bool {
    let body = chars[1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
        .count();
    body > 0 && chars.get(1 + body) == Some(&':')
}

/// A vendor string as a Markdown code span (for quotes): control characters
/// escaped as in [`terminal`], `|` escaped so that the span can stand in a
/// table cell, and a fence of one more backtick than the longest run inside
/// (padded with spaces when the text starts or ends with a backtick), so no
/// backtick in the text can close it. Empty text gives an empty string.
pub fn markdown_code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let body = terminal(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with(['`', ' ']) || body.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

static RAW_CSV: AtomicBool = AtomicBool::new(false);

/// `--raw-csv`: CSV cells are written as the bytes they hold (no leading `'`,
/// no escaped control characters), for pipelines that want them. Process-wide;
/// only the binary sets it.
pub fn set_raw_csv(raw: bool) {
    RAW_CSV.store(raw, Ordering::Relaxed);
}

/// Whether [`set_raw_csv`] turned neutralisation off.
pub fn raw_csv() -> bool {
    RAW_CSV.load(Ordering::Relaxed)
}

/// A text cell for CSV, as OWASP recommends against formula injection: a cell
/// beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, so a spreadsheet shows it as text instead of evaluating it;
/// control characters other than newline and tab are escaped as in
/// [`terminal`]. Left as they are: a lone `-` (the matrix's "not named") and a
/// plain number (`-3`, `+1.5`), which no spreadsheet runs. [`set_raw_csv`]
/// turns all of this off.
pub fn csv(s: &str) -> Cow<'_, str> {
    if raw_csv() {
        return Cow::Borrowed(s);
    }
    let formula =
        s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s != "-" && s.parse::<f64>().is_err();
    let body = escape_where(s, |c| is_control(c) && c != '\n' && c != '\t');
    if formula {
        Cow::Owned(format!("'{body}"))
    } else {
        body
    }
}

/// A vendor string for HTML, SVG or XML element text or a quoted attribute:
/// the five XML escapes (`&amp; &lt; &gt; &quot; &#39;`) and control
/// characters escaped as in [`terminal`] (newline and tab kept), so the page
/// stays well-formed XML and no override reorders it.
pub fn html(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| {
        matches!(c, '&' | '<' | '>' | '"' | '\'') || (is_control(c) && c != '\n' && c != '\t')
    }) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if is_control(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Why a folder name of the corpus (a version or submission folder, or any
/// folder or file under one) is not a name: `.` or `..`, empty, holding `/`,
/// or holding a control character (newline included, see [`is_control`]).
/// `None` for a name.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("an empty name")
    } else if name == "." || name == ".." {
        Some("`.` or `..`")
    } else if name.contains('/') {
        Some("a name holding `/`")
    } else if name.chars().any(is_control) {
        Some("a name holding control characters")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_every_control() {
        for (input, want) in [
            ("plain text, Ünïcode ✓", "plain text, Ünïcode ✓"),
            ("x\u{1b}[31mred", "x\\x1b[31mred"),
            ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
            (
                "bell\u{7} del\u{7f} nul\u{0}",
                "bell\\x07 del\\x7f nul\\x00",
            ),
            ("c1 \u{9b}31m \u{85}", "c1 \\u{9b}31m \\u{85}"),
            ("evil\u{202e}txt.exe", "evil\\u{202e}txt.exe"),
            (
                "\u{2066}iso\u{2069} \u{200f}",
                "\\u{2066}iso\\u{2069} \\u{200f}",
            ),
            ("line\u{2028}sep", "line\\u{2028}sep"),
        ] {
            assert_eq!(terminal(input), want, "{input:?}");
        }
        assert!(matches!(terminal("clean"), Cow::Borrowed(_)));
        assert_eq!(terminal_text("a\tb\nc\u{1b}[2J\r"), "a\tb\nc\\x1b[2J\\r");
    }

    #[test]
    fn terminal_quote_strips_ansi_and_says_so() {
        for (input, want, removed) in [
            ("PASS ok", "PASS ok", false),
            ("\u{1b}[32mPASS\u{1b}[0m ok", "PASS ok", true),
            ("\u{1b}[1;38;5;196mred\u{1b}[m", "red", true),
            ("\u{1b}]0;title\u{7}text", "text", true),
            (
                "\u{1b}]8;;https://x\u{1b}\\link\u{1b}]8;;\u{1b}\\",
                "link",
                true,
            ),
            ("\u{9b}31mC1\u{9b}0m", "C1", true),
            ("\u{1b}cclear", "clear", true),
            ("tail\u{1b}", "tail", true),
            ("\u{1b}[31mred\u{7}bell", "red\\x07bell", true),
            ("keep\tit", "keep\\tit", false),
        ] {
            assert_eq!(
                terminal_quote(input),
                (Cow::from(want), removed),
                "{input:?}"
            );
        }
    }

    #[test]
    fn markdown_text_cannot_make_markup() {
        for (input, want) in [
            ("Gardener", "Gardener"),
            ("K-Gateway (GW API Inf. Ext)", "K-Gateway (GW API Inf. Ext)"),
            ("Run:ai, 64%", "Run:ai, 64%"),
            ("snake_case_name", "snake_case_name"),
            ("**APPROVED** _x_", "\\*\\*APPROVED\\*\\* \\_x\\_"),
            (
                "![x](https://e.example/t.png)",
                "!\\[x\\](https:&#8203;//e.example/t.png)",
            ),
            ("<img src=x>", "\\<img src=x>"),
            ("Pwn | cell", "Pwn \\| cell"),
            ("@cncf/maintainers", "@&#8203;cncf/maintainers"),
            ("fixes #123", "fixes #&#8203;123"),
            ("# heading, #", "# heading, #"),
            ("see www.evil.example", "see www&#8203;.evil.example"),
            ("a@b.example", "a@&#8203;b.example"),
            (":warning: ok", ":&#8203;warning: ok"),
            ("`code` ~~gone~~ $x$", "\\`code\\` \\~\\~gone\\~\\~ \\$x\\$"),
            ("&amp; &#64; a & b", "\\&amp; \\&#&#8203;64; a & b"),
            ("back\\slash", "back\\\\slash"),
            ("two\nlines\u{1b}[31m", "two\\\\nlines\\\\x1b\\[31m"),
        ] {
            assert_eq!(markdown(input), want, "{input:?}");
        }
    }

    #[test]
    fn markdown_code_outlasts_backticks() {
        for (input, want) in [
            ("", ""),
            ("plain", "`plain`"),
            ("a `b` c", "``a `b` c``"),
            ("``x```", "```` ``x``` ````"),
            ("a|b", "`a\\|b`"),
            (" lead", "`  lead `"),
            ("esc\u{1b}[0m\n", "`esc\\x1b[0m\\n`"),
        ] {
            assert_eq!(markdown_code(input), want, "{input:?}");
        }
    }

    #[test]
    fn markdown_spans_keep_code_and_escape_the_rest() {
        for (input, want) in [
            ("the published table has `-`", "the published table has `-`"),
            (
                "in **v1.34/x** of `a|b`",
                "in \\*\\*v1.34/x\\*\\* of `a\\|b`",
            ),
            ("odd ` tick", "odd `  tick `"),
        ] {
            assert_eq!(markdown_spans(input), want, "{input:?}");
        }
    }

    #[test]
    fn csv_neutralises_formulas() {
        for (input, want) in [
            ("Google", "Google"),
            (
                "=HYPERLINK(\"https://e.example\",\"x\")",
                "'=HYPERLINK(\"https://e.example\",\"x\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\\r=1"),
            ("-", "-"),
            ("-3", "-3"),
            ("+1.5", "+1.5"),
            ("a\u{1b}b\nc", "a\\x1bb\nc"),
            ("mid=dle", "mid=dle"),
        ] {
            assert_eq!(csv(input), want, "{input:?}");
        }
    }

    #[test]
    fn html_escapes_for_text_and_attributes() {
        for (input, want) in [
            ("plain", "plain"),
            (
                "<script>alert('x')</script>",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
            ),
            ("a\" onmouseover=\"x", "a&quot; onmouseover=&quot;x"),
            ("A&B", "A&amp;B"),
            ("esc\u{1b}[1m \u{202e}", "esc\\x1b[1m \\u{202e}"),
            ("keep\nnew\tline", "keep\nnew\tline"),
        ] {
            assert_eq!(html(input), want, "{input:?}");
        }
    }

    #[test]
    fn names_that_are_not_names() {
        for (name, problem) in [
            ("gardener", None),
            ("Name With Spaces ü", None),
            ("", Some("an empty name")),
            (".", Some("`.` or `..`")),
            ("..", Some("`.` or `..`")),
            ("...", None),
            ("a/b", Some("a name holding `/`")),
            ("x\u{1b}[31mred", Some("a name holding control characters")),
            ("new\nline", Some("a name holding control characters")),
            ("rtl\u{202e}", Some("a name holding control characters")),
        ] {
            assert_eq!(name_problem(name), problem, "{name:?}");
        }
    }
}
