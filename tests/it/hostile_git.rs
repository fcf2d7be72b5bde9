//! Repositories that fight back (issue 14, part 5), built at run time with git: crafted tree
//! entries (`..`, `.`, a `/` inside a name, a newline, an escape sequence), a bundle whose pack
//! claims more objects than it holds, two runs cloning the same bundle into one cache at once,
//! a symbolic link whose blob is too long to be a path (never read), links to one crowded
//! folder (they add at most as many files as the tree holds), and a binary blob over 16 MiB
//! left after its first chunk without waiting for git to write the rest, a file missing from the
//! object store (a damaged clone: that file alone is a problem, in a scan and in a history). A submission of
//! 100,000 files and a 2 GiB blob: `huge.rs`. Each gets a clear error or is handled; nothing is
//! written outside the cache folder; no panic.

use std::path::Path;
use std::process::{Command, Output};

use crate::util;

pub(crate) fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.unwrap_or_default())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn oid(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap().trim().to_string()
}

pub(crate) const PRODUCT: &[u8] = b"metadata:\n  kubernetesVersion: v1.34\n  platformName: P\n  vendorName: V\nspec:\n  schedulingOrchestration:\n    - id: gang_scheduling\n      status: Implemented\n      evidence: []\n      notes: \"Kueue v0.14.2\"\n";

