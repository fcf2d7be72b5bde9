//! The rule examples of `docs/rules.md` run: every ```` ```rule ```` block
//! of it is loaded as a rule file of its own and checked like `aiconf check`
//! (lints, and every `example` through the real matcher: version kinds,
//! derived spellings, exclusions), so the documentation cannot drift from
//! what the engine does.

const DOC: &str = include_str!("../../docs/rules.md");

/// The bodies of the ```` ```rule ```` blocks of the documentation.
fn rule_blocks() -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in DOC.lines() {
        match current.as_mut() {
            None if line.trim() == "```rule" => current = Some(String::new()),
            Some(_) if line.trim() == "```" => out.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    assert!(
        current.is_none(),
        "an unclosed ```rule block in docs/rules.md"
    );
    out
}

#[test]
fn every_rule_block_of_the_rules_documentation_passes_every_example() {
    let blocks = rule_blocks();
    assert!(
        blocks.len() >= 4,
        "the Kueue, derived-spellings, exclusions and version-kinds blocks: {}",
        blocks.len()
    );
    for (i, block) in blocks.iter().enumerate() {
        let files = vec![(format!("docs/rules.md#block{}", i + 1), block.clone())];
        let (set, report) = aiconf::check_rules(&files);
        let shown = aiconf::render_check(&report, &set, aiconf::CheckFormat::Text);
        let written = block
            .lines()
            .filter(|l| l.trim_start().starts_with("example "))
            .count();
        assert_eq!(report.errors(), 0, "block {}:\n{block}\n{shown}", i + 1);
        assert_eq!(report.examples_failed(), 0, "block {}: {shown}", i + 1);
        assert_eq!(
            report.examples_passed(),
            written,
            "block {}: every example written ran: {shown}",
            i + 1
        );
    }
}
