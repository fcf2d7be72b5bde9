//! The query language over the baseline corpus with the built-in rules:
//! semantics checked against the scan directly (scope and share, versions,
//! `uses`, precedence, grouping, ordering, finding tests), the JSON
//! contract and exit codes through the built binary, `explain`, and the
//! error messages (snapshots).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use aiconf::{DirSource, Format, RuleSet, Scan, SubmissionId, Val, Version};

fn loaded() -> &'static (RuleSet, Scan) {
    static LOADED: OnceLock<(RuleSet, Scan)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let (rules, _) = aiconf::builtin_rules();
        let scan = crate::util::scan(&DirSource::new(crate::util::baseline()), &rules)
            .expect("the baseline scans");
        (rules, scan)
    })
}

fn run(q: &str) -> aiconf::Outcome {
    let (rules, scan) = loaded();
    aiconf::run_query(q, scan, rules)
        .unwrap_or_else(|d| panic!("{q}: {}", aiconf::render_query_errors(q, &d)))
}

fn errors(q: &str) -> String {
    let (rules, scan) = loaded();
    match aiconf::run_query(q, scan, rules) {
        Ok(_) => panic!("{q} should fail"),
        Err(d) => aiconf::render_query_errors(q, &d),
    }
}

/// The text of one column of every row.
fn column(o: &aiconf::Outcome, name: &str) -> Vec<String> {
    let i = o
        .answer
        .columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows(o).iter().map(|r| r.cells[i].text()).collect()
}

use crate::util::aiconf;

/// The rows of an answer with their values (the rows of `submissions` and `findings` are ids).
fn rows(o: &aiconf::Outcome) -> Vec<aiconf::QueryRow> {
    let (rules, scan) = loaded();
    o.answer.made_rows(scan, rules)
}

/// Submissions of the baseline whose version passes `keep`.
fn subs_where(keep: impl Fn(&Version) -> bool) -> Vec<SubmissionId> {
    let (_, scan) = loaded();
    scan.submission_ids()
        .filter(|&s| keep(&Version::parse(&scan.submission(s).kubernetes_version).unwrap()))
        .collect()
}

#[test]
fn share_is_over_the_submissions_in_scope() {
    let (rules, scan) = loaded();
    let v134 = Version::parse("1.34").unwrap();
    let scope = subs_where(|v| *v >= v134);
    assert_eq!(scope.len(), 17, "15 submissions of v1.34 and 2 of v1.35");
    let o = run("adoption where version >= 1.34");
    assert_eq!(o.answer.in_scope, 17);
    assert!(!o.answer.rows.is_empty());
    for row in &rows(&o) {
        let rule = rules.find(&row.cells[0].text()).unwrap();
        let stacks = scope
            .iter()
            .filter(|&&s| scan.finding(s, rule).is_some())
            .count();
        assert_eq!(row.cells[1].text(), stacks.to_string(), "{}", row.cells[0]);
        let Val::Share(share) = row.cells[2] else {
            panic!("share is a share")
        };
        assert!((share - stacks as f64 / 17.0).abs() < 1e-9);
    }
}

#[test]
fn versions_compare_as_versions() {
    let ids = |q: &str| column(&run(q), "Submission");
    let v134 = ids("submissions where version = 1.34");
    assert_eq!(v134.len(), 15);
    assert!(v134.iter().all(|s| s.starts_with("v1.34/")));
    assert_eq!(ids("submissions where version = v1.34"), v134);
    assert_eq!(ids("submissions where version = 1.34.0"), v134);
    assert_eq!(ids("submissions where version in (V1.34, 1.34.0)"), v134);
    assert_eq!(
        ids("submissions where version > 1.9").len(),
        28,
        "1.9 < 1.33"
    );
    assert_eq!(ids("submissions where version < 1.34").len(), 11);
    assert_eq!(ids("submissions where version != 1.34").len(), 13);
}

#[test]
fn uses_and_not_uses_partition_the_submissions() {
    let (rules, scan) = loaded();
    let kueue = rules.find("kueue").unwrap();
    let want: Vec<String> = scan
        .submission_ids()
        .filter(|&s| scan.finding(s, kueue).is_some_and(|f| !f.negated))
        .map(|s| scan.submission(s).id.clone())
        .collect();
    let uses = column(&run("submissions where uses Kueue"), "Submission");
    let not = column(&run("submissions where not uses kueue"), "Submission");
    assert_eq!(uses, want);
    assert_eq!(uses.len() + not.len(), 28);
    assert!(uses.iter().all(|u| !not.contains(u)));
}

