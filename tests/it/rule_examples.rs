//! Every built-in rule's examples, run through the real matcher as tests:
//! `example "text" => M "v" | X | -` in `rules/*.rule` is a test case here.
//! Uses whatever rules the binary was built with.

#[test]
fn every_builtin_rule_example_passes() {
    let (set, load_diags) = aiconf::builtin_rules();
    let errors: Vec<String> = load_diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "built-in rules do not load:\n{}",
        errors.join("\n")
    );
    let total: usize = set.rules.iter().map(|r| r.examples.len()).sum();
    assert!(total > 0, "the built-in rules have no examples at all");
    let report = aiconf::check_set(&set, Vec::new());
    let failures: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E011")
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        report.examples_passed() + report.examples_failed(),
        total,
        "every example ran"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} rule examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_builtin_rule_is_in_the_examples_table() {
    let (set, _) = aiconf::builtin_rules();
    let report = aiconf::check_set(&set, Vec::new());
    let ids: Vec<&str> = report.rules.iter().map(|r| r.id.as_str()).collect();
    let want: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, want);
    for (r, rule) in report.rules.iter().zip(&set.rules) {
        assert_eq!(r.passed + r.failed, rule.examples.len(), "{}", r.id);
    }
}

#[test]
fn builtin_rules_pass_every_lint() {
    // What `aiconf check` (without --strict) fails on: any error diagnostic.
    let (set, load_diags) = aiconf::builtin_rules();
    let report = aiconf::check_set(&set, load_diags);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "`aiconf check` fails on the built-in rules:\n{}",
        errors.join("\n")
    );
}

#[test]
fn every_file_in_rules_is_formatted() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let run = aiconf::fmt_paths(&[dir], aiconf::FmtMode::Check);
    let problems: Vec<String> = run.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        problems.is_empty(),
        "run `aiconf fmt --write rules`:\n{}",
        problems.join("\n")
    );
    assert!(!run.formatted.is_empty());
}
