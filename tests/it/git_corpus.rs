//! Git as a corpus, through the built binary: a bundle, a clone and a bare
//! repository read at a revision give exactly the directory's findings, and
//! bad revisions, non-repositories and corrupt bundles give clear errors.

use crate::util::{aiconf_with_cache, failure_stderr, git, history_bundle, success_stdout};
use std::path::{Path, PathBuf};

fn scan_json(cache: &Path, corpus: &str, rev: Option<&str>) -> serde_json::Value {
    let mut args = vec!["scan", "--format", "json", "--corpus", corpus];
    if let Some(r) = rev {
        args.extend(["--rev", r]);
    }
    serde_json::from_str(&success_stdout(&aiconf_with_cache(cache, &args))).unwrap()
}

#[test]
fn bundle_at_baseline_scans_exactly_like_the_baseline_directory() {
    let cache = tempfile::tempdir().unwrap();
    let from_git = scan_json(cache.path(), &history_bundle(), Some("baseline-223d15f"));
    let from_dir = scan_json(
        cache.path(),
        &crate::util::shared_path("corpus/baseline-223d15f"),
        None,
    );
    assert_eq!(from_git["submissions"].as_array().unwrap().len(), 28);
    assert_eq!(from_git, from_dir);
}

#[test]
fn bundle_head_is_the_default_revision_and_matches_the_head_directory() {
    let cache = tempfile::tempdir().unwrap();
    let from_git = scan_json(cache.path(), &history_bundle(), None);
    let from_dir = scan_json(
        cache.path(),
        &crate::util::shared_path("corpus/head-b2c8969"),
        None,
    );
    assert_eq!(from_git["submissions"].as_array().unwrap().len(), 51);
    assert_eq!(from_git, from_dir);
}

#[test]
fn report_at_a_revision_is_the_directory_report_and_names_the_revision() {
    let cache = tempfile::tempdir().unwrap();
    let dir = crate::util::shared_path("corpus/baseline-223d15f");
    let from_git = success_stdout(&aiconf_with_cache(
        cache.path(),
        &[
            "report",
            "--corpus",
            &history_bundle(),
            "--rev",
            "baseline-223d15f",
        ],
    ));
    let from_dir = success_stdout(&aiconf_with_cache(
        cache.path(),
        &["report", "--corpus", &dir],
    ));
    let named = format!("`{} --rev baseline-223d15f`", history_bundle());
    assert!(from_git.contains(&named), "the report names the revision");
    // and the commit it is (the original repository's, from the bundle's
    // `Original-Commit:` trailer) with its date; a directory has neither.
    let commit = "\nThe corpus is commit `d2d6f816babfa553b06a5d1fbfe00e319029883f` of its repository, committed `2026-03-16T10:47:49-07:00`.\n";
    assert!(
        from_git.contains(commit),
        "{}",
        &from_git[..600.min(from_git.len())]
    );
    assert!(!from_dir.contains("The corpus is commit"));
    assert_eq!(
        from_git
            .replacen(commit, "", 1)
            .replace(&named, &format!("`{dir}`")),
        from_dir
    );
}

#[test]
fn clones_and_bare_repositories_read_by_short_id_without_a_checkout() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let clone: PathBuf = work.path().join("clone");
    let bare: PathBuf = work.path().join("bare.git");
    git(
        None,
        &[
            "clone",
            "--quiet",
            &history_bundle(),
            clone.to_str().unwrap(),
        ],
    );
    git(
        None,
        &[
            "clone",
            "--quiet",
            "--bare",
            &history_bundle(),
            bare.to_str().unwrap(),
        ],
    );
    // The work tree is changed, but a revision is read from the objects.
    std::fs::remove_dir_all(clone.join("v1.33")).unwrap();
    let from_dir = scan_json(
        cache.path(),
        &crate::util::shared_path("corpus/baseline-223d15f"),
        None,
    );
    for repo in [&clone, &bare] {
        assert_eq!(
            scan_json(cache.path(), repo.to_str().unwrap(), Some("67c8f43")),
            from_dir,
            "{}",
            repo.display()
        );
    }
}

#[test]
fn a_bad_revision_is_named_with_a_suggestion() {
    let cache = tempfile::tempdir().unwrap();
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &[
            "scan",
            "--corpus",
            &history_bundle(),
            "--rev",
            "baseline-223d15",
        ],
    ));
    assert!(
        err.contains("error[E252]: no revision `baseline-223d15`"),
        "{err}"
    );
    assert!(err.contains("history.bundle"), "{err}");
    assert!(err.contains("did you mean `baseline-223d15f`?"), "{err}");
}

#[test]
fn rev_on_a_plain_directory_says_it_is_not_a_repository() {
    let cache = tempfile::tempdir().unwrap();
    let dir = crate::util::shared_path("corpus/baseline-223d15f");
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &["scan", "--corpus", &dir, "--rev", "HEAD"],
    ));
    // miette wraps long lines (the corpus path's length varies): compare words.
    let flat = err
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("error[E251]: not a git repository or bundle"),
        "{err}"
    );
    assert!(err.contains("baseline-223d15f"), "{err}");
}

#[test]
fn a_corrupt_bundle_is_a_clear_error_naming_the_file() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(history_bundle()).unwrap();
    // Keep the header, damage the pack.
    for i in (2000..bytes.len()).step_by(5000) {
        bytes[i] ^= 0xff;
    }
    let corrupt = work.path().join("corrupt.bundle");
    std::fs::write(&corrupt, &bytes).unwrap();
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &["scan", "--corpus", corrupt.to_str().unwrap()],
    ));
    assert!(
        err.contains("error[E253]: cannot read the git bundle"),
        "{err}"
    );
    assert!(err.contains("corrupt.bundle"), "{err}");
    assert!(err.contains("pack has bad object"), "{err}");
    // Nothing half-made is left in the cache to be trusted next time.
    let again = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &["scan", "--corpus", corrupt.to_str().unwrap()],
    ));
    assert!(again.contains("E253"), "{again}");
}
