//! `aiconf report` and `aiconf reconcile` over the baseline corpus against
//! the published analysis: snapshots of what users read, the HTML page's
//! self-containment and well-formedness, and the exit codes.

const CORPUS: &str = "../shared/corpus/baseline-223d15f";
const PUBLISHED: &str = "../shared/published/adoption-analysis-2026-03-16.txt";

/// Runs the binary beside the tests' stand-in for `../shared` (`util::shared`),
/// so the paths above are the ones users type in a checkout beside `../shared`.
fn aiconf(args: &[&str]) -> std::process::Output {
    crate::util::aiconf_in(&crate::util::beside_shared(), args)
}

fn stdout(args: &[&str]) -> String {
    let out = aiconf(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn report_markdown_snapshot() {
    insta::assert_snapshot!("report_markdown", stdout(&["report", "--corpus", CORPUS]));
}

#[test]
fn reconcile_markdown_snapshot() {
    insta::assert_snapshot!(
        "reconcile_markdown",
        stdout(&[
            "reconcile",
            "--corpus",
            CORPUS,
            "--published",
            PUBLISHED,
            "--format",
            "markdown"
        ])
    );
}

#[test]
fn reconcile_json_has_the_stable_keys_and_consistent_totals() {
    let text = stdout(&[
        "reconcile",
        "--corpus",
        CORPUS,
        "--published",
        PUBLISHED,
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let cells = &j["cells"];
    let compared = cells["compared"].as_u64().unwrap();
    let agreed = cells["agreed"].as_u64().unwrap();
    let disagreements = cells["disagreements"].as_array().unwrap();
    // Every published cell is compared, plus the engine's rows the published matrices lack.
    assert!(compared >= 904, "{compared}");
    assert_eq!(agreed + disagreements.len() as u64, compared);
    let by_kind: u64 = cells["by_kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_kind, disagreements.len() as u64);
    for d in disagreements {
        for key in [
            "version",
            "submission",
            "project",
            "published",
            "engine",
            "kind",
            "reason",
            "evidence",
        ] {
            assert!(d.get(key).is_some(), "disagreement without `{key}`: {d}");
        }
        assert_ne!(d["published"], d["engine"], "{d}");
    }
    // The published summary contradicts its own matrix in ten rows; each is a real difference.
    let selfs = j["summary_self_inconsistencies"].as_array().unwrap();
    assert_eq!(selfs.len(), 10, "{selfs:#?}");
    for s in selfs {
        assert_ne!(s["published_stacks"], s["published_matrix_stacks"], "{s}");
    }
    let kueue = selfs
        .iter()
        .find(|s| s["project"] == "Kueue")
        .expect("Kueue: 18 in the summary, 17 in the matrix");
    assert_eq!(
        (
            kueue["published_stacks"].as_u64(),
            kueue["published_matrix_stacks"].as_u64()
        ),
        (Some(18), Some(17))
    );
}

#[test]
fn report_html_is_one_well_formed_self_contained_page() {
    let page = stdout(&["report", "--corpus", CORPUS, "--format", "html"]);
    let doc = roxmltree::Document::parse_with_options(
        &page,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "html");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert!(names.contains(&"body") && names.contains(&"table"));
    // Charts: adoption by project, by category, per version.
    let svgs: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .collect();
    assert!(svgs.len() >= 3, "{} charts", svgs.len());
    for svg in &svgs {
        assert!(
            svg.descendants().any(|n| n.tag_name().name() == "rect"),
            "a chart without bars"
        );
    }
    let titles: Vec<&str> = svgs
        .iter()
        .filter_map(|s| s.children().find(|c| c.tag_name().name() == "title"))
        .filter_map(|t| t.text())
        .collect();
    for want in [
        "Adoption by project (stacks of 28)",
        "Adoption by category (stacks of 28)",
        "Submissions per Kubernetes version",
        "Adoption in v1.33 (stacks of 11)",
        "Adoption in v1.34 (stacks of 15)",
        "Adoption in v1.35 (stacks of 2)",
    ] {
        assert!(titles.contains(&want), "no chart `{want}` in {titles:?}");
    }
    // Nothing is loaded from elsewhere: one inline script (the page's own,
    // no src), no stylesheet link, no src/href pointing outside the page
    // (a directory corpus has no commit to link), no CSS url() or @import.
    let scripts = doc.descendants().filter(|n| n.has_tag_name("script"));
    assert_eq!(scripts.count(), 1, "the page's one script");
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(
            !["link", "iframe", "img", "object", "embed"].contains(&n.tag_name().name()),
            "<{}>",
            n.tag_name().name()
        );
        for a in n.attributes() {
            if ["src", "href"].contains(&a.name()) {
                assert!(a.value().starts_with('#'), "{}={}", a.name(), a.value());
            }
        }
    }
    assert!(
        !page.contains("url(") && !page.contains("@import"),
        "CSS loads a resource"
    );
}

#[test]
fn reconcile_exits_0_whatever_it_finds_and_2_on_a_garbled_published_file() {
    let out = aiconf(&["reconcile", "--corpus", CORPUS, "--published", PUBLISHED]);
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("garbled.txt");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/published/adoption-analysis-2026-03-16.txt"
    ))
    .unwrap();
    let garbled: Vec<&str> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 32 { "Q" } else { l })
        .collect();
    std::fs::write(&bad, garbled.join("\n")).unwrap();
    let out = aiconf(&[
        "reconcile",
        "--corpus",
        CORPUS,
        "--published",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E603") && err.contains("garbled.txt") && err.contains(":33:"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no numbers from a garbled file");
}

#[test]
fn report_numbers_come_from_the_corpus_it_is_given() {
    // The newer corpus: 51 submissions, an empty v1.36 folder, and vendor names
    // spelled two ways ("Amazon Web Services" and "Amazon Web Services (AWS)").
    let md = stdout(&["report", "--corpus", "../shared/corpus/head-b2c8969"]);
    assert!(
        md.contains("- 51 submissions from 31 distinct vendors across 3 Kubernetes versions"),
        "{md}"
    );
    assert!(md.contains("- `v1.36` (0 submissions)"));
    assert!(md.contains("Total submissions: 51. Total unique vendors: 31."));
    let baseline = stdout(&["report", "--corpus", CORPUS]);
    assert!(
        baseline.contains("- 28 submissions from 21 distinct vendors across 3 Kubernetes versions")
    );
    assert!(!baseline.contains("v1.36"));
}

/// The adoption summary's rows: (project, stacks, named by, used by).
fn summary_rows(md: &str) -> Vec<(String, usize, usize, usize)> {
    let start = md
        .find("| # | Project | Stacks (of 28) | % | Named by | Used by |")
        .expect("the summary table with its named and used columns");
    md[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            let stacks = c[3].split(" / ").next().unwrap().parse().unwrap();
            (
                c[2].to_string(),
                stacks,
                c[5].parse().unwrap(),
                c[6].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn report_gives_named_and_used_and_ranks_by_the_one_asked() {
    let named = stdout(&["report", "--corpus", CORPUS]);
    assert!(named.contains("ranked by the Named by column"), "{named}");
    let rows = summary_rows(&named);
    assert!(rows.iter().all(|(_, s, n, u)| s == n && u <= n), "{rows:?}");
    // Karpenter: one submission names it only to say it is not used.
    let karpenter = rows.iter().find(|r| r.0 == "Karpenter").unwrap();
    assert!(karpenter.3 < karpenter.2, "{karpenter:?}");

    let used = stdout(&["report", "--corpus", CORPUS, "--uses"]);
    assert!(used.contains("ranked by the Used by column"), "{used}");
    let rows = summary_rows(&used);
    assert!(rows.iter().all(|(_, s, n, u)| s == u && u <= n), "{rows:?}");
    assert!(
        rows.windows(2).all(|w| w[0].1 >= w[1].1),
        "ranked by used: {rows:?}"
    );
    assert_eq!(
        rows.iter().find(|r| r.0 == "Karpenter").map(|r| r.1),
        Some(karpenter.3)
    );
}
