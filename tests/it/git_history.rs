//! Delta, history and candidates over the history bundle, and sync against a
//! local repository, through the built binary. The bundle is cloned at run
//! time into a temporary cache folder.

use crate::util::{aiconf_with_cache, failure_stderr, git, history_bundle, success_stdout};
use std::collections::BTreeSet;
use std::path::Path;

use crate::util::aiconf_cached as aiconf_env;

/// `vX.Y/name` folders of a corpus directory.
fn submission_folders(dir: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for v in std::fs::read_dir(dir).unwrap().flatten() {
        let version = v.file_name().to_string_lossy().into_owned();
        if !version.starts_with('v') || !v.path().is_dir() {
            continue;
        }
        for s in std::fs::read_dir(v.path()).unwrap().flatten() {
            if s.path().is_dir() {
                out.insert(format!("{version}/{}", s.file_name().to_string_lossy()));
            }
        }
    }
    out
}

#[test]
fn delta_json_lists_the_submissions_head_has_and_the_baseline_has_not() {
    let cache = tempfile::tempdir().unwrap();
    let out = success_stdout(&aiconf_with_cache(
        cache.path(),
        &[
            "delta",
            "baseline-223d15f..head",
            "--corpus",
            &history_bundle(),
            "--format",
            "json",
        ],
    ));
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    let want: BTreeSet<String> =
        submission_folders(&crate::util::shared_path("corpus/head-b2c8969"))
            .difference(&submission_folders(&crate::util::shared_path(
                "corpus/baseline-223d15f",
            )))
            .cloned()
            .collect();
    let added: BTreeSet<String> = d["submissions"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(added, want);
    assert_eq!(added.len(), 23);
    assert_eq!(d["from"], "baseline-223d15f");
    assert_eq!(d["to"], "head");
    assert_eq!(d["submissions"]["removed"].as_array().unwrap().len(), 0);
    assert!(d["submissions"]["changed"].is_array());
    assert_eq!(d["new_versions"], serde_json::json!(["v1.36"]));
    // Every submission entry and project row has exactly the documented fields.
    for s in d["submissions"]["added"].as_array().unwrap() {
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["id", "platform", "vendor"]);
        assert!(!s["platform"].as_str().unwrap().is_empty());
    }
    let kueue = d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["project"] == "Kueue")
        .expect("Kueue row");
    let mut keys: Vec<&str> = kueue
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "project",
            "share_after",
            "share_before",
            "stacks_after",
            "stacks_before"
        ]
    );
    assert!(kueue["stacks_after"].as_u64().unwrap() >= kueue["stacks_before"].as_u64().unwrap());
    assert!(d["uncovered"].is_array());
}

#[test]
fn delta_snapshot() {
    let cache = tempfile::tempdir().unwrap();
    let out = success_stdout(&aiconf_with_cache(
        cache.path(),
        &[
            "delta",
            "baseline-223d15f..head",
            "--corpus",
            &history_bundle(),
            "--top",
            "15",
        ],
    ));
    insta::assert_snapshot!("delta_baseline_head", out);
}

#[test]
fn delta_markdown_has_headings_and_tables() {
    let cache = tempfile::tempdir().unwrap();
    let out = success_stdout(&aiconf_with_cache(
        cache.path(),
        &[
            "delta",
            "baseline-223d15f..head",
            "--corpus",
            &history_bundle(),
            "--format",
            "markdown",
        ],
    ));
    assert!(out.starts_with("## Delta baseline-223d15f (67c8f43, 2026-03-16) .. head (e3579f1, 2026-08-19): 28 -> 51 submissions"), "{out}");
    assert!(
        out.contains("### Added submissions (23)\n\n| Submission | Platform | Vendor |"),
        "{out}"
    );
    assert!(
        out.contains("| v1.35/kops | kOps | kOps Project |"),
        "{out}"
    );
}

#[test]
fn history_csv_snapshot() {
    let cache = tempfile::tempdir().unwrap();
    let out = success_stdout(&aiconf_with_cache(
        cache.path(),
        &["history", "--corpus", &history_bundle()],
    ));
    insta::assert_snapshot!("history_bundle_csv", out);
}

