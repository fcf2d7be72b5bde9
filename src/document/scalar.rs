//! What a YAML scalar is: where its text really ends, and whether a field
//! that expects text holds a number or a boolean instead.

use std::ops::Range;

/// Fields of the checklist whose values are text: the metadata, a requirement's
/// `id`, `level`, `status`, `notes`, and each `evidence` item.
pub(super) fn expects_text(path: &str) -> bool {
    if let Some(rest) = path.strip_prefix("metadata.") {
        return !rest.contains(['.', '[']);
    }
    let Some(rest) = path.strip_prefix("spec.") else {
        return false;
    };
    let last = rest.rsplit('.').next().unwrap_or_default();
    matches!(last, "id" | "level" | "status" | "notes")
        || (last.starts_with("evidence[") && last.ends_with(']'))
}

/// "number" or "boolean" when a plain YAML 1.2 scalar is one (null is fine: an empty field).
pub(super) fn non_text_kind(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if matches!(v, "true" | "false" | "True" | "False" | "TRUE" | "FALSE") {
        return Some("boolean");
    }
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    let is_number = (!unsigned.is_empty()
        && unsigned.bytes().all(|b| {
            b.is_ascii_digit()
                || b == b'.'
                || b == b'_'
                || b == b'e'
                || b == b'E'
                || b == b'-'
                || b == b'+'
        })
        && unsigned
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && v.parse::<f64>().is_ok())
        || matches!(unsigned, ".inf" | ".Inf" | ".INF")
        || matches!(v, ".nan" | ".NaN" | ".NAN")
        || (v.starts_with("0x") && v.len() > 2 && v[2..].bytes().all(|b| b.is_ascii_hexdigit()))
        || (v.starts_with("0o")
            && v.len() > 2
            && v[2..].bytes().all(|b| (b'0'..=b'7').contains(&b)));
    is_number.then_some("number")
}

/// Where a scalar really ends: the parser's span may run on over blanks
/// and a trailing comment.
pub(super) fn scalar_end(
    text: &str,
    range: Range<usize>,
    style: saphyr_parser::ScalarStyle,
) -> usize {
    use saphyr_parser::ScalarStyle;
    let Some(s) = text.get(range.clone()) else {
        return range.end;
    };
    let bytes = s.as_bytes();
    match style {
        ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
            let q = bytes.first().copied().unwrap_or(b'"');
            let mut i = 1;
            // From one quote or backslash to the next (memchr), not byte by byte.
            while i < bytes.len() {
                let next = if q == b'"' {
                    memchr::memchr2(q, b'\\', &bytes[i..])
                } else {
                    memchr::memchr(q, &bytes[i..])
                };
                let Some(j) = next else {
                    break;
                };
                i += j;
                if bytes[i] != q {
                    // A backslash in a double-quoted scalar: the next byte is escaped.
                    i += 2;
                    continue;
                }
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                return range.start + i + 1;
            }
            range.end
        }
        ScalarStyle::Plain => {
            let cut = memchr::memchr_iter(b'#', bytes)
                .find(|&i| i >= 1 && matches!(bytes[i - 1], b' ' | b'\t'))
                .unwrap_or(bytes.len());
            range.start + s[..cut].trim_end().len()
        }
        _ => range.start + s.trim_end().len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::ScalarStyle;

    /// The end, found a byte at a time: what `scalar_end`'s searches must agree with.
    fn reference(text: &str, range: Range<usize>, style: ScalarStyle) -> usize {
        let Some(s) = text.get(range.clone()) else {
            return range.end;
        };
        let bytes = s.as_bytes();
        match style {
            ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
                let q = bytes.first().copied().unwrap_or(b'"');
                let mut i = 1;
                while i < bytes.len() {
                    if q == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == q {
                        if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        return range.start + i + 1;
                    }
                    i += 1;
                }
                range.end
            }
            ScalarStyle::Plain => {
                let cut = (1..bytes.len())
                    .find(|&i| bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t'))
                    .unwrap_or(bytes.len());
                range.start + s[..cut].trim_end().len()
            }
            _ => range.start + s.trim_end().len(),
        }
    }

    #[test]
    fn a_scalar_ends_at_its_closing_quote_or_before_its_comment() {
        let cases = [
            (
                r#"x: "a \"b\" c"  # note"#,
                3,
                ScalarStyle::DoubleQuoted,
                r#""a \"b\" c""#,
            ),
            (
                "x: 'it''s here'  # note",
                3,
                ScalarStyle::SingleQuoted,
                "'it''s here'",
            ),
            (
                r#"x: "ends in \\"  "#,
                3,
                ScalarStyle::DoubleQuoted,
                r#""ends in \\""#,
            ),
            (
                "x: plain text  # a comment",
                3,
                ScalarStyle::Plain,
                "plain text",
            ),
            (
                "x: C# and F#\tlater #tag",
                3,
                ScalarStyle::Plain,
                "C# and F#\tlater",
            ),
            ("x: #first", 3, ScalarStyle::Plain, "#first"),
        ];
        for (text, start, style, want) in cases {
            let end = scalar_end(text, start..text.len(), style);
            assert_eq!(&text[start..end], want, "{text:?}");
        }
    }

    #[test]
    fn every_scalar_ends_where_a_byte_by_byte_reading_ends_it() {
        let pieces = ["a", " ", "\t", "#", "\"", "'", "\\", "''", "é", "\n"];
        let styles = [
            ScalarStyle::DoubleQuoted,
            ScalarStyle::SingleQuoted,
            ScalarStyle::Plain,
            ScalarStyle::Literal,
        ];
        // Every string of up to four pieces, opened by each quote or none.
        let texts = crate::testing::strings_of(&pieces, 4);
        let mut checked = 0;
        for body in &texts {
            for open in ["\"", "'", ""] {
                let text = format!("{open}{body}");
                for style in styles {
                    for end in 0..=text.len() {
                        let range = 0..end;
                        assert_eq!(
                            scalar_end(&text, range.clone(), style),
                            reference(&text, range, style),
                            "{text:?} up to {end}, {style:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }
}
