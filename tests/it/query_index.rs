//! The query index answers as the plain walk does: every query below, and
//! generated ones, answered over a generated corpus (`aiconf gen-corpus`)
//! with the index and without it, must give the same plan, rows, what stands
//! behind each row and rendering, or the same errors. The corpus is given
//! values the index must keep apart or together as the walk does: platforms
//! differing only in case, vendors with the same normalised name, empty
//! values and `(none)` itself, versions written two ways and not versions.

use std::sync::OnceLock;

use aiconf::{DirSource, Format, QueryIndex, RuleSet, Scan};
use proptest::prelude::*;

/// A generated corpus of 160 submissions, scanned, with edge values written into it.
fn loaded() -> &'static (RuleSet, Scan) {
    static LOADED: OnceLock<(RuleSet, Scan)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let (rules, _) = aiconf::builtin_rules();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("corpus");
        let gen = crate::util::aiconf(&[
            "gen-corpus",
            "--from",
            crate::util::head(),
            "--submissions",
            "160",
            "--seed",
            "5",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            gen.status.success(),
            "{}",
            String::from_utf8_lossy(&gen.stderr)
        );
        let mut scan = crate::util::scan(&DirSource::new(&out), &rules).expect("the corpus scans");
        edges(&mut scan);
        (rules, scan)
    })
}

/// Values where grouping by keys could go wrong, written over the first submissions.
fn edges(scan: &mut Scan) {
    let platforms = ["OpenShift", "openshift", "", "(None)", "Ωmega", "ωMEGA"];
    let vendors = [
        "Google LLC",
        "Google",
        "",
        "(Acme) Google",
        "()",
        "(none)",
        "Amazon Web Services (AWS)",
        "Amazon Web Services",
    ];
    let versions = ["1.34.0", "v1.34", "latest", "", "V1.35"];
    for (i, s) in scan.submissions.iter_mut().enumerate() {
        if let Some(p) = platforms.get(i) {
            s.platform = p.to_string();
        }
        if let Some(v) = vendors.get(i % 11) {
            s.vendor = v.to_string();
        }
        if let Some(v) = versions.get(i / 3) {
            s.kubernetes_version = v.to_string();
        }
    }
}

/// The walk and the index answer `q` alike.
fn alike(q: &str, scan: &Scan, index: &QueryIndex, rules: &RuleSet) -> Result<bool, String> {
    let walk = aiconf::run_query_walk(q, scan, rules);
    let indexed = aiconf::run_query_indexed(q, scan, index, rules);
    match (walk, indexed) {
        (Ok(a), Ok(b)) => {
            let same = |x: String, y: String, what: &str| {
                (x == y)
                    .then_some(())
                    .ok_or_else(|| format!("{q}: the {what} differ\nwalk:  {x}\nindex: {y}"))
            };
            same(format!("{:?}", a.plan), format!("{:?}", b.plan), "plans")?;
            same(
                format!("{:?}", a.answer),
                format!("{:?}", b.answer),
                "answers",
            )?;
            same(
                format!("{:?}", a.answer.made_rows(scan, rules)),
                format!("{:?}", b.answer.made_rows(scan, rules)),
                "rows' values",
            )?;
            // The aligned table written from the rows (ids read from the scan) is the one
            // made from their values.
            same(
                a.answer.table(scan, rules).to_text(),
                a.answer.to_text(scan, rules),
                "tables written from the values and from the rows",
            )?;
            for f in [Format::Table, Format::Json] {
                same(
                    a.render(scan, rules, f),
                    b.render(scan, rules, f),
                    "renderings",
                )?;
            }
            Ok(true)
        }
        (Err(a), Err(b)) => {
            let (a, b) = (
                aiconf::render_query_errors(q, &a),
                aiconf::render_query_errors(q, &b),
            );
            (a == b)
                .then_some(false)
                .ok_or_else(|| format!("{q}: the errors differ\n{a}\n{b}"))
        }
        (a, b) => Err(format!(
            "{q}: the walk {} and the index {}",
            if a.is_ok() { "answers" } else { "fails" },
            if b.is_ok() { "answers" } else { "fails" }
        )),
    }
}

const SOURCES: &[&str] = &["adoption", "findings", "submissions", "projects", "matrix"];

