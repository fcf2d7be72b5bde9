//! `history` and `delta` scan at `Detail::Presence` (no versions, no quotes,
//! a project's later mentions in a file skipped once one is a use). Their
//! counts must still be those of a full scan: the newest point of `history`
//! against `matrix` (a full scan) of the same tree, with and without `--uses`.
//!
//! `history` also lists a window of revisions before it scans them, scanning the files they add
//! meanwhile, every revision's together, and builds templates on the way: every point of a
//! history longer than a window, whose templates change twice, must still be `matrix` of its
//! commit.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{aiconf_cached, shared_path};

fn json(cache: &std::path::Path, args: &[&str]) -> Value {
    let out = aiconf_cached(cache, &[], args);
    assert!(
        out.status.success(),
        "aiconf {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Stacks per project from `matrix --format json`, summed over its versions.
fn matrix_stacks(m: &Value) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for version in m.as_array().unwrap() {
        for row in version["rows"].as_array().unwrap() {
            *out.entry(row["project"].as_str().unwrap().to_string())
                .or_default() += row["stacks"].as_u64().unwrap();
        }
    }
    out.retain(|_, n| *n > 0);
    out
}

/// Stacks per project at the newest point of `history --format json`.
fn history_stacks(h: &Value) -> BTreeMap<String, u64> {
    point_stacks(h.as_array().unwrap().last().expect("a point"))
}

/// Stacks per project at one point of `history --format json`.
fn point_stacks(point: &Value) -> BTreeMap<String, u64> {
    point["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["project"].as_str().unwrap().to_string(),
                p["stacks"].as_u64().unwrap(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[test]
fn history_counts_what_a_full_scan_counts_with_and_without_uses() {
    let cache = tempfile::tempdir().unwrap();
    let bundle = shared_path("corpus/history.bundle");
    for uses in [false, true] {
        let mut m = vec![
            "matrix", "--corpus", &bundle, "--rev", "head", "--format", "json", "--quiet",
        ];
        let mut h = vec![
            "history", "--corpus", &bundle, "--rev", "head", "--format", "json", "--quiet",
        ];
        if uses {
            m.push("--uses");
            h.push("--uses");
        }
        let full = matrix_stacks(&json(cache.path(), &m));
        let presence = history_stacks(&json(cache.path(), &h));
        assert!(full.len() > 30, "{} projects named", full.len());
        assert_eq!(presence, full, "--uses: {uses}");
    }
}

/// A template sentence naming two projects, pasted by some vendors below.
const GANG: &str = "The platform must allow for the installation and successful operation of at least one gang scheduling solution (e.g. Kueue, Volcano, etc.) To be conformant, the vendor must demonstrate it.";

/// The checklist template: its sentences are masked in every submission.
fn template(extra: &str) -> String {
    format!(
        "metadata:\n  platformName: \"[Platform Name]\"\nspec:\n  schedulingOrchestration:\n    - id: gang_scheduling\n      description: \"{GANG}\"\n      notes: \"\"\n  operator:\n    - id: robust_controller\n      description: \"{extra}\"\n      notes: \"\"\n"
    )
}

/// A submission's PRODUCT.yaml whose notes name `project` (and, on some commits, paste the
/// template's sentence).
fn product(vendor: usize, project: &str, pasted: bool) -> String {
    let paste = if pasted { GANG } else { "" };
    format!(
        "metadata:\n  platformName: \"Platform {vendor}\"\n  vendorName: \"Vendor {vendor}\"\nspec:\n  schedulingOrchestration:\n    - id: gang_scheduling\n      status: \"Implemented\"\n      notes: \"We install {project}. {paste}\"\n"
    )
}

/// A `git fast-import` stream of `main`: one commit per element of `commits`, each the files
/// it writes (path, text).
fn fast_import(commits: &[Vec<(String, String)>]) -> String {
    let mut out = String::new();
    for (i, files) in commits.iter().enumerate() {
        let msg = format!("commit {i}");
        out.push_str(&format!(
            "commit refs/heads/main\nmark :{}\ncommitter T <t@example.com> {} +0000\ndata {}\n{msg}\n",
            i + 1,
            1_700_000_000 + i * 60,
            msg.len()
        ));
        if i > 0 {
            out.push_str(&format!("from :{i}\n"));
        }
        for (path, text) in files {
            out.push_str(&format!(
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            ));
        }
    }
    out
}

#[test]
fn every_point_of_a_long_history_whose_templates_change_is_the_matrix_of_its_commit() {
    const PROJECTS: [&str; 6] = [
        "Kueue",
        "Volcano",
        "KubeRay",
        "Kubeflow",
        "Karpenter",
        "Istio",
    ];
    let mut commits: Vec<Vec<(String, String)>> = Vec::new();
    for i in 0..80 {
        let vendor = i % 13;
        let mut files = vec![(
            format!("v1.34/vendor{vendor}/PRODUCT.yaml"),
            product(vendor, PROJECTS[i % PROJECTS.len()], i % 3 == 0),
        )];
        match i {
            // The template arrives, then changes: every file is scanned again under it.
            20 => files.push(("docs/AIConformance-1.34.yaml".into(), template("None yet."))),
            55 => files.push((
                "docs/AIConformance-1.34.yaml".into(),
                template(
                    "At least one complex AI operator with a CRD (e.g., Ray, Kubeflow) must run.",
                ),
            )),
            // The same text at a second path: one blob, two files.
            30 => files.push((
                "v1.34/vendor99/PRODUCT.yaml".into(),
                product(3, "Volcano", true),
            )),
            _ => {}
        }
        // Commits that change no submission give no point.
        if i % 10 == 7 {
            files = vec![("README.md".into(), format!("revision {i}"))];
        }
        commits.push(files);
    }
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    crate::util::git(None, &["init", "-q", "--bare", repo.to_str().unwrap()]);
    let mut import = std::process::Command::new("git")
        .arg("-C")
        .arg(&repo)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    import
        .stdin
        .take()
        .unwrap()
        .write_all(fast_import(&commits).as_bytes())
        .unwrap();
    assert!(import.wait().unwrap().success());
    crate::util::git(Some(&repo), &["symbolic-ref", "HEAD", "refs/heads/main"]);

    let cache = work.path().join("cache");
    let r = repo.to_str().unwrap();
    let h = json(&cache, &["history", "--corpus", r, "--format", "json"]);
    let points = h.as_array().unwrap();
    // 80 commits, of which 8 change no submission: more than a window of 64.
    assert_eq!(points.len(), 72);
    let mut volcano = Vec::new();
    for p in points {
        let commit = p["commit"].as_str().unwrap();
        let full = matrix_stacks(&json(
            &cache,
            &[
                "matrix", "--corpus", r, "--rev", commit, "--format", "json", "--quiet",
            ],
        ));
        assert_eq!(point_stacks(p), full, "at {commit}");
        volcano.push(full.get("Volcano").copied().unwrap_or(0));
    }
    // The template's arrival masks the pasted sentence: Volcano, named there by every third
    // commit's vendor, is counted less at once.
    let arrival = 20 - 20 / 10;
    assert!(
        volcano[arrival] < volcano[arrival - 1],
        "Volcano before and after the template: {volcano:?}"
    );
}