#[test]
fn not_binds_tighter_than_and_and_and_than_or() {
    let ids = |q: &str| {
        column(&run(q), "Submission")
            .into_iter()
            .collect::<BTreeSet<_>>()
    };
    let v133 = ids("submissions where version = 1.33");
    let v135_kueue = ids("submissions where version = 1.35 and uses Kueue");
    let union: BTreeSet<String> = v133.union(&v135_kueue).cloned().collect();
    assert_eq!(
        ids("submissions where version = 1.33 or version = 1.35 and uses Kueue"),
        union
    );
    assert_eq!(
        ids("submissions where (version = 1.33 or version = 1.35) and uses Kueue").len(),
        ids("submissions where version != 1.34 and uses kueue").len()
    );
    assert_eq!(
        ids("submissions where not version = 1.34 and not version = 1.33"),
        ids("submissions where version = 1.35")
    );
}

#[test]
fn names_and_keywords_are_case_insensitive() {
    let (rules, scan) = loaded();
    let a = run("adoption where category = Scheduling and version >= 1.34").render(
        scan,
        rules,
        Format::Csv,
    );
    let b = run("ADOPTION Where CATEGORY = scheduling AND Version >= V1.34").render(
        scan,
        rules,
        Format::Csv,
    );
    assert_eq!(a, b);
}

#[test]
fn group_by_category_counts_distinct_stacks() {
    let (rules, scan) = loaded();
    let v134 = Version::parse("1.34").unwrap();
    let scope = subs_where(|v| *v >= v134);
    let o = run("adoption where version >= 1.34 group by category");
    assert_eq!(
        o.answer.columns,
        ["Category", "Projects", "Stacks", "Share"]
    );
    for row in &rows(&o) {
        let cat = row.cells[0].text();
        let members: Vec<_> = rules
            .ids()
            .filter(|&r| rules.get(r).category.as_str() == cat)
            .collect();
        let named: Vec<_> = members
            .iter()
            .filter(|&&r| scope.iter().any(|&s| scan.finding(s, r).is_some()))
            .collect();
        let stacks = scope
            .iter()
            .filter(|&&s| members.iter().any(|&r| scan.finding(s, r).is_some()))
            .count();
        assert_eq!(row.cells[1].text(), named.len().to_string(), "{cat}");
        assert_eq!(row.cells[2].text(), stacks.to_string(), "{cat}");
    }
    let counts = column(&run("submissions group by version"), "Count");
    assert_eq!(counts, ["15", "11", "2"]);
}

#[test]
fn order_limit_and_top() {
    let stacks = |q: &str| {
        column(&run(q), "Stacks")
            .into_iter()
            .map(|s| s.parse::<usize>().unwrap())
            .collect::<Vec<_>>()
    };
    let all = stacks("adoption");
    assert!(
        all.windows(2).all(|w| w[0] >= w[1]),
        "most stacks first by default"
    );
    let asc = stacks("adoption order by stacks");
    assert!(asc.windows(2).all(|w| w[0] <= w[1]));
    let top = run("top 3 adoption");
    assert_eq!(top.answer.rows.len(), all.len().min(3));
    assert_eq!(
        column(&top, "Project"),
        column(&run("adoption limit 3"), "Project")
    );
    assert_eq!(run("adoption limit 0").answer.rows.len(), 0);
    let subs = column(
        &run("submissions order by version desc, submission"),
        "Kubernetes Version",
    );
    assert_eq!(subs.first().map(String::as_str), Some("v1.35"));
    assert_eq!(subs.last().map(String::as_str), Some("v1.33"));
}

#[test]
fn finding_tests_decide_which_findings_count() {
    let (rules, scan) = loaded();
    let o = run("findings where cell = M");
    assert!(!o.answer.rows.is_empty());
    assert!(column(&o, "Cell").iter().all(|c| c == "M"));
    let m = scan
        .findings
        .iter()
        .filter(|f| f.cell == aiconf::Cell::M)
        .count();
    assert_eq!(o.answer.rows.len(), m);
    // In adoption a finding test narrows the stacks, not the scope.
    let a = run("adoption where cell = M");
    assert_eq!(a.answer.in_scope, 28);
    for row in &rows(&a) {
        let r = rules.find(&row.cells[0].text()).unwrap();
        let want = scan
            .submission_ids()
            .filter(|&s| {
                scan.finding(s, r)
                    .is_some_and(|f| f.cell == aiconf::Cell::M)
            })
            .count();
        assert_eq!(row.cells[1].text(), want.to_string());
    }
    let sched = run("findings where section = schedulingorchestration");
    assert!(column(&sched, "Sections")
        .iter()
        .all(|s| s.contains("schedulingOrchestration")));
}