/// A tree object written as git stores it, entries as given (no checks: `--literally`).
fn tree(repo: &Path, entries: &[(&str, &[u8], &str)]) -> String {
    let mut entries = entries.to_vec();
    entries.sort_by(|a, b| a.1.cmp(b.1));
    let mut data = Vec::new();
    for (mode, name, id) in entries {
        data.extend_from_slice(mode.as_bytes());
        data.push(b' ');
        data.extend_from_slice(name);
        data.push(0);
        let raw: Vec<u8> = (0..20)
            .map(|i| u8::from_str_radix(&id[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        data.extend_from_slice(&raw);
    }
    oid(git(
        repo,
        &["hash-object", "-t", "tree", "--literally", "-w", "--stdin"],
        Some(&data),
    ))
}

/// A repository whose one commit (`main`) holds crafted names beside one good submission.
fn crafted_repo(repo: &Path) {
    git(repo, &["init", "-q", "."], None);
    let blob = oid(git(repo, &["hash-object", "-w", "--stdin"], Some(PRODUCT)));
    let sub = tree(repo, &[("100644", b"PRODUCT.yaml", &blob)]);
    let names: [&[u8]; 7] = [
        b"good",
        b"..",
        b".",
        b"a/b",
        b"new\nline",
        b"ctl\x1b[31m",
        b"also-good",
    ];
    let entries: Vec<(&str, &[u8], &str)> =
        names.iter().map(|n| ("40000", *n, sub.as_str())).collect();
    let version = tree(repo, &entries);
    let root = tree(
        repo,
        &[("40000", b"v1.34", &version), ("100644", b"..", &blob)],
    );
    let commit = oid(git(repo, &["commit-tree", &root, "-m", "crafted"], None));
    git(repo, &["update-ref", "refs/heads/main", &commit], None);
}

/// Every path under `dir`, sorted.
pub(crate) fn listing(dir: &Path) -> Vec<String> {
    fn walk(d: &Path, root: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(root).unwrap().display().to_string());
            if p.is_dir() && !p.is_symlink() {
                walk(&p, root, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn run_in(cwd: &Path, cache: &Path, args: &[&str]) -> Output {
    util::aiconf_cached_in(cwd, cache, &[], args)
}

/// `sub` committed as the one submission `v1.34/gke` on `main` of `repo`.
fn commit_gke(repo: &Path, sub: &str, message: &str) {
    let version = tree(repo, &[("40000", b"gke", sub)]);
    let root = tree(repo, &[("40000", b"v1.34", &version)]);
    let commit = oid(git(repo, &["commit-tree", &root, "-m", message], None));
    git(repo, &["update-ref", "refs/heads/main", &commit], None);
}

/// `aiconf scan --format json` of `main` of `repo`, run from a folder of its own in `work`
/// with its cache there too: the JSON, after checking it exited 0.
fn scan_main(work: &Path, repo: &Path) -> serde_json::Value {
    let cwd = work.join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let r = repo.to_str().unwrap();
    let out = run_in(
        &cwd,
        &work.join("cache"),
        &["scan", "--corpus", r, "--rev", "main", "--format", "json"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn crafted_tree_names_are_skipped_with_e205_and_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    crafted_repo(&repo);
    let cwd = work.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let cache = work.path().join("cache");
    let repo_before = listing(&repo);
    let r = repo.to_str().unwrap();
    let out = run_in(
        &cwd,
        &cache,
        &["scan", "--corpus", r, "--rev", "main", "--format", "json"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["v1.34/also-good", "v1.34/good"]);
    let e205: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "E205")
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    for bad in [
        "..",
        "v1.34/..",
        "v1.34/.",
        "v1.34/a/b",
        "v1.34/new\nline",
        "v1.34/ctl\x1b[31m",
    ] {
        assert!(e205.contains(&bad), "no E205 for {bad:?}: {e205:?}");
    }
    let slash = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "v1.34/a/b")
        .unwrap();
    assert!(
        slash["message"].as_str().unwrap().contains("holding `/`"),
        "{slash}"
    );
    // The other commands that read the tree: no panic, nothing written.
    for args in [
        vec!["matrix", "--corpus", r, "--rev", "main"],
        vec!["report", "--corpus", r, "--rev", "main"],
        vec!["candidates", "--corpus", r, "--rev", "main"],
    ] {
        let out = run_in(&cwd, &cache, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
    assert!(
        listing(&cwd).is_empty(),
        "written in the working folder: {:?}",
        listing(&cwd)
    );
    assert_eq!(listing(&repo), repo_before, "the repository was changed");
    assert!(
        listing(work.path())
            .iter()
            .all(|p| p == "cwd" || p == "repo" || p.starts_with("repo/") || p.starts_with("cache")),
        "{:?}",
        listing(work.path())
    );
}

/// A bundle of a small repository (one commit, one submission).
fn small_bundle(work: &Path) -> std::path::PathBuf {
    let repo = work.join("small");
    std::fs::create_dir_all(repo.join("v1.34/gke")).unwrap();
    std::fs::write(repo.join("v1.34/gke/PRODUCT.yaml"), PRODUCT).unwrap();
    git(&repo, &["init", "-q", "."], None);
    git(&repo, &["add", "."], None);
    git(&repo, &["commit", "-q", "-m", "one"], None);
    let bundle = work.join("small.bundle");
    git(
        &repo,
        &["bundle", "create", bundle.to_str().unwrap(), "--all"],
        None,
    );
    bundle
}

#[test]
fn a_bundle_that_claims_more_objects_than_it_holds_is_e253_and_leaves_no_clone() {
    let work = tempfile::tempdir().unwrap();
    let bundle = small_bundle(work.path());
    let mut bytes = std::fs::read(&bundle).unwrap();
    let pack = bytes
        .windows(4)
        .position(|w| w == b"PACK")
        .expect("a pack after the header");
    // PACK, version (4 bytes), object count (4 bytes, big-endian): claim 1000 more.
    let at = pack + 8;
    let count = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    bytes[at..at + 4].copy_from_slice(&(count + 1000).to_be_bytes());
    let lying = work.path().join("lying.bundle");
    std::fs::write(&lying, &bytes).unwrap();
    let cache = work.path().join("cache");
    let cwd = work.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let out = run_in(&cwd, &cache, &["scan", "--corpus", lying.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("E253") && err.contains("lying.bundle"),
        "{err}"
    );
    assert!(listing(&cwd).is_empty());
    // Nothing half-made in the cache: no clone, no temporary folder.
    let left: Vec<String> = listing(&cache)
        .into_iter()
        .filter(|p| p.contains("lying"))
        .collect();
    assert!(left.is_empty(), "left in the cache: {left:?}");
}

#[test]
fn runs_cloning_the_same_bundle_at_once_both_succeed_and_a_stale_copy_is_replaced() {
    let work = tempfile::tempdir().unwrap();
    let bundle = small_bundle(work.path());
    let cache = work.path().join("cache");
    let b = bundle.to_str().unwrap();
    let spawn = || {
        Command::new(util::BIN)
            .current_dir(work.path())
            .env("AICONF_CACHE_DIR", &cache)
            .env_remove("AICONF_SYNC_URL")
            .env_remove("AICONF_CORPUS")
            .args(["scan", "--corpus", b, "--format", "json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let runs: Vec<_> = (0..4).map(|_| spawn()).collect();
    let outs: Vec<Output> = runs
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for o in &outs {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert_eq!(o.stdout, outs[0].stdout);
    }
    assert!(String::from_utf8_lossy(&outs[0].stdout).contains("Kueue"));
    // One clone left (the folder holding the stamp), no temporary or set-aside folder.
    let stamps: Vec<String> = listing(&cache)
        .into_iter()
        .filter(|p| p.ends_with("/aiconf-bundle-stamp"))
        .collect();
    assert_eq!(stamps.len(), 1, "{:?}", listing(&cache));
    let clone = cache.join(stamps[0].trim_end_matches("/aiconf-bundle-stamp"));
    let name = clone.file_name().unwrap().to_string_lossy().into_owned();
    let siblings: Vec<String> = std::fs::read_dir(clone.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(name.split('.').next().unwrap()))
        .collect();
    assert_eq!(siblings, vec![name], "temporary folders left");
    // A half-written copy (no stamp, as if its writer died): cloned again, same answer.
    std::fs::remove_file(clone.join("aiconf-bundle-stamp")).unwrap();
    std::fs::remove_dir_all(clone.join("objects")).unwrap();
    let again = spawn().wait_with_output().unwrap();
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(again.stdout, outs[0].stdout);
}

#[test]
fn a_symbolic_link_whose_blob_is_not_a_path_is_never_read() {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "."], None);
    let product = oid(git(&repo, &["hash-object", "-w", "--stdin"], Some(PRODUCT)));
    // A "link" of 1 MiB: read whole, its target would be 1 MiB of path (and a crafted one could
    // be gigabytes); its size alone says it is not a path.
    let long = "a/".repeat(1 << 19);
    let link = oid(git(
        &repo,
        &["hash-object", "-w", "--stdin"],
        Some(long.as_bytes()),
    ));
    let sub = tree(
        &repo,
        &[
            ("100644", b"PRODUCT.yaml", &product),
            ("120000", b"notes.md", &link),
        ],
    );
    commit_gke(&repo, &sub, "long link");
    let v = scan_main(work.path(), &repo);
    let problems: Vec<(&str, &str, &str)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap();
            (s("code"), s("file"), s("message"))
        })
        .collect();
    assert_eq!(
        problems,
        [(
            "W252",
            "v1.34/gke/notes.md",
            "symbolic link whose target is not a path of at most 4096 bytes: skipped"
        )]
    );
    assert!(v.to_string().contains("Kueue"));
    assert!(listing(&work.path().join("cwd")).is_empty());
}

#[test]
fn a_large_binary_blob_is_left_after_its_first_chunk_without_waiting_for_the_rest() {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "."], None);
    let product = oid(git(&repo, &["hash-object", "-w", "--stdin"], Some(PRODUCT)));
    // Over LARGE_FILE, so streamed from a `git cat-file blob` of its own; binary from its first
    // chunk on. The reader is dropped there: the process must be ended, not waited for (it
    // would wait for ever to write the rest into a pipe nobody reads).
    let zeros = vec![0u8; (aiconf::LARGE_FILE + (8 << 20)) as usize];
    let dump = oid(git(&repo, &["hash-object", "-w", "--stdin"], Some(&zeros)));
    let sub = tree(
        &repo,
        &[
            ("100644", b"PRODUCT.yaml", &product),
            ("100644", b"notes.md", &dump),
        ],
    );
    commit_gke(&repo, &sub, "zeros");
    let mut child = Command::new(util::BIN)
        .current_dir(work.path())
        .env("AICONF_CACHE_DIR", work.path().join("cache"))
        .args(["scan", "--corpus", repo.to_str().unwrap(), "--rev", "main"])
        .args(["--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A guard against the hang, not a timing: the scan takes well under a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the scan hung on the binary blob");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<(&str, &str)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["file"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [("W304", "v1.34/gke/notes.md")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Kueue"));
}

#[test]
fn links_to_one_crowded_folder_add_at_most_as_many_files_as_the_tree_holds_or_10000() {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "."], None);
    let product = oid(git(&repo, &["hash-object", "-w", "--stdin"], Some(PRODUCT)));
    let note = oid(git(
        &repo,
        &["hash-object", "-w", "--stdin"],
        Some(b"a note\n"),
    ));
    let names: Vec<String> = (0..3000).map(|i| format!("n{i:04}.md")).collect();
    let notes: Vec<(&str, &[u8], &str)> = names
        .iter()
        .map(|n| ("100644", n.as_bytes(), note.as_str()))
        .collect();
    let shared = tree(&repo, &notes);
    let target = oid(git(
        &repo,
        &["hash-object", "-w", "--stdin"],
        Some(b"shared"),
    ));
    // Five links to the folder of 3,000: followed, they would list 15,000 files more, past the
    // budget of 10,000 (the tree's own 3,001 files are fewer).
    let links: Vec<String> = (1..=5).map(|i| format!("copy{i}")).collect();
    let mut entries: Vec<(&str, &[u8], &str)> = vec![
        ("100644", b"PRODUCT.yaml", &product),
        ("40000", b"shared", &shared),
    ];
    entries.extend(
        links
            .iter()
            .map(|l| ("120000", l.as_bytes(), target.as_str())),
    );
    let sub = tree(&repo, &entries);
    commit_gke(&repo, &sub, "links");
    let v = scan_main(work.path(), &repo);
    // The tree's 3,001 files, and the first three links' 9,000.
    let files = v["submissions"][0]["files"].as_array().unwrap();
    assert_eq!(files.len(), 12_001);
    assert!(files.iter().any(|f| f == "v1.34/gke/copy3/n2999.md"));
    assert!(!files.iter().any(|f| f == "v1.34/gke/copy4/n0000.md"));
    let skipped: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "W252")
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["v1.34/gke/copy4", "v1.34/gke/copy5"]);
    let message = v["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("(3000 files) not followed: the tree's links already list 9000 files, and may list at most 10000"),
        "{message}"
    );
}

/// A repository whose files can go missing from the object store (a damaged clone): a revision's
/// file that cannot be read is a problem named with its path (E204) and leaves the file out, not
/// the revision (its listing asks git for every file's size, which it does not have). A scan
/// lists every submission; in a history every commit is still a point, the other files are
/// counted, and the newest revision's problems are reported.
#[test]
fn a_missing_file_is_a_problem_of_its_own_in_a_scan_and_in_a_history() {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "."], None);
    let product = |project: &str| {
        String::from_utf8_lossy(PRODUCT)
            .replace("Kueue v0.14.2", project)
            .into_bytes()
    };
    let blob = |bytes: &[u8]| oid(git(&repo, &["hash-object", "-w", "--stdin"], Some(bytes)));
    let (kueue, volcano, kuberay) = (
        blob(&product("Kueue v0.14.2")),
        blob(&product("Volcano v1.12")),
        blob(&product("KubeRay v1.4")),
    );
    let commit = |subs: &[(&[u8], &str)], parent: Option<&str>| {
        let folders: Vec<(String, &[u8])> = subs
            .iter()
            .map(|(name, b)| (tree(&repo, &[("100644", b"PRODUCT.yaml", b)]), *name))
            .collect();
        let entries: Vec<(&str, &[u8], &str)> = folders
            .iter()
            .map(|(t, name)| ("40000", *name, t.as_str()))
            .collect();
        let version = tree(&repo, &entries);
        let root = tree(&repo, &[("40000", b"v1.34", &version)]);
        let mut args = vec!["commit-tree", root.as_str(), "-m", "c"];
        if let Some(p) = parent {
            args.extend(["-p", p]);
        }
        oid(git(&repo, &args, None))
    };
    let c1 = commit(&[(b"a", &kueue)], None);
    let c2 = commit(&[(b"a", &kueue), (b"b", &volcano)], Some(&c1));
    let c3 = commit(
        &[(b"a", &kueue), (b"b", &volcano), (b"c", &kuberay)],
        Some(&c2),
    );
    git(&repo, &["update-ref", "refs/heads/main", &c3], None);
    git(&repo, &["symbolic-ref", "HEAD", "refs/heads/main"], None);
    // Volcano's file is lost.
    let loose = repo
        .join(".git/objects")
        .join(&volcano[..2])
        .join(&volcano[2..]);
    std::fs::remove_file(&loose).unwrap();

    let scan = scan_main(work.path(), &repo);
    assert_eq!(scan["submissions"].as_array().unwrap().len(), 3);
    let errors = scan["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["code"] == "E204" && e["file"] == "v1.34/b/PRODUCT.yaml"),
        "{errors:?}"
    );
    let cwd = work.path().join("cwd");
    let out = run_in(
        &cwd,
        &work.path().join("cache"),
        &[
            "history",
            "--corpus",
            repo.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("v1.34/b/PRODUCT.yaml") && err.contains("E204"),
        "the newest revision's unreadable file is named: {err}"
    );
    let h: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = h.as_array().unwrap();
    assert_eq!(points.len(), 3, "every commit is a point");
    let stacks = |p: &serde_json::Value, project: &str| {
        p["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["project"] == project)
            .map_or(0, |x| x["stacks"].as_u64().unwrap())
    };
    let subs: Vec<u64> = points
        .iter()
        .map(|p| p["submissions"].as_u64().unwrap())
        .collect();
    assert_eq!(subs, [1, 2, 3]);
    let kueue: Vec<u64> = points.iter().map(|p| stacks(p, "Kueue")).collect();
    let volcano: Vec<u64> = points.iter().map(|p| stacks(p, "Volcano")).collect();
    let kuberay: Vec<u64> = points.iter().map(|p| stacks(p, "KubeRay")).collect();
    assert_eq!(kueue, [1, 1, 1]);
    assert_eq!(volcano, [0, 0, 0], "the lost file counts for nothing");
    assert_eq!(kuberay, [0, 0, 1]);
    assert!(
        listing(&cwd).is_empty(),
        "nothing written outside the cache"
    );
}
