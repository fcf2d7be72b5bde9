//! The rule examples of `docs/rules.md` run as tests: every ```` ```rule ````
//! block is written to a rules folder of its own and checked by the built
//! binary (`aiconf check`), which loads the rules and runs each example
//! through the real matcher, version kinds included.

use std::process::Command;

use serde_json::Value;

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");

/// The bodies of the ```` ```rule ```` blocks of a Markdown text.
fn rule_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
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
    out
}

#[test]
fn every_rule_block_of_the_rules_doc_passes_its_examples() {
    let md = std::fs::read_to_string(DOC).expect("docs/rules.md");
    let blocks = rule_blocks(&md);
    assert!(!blocks.is_empty(), "docs/rules.md has ```rule blocks");
    for (i, block) in blocks.iter().enumerate() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(format!("doc-{i}.rule")), block).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
            .args(["check", "--format", "json", "--rules"])
            .arg(dir.path())
            .output()
            .expect("run aiconf check");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "block {i}: {e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(v["ok"], true, "block {i}:\n{block}\n{v:#}");
        let passed = v["summary"]["examples_passed"].as_u64().unwrap_or(0);
        let failed = v["summary"]["examples_failed"].as_u64().unwrap_or(0);
        let written = block
            .lines()
            .filter(|l| l.trim_start().starts_with("example "))
            .count() as u64;
        assert_eq!((passed, failed), (written, 0), "block {i}: {v:#}");
    }
}
