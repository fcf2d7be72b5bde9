//! Property tests: no input makes the query stages panic. Arbitrary text
//! through the parser, and soups of the language's own tokens (which get
//! much further: into planning, evaluation and every output format) over
//! the baseline corpus.

use std::sync::OnceLock;

use aiconf::{DirSource, Format, RuleSet, Scan};
use proptest::prelude::*;

fn loaded() -> &'static (RuleSet, Scan) {
    static LOADED: OnceLock<(RuleSet, Scan)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let (rules, _) = aiconf::builtin_rules();
        let scan = crate::util::scan(&DirSource::new(crate::util::baseline()), &rules)
            .expect("the baseline scans");
        (rules, scan)
    })
}

/// Tokens of the language, valid and nearly valid.
const TOKENS: &[&str] = &[
    "explain",
    "top",
    "5",
    "0",
    "adoption",
    "matrix",
    "findings",
    "submissions",
    "projects",
    "where",
    "and",
    "or",
    "not",
    "uses",
    "in",
    "contains",
    "group",
    "order",
    "by",
    "asc",
    "desc",
    "limit",
    "(",
    ")",
    ",",
    ";",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "~",
    "<>",
    "==",
    "version",
    "category",
    "cncf",
    "vendor",
    "project",
    "submission",
    "platform",
    "cell",
    "section",
    "negated",
    "mentions",
    "file",
    "stacks",
    "share",
    "repo",
    "license",
    "Kueue",
    "Scheduling",
    "1.34",
    "v1.35",
    "1.9",
    "M",
    "X",
    "-",
    "true",
    "\"NVIDIA DCGM Exporter\"",
    "'a b'",
    "\"",
    "'",
    "gke",
    "v1.34/gke",
    "50%",
    "0.5",
    "schedulingOrchestration",
    "categry",
    "Schedulng",
    "é",
    "\\",
    "99999999999999999999",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..24).prop_map(|t| t.join(" "))
}

/// Queries shaped like the grammar, with random (often wrong) names and values,
/// so most get past the parser into planning and evaluation.
fn shaped() -> impl Strategy<Value = String> {
    let pick = |from: &'static [&'static str]| prop::sample::select(from);
    const SOURCES: &[&str] = &["adoption", "matrix", "findings", "submissions", "projects"];
    const FIELDS: &[&str] = &[
        "version",
        "category",
        "cncf",
        "vendor",
        "project",
        "submission",
        "platform",
        "cell",
        "section",
        "negated",
        "mentions",
        "file",
        "stacks",
        "share",
        "repo",
        "license",
        "categry",
    ];
    const OPS: &[&str] = &["=", "!=", "<", "<=", ">", ">=", "~", "contains"];
    const VALUES: &[&str] = &[
        "1.34",
        "v1.33",
        "1.35.0",
        "Kueue",
        "kueue",
        "Scheduling",
        "M",
        "X",
        "-",
        "true",
        "no",
        "3",
        "0.5",
        "50%",
        "gke",
        "v1.34/gke",
        "Incubating",
        "schedulingOrchestration",
        "\"K8s SIG\"",
        "x",
        "NVIDIA",
    ];
    let test = (pick(FIELDS), pick(OPS), pick(VALUES), any::<bool>())
        .prop_map(|(f, o, v, not)| format!("{}{f} {o} {v}", if not { "not " } else { "" }));
    let uses = pick(VALUES).prop_map(|v| format!("uses {v}"));
    let tests = prop::collection::vec((prop_oneof![test, uses], any::<bool>()), 0..4);
    (
        prop::option::of(0usize..40),
        pick(SOURCES),
        tests,
        prop::option::of(pick(FIELDS)),
        prop::option::of((pick(FIELDS), any::<bool>())),
        prop::option::of(0usize..40),
    )
        .prop_map(|(top, source, tests, group, order, limit)| {
            let mut q = String::new();
            if let Some(n) = top {
                q.push_str(&format!("top {n} "));
            }
            q.push_str(source);
            for (i, (t, and)) in tests.iter().enumerate() {
                let join = if i == 0 {
                    " where"
                } else if *and {
                    " and"
                } else {
                    " or"
                };
                q.push_str(&format!("{join} {t}"));
            }
            if let Some(g) = group {
                q.push_str(&format!(" group by {g}"));
            }
            if let Some((o, desc)) = order {
                q.push_str(&format!(" order by {o}{}", if desc { " desc" } else { "" }));
            }
            if let Some(n) = limit {
                q.push_str(&format!(" limit {n}"));
            }
            q
        })
}

/// Runs a query through every stage and format; errors must come with diagnostics.
fn run_all(text: &str) -> Result<(), TestCaseError> {
    let (rules, scan) = loaded();
    match aiconf::run_query(text, scan, rules) {
        Ok(o) => {
            for f in [Format::Table, Format::Markdown, Format::Csv, Format::Json] {
                let _ = o.render(scan, rules, f);
            }
            if let Some(n) = o.plan.limit {
                prop_assert!(o.answer.rows.len() <= n);
            }
        }
        Err(d) => {
            prop_assert!(!d.is_empty());
            let _ = aiconf::render_query_errors(text, &d);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = aiconf::parse_query(&text);
    }

    #[test]
    fn the_parser_never_panics_on_bytes_made_text(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = aiconf::parse_query(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn no_stage_panics_on_token_soup(text in soup()) {
        run_all(&text)?;
    }

    #[test]
    fn no_stage_panics_on_shaped_queries(text in shaped()) {
        run_all(&text)?;
        run_all(&format!("explain {text}"))?;
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "adoption where {}version = 1.34{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(aiconf::parse_query(&deep).unwrap_err().code, "E400");
    let nots = format!("adoption where {}version = 1.34", "not ".repeat(1_000));
    assert!(
        aiconf::parse_query(&nots).is_ok(),
        "1,000 nots fit within the length limit and parse"
    );
    let long_and = format!(
        "submissions where {}",
        vec!["version = 1.34"; 200].join(" and ")
    );
    let (rules, scan) = loaded();
    assert_eq!(
        aiconf::run_query(&long_and, scan, rules)
            .unwrap()
            .answer
            .rows
            .len(),
        15
    );
}
