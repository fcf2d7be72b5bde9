//! Every example query of the issues (the query language's, and issue 13's
//! fuller language), and every query of the README's
//! "Queries" section, answered over the baseline corpus with the built-in
//! rules. The issue's examples are pinned as snapshots (re-accept them
//! after the rules change, once the change is read and understood).

use std::sync::OnceLock;

use aiconf::{DirSource, Format, RuleSet, Scan};

const README: &str = include_str!("../../README.md");

/// The example queries of the issue, as written.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "example_1_scheduling_from_1_34",
        "adoption where category = Scheduling and version >= 1.34",
    ),
    (
        "example_2_nvidia_by_stacks",
        "adoption where vendor = NVIDIA order by stacks desc",
    ),
    ("example_3_matrix_1_35", "matrix where version = 1.35"),
    (
        "example_4_kueue_not_volcano",
        "submissions where uses Kueue and not uses Volcano",
    ),
    (
        "example_5_dcgm_with_version",
        "findings where project = \"NVIDIA DCGM Exporter\" and cell = M",
    ),
    (
        "example_6_networking_observability",
        "projects where category in (Networking, Observability)",
    ),
    (
        "example_7_by_category_from_1_34",
        "adoption where version >= 1.34 group by category",
    ),
    (
        "example_8_top_5_before_1_35",
        "top 5 adoption where version < 1.35",
    ),
    (
        "issue13_vendors_with_several_submissions",
        "submissions group by submission_vendor having count >= 2",
    ),
    (
        "issue13_adoption_per_kubernetes_version",
        "adoption where version >= 1.34 group by version",
    ),
    (
        "issue13_scheduling_projects_per_version",
        "adoption where category = Scheduling group by project, version order by project, version",
    ),
    (
        "issue13_group_by_two_fields_having",
        "findings group by project, cell having count >= 5",
    ),
    (
        "issue13_not_in",
        "projects where category not in (Networking, Observability, Scheduling)",
    ),
    (
        "issue13_uses_a_non_nvidia_accelerator",
        "submissions where uses (category = Accelerator and vendor != NVIDIA)",
    ),
    (
        "issue13_findings_by_versions",
        "findings where versions >= 25 and project ~ nvidia",
    ),
    (
        "issue13_named_in_1_35_not_in_1_34",
        "adoption where version = 1.35 and not named by (version = 1.34)",
    ),
    (
        "issue13_named_in_1_34_not_in_1_33",
        "adoption where version = 1.34 and not named by (version = 1.33)",
    ),
];

fn loaded() -> &'static (RuleSet, Scan) {
    static LOADED: OnceLock<(RuleSet, Scan)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let (rules, _) = aiconf::builtin_rules();
        let scan = crate::util::scan(&DirSource::new(crate::util::baseline()), &rules)
            .expect("the baseline scans");
        (rules, scan)
    })
}

fn answer(q: &str, format: Format) -> String {
    let (rules, scan) = loaded();
    match aiconf::run_query(q, scan, rules) {
        Ok(o) => o.render(scan, rules, format),
        Err(d) => panic!("{q}:\n{}", aiconf::render_query_errors(q, &d)),
    }
}

#[test]
fn every_example_of_the_issue_answers() {
    for (name, q) in EXAMPLES {
        let text = answer(q, Format::Table);
        insta::with_settings!({ description => *q, omit_expression => true }, {
            insta::assert_snapshot!(*name, text);
        });
    }
}

#[test]
fn the_repl_help_shows_the_same_examples() {
    let ours: Vec<&str> = EXAMPLES.iter().map(|e| e.1).collect();
    assert_eq!(aiconf::QUERY_EXAMPLES, ours.as_slice());
}

/// The queries of the first code block of the README's "Queries" section.
fn readme_queries() -> Vec<&'static str> {
    let section = &README[README.find("## Queries").expect("a Queries section")..];
    let block = &section[section.find("```text\n").expect("a text block") + 8..];
    block[..block.find("```").unwrap()]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

#[test]
fn every_query_of_the_readme_answers_in_every_format() {
    let queries = readme_queries();
    assert!(queries.len() >= 8, "{queries:?}");
    for (_, q) in EXAMPLES {
        assert!(
            queries.contains(q),
            "the README shows the issue's example {q}"
        );
    }
    for q in queries {
        for f in [Format::Table, Format::Markdown, Format::Csv, Format::Json] {
            assert!(!answer(q, f).is_empty(), "{q}");
        }
    }
}
