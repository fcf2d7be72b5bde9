//! Where a literal matches: the spellings a name takes in URLs, anchors and
//! identifiers, whole-word boundaries, paths (where a `case` literal matches
//! in any case), and the literal prefixes that anchor a regex.

use std::ops::Range;

/// A literal and, when it has spaces, the ways URLs, anchors, file names and
/// identifiers write it: `Gateway API` is also `gateway-api`, `gateway_api`,
/// `Gateway%20API`, `Gateway+API` and `GatewayAPI` (in any case where the
/// literal is case-insensitive; see [`in_path`] for `case` literals).
pub fn slug_variants(literal: &str) -> Vec<String> {
    let mut out = vec![literal.to_string()];
    if literal.contains(' ') {
        for sep in ["-", "_", "%20", "+", ""] {
            let v = literal.replace(' ', sep);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The spellings an exclusion (`not "Grafana Alloy"`) covers: those of
/// [`slug_variants`] and the `org/name` of repositories, charts and images
/// (`grafana/alloy`).
pub fn exclusion_variants(literal: &str) -> Vec<String> {
    let mut out = slug_variants(literal);
    if literal.matches(' ').count() == 1 {
        out.push(literal.replace(' ', "/"));
    }
    out
}

/// Is the hit in a URL, an anchor, a path or a file name? There a name is
/// written in any case (`.../otel/...`, `#_cluster_autoscaler`,
/// `OTEL-collector.yaml`), so a `case` literal matches in any case. The hit's
/// token (up to a blank, a quote or a bracket) has a `/` or a `#` before it
/// (a path segment or an anchor, not a host or an API group such as
/// `helm.toolkit.fluxcd.io/v2`), or ends in a file extension.
pub fn in_path(bytes: &[u8], range: &Range<usize>) -> bool {
    const MAX: usize = 512;
    let stop = |b: &u8| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b'"' | b'\''
                    | b'`'
                    | b'('
                    | b')'
                    | b'<'
                    | b'>'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'|'
                    | b','
            )
    };
    let lo = range.start.saturating_sub(MAX);
    let start = bytes[lo..range.start]
        .iter()
        .rposition(stop)
        .map_or(lo, |i| lo + i + 1);
    let hi = (range.end + MAX).min(bytes.len());
    let end = bytes[range.end..hi]
        .iter()
        .position(stop)
        .map_or(hi, |i| range.end + i);
    if bytes[start..range.start]
        .iter()
        .any(|b| matches!(b, b'/' | b'#'))
    {
        return true;
    }
    let token = &bytes[start..end];
    let token = token.strip_suffix(b".").unwrap_or(token);
    const EXTENSIONS: &[&[u8]] = &[
        b".md", b".yaml", b".yml", b".html", b".htm", b".json", b".txt", b".log", b".xml", b".sh",
        b".py", b".pdf", b".png",
    ];
    EXTENSIONS
        .iter()
        .any(|x| token.len() > x.len() && token.to_ascii_lowercase().ends_with(x))
}

/// A word character for whole-word matching: letters and digits. `_` is a
/// separator, as `-` is: in snake_case identifiers, URL slugs and anchors
/// (`How_to_Use_NVIDIA_DRA_Driver.html`, `#_support_the_gateway_api`) each
/// part between underscores is a word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn is_percent_escape(b: &[u8]) -> bool {
    b[0] == b'%' && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

/// Is `range` a whole word: no word character right before or after it?
pub(super) fn at_word_boundaries(bytes: &[u8], range: &Range<usize>) -> bool {
    let before = range.start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(range.end).copied();
    let first = bytes.get(range.start).copied();
    let last = range.end.checked_sub(1).map(|i| bytes[i]);
    // A boundary only matters where the pattern itself starts/ends with a word character.
    // A percent-escape (`Kubernetes%20Gateway%20API`) separates words in URLs.
    let escape_before = range.start >= 3 && is_percent_escape(&bytes[range.start - 3..range.start]);
    let escape_after =
        bytes.len() >= range.end + 3 && is_percent_escape(&bytes[range.end..range.end + 3]);
    let ok_before =
        !first.is_some_and(is_word_byte) || !before.is_some_and(is_word_byte) || escape_before;
    let ok_after =
        !last.is_some_and(is_word_byte) || !after.is_some_and(is_word_byte) || escape_after;
    ok_before && ok_after
}

/// The literal prefixes of a regex, when every match must start with one of
/// a few of them (each at least 3 bytes long); `None` when the regex needs a
/// pass of its own over every text (`aiconf check` warns about those).
pub fn prefix_atoms(src: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::ParserBuilder::new().build().parse(src).ok()?;
    let mut ex = Extractor::new();
    ex.kind(ExtractKind::Prefix).limit_total(64);
    let seq = ex.extract(&hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < 3) {
        return None;
    }
    let mut out: Vec<Vec<u8>> = lits
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}
