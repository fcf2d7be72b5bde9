//! Positions and words in a rule file's text: byte offsets to and from LSP
//! positions (lines and UTF-16 columns, the protocol's default), the word
//! under the cursor, and where the cursor is in the DSL (inside a block, in
//! a comment, after which keyword) for completion.

use lsp_types::{Position, Range};

/// The LSP position of a byte offset (clamped to the text).
pub fn position(text: &str, offset: usize) -> Position {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// The LSP range of a byte range.
pub fn range(text: &str, r: std::ops::Range<usize>) -> Range {
    Range::new(position(text, r.start), position(text, r.end))
}

/// The byte offset of an LSP position (clamped to its line and the text).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0u32;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= pos.character {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The range of the whole text.
pub fn whole(text: &str) -> Range {
    range(text, 0..text.len())
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
}

/// The word (letters, digits, `-`, `_`, `.`) around `offset` and its range.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (&text[start..end], start..end))
}

/// Where the cursor is, for completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Context {
    /// Outside every block: `project` comes next.
    TopLevel,
    /// At the start of a statement inside a block.
    Statement,
    /// After a field keyword (`category`, `cncf`, `license`, `vendor`, ...).
    Value(String),
    /// After a pattern's needle: flags may follow.
    Flags,
    /// After `=>` of an example.
    Cell,
    /// In a comment.
    Comment,
    /// In a string or a regex.
    Literal,
    /// Nowhere anything is offered (the header's id, a regex, ...).
    Other,
}

/// The completion context at `offset`: the lexical state of the text before
/// it (strings, regexes, comments, brace depth) and the tokens on its line.
pub fn context(text: &str, offset: usize) -> Context {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'#' | b'"' | b'/' if bytes[i] != b'/' || depth > 0 => {
                let close = match bytes[i] {
                    b'#' => b'\n',
                    c => c,
                };
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != close && bytes[j] != b'\n' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= offset {
                    return if close == b'\n' {
                        Context::Comment
                    } else {
                        Context::Literal
                    };
                }
                i = j + 1;
            }
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    if depth == 0 {
        return Context::TopLevel;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    // The statement being written: after the last `{` on the line, if any.
    let stmt = before.rsplit('{').next().unwrap_or(before);
    let tokens: Vec<&str> = stmt.split_whitespace().collect();
    let typing = !stmt.ends_with(char::is_whitespace);
    let done = if typing {
        &tokens[..tokens.len().saturating_sub(1)]
    } else {
        &tokens[..]
    };
    match done {
        [] => Context::Statement,
        [kw] if crate::rules::META_KEYWORDS.contains(kw) => Context::Value(kw.to_string()),
        [.., "=>"] => Context::Cell,
        [kw, _needle, ..] if crate::rules::PATTERN_KEYWORDS.contains(kw) || *kw == "not" => {
            Context::Flags
        }
        _ => Context::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip_with_utf16_columns() {
        let text = "ab\nc\u{1F600}d\n";
        let d = text.find('d').unwrap();
        let p = position(text, d);
        assert_eq!((p.line, p.character), (1, 3));
        assert_eq!(offset(text, p), d);
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn contexts() {
        let rule =
            "project a \"A\" {\n  category \n  name \"A\" \n  example \"A\" => \n  cat\n}\n# x\n";
        let at = |marker: &str, extra: usize| rule.find(marker).unwrap() + marker.len() + extra;
        assert_eq!(context(rule, 0), Context::TopLevel);
        assert_eq!(
            context(rule, at("category ", 0)),
            Context::Value("category".into())
        );
        assert_eq!(context(rule, at("name \"A\" ", 0)), Context::Flags);
        assert_eq!(context(rule, at("=> ", 0)), Context::Cell);
        assert_eq!(context(rule, at("  cat", 0)), Context::Statement);
        assert_eq!(context(rule, at("name \"", 0)), Context::Literal);
        assert_eq!(context(rule, at("# x", 0)), Context::Comment);
        assert_eq!(context(rule, rule.len()), Context::TopLevel);
    }
}
