//! The matrices computed from the two real corpora, pinned as snapshots, and
//! the contract of `aiconf scan --format json` through the built binary.

use std::process::Command;

use crate::util::ok_stdout as aiconf;

#[test]
fn matrix_of_the_baseline_corpus() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    insta::assert_snapshot!("matrix_baseline", aiconf(&["matrix", "--corpus", &corpus]));
}

#[test]
fn matrix_of_the_head_corpus() {
    let corpus = crate::util::shared_path("corpus/head-b2c8969");
    insta::assert_snapshot!(
        "matrix_head",
        aiconf(&["matrix", "--corpus", &corpus, "--format", "markdown"])
    );
}

#[test]
fn scan_json_has_the_contract_fields() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let v: serde_json::Value =
        serde_json::from_str(&aiconf(&["scan", "--corpus", &corpus, "--format", "json"])).unwrap();
    let subs = v["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 28);
    let oke = subs
        .iter()
        .find(|s| s["id"] == "v1.34/OKE")
        .expect("case of folder names is kept");
    assert_eq!(oke["kubernetes_version"], "v1.34");
    assert!(oke["platform"].as_str().is_some_and(|p| !p.is_empty()));
    assert!(oke["files"].as_array().is_some_and(|f| !f.is_empty()));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["submission"] == "v1.34/gardener" && f["project"] == "Kueue")
        .expect("gardener names Kueue");
    assert_eq!(f["cell"], "M");
    assert_eq!(f["versions"][0], "0.14.2");
    assert_eq!(f["negated"], false);
    let e = &f["evidence"][0];
    assert_eq!(e["file"], "v1.34/gardener/PRODUCT.yaml");
    assert_eq!(e["line"], 47);
    assert_eq!(e["field"], "spec.schedulingOrchestration[0].notes");
    assert_eq!(e["text"], "Kueue");
    assert!(e["column"].as_u64().unwrap() > 1);
    assert!(v["errors"].as_array().is_some());
}

#[test]
fn template_text_never_counts() {
    // Every PRODUCT.yaml's gang-scheduling description says "(e.g. Kueue, Volcano, etc.)";
    // no finding may come from a description field.
    let corpus = crate::util::shared_path("corpus/head-b2c8969");
    let v: serde_json::Value =
        serde_json::from_str(&aiconf(&["scan", "--corpus", &corpus, "--format", "json"])).unwrap();
    for f in v["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            let field = e["field"].as_str().unwrap_or_default();
            assert!(
                !(field.starts_with("spec.") && field.ends_with(".description")),
                "{f}"
            );
        }
    }
}

#[test]
fn explain_shows_evidence_or_why_there_is_none() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let found = aiconf(&["explain", "kueue", "v1.34/gardener", "--corpus", &corpus]);
    assert!(
        found.starts_with("Kueue / v1.34/gardener: M (versions 0.14.2)"),
        "{found}"
    );
    assert!(found.contains("v1.34/gardener/PRODUCT.yaml:47:"), "{found}");
    assert!(
        found.contains("[spec.schedulingOrchestration[0].notes]"),
        "{found}"
    );
    let template_only = aiconf(&["explain", "Ray", "v1.34/OKE", "--corpus", &corpus]);
    assert!(
        template_only.starts_with("Ray / v1.34/OKE: -"),
        "{template_only}"
    );
    assert!(
        template_only.contains("v1.34/OKE/PRODUCT.yaml:84:101 \"Ray\" in requirement description"),
        "{template_only}"
    );
    let nowhere = aiconf(&["explain", "Calico", "v1.33/palette", "--corpus", &corpus]);
    assert!(nowhere.contains("occurs anywhere"), "{nowhere}");
}

#[test]
fn explain_suggests_names_for_typos() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(["explain", "Kueu", "v1.34/gardener", "--corpus", &corpus])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no rule named `Kueu`") && err.contains("did you mean `Kueue`?"),
        "{err}"
    );
}

#[test]
fn explain_with_a_bare_folder_name_lists_the_submissions() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(["explain", "Kueue", "gke", "--corpus", &corpus])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`v1.34/gke` or `v1.35/gke`"), "{err}");
}
