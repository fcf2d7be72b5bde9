//! Rule examples as tests: each `example "text" => M "v" | X | -` is scanned
//! exactly as a submission's Markdown would be (the whole set's [`Matcher`],
//! exclusions, version reading, findings folded into one cell), and compared
//! with what it expects. A failure is an E011 that says which rule, which
//! example, and what matched (or did not), pointing into the rule file.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Region};
use crate::rules::engine::matcher::Matcher;
use crate::rules::{Example, Expect, RuleId, RuleSet};
use crate::scan::finding::{self, Cell, Evidence};
use crate::source::corpus::SubmissionId;

/// What scanning an example's text gave for its rule (and for the others).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleOutcome {
    pub cell: Cell,
    /// Distinct versions read next to the rule's hits, in order.
    pub versions: Vec<String>,
    /// The rule's own mentions in the example text.
    pub evidence: Vec<Evidence>,
    /// Other rules named by the text: (rule, first mention).
    pub others: Vec<(RuleId, Evidence)>,
}

/// Scans `ex.text` with the whole rule set and folds the result for `rule`.
pub fn run_example(set: &RuleSet, matcher: &Matcher, rule: RuleId, ex: &Example) -> ExampleOutcome {
    let doc = Document {
        path: format!("example of {}", set.get(rule).id),
        text: ex.text.clone(),
        regions: vec![Region {
            range: 0..ex.text.len(),
            field: None,
        }],
        masked: Vec::new(),
        metadata: None,
    };
    let mut own = Vec::new();
    let mut others: Vec<(RuleId, Evidence)> = Vec::new();
    for (r, ev) in finding::scan_document(matcher, &doc) {
        if r == rule {
            own.push(ev);
        } else if !others.iter().any(|(o, _)| *o == r) {
            others.push((r, ev));
        }
    }
    let finding = finding::collect(own.iter().cloned().map(|ev| (SubmissionId(0), rule, ev))).pop();
    ExampleOutcome {
        cell: finding.as_ref().map_or(Cell::NotNamed, |f| f.cell),
        versions: finding.map(|f| f.versions).unwrap_or_default(),
        evidence: own,
        others,
    }
}

/// `None` when the example passes; otherwise the E011 that explains it.
pub(super) fn judge(
    set: &RuleSet,
    rule: RuleId,
    index: usize,
    ex: &Example,
    got: &ExampleOutcome,
) -> Option<Diagnostic> {
    let pass = match &ex.expect {
        Expect::M(v) => got.cell == Cell::M && got.versions.iter().any(|g| g == v),
        Expect::X => got.cell == Cell::X,
        Expect::None => got.cell == Cell::NotNamed,
    };
    if pass {
        return None;
    }
    let r = set.get(rule);
    let src = &set.sources[r.source.0 as usize];
    let expected = expect_text(&ex.expect);
    let found = match got.cell {
        Cell::M => format!("M {}", quoted(&got.versions)),
        c => c.as_str().to_string(),
    };
    let first = got.evidence.first();
    let detail = what_matched(set, &r.id, ex, got);
    let message = format!(
        "example {} of `{}` failed: expected {expected}, found {found}: {detail}",
        index + 1,
        r.id
    );
    let span = first
        .and_then(|ev| match_span_in_file(&src.text, ex, ev))
        .unwrap_or_else(|| ex.span.clone());
    let label = match first {
        Some(ev) => format!("`{}` matched here", ev.text),
        None => "nothing of this rule matches this text".to_string(),
    };
    Some(
        Diagnostic::error(Code::E011, &src.path, message)
            .at(&src.text, span)
            .with_label(label)
            .with_help(help(&ex.expect, got)),
    )
}

