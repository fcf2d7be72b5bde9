//! The corpus built into the binary: with no `--corpus`, no `AICONF_CORPUS`
//! and no synced clone, commands read the snapshot of cncf/k8s-ai-conformance
//! at 223d15f, offline, say so once on standard error, and find exactly what
//! they find in the directory the snapshot was made from.

use crate::util::{aiconf_cached, parts, shared_path};

#[test]
fn with_no_corpus_the_embedded_snapshot_scans_like_its_directory() {
    let cache = tempfile::tempdir().unwrap();
    let no_corpus = [("AICONF_CORPUS", "")];
    let (code, embedded, err) = parts(&aiconf_cached(
        cache.path(),
        &no_corpus,
        &["scan", "--format", "json"],
    ));
    assert_eq!(code, 0, "{err}");
    let notes: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("embedded snapshot"))
        .collect();
    assert_eq!(notes.len(), 1, "said once: {err}");
    assert!(
        notes[0].contains("223d15f") && notes[0].contains("aiconf sync"),
        "{err}"
    );
    let dir = shared_path("corpus/baseline-223d15f");
    let (_, from_dir, _) = parts(&aiconf_cached(
        cache.path(),
        &no_corpus,
        &["scan", "--format", "json", "--corpus", &dir],
    ));
    let a: serde_json::Value = serde_json::from_str(&embedded).unwrap();
    let mut b: serde_json::Value = serde_json::from_str(&from_dir).unwrap();
    // The snapshot leaves the screenshots out (the scan reads no image); the
    // directory's submissions list them among their files.
    for sub in b["submissions"].as_array_mut().unwrap() {
        sub["files"].as_array_mut().unwrap().retain(|f| {
            !f.as_str().unwrap().ends_with(".png") && !f.as_str().unwrap().ends_with(".jpg")
        });
    }
    assert_eq!(a["submissions"].as_array().unwrap().len(), 28);
    assert_eq!(a, b, "the snapshot scans to the same JSON as its directory");
    // The matrix out of the box, and --quiet silences the note.
    let (code, matrix, err) = parts(&aiconf_cached(cache.path(), &no_corpus, &["matrix", "-q"]));
    assert_eq!(code, 0);
    assert!(!err.contains("embedded snapshot"), "{err}");
    assert!(matrix.contains("v1.33 Submissions (11)"), "{matrix}");
}

#[test]
fn version_names_the_embedded_corpus() {
    let cache = tempfile::tempdir().unwrap();
    let (code, out, _) = parts(&aiconf_cached(cache.path(), &[], &["--version"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("embedded corpus: cncf/k8s-ai-conformance at 223d15f97434 (2026-03-16)"),
        "{out}"
    );
}

#[test]
fn a_named_corpus_or_a_revision_never_falls_back_to_the_snapshot() {
    let cache = tempfile::tempdir().unwrap();
    let (code, _, err) = parts(&aiconf_cached(
        cache.path(),
        &[("AICONF_CORPUS", "")],
        &["matrix", "--rev", "HEAD"],
    ));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("E200"), "{err}");
    let (code, _, err) = parts(&aiconf_cached(
        cache.path(),
        &[("AICONF_CORPUS", "")],
        &["matrix", "--corpus", "no/such/folder"],
    ));
    assert_eq!(code, 2);
    assert!(err.contains("E200") && !err.contains("embedded"), "{err}");
}
