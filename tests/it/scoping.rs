//! What counts as the vendor's words, end to end through the built binary on
//! `corpus/scoping/` (a small corpus written for this test): template
//! descriptions and comments never count, pasted template sentences never
//! count, the vendor's own comments do, negations are marked, versions are
//! read from the text next to a name or from the command it is in.

use std::process::Command;

use serde_json::Value;

fn scan() -> Value {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/scoping");
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(["scan", "--corpus", corpus, "--format", "json"])
        .output()
        .expect("run aiconf");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn finding<'a>(v: &'a Value, sub: &str, project: &str) -> Option<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["submission"] == sub && f["project"] == project)
}

/// (submission, project, expected cell or "-", version, negated)
const CELLS: &[(&str, &str, &str, Option<&str>, bool)] = &[
    ("v1.34/acme", "Kueue", "M", Some("0.14.2"), false),
    ("v1.34/acme", "Kai Scheduler", "X", None, false),
    ("v1.34/acme", "Karpenter", "X", None, true),
    ("v1.34/acme", "KubeRay", "M", Some("1.4.2"), false),
    // Only in the template description, and in a template sentence pasted into operator.md.
    ("v1.34/acme", "Volcano", "-", None, false),
    ("v1.34/acme", "Ray", "-", None, false),
    ("v1.34/acme", "Kubeflow", "-", None, false),
    ("v1.34/Beta-Cloud", "Gateway API", "X", None, false),
    ("v1.34/Beta-Cloud", "Istio", "M", Some("1.24.1"), false),
    // "Volcano Engine" is a cloud, not the scheduler.
    ("v1.34/Beta-Cloud", "Volcano", "-", None, false),
    ("v1.35/acme", "Volcano", "X", None, false),
    ("v1.35/acme", "Kueue", "-", None, false),
];

#[test]
fn cells_of_the_scoping_corpus() {
    let v = scan();
    for (sub, project, cell, version, negated) in CELLS {
        let f = finding(&v, sub, project);
        match (*cell, f) {
            ("-", None) => {}
            ("-", Some(f)) => panic!("{sub} {project}: expected no finding, got {f}"),
            (_, None) => panic!("{sub} {project}: expected {cell}, got none"),
            (_, Some(f)) => {
                assert_eq!(f["cell"], *cell, "{sub} {project}: {f}");
                assert_eq!(
                    f["versions"].get(0).and_then(Value::as_str),
                    *version,
                    "{sub} {project}"
                );
                assert_eq!(f["negated"], *negated, "{sub} {project}: {f}");
            }
        }
    }
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{}", v["errors"]);
}

#[test]
fn provenance_is_exact() {
    let v = scan();
    let kai = &finding(&v, "v1.34/acme", "Kai Scheduler").unwrap()["evidence"][0];
    assert_eq!(kai["file"], "v1.34/acme/PRODUCT.yaml");
    assert_eq!(
        (kai["line"].as_u64(), kai["column"].as_u64()),
        (Some(17), Some(51))
    );
    assert_eq!(
        kai["field"],
        "spec.schedulingOrchestration[0].evidence[1]#comment"
    );
    assert_eq!(kai["text"], "Kai Scheduler");
    let kueue = &finding(&v, "v1.34/acme", "Kueue").unwrap()["evidence"];
    assert_eq!(
        kueue[0]["field"],
        "spec.schedulingOrchestration[0].evidence[0]"
    );
    assert_eq!(kueue[1]["field"], "spec.schedulingOrchestration[0].notes");
    assert_eq!(
        (kueue[1]["line"].as_u64(), kueue[1]["column"].as_u64()),
        (Some(18), Some(25))
    );
    let kuberay = &finding(&v, "v1.34/acme", "KubeRay").unwrap()["evidence"];
    assert!(
        kuberay[0].get("field").is_none(),
        "Markdown has no YAML field"
    );
    // CRLF line ends do not shift lines or columns.
    let istio = &finding(&v, "v1.34/Beta-Cloud", "Istio").unwrap()["evidence"][0];
    assert_eq!(
        (istio["line"].as_u64(), istio["column"].as_u64()),
        (Some(11), Some(37))
    );
    assert_eq!(
        istio["quote"],
        "notes: \"Traffic is split with Istio 1.24.1; Volcano Engine hosts our object storage.\""
    );
}

#[test]
fn submissions_keep_folder_case_and_metadata() {
    let v = scan();
    let subs: Vec<(&str, &str, &str)> = v["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap(),
                s["platform"].as_str().unwrap(),
                s["vendor"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        subs,
        [
            ("v1.34/acme", "Acme Kubernetes Service", "Acme, Inc."),
            ("v1.34/Beta-Cloud", "Beta Cloud", "Beta GmbH"),
            ("v1.35/acme", "Acme Kubernetes Service", "Acme Inc"),
        ]
    );
}
