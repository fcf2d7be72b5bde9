//! Reconciliation through the library, against edited copies of the published
//! file, with rules written here so the expected disagreements are known.
use aiconf::{Cell, DirSource, DisagreementKind as Kind, Engine, Outside, Scanner};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/published/adoption-analysis-2026-03-16.txt"
);

const RULES: &str = r#"
project kueue "Kueue" {
  category Scheduling
  cncf "K8s SIG"
  repo "kubernetes-sigs/kueue"
  license "Apache-2.0"
  vendor "Kubernetes SIGs"
  description "Kubernetes-native job queueing"
  name "Kueue"
}
project volcano "Volcano" {
  category Scheduling
  cncf "Incubating"
  repo "volcano-sh/volcano"
  license "Apache-2.0"
  vendor "CNCF"
  description "Batch scheduling for K8s"
  name "Volcano"
}
"#;

/// The published file with 1-based line `line` replaced by `with`.
fn edited(line: usize, with: &str) -> aiconf::Published {
    let text = std::fs::read_to_string(FILE).unwrap();
    let text: Vec<&str> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { with } else { l })
        .collect();
    aiconf::parse_published("edited.txt", &text.join("\n")).unwrap_or_else(|d| panic!("{d}"))
}

fn engine() -> Engine {
    let (rules, diags) = aiconf::load_rules(&[("test.rule".to_string(), RULES.to_string())]);
    assert!(diags.is_empty(), "{diags:?}");
    Engine::new(rules)
}

fn run(p: &aiconf::Published) -> aiconf::Reconciliation {
    let engine = engine();
    let source = DirSource::new(corpus());
    let scanner = Scanner::new(&engine, &source).unwrap();
    let scan = scanner.scan();
    let mut outside = Outside::new(&scanner);
    aiconf::reconcile(p, &scan, engine.rules(), &mut outside)
}

#[test]
fn the_scan_and_the_outside_hits_share_one_engine_one_listing_and_one_matcher() {
    let engine = engine();
    let source = DirSource::new(corpus());
    assert!(
        !engine.is_compiled(),
        "an engine compiles nothing until it is used"
    );
    let scanner = Scanner::new(&engine, &source).unwrap();
    // A scanner compiles its engine's matcher while it reads the templates; the scan uses it.
    assert!(engine.is_compiled());
    let matcher = engine.matcher();
    let scan = scanner.scan();
    assert!(std::ptr::eq(engine.matcher(), matcher));
    let mut outside = Outside::new(&scanner);
    // The outside hits match with the scan's own engine (so its one matcher) and read the
    // scan's own listing: nothing is compiled or listed a second time.
    assert!(std::ptr::eq(outside.engine(), &engine));
    assert!(std::ptr::eq(outside.engine().matcher(), matcher));
    assert_eq!(outside.files(), scanner.listing());
    let r = aiconf::reconcile(&edited(41, "X"), &scan, engine.rules(), &mut outside);
    assert!(std::ptr::eq(engine.matcher(), matcher));
    // That matcher found the mention outside the vendor's words.
    let d = r
        .cells
        .disagreements
        .iter()
        .find(|d| d.submission == "chinaunicom-csk" && d.project == "Volcano")
        .expect("the flipped cell disagrees");
    let e = serde_json::to_value(&d.evidence[0]).unwrap();
    assert_eq!(e["location"], "requirement description");
}

#[test]
fn a_published_mention_found_only_in_template_text_says_where() {
    // Line 41: Volcano for v1.33/chinaunicom-csk, "-" in the published file.
    // The submission names Volcano only in the gang-scheduling requirement's description.
    let r = run(&edited(41, "X"));
    let d = r
        .cells
        .disagreements
        .iter()
        .find(|d| {
            d.version == "v1.33" && d.submission == "chinaunicom-csk" && d.project == "Volcano"
        })
        .expect("the flipped cell disagrees");
    assert_eq!(
        (d.published, d.engine, d.kind),
        (Cell::X, Cell::NotNamed, Kind::PublishedOnly)
    );
    assert!(
        d.reason.contains("no name, alias, URL or kind of Volcano"),
        "{}",
        d.reason
    );
    assert!(d.reason.contains("only in template text: v1.33/chinaunicom-csk/PRODUCT.yaml:35 (requirement description)"), "{}", d.reason);
    let e = serde_json::to_value(&d.evidence[0]).unwrap();
    assert_eq!(e["location"], "requirement description");
    assert_eq!(e["line"], 35);
}

#[test]
fn an_engine_mention_the_published_table_lacks_carries_the_vendor_quote() {
    // Line 30: Kueue for v1.33/cks, "X" in the published file.
    let r = run(&edited(30, "-"));
    let d = r
        .cells
        .disagreements
        .iter()
        .find(|d| d.version == "v1.33" && d.submission == "cks" && d.project == "Kueue")
        .expect("the flipped cell disagrees");
    assert_eq!(
        (d.published, d.engine, d.kind),
        (Cell::NotNamed, Cell::X, Kind::EngineOnly)
    );
    assert!(!d.evidence.is_empty());
    for e in &d.evidence {
        let e = serde_json::to_value(e).unwrap();
        assert!(e["file"].as_str().unwrap().starts_with("v1.33/cks/"), "{e}");
        assert!(
            e["quote"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("kueue"),
            "{e}"
        );
    }
}

#[test]
fn totals_add_up_and_projects_without_a_rule_are_their_own_kind() {
    let p = edited(1, "edited copy");
    let r = run(&p);
    assert_eq!(r.cells.compared, r.cells.agreed + r.cells.disagreed);
    assert_eq!(r.cells.by_kind.values().sum::<usize>(), r.cells.disagreed);
    // Both rules have published rows in every version, so exactly the published cells are compared.
    assert_eq!(r.cells.compared, p.cell_count());
    let no_rule = r
        .cells
        .disagreements
        .iter()
        .filter(|d| d.kind == Kind::NoRule)
        .count();
    let published_mentions_without_rule: usize = p
        .matrices
        .iter()
        .flat_map(|m| &m.rows)
        .filter(|row| row.project != "Kueue" && row.project != "Volcano")
        .map(|row| row.cells.iter().filter(|c| **c != Cell::NotNamed).count())
        .sum();
    assert_eq!(no_rule, published_mentions_without_rule);
    // The summary's Kueue row: 18 published, 17 in the published matrix.
    let kueue = r.summary.iter().find(|s| s.project == "Kueue").unwrap();
    assert_eq!(
        (kueue.published_stacks, kueue.published_matrix_stacks),
        (Some(18), 17)
    );
}

/// The baseline corpus: the stand-in for `../shared` (`util::shared`).
fn corpus() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| crate::util::shared_path("corpus/baseline-223d15f"))
}