/// What the rule matched in a failing example's text (the first mention, its pattern, whether
/// negated), or that nothing of it did (and what another rule named instead).
fn what_matched(set: &RuleSet, rule_id: &str, ex: &Example, got: &ExampleOutcome) -> String {
    match (got.evidence.first(), &ex.expect) {
        (None, _) => {
            let mut s = format!("no pattern of `{rule_id}` matches the text");
            if let Some((o, ev)) = got.others.first() {
                s.push_str(&format!(
                    " (it names `{}` instead: \"{}\" at {}:{})",
                    set.get(*o).id,
                    ev.text,
                    ev.line,
                    ev.column
                ));
            }
            s
        }
        (Some(ev), Expect::M(_)) if got.cell == Cell::X => {
            format!(
                "\"{}\" matched at {}:{} ({} pattern) but no version follows it",
                ev.text,
                ev.line,
                ev.column,
                ev.kind.keyword()
            )
        }
        (Some(ev), _) => {
            let mut s = format!(
                "\"{}\" matched at {}:{} ({} pattern)",
                ev.text,
                ev.line,
                ev.column,
                ev.kind.keyword()
            );
            if ev.negated {
                s.push_str(", a negated mention (still a finding)");
            }
            s
        }
    }
}

fn help(expect: &Expect, got: &ExampleOutcome) -> String {
    match (expect, got.cell) {
        (Expect::None, _) => "add a `not \"...\"` exclusion for this text, or narrow the pattern (`case`, `word`)".into(),
        (Expect::M(_), Cell::X) => "add a `version /.../` pattern with one capture group for how this text writes the version".into(),
        (Expect::M(_), Cell::M) => "the version read is the first one after the hit; adjust the `version` pattern or the example".into(),
        (_, Cell::NotNamed) => "add a `name`, `alias` or `match` pattern that covers this text, or check `not` exclusions".into(),
        _ => "fix the example's expected cell, or the rule's patterns".into(),
    }
}

fn expect_text(e: &Expect) -> String {
    match e {
        Expect::M(v) => format!("M \"{v}\""),
        Expect::X => "X".into(),
        Expect::None => "-".into(),
    }
}

fn quoted(vs: &[String]) -> String {
    vs.iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The byte range in the rule file of the evidence's match inside the
/// example's string literal (escapes accounted for).
fn match_span_in_file(file: &str, ex: &Example, ev: &Evidence) -> Option<std::ops::Range<usize>> {
    let stmt = file.get(ex.span.clone())?;
    let open = ex.span.start + stmt.find('"')? + 1;
    let start = text_offset(&ex.text, ev.line, ev.column)?;
    let end = start + ev.text.len();
    Some(raw_offset(file, open, start)?..raw_offset(file, open, end)?)
}

/// Byte offset of a 1-based (line, character column) in `text`.
fn text_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    text[line_start..]
        .char_indices()
        .nth(column - 1)
        .map(|(i, _)| line_start + i)
}

/// Where the `target`-th byte of a string's unescaped text lies in the raw
/// file text, the string's content starting at `open`.
fn raw_offset(file: &str, open: usize, target: usize) -> Option<usize> {
    let mut raw = open;
    let mut plain = 0;
    let bytes = file.as_bytes();
    while plain < target {
        match bytes.get(raw)? {
            b'"' => return None,
            b'\\' => {
                let c = file.get(raw + 1..)?.chars().next()?;
                let produced = match c {
                    'n' | 't' => 1,
                    other => other.len_utf8(),
                };
                raw += 1 + c.len_utf8();
                plain += produced;
            }
            _ => {
                let c = file.get(raw..)?.chars().next()?;
                raw += c.len_utf8();
                plain += c.len_utf8();
            }
        }
    }
    Some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_offsets_skip_escapes() {
        let file = r#"example "a\"b Kueue" => X"#;
        let open = file.find('"').unwrap() + 1;
        // Unescaped text: a"b Kueue; "Kueue" starts at byte 4.
        let at = raw_offset(file, open, 4).unwrap();
        assert_eq!(&file[at..at + 5], "Kueue");
    }

    #[test]
    fn text_offsets_count_lines_and_characters() {
        assert_eq!(text_offset("ab\ncé d", 2, 4), Some(7));
        assert_eq!(text_offset("abc", 1, 1), Some(0));
    }
}