#[test]
fn history_ends_with_the_scan_of_head_and_passes_the_baseline() {
    let cache = tempfile::tempdir().unwrap();
    let h: serde_json::Value = serde_json::from_str(&success_stdout(&aiconf_with_cache(
        cache.path(),
        &["history", "--corpus", &history_bundle(), "--format", "json"],
    )))
    .unwrap();
    let points = h.as_array().unwrap();
    let last = points.last().unwrap();
    assert_eq!(last["submissions"], 51);
    assert_eq!(last["tags"], serde_json::json!(["head"]));
    let baseline = points
        .iter()
        .find(|p| p["tags"] == serde_json::json!(["baseline-223d15f"]))
        .expect("the baseline commit is a point");
    assert_eq!(baseline["submissions"], 28);
    // Oldest first.
    let dates: Vec<&str> = points.iter().map(|p| p["date"].as_str().unwrap()).collect();
    assert!(
        dates.windows(2).all(|w| w[0][..10] <= w[1][..10]),
        "{dates:?}"
    );
    // The newest point agrees with a plain scan of the head directory.
    let scan: serde_json::Value = serde_json::from_str(&success_stdout(&aiconf_with_cache(
        cache.path(),
        &[
            "scan",
            "--format",
            "json",
            "--corpus",
            &crate::util::shared_path("corpus/head-b2c8969"),
        ],
    )))
    .unwrap();
    for p in last["projects"].as_array().unwrap() {
        let name = p["project"].as_str().unwrap();
        let stacks = scan["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["project"] == name)
            .count();
        assert_eq!(p["stacks"].as_u64().unwrap() as usize, stacks, "{name}");
    }
}

#[test]
fn history_svg_is_well_formed_with_dates_and_one_line_per_project() {
    let cache = tempfile::tempdir().unwrap();
    let svg = success_stdout(&aiconf_with_cache(
        cache.path(),
        &[
            "history",
            "--corpus",
            &history_bundle(),
            "--format",
            "svg",
            "--top",
            "5",
        ],
    ));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for month in ["2025-11", "2026-03", "2026-08"] {
        assert!(texts.contains(&month), "no x label {month}: {texts:?}");
    }
    let lines = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .count();
    assert!((1..=5).contains(&lines), "{lines} lines");
    assert!(texts.iter().any(|t| t.starts_with("Kueue")), "{texts:?}");
}

#[test]
fn history_and_delta_refuse_a_plain_directory() {
    let cache = tempfile::tempdir().unwrap();
    let dir = crate::util::shared_path("corpus/baseline-223d15f");
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &["history", "--corpus", &dir],
    ));
    assert!(
        err.contains("error[E251]: not a git repository or bundle"),
        "{err}"
    );
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &["delta", "a..b", "--corpus", &dir],
    ));
    assert!(
        err.contains("E251") && err.contains("baseline-223d15f"),
        "{err}"
    );
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &[
            "delta",
            "baseline-223d15f..nowhere",
            "--corpus",
            &history_bundle(),
        ],
    ));
    assert!(err.contains("error[E252]: no revision `nowhere`"), "{err}");
}

/// A rules folder with the built-in Kueue rule, and optionally a KubeRay rule.
fn rules_dir(with_kuberay: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let kueue =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/kueue.rule")).unwrap();
    std::fs::write(dir.path().join("kueue.rule"), kueue).unwrap();
    if with_kuberay {
        let rule = "project kuberay \"KubeRay\" {\n  category    \"AI Operator\"\n  cncf        \"\"\n  repo        \"ray-project/kuberay\"\n  license     \"Apache-2.0\"\n  vendor      \"Anyscale\"\n  description \"Ray on Kubernetes\"\n\n  name  \"KubeRay\"\n}\n";
        std::fs::write(dir.path().join("kuberay.rule"), rule).unwrap();
    }
    dir
}