#[test]
fn json_keys_are_the_contract() {
    let keys = |q: &str| {
        let o = aiconf(&[
            "query",
            "--corpus",
            crate::util::baseline(),
            q,
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let row = v
            .as_array()
            .and_then(|a| a.first())
            .and_then(|r| r.as_object())
            .cloned()
            .expect("a row object");
        (row.keys().cloned().collect::<BTreeSet<String>>(), row)
    };
    let (k, row) = keys("adoption");
    assert_eq!(
        k,
        ["category", "cncf", "project", "share", "stacks", "vendor"]
            .map(String::from)
            .into()
    );
    let share = row["share"].as_f64().expect("share is a number");
    assert!((0.0..=1.0).contains(&share));
    assert!(row["stacks"].is_u64());
    let (k, _) = keys("submissions");
    assert_eq!(
        k,
        ["kubernetes_version", "platform", "submission", "vendor"]
            .map(String::from)
            .into()
    );
}

#[test]
fn every_format_renders_a_query() {
    for format in ["table", "markdown", "csv", "json"] {
        let o = aiconf(&[
            "query",
            "--corpus",
            crate::util::baseline(),
            "projects where category = Scheduling",
            "--format",
            format,
        ]);
        assert!(o.status.success(), "{format}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Kueue"),
            "{format}"
        );
    }
}

#[test]
fn exit_codes_and_errors_on_standard_error() {
    let ok = aiconf(&[
        "query",
        "--corpus",
        crate::util::baseline(),
        "submissions limit 1",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let bad = aiconf(&[
        "query",
        "--corpus",
        crate::util::baseline(),
        "adoption where categry = Scheduling",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("unknown field `categry`") && err.contains("did you mean `category`?"),
        "{err}"
    );
}

#[test]
fn explain_shows_the_plan_and_the_findings_behind_each_row() {
    let (rules, scan) = loaded();
    let text = run("explain top 1 adoption where category = Scheduling and version >= 1.34")
        .render(scan, rules, Format::Table);
    assert!(
        text.starts_with(
            "query     top 1 adoption where category = Scheduling and version >= 1.34\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("scope     version >= 1.34  (17 of 28 submissions)"),
        "{text}"
    );
    assert!(text.contains("projects  category = Scheduling"), "{text}");
    assert!(text.contains("v1.34/gardener/PRODUCT.yaml:"), "{text}");
    let json: serde_json::Value = serde_json::from_str(
        &run("explain findings where cell = M limit 2").render(scan, rules, Format::Json),
    )
    .unwrap();
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(2));
    assert!(json["rows"][0]["behind"][0]["file"].is_string());
    insta::assert_snapshot!(
        "explain_precedence",
        run("explain submissions where version = 1.33 or not uses Kueue and version = 1.35")
            .render(scan, rules, Format::Table)
    );
}

/// Bad queries, one per row: each error text is pinned.
const BAD: &[&str] = &[
    "adoptoin where category = Scheduling",
    "adoption wher category = Scheduling",
    "adoption where categry = Scheduling",
    "adoption where category = Schedulng",
    "adoption where categry = Schedulng",
    "adoption where project = Kueu",
    "submissions where uses Volcanoo",
    "submissions where submission = gardner",
    "submissions where category = Scheduling",
    "projects where version >= 1.34",
    "adoption where version >= 1.x",
    "adoption where version >= 1.34 and",
    "adoption where (category = Scheduling",
    "findings where project = \"NVIDIA DCGM",
    "findings where cell = Y",
    "findings where cell < M",
    "adoption where cncf = incubatin",
    "findings where section = scheduling",
    "adoption where stacks > 3 or category = Scheduling",
    "findings where stacks > 3",
    "adoption where share > lots",
    "adoption order by stackz",
    "matrix group by category",
    "adoption group by cell",
    "submissions group by vendor having cnt >= 2",
    "submissions group by vendor having count >= many",
    "submissions where uses (version = 1.34)",
    "submissions where named by (version = 1.34)",
    "adoption where named by (category = Scheduling)",
    "adoption having uses Kueue",
    "matrix having project = Kueue",
    "projects where category not in (Schedulng)",
    "findings where negated < true",
    "top 5 adoption limit 3",
    "top 99999999999999999999999 adoption",
    "adoption where category = Scheduling extra",
];

#[test]
fn error_messages() {
    let mut all = String::new();
    for q in BAD {
        all.push_str(&format!("$ {q}\n{}\n", errors(q)));
    }
    insta::assert_snapshot!("error_messages", all);
}

#[test]
fn matrix_and_adoption_agree_with_the_table_stage() {
    use aiconf::Mentions;
    let (rules, scan) = loaded();
    for m in aiconf::matrices(scan, rules, Mentions::All) {
        let o = run(&format!("matrix where version = {}", m.version));
        let names: Vec<String> = m
            .projects
            .iter()
            .map(|&r| rules.get(r).name.clone())
            .collect();
        assert_eq!(column(&o, "Project"), names, "{}", m.version);
        for (row, cells) in rows(&o).iter().zip(&m.cells) {
            let got: Vec<String> = row.cells[1..].iter().map(|c| c.text()).collect();
            let want: Vec<&str> = cells.iter().map(|c| c.as_str()).collect();
            assert_eq!(got, want, "{} {}", m.version, row.cells[0]);
        }
    }
    let all: Vec<SubmissionId> = scan.submission_ids().collect();
    let want: Vec<(String, usize)> = aiconf::adoption(scan, rules, &all, Mentions::All)
        .into_iter()
        .filter(|a| a.stacks > 0)
        .map(|a| (rules.get(a.rule).name.clone(), a.stacks))
        .collect();
    let o = run("adoption");
    let got: Vec<(String, usize)> = rows(&o)
        .iter()
        .map(|r| (r.cells[0].text(), r.cells[1].text().parse().unwrap()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn findings_quotes_are_whole_in_json_and_cut_only_in_the_aligned_table() {
    let (_, scan) = loaded();
    let long = scan
        .findings
        .iter()
        .filter_map(|f| f.evidence.first())
        .map(|e| e.quote.clone())
        .find(|q| q.chars().count() > 90)
        .expect("some first quote is longer than the table shows");
    let o = aiconf(&[
        "query",
        "--corpus",
        crate::util::baseline(),
        "findings",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let quotes: Vec<&str> = rows
        .as_array()
        .expect("an array of rows")
        .iter()
        .filter_map(|r| r["quote"].as_str())
        .collect();
    assert!(quotes.contains(&long.as_str()), "JSON keeps {long:?} whole");
    let table = aiconf(&["query", "--corpus", crate::util::baseline(), "findings"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(!text.contains(long.as_str()), "the aligned table cuts it");
    let cut: String = long.chars().take(79).collect();
    assert!(text.contains(&format!("{cut}…")), "{cut}");
}

#[test]
fn an_empty_answer_says_so_in_the_aligned_table_only() {
    let (rules, scan) = loaded();
    let o = run("submissions where version = 9.99");
    assert!(o.answer.rows.is_empty());
    let table = o.render(scan, rules, Format::Table);
    assert!(table.ends_with("(no rows)\n"), "{table}");
    assert_eq!(o.render(scan, rules, Format::Json).trim(), "[]");
    let csv = o.render(scan, rules, Format::Csv);
    assert_eq!(csv.trim(), "Submission,Kubernetes Version,Platform,Vendor");
    let some = run("submissions where version = 1.35").render(scan, rules, Format::Table);
    assert!(!some.contains("(no rows)"), "{some}");
}

/// The submissions in the scan that name `r` other than to say it is absent.
fn users(scan: &Scan, r: aiconf::RuleId) -> BTreeSet<SubmissionId> {
    scan.submission_ids()
        .filter(|&s| scan.finding(s, r).is_some_and(|f| !f.negated && !f.hedged))
        .collect()
}

fn sub_ids(o: &aiconf::Outcome) -> BTreeSet<String> {
    column(o, "Submission").into_iter().collect()
}

#[test]
fn not_in_is_the_negation_of_in() {
    let (rules, _) = loaded();
    let cats = "(Networking, Observability, Scheduling)";
    let inside: BTreeSet<String> = column(
        &run(&format!("projects where category in {cats}")),
        "Project",
    )
    .into_iter()
    .collect();
    let outside: BTreeSet<String> = column(
        &run(&format!("projects where category not in {cats}")),
        "Project",
    )
    .into_iter()
    .collect();
    assert!(!inside.is_empty() && !outside.is_empty());
    assert!(inside.is_disjoint(&outside));
    assert_eq!(inside.len() + outside.len(), rules.rules.len());
    assert_eq!(
        run(&format!("projects where category not in {cats}"))
            .plan
            .canonical,
        format!("projects where category not in {cats}")
    );
}

#[test]
fn uses_a_project_condition_is_any_project_passing_it() {
    let (rules, scan) = loaded();
    let o = run("submissions where uses (category = Accelerator and vendor != NVIDIA)");
    let mut want = BTreeSet::new();
    for r in rules.ids() {
        let rule = rules.get(r);
        if rule.category.as_str() == "Accelerator" && !aiconf::is_nvidia(&rule.vendor) {
            want.extend(
                users(scan, r)
                    .into_iter()
                    .map(|s| scan.submission(s).id.clone()),
            );
        }
    }
    assert_eq!(sub_ids(&o), want);
    // One project in parentheses is `uses PROJECT`.
    assert_eq!(
        sub_ids(&run("submissions where uses (project = Kueue)")),
        sub_ids(&run("submissions where uses Kueue"))
    );
    // Inside, `vendor` is the project's vendor even in `submissions`.
    assert_eq!(
        sub_ids(&run("submissions where uses (vendor = NVIDIA)")).len(),
        rules
            .ids()
            .filter(|&r| aiconf::is_nvidia(&rules.get(r).vendor))
            .flat_map(|r| users(scan, r))
            .collect::<BTreeSet<_>>()
            .len()
    );
}

#[test]
fn named_by_asks_what_one_scope_names_that_another_does_not() {
    let (rules, scan) = loaded();
    let o = run("adoption where version = 1.35 and not named by (version = 1.34)");
    let named_in = |v: &str| -> BTreeSet<String> {
        let v = Version::parse(v).unwrap();
        scan.findings
            .iter()
            .filter(|f| {
                Version::parse(&scan.submission(f.submission).kubernetes_version) == Some(v.clone())
            })
            .map(|f| rules.get(f.rule).name.clone())
            .collect()
    };
    let want: BTreeSet<String> = named_in("1.35")
        .difference(&named_in("1.34"))
        .cloned()
        .collect();
    let got: BTreeSet<String> = column(&o, "Project").into_iter().collect();
    assert_eq!(got, want);
    // `used by` leaves out the submissions that say the project is absent.
    let used: BTreeSet<String> =
        column(&run("projects where used by (version >= 1.33)"), "Project")
            .into_iter()
            .collect();
    let want: BTreeSet<String> = scan
        .findings
        .iter()
        .filter(|f| !f.negated && !f.hedged)
        .map(|f| rules.get(f.rule).name.clone())
        .collect();
    assert_eq!(used, want);
}

#[test]
fn having_keeps_the_groups_whose_counts_pass() {
    let all = run("submissions group by submission_vendor");
    let kept = run("submissions group by submission_vendor having count >= 2");
    let want: Vec<String> = rows(&all)
        .iter()
        .filter(|r| r.cells[1].text().parse::<usize>().unwrap() >= 2)
        .map(|r| r.cells[0].text())
        .collect();
    assert!(!want.is_empty());
    assert_eq!(column(&kept, "Vendor"), want);
    let big = run("adoption having stacks >= 10 and share < 90%");
    for s in column(&big, "Stacks") {
        assert!(s.parse::<usize>().unwrap() >= 10);
    }
    assert_eq!(
        column(&big, "Project"),
        column(
            &run("adoption where stacks >= 10 and share < 0.9"),
            "Project"
        )
    );
}

#[test]
fn adoption_by_kubernetes_version_is_over_each_versions_submissions() {
    let (_, scan) = loaded();
    let o = run("adoption group by version");
    assert_eq!(
        o.answer.columns,
        ["Kubernetes Version", "Projects", "Stacks", "Share"]
    );
    assert_eq!(o.answer.rows.len(), 3);
    for row in &rows(&o) {
        let v = Version::parse(&row.cells[0].text()).unwrap();
        let subs = subs_where(|x| *x == v);
        let naming = subs
            .iter()
            .filter(|&&s| scan.findings.iter().any(|f| f.submission == s))
            .count();
        assert_eq!(row.cells[2].text(), naming.to_string(), "{v:?}");
        let share = naming as f64 / subs.len() as f64;
        assert_eq!(
            row.cells[3].text(),
            format!("{}%", (share * 100.0).round() as i64)
        );
    }
    // One project per version: its stacks in each version, out of that version's submissions.
    let kueue = run("adoption where project = Kueue group by project, version");
    let total: usize = column(&kueue, "Stacks")
        .iter()
        .map(|s| s.parse::<usize>().unwrap())
        .sum();
    assert_eq!(
        total.to_string(),
        column(&run("adoption where project = Kueue"), "Stacks")[0]
    );
}

#[test]
fn group_by_two_fields_counts_each_combination() {
    let o = run("findings group by project, cell");
    assert_eq!(o.answer.columns, ["Project", "Cell", "Count"]);
    let total: usize = column(&o, "Count")
        .iter()
        .map(|s| s.parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, run("findings").answer.rows.len());
    let pairs: BTreeSet<(String, String)> = rows(&o)
        .iter()
        .map(|r| (r.cells[0].text(), r.cells[1].text()))
        .collect();
    assert_eq!(pairs.len(), o.answer.rows.len(), "each combination once");
}

#[test]
fn versions_is_a_field_of_findings() {
    let o = run("findings where versions >= 25");
    assert!(!o.answer.rows.is_empty());
    let i = o
        .answer
        .columns
        .iter()
        .position(|c| c == "Versions")
        .unwrap();
    for r in &rows(&o) {
        let any = match &r.cells[i] {
            // Shown with their kind: `25.3.0 (chart)`.
            Val::List(v) => v.iter().any(|x| {
                Version::parse(x.split(' ').next().unwrap_or_default())
                    .is_some_and(|x| x >= Version::parse("25").unwrap())
            }),
            other => panic!("{other:?}"),
        };
        assert!(any, "{:?}", r.cells);
    }
    let with = run("findings where cell = M").answer.rows.len();
    let grouped: usize = column(&run("findings where cell = M group by versions"), "Count")
        .iter()
        .map(|s| s.parse::<usize>().unwrap())
        .sum();
    assert!(
        grouped >= with,
        "each finding counts once under each of its versions"
    );
}

/// The baseline with its first submission copied until one Kubernetes version has `n` of them.
fn widened(n: usize) -> (String, Scan) {
    let (_, scan) = loaded();
    let mut wide = scan.clone();
    let first = wide.submissions[0].clone();
    let version = first.kubernetes_version.clone();
    let have = wide
        .submissions
        .iter()
        .filter(|s| s.kubernetes_version == version)
        .count();
    for i in have..n {
        let mut copy = first.clone();
        copy.id = format!("{version}/copy-{i:05}");
        copy.platform = format!("copy {i}");
        wide.submissions.push(copy);
    }
    (version, wide)
}

#[test]
fn a_matrix_too_wide_to_read_is_refused_before_it_is_built_with_e412() {
    let (rules, _) = loaded();
    let limit = aiconf::MATRIX_MAX_COLUMNS;
    let (version, wide) = widened(limit + 1);
    let q = format!("matrix where version = {version}");
    let err = match aiconf::run_query(&q, &wide, rules) {
        Ok(o) => panic!("{q} answered {} columns", o.answer.columns.len()),
        Err(d) => aiconf::render_query_errors(&q, &d),
    };
    assert!(err.contains("E412"), "{err}");
    assert!(
        err.contains(&format!("a matrix of {} submissions", limit + 1)),
        "{err}"
    );
    assert!(err.contains("`findings where ...`"), "the hint: {err}");
    // Narrowed, the same corpus answers: one copy by its platform.
    let narrow = aiconf::run_query(
        &format!("matrix where version = {version} and platform ~ \"copy {limit}\""),
        &wide,
        rules,
    )
    .expect("a narrowed matrix is answered");
    assert_eq!(
        narrow.answer.columns.len(),
        2,
        "{:?}",
        narrow.answer.columns
    );
    // At the limit exactly, it is built: the project column and one per submission.
    let (_, at_limit) = widened(limit);
    let o = aiconf::run_query(&q, &at_limit, rules).expect("a matrix at the limit is answered");
    assert_eq!(o.answer.columns.len(), limit + 1);
}
