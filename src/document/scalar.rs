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
