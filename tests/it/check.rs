//! `aiconf check`: one table row per diagnostic code, then the rendered
//! reports of `corpus/check/` pinned with insta (text, JSON, GitHub), and the
//! exit codes of the built binary.

use crate::util;

use aiconf::CheckFormat;

/// The codes `check` reports for one rule file, in order.
fn codes(text: &str) -> Vec<&'static str> {
    let (_, report) = aiconf::check_rules(&[("t.rule".to_string(), text.to_string())]);
    report.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

const OK: &str = r#"category Platform name "Alpha" example "Alpha" => X"#;

#[test]
fn one_row_per_code() {
    let rows: &[(&str, &str, &[&str])] = &[
        ("clean", &format!(r#"project a "A" {{ {OK} }}"#), &[]),
        (
            "E001 syntax",
            r#"project a "A" { category Platform"#,
            &["E001"],
        ),
        (
            "E001 bad id",
            r#"project A "A" { category Platform }"#,
            &["E001"],
        ),
        (
            "E002 regex",
            r#"project a "A" { category Platform match /a(b/ example "ab" => X }"#,
            &["E002"],
        ),
        (
            "E003 category",
            r#"project a "A" { category Nope name "A" example "A" => X }"#,
            &["E003"],
        ),
        (
            "E004 cncf",
            r#"project a "A" { category Platform cncf "Grad" name "A" example "A" => X }"#,
            &["E004"],
        ),
        (
            "E005 no category",
            r#"project a "A" { name "A" example "A" => X }"#,
            &["E005"],
        ),
        (
            "E005 no pattern",
            r#"project a "A" { category Platform example "A" => X }"#,
            &["E005"],
        ),
        (
            "E006 duplicate id",
            &format!(
                r#"project a "A" {{ {OK} }} project a "B" {{ category Platform name "Beta" example "Beta" => X }}"#
            ),
            &["E006"],
        ),
        (
            "E007 version without group",
            r#"project a "A" { category Platform name "A" version /v\d+/ example "A" => X }"#,
            &["E007"],
        ),
        (
            "E008 empty pattern",
            r#"project a "A" { category Platform name " " example "A" => X }"#,
            &["E008"],
        ),
        (
            "E009 alias matches a name",
            r#"project a "A" { category Platform name "Alpha" alias "Beta" example "Alpha" => X }
               project b "Beta Max" { category Platform name "Beta Max" example "Beta Max" => X }"#,
            &["E009"],
        ),
        (
            "E009 silenced by an exclusion",
            r#"project a "A" { category Platform name "Alpha" alias "Beta" not "Beta Max" example "Alpha" => X }
               project b "Beta Max" { category Platform name "Beta Max" example "Beta Max" => X }"#,
            &[],
        ),
        (
            "E010 version never matches",
            r#"project a "A" { category Platform name "Alpha" version /\n(\d+)/ example "Alpha" => X }"#,
            &["E010"],
        ),
        (
            "E011 must not match",
            r#"project a "A" { category Platform name "Alpha" example "Alpha" => - }"#,
            &["E011"],
        ),
        (
            "E011 must match",
            r#"project a "A" { category Platform name "Alpha" example "Beta" => X }"#,
            &["E011"],
        ),
        (
            "E011 version",
            r#"project a "A" { category Platform name "Alpha" example "Alpha 1.2" => M "1.3" }"#,
            &["E011"],
        ),
        (
            "E011 no version",
            r#"project a "A" { category Platform name "Alpha" example "Alpha" => M "1.3" }"#,
            &["E011"],
        ),
        (
            "E011 cell X wanted",
            r#"project a "A" { category Platform name "Alpha" example "Alpha 1.2" => X }"#,
            &["E011"],
        ),
        (
            "W012 no example",
            r#"project a "A" { category Platform name "Alpha" }"#,
            &["W012"],
        ),
        (
            "W013 no literal prefix",
            r#"project a "A" { category Platform match /[a-z]+-alpha/ example "x-alpha" => X }"#,
            &["W013"],
        ),
        (
            "W015 one vendor spelled two ways",
            r#"project a "A" { category Platform vendor "vLLM project" name "Alpha" example "Alpha" => X }
               project b "B" { category Platform vendor "vLLM Project (LF AI & Data)" name "Bravo" example "Bravo" => X }"#,
            &["W015"],
        ),
        (
            "one vendor spelled one way",
            r#"project a "A" { category Platform vendor "NVIDIA" name "Alpha" example "Alpha" => X }
               project b "B" { category Platform vendor "NVIDIA" name "Bravo" example "Bravo" => X }"#,
            &[],
        ),
        (
            "BOM is not a syntax error",
            &format!("\u{feff}project a \"A\" {{ {OK} }}"),
            &[],
        ),
        (
            "CRLF line ends",
            &format!("project a \"A\" {{\r\n  {OK}\r\n}}\r\n"),
            &[],
        ),
    ];
    for (name, text, want) in rows {
        assert_eq!(codes(text), *want, "{name}");
    }
}

#[test]
fn a_failing_example_names_rule_example_match_and_position() {
    let text = "project a \"A\" {\n  category Platform\n  name \"Alpha\"\n  example \"we run Alpha\" => -\n}\n";
    let (_, report) = aiconf::check_rules(&[("r.rule".to_string(), text.to_string())]);
    let d = &report.diagnostics[0];
    assert_eq!(d.code, "E011");
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("r.rule", 4, 19),
        "points at `Alpha` inside the example"
    );
    assert_eq!(
        d.message,
        "example 1 of `a` failed: expected -, found X: \"Alpha\" matched at 1:8 (name pattern)"
    );
    assert_eq!(report.rules[0].failed, 1);
    assert!(report.failed(false));
}

#[test]
fn warnings_fail_only_when_strict() {
    let (_, report) = aiconf::check_rules(&[(
        "r.rule".to_string(),
        r#"project a "A" { category Platform name "Alpha" }"#.to_string(),
    )]);
    assert_eq!(report.warnings(), 1);
    assert!(!report.failed(false));
    assert!(report.failed(true));
}

fn aiconf(args: &[&str]) -> (i32, String, String) {
    util::parts(&util::aiconf(args))
}

#[test]
fn corpus_check_text_report() {
    let (code, out, _) = aiconf(&["check", "--rules", "corpus/check"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn corpus_check_github_annotations() {
    let (code, out, _) = aiconf(&["check", "--rules", "corpus/check", "--format", "github"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn corpus_check_json() {
    let (code, out, _) = aiconf(&["check", "--rules", "corpus/check", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    insta::assert_json_snapshot!(v);
}

#[test]
fn exit_codes() {
    // Clean rules: 0; only warnings: 0, or 1 with --strict; cannot read the rules: 2.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.rule"),
        format!("project a \"A\" {{ {OK} }}\n"),
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    assert_eq!(aiconf(&["check", "--rules", d]).0, 0);
    std::fs::write(
        dir.path().join("b.rule"),
        "project b \"B\" { category Platform name \"Beta\" }\n",
    )
    .unwrap();
    assert_eq!(aiconf(&["check", "--rules", d]).0, 0);
    assert_eq!(aiconf(&["--strict", "check", "--rules", d]).0, 1);
    let (code, _, err) = aiconf(&["check", "--rules", "corpus/does-not-exist"]);
    assert_eq!(code, 2);
    assert!(err.contains("E100"), "{err}");
    // A folder without rule files (a wrong path, most likely) is no clean check.
    let empty = tempfile::tempdir().unwrap();
    let e = empty.path().to_str().unwrap();
    for args in [&["check", "--rules", e][..], &["fmt", "--check", e][..]] {
        let (code, _, err) = aiconf(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains("E100") && err.contains("the rules folder has no `*.rule` file"),
            "{err}"
        );
    }
    let (_, help, _) = aiconf(&["--help"]);
    assert!(
        help.contains("Exit codes:") && help.contains("2  the command could not run"),
        "{help}"
    );
}

#[test]
fn an_unreadable_rule_file_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.rule"),
        format!("project a \"A\" {{ {OK} }}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.rule"), b"project b \"B\xff\" {}\n").unwrap();
    let (code, out, _) = aiconf(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E100");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(13))
    );
    assert_eq!(v["rules"][0]["id"], "a");
    assert_eq!(v["summary"]["examples_passed"], 1);
}

#[test]
fn builtin_rules_are_checked_by_default() {
    let (code, out, _) = aiconf(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (set, _) = aiconf::builtin_rules();
    assert_eq!(v["rules"].as_array().map(Vec::len), Some(set.rules.len()));
    assert!(v["rules"][0]["file"]
        .as_str()
        .unwrap()
        .starts_with("rules/"));
    assert_eq!(code == 0, v["ok"] == true);
    let _ = CheckFormat::Json;
}
