//! `aiconf score` through the built binary: the project's truth set
//! (`truth/`, 23 hand-labelled head submissions) against the head of the
//! history bundle kept in `tests/fixtures/` (no `../shared` needed). The
//! overall figures may only go up: the test fails when any drops below the
//! level measured so far. Bad truth folders are clear errors.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The overall figures reached so far (rounded down); raise them when the
/// engine improves, never lower them. (M/X right and versions right are
/// shares of the cells found: finding a cell that was missed, without its
/// version, lowers them while recall rises.)
const PRECISION: f64 = 1.0; // 237 / 237
const RECALL: f64 = 0.991; // 237 / 239
const MX_RIGHT: f64 = 1.0; // 237 / 237
const VERSIONS_RIGHT: f64 = 1.0; // 37 / 37

fn aiconf(cache: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(args)
        .env("AICONF_CACHE_DIR", cache)
        .current_dir(ROOT)
        .output()
        .expect("run aiconf");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn score_args<'a>(truth: &'a str, format: &'a str) -> Vec<&'a str> {
    vec![
        "score",
        "--truth",
        truth,
        "--corpus",
        "tests/fixtures/history.bundle",
        "--rev",
        "head",
        "--format",
        format,
    ]
}

#[test]
fn the_truth_set_scores_at_least_as_well_as_before() {
    let cache = tempfile::tempdir().unwrap();
    let (code, out, err) = aiconf(cache.path(), &score_args("truth", "json"));
    assert_eq!(code, 0, "{err}");
    let s: Value = serde_json::from_str(&out).expect("score JSON");
    assert_eq!(s["submissions"], 23, "every label file scored");
    let o = &s["overall"];
    let got = |k: &str| o[k].as_f64().unwrap_or_else(|| panic!("{k} in {o}"));
    let report = format!(
        "overall: {o}\n\nrun `aiconf score --truth truth --corpus tests/fixtures/history.bundle --rev head` for the disagreements"
    );
    assert!(got("precision") >= PRECISION, "precision dropped\n{report}");
    assert!(got("recall") >= RECALL, "recall dropped\n{report}");
    assert!(got("mx_right") >= MX_RIGHT, "M/X right dropped\n{report}");
    assert!(
        got("versions_right") >= VERSIONS_RIGHT,
        "versions right dropped\n{report}"
    );
    assert_eq!(
        o["foreign_versions"].as_u64(),
        Some(0),
        "a reported version belongs to something else\n{report}"
    );
    // Every disagreement is listed, with the evidence of its side.
    let ds = s["disagreements"].as_array().unwrap();
    let wrong = o["reported"].as_u64().unwrap() - o["agreed"].as_u64().unwrap()
        + o["labelled"].as_u64().unwrap()
        - o["agreed"].as_u64().unwrap()
        + o["agreed"].as_u64().unwrap()
        - o["cells_right"].as_u64().unwrap();
    assert!(
        ds.len() as u64 >= wrong,
        "{} listed, {wrong} wrong cells",
        ds.len()
    );
    for d in ds {
        match d["kind"].as_str().unwrap() {
            "missed" => assert!(!d["label_quotes"].as_array().unwrap().is_empty(), "{d}"),
            _ => assert!(d["engine_evidence"].is_object(), "{d}"),
        }
    }
}

#[test]
fn the_text_lists_the_figures_and_each_disagreement_with_its_evidence() {
    let cache = tempfile::tempdir().unwrap();
    let (code, out, err) = aiconf(cache.path(), &score_args("truth", "text"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("23 labelled submissions (truth), "),
        "{out}"
    );
    assert!(out.contains("\noverall: precision "), "{out}");
    assert!(out.contains("(overall)"), "{out}");
    assert!(out.contains(" disagreements\n"), "{out}");
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_bad_truth_folder_is_a_clear_error_naming_the_file_and_line() {
    let cache = tempfile::tempdir().unwrap();
    let truth = tempfile::tempdir().unwrap();
    let t = truth.path().to_str().unwrap();

    let (code, _, err) = aiconf(cache.path(), &score_args(t, "text"));
    assert_eq!(code, 2);
    assert!(
        err.contains("E700") && err.contains("no label files"),
        "{err}"
    );

    write(
        truth.path(),
        "v1.35__kops.json",
        "{\"submission\": \"v1.35/kops\",\n \"projects\": {\"Kueue\": {\"cell\": \"M\"}}}",
    );
    write(
        truth.path(),
        "v1.35__oke.json",
        "{\"submission\": \"v1.35/oke\",\n \"projects\": {\n",
    );
    let (code, _, err) = aiconf(cache.path(), &score_args(t, "text"));
    assert_eq!(code, 2);
    assert!(
        err.contains("E702") && err.contains("M without a version"),
        "{err}"
    );
    assert!(err.contains("v1.35__kops.json:2:"), "{err}");
    assert!(
        err.contains("E701") && err.contains("v1.35__oke.json:3:"),
        "{err}"
    );

    write(
        truth.path(),
        "v1.35__kops.json",
        "{\"submission\": \"v1.35/kops\", \"projects\": {\"Kueu\": {\"cell\": \"X\"}}}",
    );
    write(
        truth.path(),
        "v1.35__oke.json",
        "{\"submission\": \"v1.99/oke\", \"projects\": {}}",
    );
    let (code, _, err) = aiconf(cache.path(), &score_args(t, "text"));
    assert_eq!(code, 2);
    assert!(
        err.contains("E703") && err.contains("did you mean `Kueue`?"),
        "{err}"
    );
    assert!(
        err.contains("E704") && err.contains("`v1.99/oke` is not a submission"),
        "{err}"
    );
}
