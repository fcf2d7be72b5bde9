//! Negated and hedged mentions, end to end through the built binary on
//! `corpus/stance/` (a small corpus written for this test): negation and
//! hedging are judged in prose only (checklist notes, Markdown paragraphs,
//! lists and tables), never in commands, code blocks, test output or URLs;
//! a finding is negated when every mention is, hedged when every mention is
//! hedged or negated and one is hedged; `matrix --uses` leaves both out and
//! the default matrix marks them.

use std::process::Command;

use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/stance");

fn aiconf(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(args)
        .output()
        .expect("run aiconf");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn scan() -> Value {
    serde_json::from_str(&aiconf(&["scan", "--corpus", CORPUS, "--format", "json"])).expect("json")
}

/// (project, negated, hedged): one row per finding of `v1.35/zeta`.
const FINDINGS: &[(&str, bool, bool)] = &[
    // "Kueue is deployed by default."
    ("Kueue", false, false),
    // "KAI Scheduler handles gangs (vs. Volcano)."
    ("Kai Scheduler", false, false),
    ("Volcano", true, false),
    // "The platform does not provide Karpenter."
    ("Karpenter", true, false),
    // "service meshes such as Istio can be added."
    ("Istio", false, true),
    ("Envoy Gateway", false, false),
    // "No additional Prometheus setup is required: Prometheus is deployed ..."
    // and "metric not yet collected by Prometheus" in test output.
    ("Prometheus", false, false),
    // In a list under "## Roadmap".
    ("NVIDIA Dynamo", false, true),
    // `kubectl run ... --restart=Never -- curl http://nvidia-dcgm-exporter...` in a code block.
    ("NVIDIA DCGM Exporter", false, false),
    // "no-exit was specified, sonobuoy is now blocking"
    ("Sonobuoy", false, false),
    // "Never scaled: cluster-autoscaler not ready" in tests/output.md.
    ("K8s Cluster Autoscaler", false, false),
];

#[test]
fn findings_are_negated_or_hedged_by_their_sentences() {
    let v = scan();
    let findings = v["findings"].as_array().unwrap();
    for &(project, negated, hedged) in FINDINGS {
        let f = findings
            .iter()
            .find(|f| f["project"] == project)
            .unwrap_or_else(|| panic!("no finding for {project}"));
        assert_eq!(
            (f["negated"].as_bool(), f["hedged"].as_bool()),
            (Some(negated), Some(hedged)),
            "{project}: {f:#}"
        );
    }
}

#[test]
fn commands_code_logs_and_urls_are_never_judged() {
    let v = scan();
    for f in v["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            let judged = e["negated"] == true || e["hedged"] == true;
            let file = e["file"].as_str().unwrap();
            let quote = e["quote"].as_str().unwrap();
            let not_prose = file.ends_with("tests/output.md")
                || quote.starts_with("kubectl ")
                || quote.starts_with("- \"https://");
            assert!(!(judged && not_prose), "judged outside prose: {e:#}");
        }
    }
}

#[test]
fn matrix_marks_negated_and_hedged_cells_and_uses_drops_them() {
    let all = aiconf(&["matrix", "--corpus", CORPUS]);
    let row = |table: &str, project: &str| {
        table
            .lines()
            .find(|l| l.starts_with(project))
            .map(|l| l.split_whitespace().last().unwrap_or_default().to_string())
    };
    assert_eq!(row(&all, "Volcano").as_deref(), Some("(X)"), "{all}");
    assert_eq!(row(&all, "Istio").as_deref(), Some("X?"), "{all}");
    assert_eq!(row(&all, "Kueue").as_deref(), Some("X"), "{all}");
    assert!(
        all.lines()
            .any(|l| l.contains("(X)") && l.contains("X?") && l.contains("not used")),
        "the legend says what (X) and X? mean: {all}"
    );
    let uses = aiconf(&["matrix", "--corpus", CORPUS, "--uses"]);
    assert_eq!(row(&uses, "Volcano"), None, "{uses}");
    assert_eq!(row(&uses, "Istio"), None, "{uses}");
    assert_eq!(row(&uses, "Kueue").as_deref(), Some("X"), "{uses}");
}
