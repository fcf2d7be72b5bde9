//! Line-based scoping: the vendor's own `#` comments, and the lines of a
//! checklist that does not parse (or is too large to parse).

use crate::document::template::{comment_start, Templates};
use crate::document::Region;

/// Line-based scoping for a YAML file that does not parse.
pub(super) fn fallback_regions(text: &str) -> Vec<Region> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches("- ");
        if !t.starts_with("description:") || start == 0 {
            let end = start + comment_start(line).unwrap_or(line.len());
            out.push(Region {
                range: start..end,
                field: None,
            });
        }
        start += line.len();
    }
    out
}

/// The vendor's own `#` comments (those that are not template comments), outside any value.
pub(super) fn comment_regions(text: &str, values: &[Region], templates: &Templates) -> Vec<Region> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut vi = 0;
    for line in text.split_inclusive('\n') {
        if let Some(i) = comment_start(line) {
            let at = start + i;
            while vi < values.len() && values[vi].range.end <= at {
                vi += 1;
            }
            let inside = vi < values.len() && values[vi].range.start <= at;
            let body = line[i + 1..].trim();
            if !inside && !body.is_empty() && !templates.is_template_comment(body) {
                let field = values[..vi]
                    .last()
                    .and_then(|r| r.field.clone())
                    .map(|f| format!("{f}#comment"));
                out.push(Region {
                    range: at + 1..start + line.trim_end().len(),
                    field: Some(field.unwrap_or_else(|| "#comment".into())),
                });
            }
        }
        start += line.len();
    }
    out
}
