//! `history` and `delta` scan at `Detail::Presence` (no versions, no quotes,
//! a project's later mentions in a file skipped once one is a use). Their
//! counts must still be those of a full scan: the newest point of `history`
//! against `matrix` (a full scan) of the same tree, with and without `--uses`.

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
    let last = h.as_array().unwrap().last().expect("a point");
    last["projects"]
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