const CONDITIONS: &[&str] = &[
    "",
    "where version >= 1.34",
    "where version = 1.35 and platform ~ e",
    "where platform = openshift",
    "where vendor ~ google",
    "where submission_vendor = Google",
    "where uses Kueue and not uses Volcano",
    "where uses Kueue or uses Volcano",
    "where uses (category = Accelerator and vendor != NVIDIA)",
    "where category = Scheduling",
    "where cell = M",
    "where section = schedulingOrchestration and cell = X",
    "where section in (networking, security)",
    "where not section = metadata",
    "where versions >= 1",
    "where versions ~ 25.",
    "where negated = true",
    "where mentions >= 2",
    "where file ~ product",
    "where project ~ nvidia and cell = M",
    "where (uses Kueue or cell = M)",
    "where not (version = 1.34 or section = networking)",
    "where (category = Networking or version < 1.34) and not cell = X",
    "where named by (version = 1.34)",
    "where not used by (platform ~ e)",
    "where stacks >= 2",
    "where version = latest or submission = v1.34/gke",
];

const GROUPS: &[&str] = &[
    "",
    "group by version",
    "group by category",
    "group by submission_vendor",
    "group by submission_vendor, platform",
    "group by vendor",
    "group by platform",
    "group by project, cell",
    "group by project, version",
    "group by section",
    "group by versions, cell",
    "group by negated, mentions",
    "group by file",
    "group by cell, section, version, platform",
    "group by submission",
    "group by project, cell having count >= 2",
    "group by version order by count",
];

#[test]
fn the_index_answers_every_combination_as_the_walk_does() {
    let (rules, scan) = loaded();
    let index = QueryIndex::build(scan);
    let (mut answered, mut failures) = (0, Vec::new());
    for source in SOURCES {
        for cond in CONDITIONS {
            for group in GROUPS {
                let q = format!("{source} {cond} {group}");
                match alike(&q, scan, &index, rules) {
                    Ok(a) => answered += a as usize,
                    Err(e) => failures.push(e),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        answered > 700,
        "most combinations are queries that answer: {answered}"
    );
}

#[test]
fn the_index_answers_the_readme_queries_as_the_walk_does() {
    let (rules, scan) = loaded();
    let index = QueryIndex::build(scan);
    for q in aiconf::QUERY_EXAMPLES {
        assert_eq!(alike(q, scan, &index, rules), Ok(true), "{q}");
    }
}

#[test]
fn an_index_of_another_scan_is_not_used() {
    let (rules, scan) = loaded();
    let index = QueryIndex::build(scan);
    let mut other = scan.clone();
    other.findings.retain(|f| f.rule.0 % 2 == 0);
    assert!(index.fits(scan) && !index.fits(&other));
    let q = "adoption group by category";
    let walk = aiconf::run_query_walk(q, &other, rules).unwrap();
    let indexed = aiconf::run_query_indexed(q, &other, &index, rules).unwrap();
    assert_eq!(
        format!("{:?}", walk.answer),
        format!("{:?}", indexed.answer)
    );
}

/// Queries from the language's parts with values the corpus has.
fn queries() -> impl Strategy<Value = String> {
    let pick = |from: &'static [&'static str]| prop::sample::select(from);
    const TESTS: &[&str] = &[
        "version >= 1.34",
        "version < 1.35",
        "platform ~ a",
        "submission_vendor ~ google",
        "uses Kueue",
        "uses Volcano",
        "uses (cncf = Graduated)",
        "category = Observability",
        "vendor = NVIDIA",
        "cell = M",
        "cell = X",
        "section = security",
        "section = schedulingOrchestration",
        "versions >= 2",
        "negated = false",
        "mentions > 1",
        "named by (platform ~ o)",
        "used by (version = 1.33)",
    ];
    let test = (pick(TESTS), any::<bool>()).prop_map(|(t, not)| {
        if not {
            format!("not {t}")
        } else {
            t.to_string()
        }
    });
    (
        pick(SOURCES),
        prop::collection::vec((test, any::<bool>()), 0..4),
        prop::collection::vec(
            pick(&[
                "version",
                "platform",
                "submission_vendor",
                "vendor",
                "category",
                "project",
                "cell",
                "section",
                "versions",
                "negated",
            ]),
            0..3,
        ),
    )
        .prop_map(|(source, tests, group)| {
            let mut q = source.to_string();
            for (i, (t, and)) in tests.iter().enumerate() {
                let join = ["or", "and", "where"][if i == 0 { 2 } else { *and as usize }];
                q.push_str(&format!(" {join} {t}"));
            }
            if !group.is_empty() {
                q.push_str(&format!(" group by {}", group.join(", ")));
            }
            q
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_index_answers_generated_queries_as_the_walk_does(q in queries()) {
        let (rules, scan) = loaded();
        static INDEX: OnceLock<QueryIndex> = OnceLock::new();
        let index = INDEX.get_or_init(|| QueryIndex::build(scan));
        prop_assert!(alike(&q, scan, index, rules).is_ok(), "{}", alike(&q, scan, index, rules).unwrap_err());
    }
}
