//! `aiconf gen-corpus`: a real corpus scaled to N submissions, deterministically.

use aiconf::DirSource;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gen(out: &Path, n: usize, seed: u64, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(extra)
        .args([
            "gen-corpus",
            "--from",
            crate::util::head(),
            "--submissions",
            &n.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .output()
        .expect("run aiconf")
}

/// Every file under `dir`, relative path -> bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_same_seed_gives_the_same_corpus_and_another_seed_another() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    for (dir, seed) in [(&a, 7), (&b, 7), (&c, 8)] {
        let out = gen(dir, 60, seed, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (ta, tb, tc) = (tree(&a), tree(&b), tree(&c));
    assert!(ta.len() > 60, "{} files", ta.len());
    assert!(ta == tb, "same seed, different output");
    assert!(ta != tc, "different seeds, same output");
}

#[test]
fn generated_submissions_scan_cleanly_with_their_folder_version() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gen(tmp.path(), 80, 1, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("80 submissions,"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let (rules, _) = aiconf::builtin_rules();
    let s = crate::util::scan(&DirSource::new(tmp.path()), &rules).unwrap();
    assert_eq!(s.submissions.len(), 80);
    assert!(
        !s.has_errors(),
        "{:?}",
        s.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect::<Vec<_>>()
    );
    assert!(!s.findings.is_empty());
    let mut names = std::collections::HashSet::new();
    for sub in &s.submissions {
        let text = std::fs::read_to_string(tmp.path().join(&sub.id).join("PRODUCT.yaml")).unwrap();
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("kubernetesVersion:"))
            .unwrap();
        assert_eq!(
            line.split(':').nth(1).unwrap().trim(),
            sub.kubernetes_version,
            "{}",
            sub.id
        );
        names.insert(sub.platform.clone());
        // Images are left out: only text is generated.
        assert!(
            sub.files
                .iter()
                .all(|f| !f.ends_with(".png") && !f.ends_with(".jpg")),
            "{:?}",
            sub.files
        );
    }
    assert!(
        names.len() >= 70,
        "only {} distinct platform names in 80 submissions",
        names.len()
    );
}

#[test]
fn projects_are_kept_swapped_within_their_category_or_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let rules_dir = tmp.path().join("rules");
    std::fs::create_dir(&rules_dir).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/kueue.rule"),
        rules_dir.join("kueue.rule"),
    )
    .unwrap();
    std::fs::write(
        rules_dir.join("fake.rule"),
        "project fakesched \"Fakesched\" {\n  category Scheduling\n  name \"Fakesched\"\n}\n",
    )
    .unwrap();
    let out_dir = tmp.path().join("out");
    let out = gen(&out_dir, 200, 3, &["--rules", rules_dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (rules, diags) = aiconf::load_rules_dir(&rules_dir).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let s = crate::util::scan(&DirSource::new(&out_dir), &rules).unwrap();
    let named = |id: &str| {
        let r = rules.find(id).unwrap();
        s.findings.iter().filter(|f| f.rule == r).count()
    };
    // The real corpus never names "Fakesched": every mention is a swapped-in Kueue.
    let (fake, kueue) = (named("fakesched"), named("kueue"));
    assert!(fake >= 10, "Fakesched named by {fake} submissions");
    assert!(
        kueue >= 2 * fake,
        "Kueue named by {kueue}, Fakesched by {fake}: keeping is the most common choice"
    );
    // Swapping never touches the template's words: no finding comes from a description.
    assert!(s.findings.iter().flat_map(|f| &f.evidence).all(|e| !e
        .field
        .as_deref()
        .unwrap_or("")
        .ends_with("description")));
}

#[test]
fn refuses_a_folder_it_did_not_write_and_replaces_one_it_did() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = gen(tmp.path(), 5, 1, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("E902"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp.path().join("notes.txt").exists());

    let dir = tmp.path().join("gen");
    assert!(gen(&dir, 30, 1, &[]).status.success());
    assert!(gen(&dir, 5, 1, &[]).status.success());
    let subs = tree(&dir)
        .keys()
        .filter(|p| p.ends_with("PRODUCT.yaml"))
        .count();
    assert_eq!(
        subs, 5,
        "the earlier, larger corpus is replaced, not merged"
    );
}