fn candidates(cache: &Path, rules: &Path) -> Vec<serde_json::Value> {
    let out = success_stdout(&aiconf_with_cache(
        cache,
        &[
            "--rules",
            rules.to_str().unwrap(),
            "candidates",
            "--corpus",
            &history_bundle(),
            "--rev",
            "head",
            "--format",
            "json",
            "--top",
            "0",
        ],
    ));
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn candidates_rank_uncovered_names_and_drop_what_a_rule_covers() {
    let cache = tempfile::tempdir().unwrap();
    let only_kueue = rules_dir(false);
    let found = candidates(cache.path(), only_kueue.path());
    let named = |name: &str| found.iter().find(|c| c["name"] == name).cloned();
    // Ranked by submissions, most first.
    let counts: Vec<usize> = found
        .iter()
        .map(|c| c["submissions"].as_array().unwrap().len())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    // A covered project is never a candidate.
    assert!(
        found
            .iter()
            .all(|c| !c["name"].as_str().unwrap().to_lowercase().contains("kueue")),
        "{found:?}"
    );
    // Each kind is found, with an example quote that contains the name.
    let kuberay = named("KubeRay").expect("KubeRay is a candidate");
    assert!(kuberay["submissions"].as_array().unwrap().len() >= 10);
    assert!(kuberay["example"]["quote"]
        .as_str()
        .unwrap()
        .contains("KubeRay"));
    assert_eq!(named("kuberay-operator").unwrap()["kind"], "chart");
    assert_eq!(
        named("github.com/kubernetes-sigs/metrics-server").unwrap()["kind"],
        "repo"
    );
    assert_eq!(
        named("nvcr.io/nvidia/k8s/cuda-sample").unwrap()["kind"],
        "image"
    );
    // Template vocabulary and Kubernetes kinds are not product names.
    for generic in ["Kubernetes", "GPU", "ConfigMap", "Gateway API"] {
        assert!(named(generic).is_none(), "{generic}");
    }
    // Once a rule covers KubeRay, it is no longer a candidate.
    let with_kuberay = rules_dir(true);
    let after = candidates(cache.path(), with_kuberay.path());
    assert!(after.iter().all(|c| c["name"] != "KubeRay"));
    assert!(after.len() < found.len());
}

#[test]
fn sync_clones_then_fast_forwards_from_a_local_repository_and_becomes_the_default_corpus() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let origin = work.path().join("origin");
    git(
        None,
        &[
            "clone",
            "--quiet",
            &history_bundle(),
            origin.to_str().unwrap(),
        ],
    );
    git(
        Some(&origin),
        &["checkout", "--quiet", "-B", "main", "baseline-223d15f"],
    );
    let url = origin.to_str().unwrap();
    let env = [("AICONF_SYNC_URL", url)];

    // Nothing synced yet: the default corpus is the snapshot built into the
    // binary, and the note says how to fetch the current repository.
    let out = aiconf_env(cache.path(), &env, &["scan"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("embedded snapshot") && err.contains("aiconf sync"),
        "{err}"
    );

    let first = success_stdout(&aiconf_env(cache.path(), &env, &["sync"]));
    assert!(first.starts_with(&format!("cloned {url} into ")), "{first}");
    let clone = cache.path().join("k8s-ai-conformance");
    assert!(clone.join(".git").exists());
    let scan = |c: &Path| -> serde_json::Value {
        serde_json::from_str(&success_stdout(&aiconf_env(
            c,
            &env,
            &["scan", "--format", "json"],
        )))
        .unwrap()
    };
    assert_eq!(
        scan(cache.path())["submissions"].as_array().unwrap().len(),
        28
    );

    git(Some(&origin), &["reset", "--quiet", "--hard", "head"]);
    let second = success_stdout(&aiconf_env(cache.path(), &env, &["sync"]));
    let new = git(
        Some(&origin),
        &["rev-list", "--count", "baseline-223d15f..head"],
    );
    assert!(
        second.contains(&format!("({} new commits)", new.trim())),
        "{second}"
    );
    assert_eq!(
        scan(cache.path())["submissions"].as_array().unwrap().len(),
        51
    );

    let third = success_stdout(&aiconf_env(cache.path(), &env, &["sync"]));
    assert!(third.contains("is up to date"), "{third}");

    // --into another folder, by the hidden --url flag.
    let into = work.path().join("mine");
    let out = success_stdout(&aiconf_with_cache(
        cache.path(),
        &["sync", "--into", into.to_str().unwrap(), "--url", url],
    ));
    assert!(out.contains(&into.display().to_string()), "{out}");
    assert_eq!(
        git(Some(&into), &["rev-parse", "HEAD"]),
        git(Some(&origin), &["rev-parse", "HEAD"])
    );
}

#[test]
fn sync_offline_says_how_to_use_a_local_copy() {
    let cache = tempfile::tempdir().unwrap();
    // Nothing listens on port 9: the connection is refused at once, like being offline.
    let out = aiconf_env(
        cache.path(),
        &[(
            "AICONF_SYNC_URL",
            "http://127.0.0.1:9/cncf/k8s-ai-conformance",
        )],
        &["sync"],
    );
    let err = failure_stderr(&out);
    assert!(
        err.contains(
            "http://127.0.0.1:9/cncf/k8s-ai-conformance: error[E261]: cannot fetch the repository"
        ),
        "{err}"
    );
    assert!(err.contains("offline?"), "{err}");
    assert!(err.contains("--corpus"), "{err}");
    assert!(!cache.path().join("k8s-ai-conformance").exists());
}

#[test]
fn sync_refuses_a_folder_that_is_not_a_clone() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let err = failure_stderr(&aiconf_with_cache(
        cache.path(),
        &[
            "sync",
            "--into",
            dir.path().to_str().unwrap(),
            "--url",
            "/nowhere",
        ],
    ));
    assert!(err.contains("error[E260]"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn delta_history_and_candidates_name_the_problems_of_the_newest_revision_and_strict_fails() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    git(
        None,
        &[
            "clone",
            "--quiet",
            &history_bundle(),
            repo.to_str().unwrap(),
        ],
    );
    git(Some(&repo), &["checkout", "--quiet", "-B", "main", "head"]);
    let broken = repo.join("v1.35/broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("PRODUCT.yaml"), "metadata: [\n").unwrap();
    let bare = repo.join("v1.35/no-product");
    std::fs::create_dir_all(&bare).unwrap();
    std::fs::write(bare.join("README.md"), "We run Kueue.\n").unwrap();
    git(Some(&repo), &["add", "-A"]);
    git(
        Some(&repo),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "--quiet",
            "-m",
            "broken submissions",
        ],
    );
    let corpus = repo.to_str().unwrap();
    let run = |strict: bool, args: &[&str]| {
        let mut all = if strict { vec!["--strict"] } else { vec![] };
        all.extend_from_slice(args);
        all.extend(["--corpus", corpus]);
        aiconf_with_cache(cache.path(), &all)
    };
    // Without --strict the problems are named and the command succeeds (delta);
    // with it, they are named and it exits 1 (delta and history).
    let o = run(false, &["delta", "head..HEAD"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for args in [&["delta", "head..HEAD"][..], &["history"][..]] {
        let strict = run(true, args);
        assert_eq!(strict.status.code(), Some(1), "{args:?} --strict");
        for o in [&o, &strict] {
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            assert!(
                err.contains("v1.35/broken/PRODUCT.yaml:2:1: error[E301]: malformed YAML"),
                "{args:?}: {err}"
            );
            assert!(
                err.contains("v1.35/no-product: warning[W203]"),
                "{args:?}: {err}"
            );
        }
    }
    let delta = success_stdout(&run(false, &["delta", "head..HEAD", "--format", "json"]));
    let d: serde_json::Value = serde_json::from_str(&delta).unwrap();
    let added: Vec<&str> = d["submissions"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["v1.35/broken", "v1.35/no-product"]);
    let o = run(false, &["candidates"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("v1.35/no-product: warning[W203]"));
    assert_eq!(run(true, &["candidates"]).status.code(), Some(1));
}
