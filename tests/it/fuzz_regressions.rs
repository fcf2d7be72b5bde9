//! The fuzz targets' invariants (`fuzz/invariants.rs`, shared with
//! `fuzz/fuzz_targets/`) run in the ordinary test suite: on every input saved
//! in `fuzz/regressions/` (crashes the fuzzers found, and hand-written hard
//! cases), on the project's own rule files and bad-input corpus, and on
//! inputs proptest generates from the DSL's and YAML's tokens. cargo-fuzz
//! needs a nightly compiler; these run on stable, in CI.

#[path = "../../fuzz/invariants.rs"]
mod invariants;

use std::path::{Path, PathBuf};

use proptest::prelude::*;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn saved_rules_inputs_hold_the_invariants() {
    let mut n = 0;
    for dir in ["fuzz/regressions/rules_parse", "corpus/check", "rules"] {
        for p in files_under(&root().join(dir)) {
            let bytes = std::fs::read(&p).unwrap();
            if let Ok(text) = std::str::from_utf8(&bytes) {
                invariants::rules(text);
                invariants::rules_check(text);
                n += 1;
            }
        }
    }
    assert!(n >= 8, "only {n} inputs");
}

#[test]
fn saved_yaml_inputs_hold_the_invariants() {
    let mut n = 0;
    for dir in ["fuzz/regressions/yaml_document", "corpus/bad-input"] {
        for p in files_under(&root().join(dir)) {
            invariants::document(&std::fs::read(&p).unwrap());
            n += 1;
        }
    }
    assert!(n >= 10, "only {n} inputs");
}

#[test]
fn saved_queries_hold_the_invariants() {
    let mut n = 0;
    for p in files_under(&root().join("fuzz/regressions/query_parse")) {
        invariants::query(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        n += 1;
    }
    assert!(n >= 4, "only {n} inputs");
}

fn dsl_token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("project".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("=>".to_string()),
        Just("-".to_string()),
        Just("M".to_string()),
        Just("X".to_string()),
        Just("\n".to_string()),
        Just("# c\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        prop_oneof![
            Just("category"),
            Just("cncf"),
            Just("repo"),
            Just("name"),
            Just("alias"),
            Just("url"),
            Just("kind"),
            Just("match"),
            Just("not"),
            Just("version"),
            Just("example"),
            Just("case"),
            Just("partial"),
            Just("word"),
            Just("Platform"),
            Just("Scheduling"),
            Just("none"),
        ]
        .prop_map(str::to_string),
        "[a-z][a-z0-9-]{0,6}",
        "\"[A-Za-z0-9 .#/\\\\é]{0,12}\"",
        "/[a-z0-9.()\\\\d+*?|^$#\\[\\]]{0,10}/",
    ]
}

fn yaml_token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("metadata:".to_string()),
        Just("spec:".to_string()),
        Just("notes:".to_string()),
        Just("evidence:".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("\n  ".to_string()),
        Just("\n    ".to_string()),
        Just("\r\n".to_string()),
        Just(": ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("# Kueue".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("Kueue v0.14".to_string()),
        Just("Volcano Engine".to_string()),
        Just(
            "description: \"Support gang scheduling with a tool like Kueue or Volcano.\""
                .to_string()
        ),
        "[a-zA-Z0-9 .,é]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_rule_files_hold_the_invariants(tokens in proptest::collection::vec(dsl_token(), 0..60), sep in prop_oneof![Just(" "), Just(""), Just("\n")]) {
        let text = tokens.join(sep);
        invariants::rules(&text);
        invariants::rules_check(&text);
    }

    #[test]
    fn generated_yaml_holds_the_invariants(tokens in proptest::collection::vec(yaml_token(), 0..80), noise in proptest::collection::vec(any::<u8>(), 0..8)) {
        let mut bytes = tokens.concat().into_bytes();
        // A few raw bytes at a random place: invalid UTF-8, NUL, control characters.
        let at = bytes.len() / 2;
        bytes.splice(at..at, noise);
        invariants::document(&bytes);
    }

    #[test]
    fn valid_rule_files_format_to_a_fixed_point(
        rules in proptest::collection::vec(("[a-z]{1,6}", "[A-Za-z ]{1,10}", proptest::collection::vec(prop_oneof![
            Just("category Platform".to_string()), Just("name \"Alpha\"".to_string()), Just("alias \"al\" partial".to_string()),
            Just("not \"Alpha Beta\"".to_string()), Just("version /:(\\d+)/".to_string()), Just("example \"Alpha:1\" => M \"1\"".to_string()),
            Just("# note".to_string()), Just("".to_string()),
        ], 0..8)), 0..4),
        gap in prop_oneof![Just(" "), Just("\n"), Just("\n\n\n"), Just("\t")],
    ) {
        let text: String = rules
            .iter()
            .map(|(id, name, stmts)| format!("project {id} \"{name}\" {{{gap}{}{gap}}}\n", stmts.iter().map(|s| if s.starts_with('#') { format!("{s}\n") } else { s.clone() }).collect::<Vec<_>>().join(gap)))
            .collect();
        let once = aiconf::format_rules("t.rule", &text).expect("generated files parse");
        prop_assert_eq!(aiconf::format_rules("t.rule", &once).unwrap(), once.clone());
        invariants::rules(&text);
        invariants::rules_check(&text);
    }
}
