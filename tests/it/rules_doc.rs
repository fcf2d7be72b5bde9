//! The rule examples of `docs/rules.md` run: every ```text block of it that
//! holds `project` blocks is loaded as a rule file and checked like
//! `aiconf check` (lints and every `example`), so the documentation of
//! derived spellings and exclusions cannot drift from what the matcher does.

use aiconf::check;

const DOC: &str = include_str!("../../docs/rules.md");

/// The text of every fenced ```text block whose first statement is a project.
fn rule_blocks() -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = DOC;
    while let Some(i) = rest.find("```text\n") {
        let body = &rest[i + 8..];
        let end = body
            .find("```")
            .expect("an unclosed block in docs/rules.md");
        let block = &body[..end];
        let first = block
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        if first.is_some_and(|l| l.starts_with("project ")) {
            out.push(block.to_string());
        }
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn every_rule_example_of_the_rules_documentation_passes() {
    let blocks = rule_blocks();
    assert!(
        blocks.len() >= 3,
        "the Kueue, derived-spellings and exclusions blocks: {}",
        blocks.len()
    );
    let files: Vec<(String, String)> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("docs/rules.md#block{}", i + 1), b.clone()))
        .collect();
    let (set, report) = check::check(&files);
    let shown = check::render(&report, &set, check::CheckFormat::Text);
    assert_eq!(report.errors(), 0, "{shown}");
    assert_eq!(report.examples_failed(), 0, "{shown}");
    assert!(report.examples_passed() >= 20, "{shown}");
}
