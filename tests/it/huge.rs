//! Repositories that fight back, at scale (issue 14, part 5): a submission of 100,000 files and
//! a file of 2 GiB, in a directory and in a git revision, all built at run time (the git ones
//! with `git fast-import`, the 2 GiB blob streamed into it and stored compressed to a few MB;
//! the 2 GiB file of a directory sparse).
//!
//! The 100,000 files are listed and scanned beside the other submissions, each read once (one
//! `cat-file --batch` for every blob of the revision, no process per file), the one among them
//! that names a project found, with bounded memory. A file over the size limit (1 GiB unless
//! `AICONF_MAX_FILE_SIZE` says otherwise) is left out with W207 naming it and its size, never
//! read; with the limit off, the directory's 2 GiB file is read only as far as its first chunk
//! (binary: W304). A git blob over `LARGE_FILE` and under the limit is streamed through the
//! chunked scanner from a process of its own, never held whole (peak RSS of this process).
//! Nothing is written outside the cache folder: not in the working folder, not in the corpus.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use aiconf::{DirSource, RuleSet, Scan};
use serde_json::Value;

use crate::hostile_git::{git, listing, PRODUCT};
use crate::large_files::{in_own_process, peak_rss_kib};
use crate::util;

/// The notes of the crowded submission.
const NOTES: usize = 100_000;

const RULES: &str = r#"
project kueue "Kueue" { category Scheduling name "Kueue" }
project volcano "Volcano" { category Scheduling name "Volcano" }
"#;

fn rule_set() -> RuleSet {
    let (set, d) = aiconf::load_rules(&[("t.rule".into(), RULES.into())]);
    assert!(d.is_empty(), "{d:?}");
    set
}

/// The `i`th note of the crowded submission: the last one names Volcano, the others nothing.
fn note(i: usize) -> String {
    if i == NOTES - 1 {
        "# Batch\n\nWe also run Volcano 1.12 for batch jobs.\n".to_string()
    } else {
        format!("# Note {i}\n\nThe nodes were checked on day {i}; nothing to add.\n")
    }
}

fn note_path(i: usize) -> String {
    format!("v1.34/many/notes/n{i:06}.md")
}

/// The files beside the crowded or the large one: two submissions naming Kueue, and the
/// checklist of the submission holding the crowd or the large file.
fn others() -> Vec<(&'static str, Vec<u8>)> {
    let product = |name: &str| {
        format!("metadata:\n  kubernetesVersion: v1.34\n  platformName: {name}\n  vendorName: V\nspec: {{}}\n")
            .into_bytes()
    };
    vec![
        ("v1.34/big/PRODUCT.yaml", product("Big")),
        ("v1.34/many/PRODUCT.yaml", product("Many")),
        ("v1.34/small/PRODUCT.yaml", PRODUCT.to_vec()),
        ("v1.35/other/PRODUCT.yaml", PRODUCT.to_vec()),
    ]
}

/// A temporary folder for many small files: in memory (`/dev/shm`) where there is one, since
/// creating 100,000 files on a disk shared with other builds can take minutes.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// The folder `work/name`, created.
fn folder(work: &Path, name: &str) -> PathBuf {
    let dir = work.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `git fast-import` into the bare repository `repo` (created), its stream written by `write`
/// as it is read (never held whole); `args` added (`--export-marks=FILE`).
fn fast_import(repo: &Path, args: &[&str], write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    git(repo, &["init", "-q", "--bare", "."], None);
    let mut child = Command::new("git")
        .args(["-c", "pack.compression=1", "fast-import", "--quiet"])
        .args(args)
        .current_dir(repo)
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("git runs");
    {
        let mut input = BufWriter::with_capacity(1 << 20, child.stdin.take().unwrap());
        write(&mut input).unwrap();
        input.flush().unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git fast-import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A bare repository `repo` whose `main` is one commit of the files `write` gives (with
/// [`inline`]): fast-import's own tree building, for a few files.
fn commit_of(repo: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    fast_import(repo, &[], |out| {
        writeln!(out, "commit refs/heads/main")?;
        writeln!(out, "committer t <t@example.com> 1767225600 +0000")?;
        writeln!(out, "data 4\nhuge")?;
        write(out)
    });
}

/// One file of a fast-import commit, its bytes inline.
fn inline(out: &mut dyn Write, path: &str, bytes: &[u8]) -> io::Result<()> {
    writeln!(out, "M 100644 inline {path}\ndata {}", bytes.len())?;
    out.write_all(bytes)?;
    writeln!(out)
}

/// A file of `size` bytes of log lines, with one line naming `mention` near its end, written a
/// block at a time; the 1-based line of the mention.
fn log_of(out: &mut dyn Write, size: u64, mention: &str) -> io::Result<usize> {
    let line = "I0319 12:00:00.000000 1 controller.go:42] reconciling pods in namespace default, nothing to do\n";
    let block = line.repeat((1 << 20) / line.len());
    let tail = format!("deployed the batch scheduler, {mention} ready\n");
    let body = size - tail.len() as u64;
    let (blocks, rest) = (
        body / block.len() as u64,
        (body % block.len() as u64) as usize,
    );
    for _ in 0..blocks {
        out.write_all(block.as_bytes())?;
    }
    // The rest: whole lines, then filler up to the size, then the mention on a line of its own.
    let mut rest_text = line.repeat(rest / line.len());
    rest_text.push_str(&"-".repeat(rest - rest_text.len()));
    if !rest_text.is_empty() {
        rest_text.replace_range(rest_text.len() - 1.., "\n");
    }
    out.write_all(rest_text.as_bytes())?;
    out.write_all(tail.as_bytes())?;
    let lines = blocks as usize * block.matches('\n').count() + rest_text.matches('\n').count();
    Ok(lines + 1)
}

/// The run's JSON, after checking it exited 0 without a panic.
fn json(out: &Output) -> Value {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The submissions of a JSON scan.
fn ids(v: &Value) -> Vec<&str> {
    v["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect()
}

/// (submission, project, versions) of each finding of a JSON scan.
fn cells(v: &Value) -> Vec<(String, String, Value)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["submission"].as_str().unwrap().to_string(),
                f["project"].as_str().unwrap().to_string(),
                f["versions"].clone(),
            )
        })
        .collect()
}

/// The (code, file, message) of each problem of a JSON scan.
fn problems(v: &Value) -> Vec<(String, String, String)> {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("file"), s("message"))
        })
        .collect()
}

/// `scan --format json` of `corpus` (at `main` when `rev`), run from an empty folder beside it
/// with its cache folder there too: its JSON, and what it left in `work` beside what was there.
fn scan_cli(work: &Path, corpus: &Path, rev: bool, env: &[(&str, &str)]) -> (Value, Vec<String>) {
    let before: std::collections::HashSet<String> = listing(work).into_iter().collect();
    let cwd = folder(work, "cwd");
    let cache = work.join("cache");
    let mut args = vec![
        "scan",
        "--corpus",
        corpus.to_str().unwrap(),
        "--format",
        "json",
    ];
    if rev {
        args.extend(["--rev", "main"]);
    }
    let v = json(&util::aiconf_cached_in(&cwd, &cache, env, &args));
    assert!(
        listing(&cwd).is_empty(),
        "written in the working folder: {:?}",
        listing(&cwd)
    );
    std::fs::remove_dir(&cwd).unwrap();
    let new: Vec<String> = listing(work)
        .into_iter()
        .filter(|p| !before.contains(p) && p != "cache" && !p.starts_with("cache/"))
        .collect();
    (v, new)
}

/// Scans `source` in this process: the scan, and the peak RSS (KiB) after it, when known.
fn scan_measured(source: &dyn aiconf::Source) -> (Scan, Option<u64>) {
    let scan = util::scan(source, &rule_set()).unwrap();
    (scan, peak_rss_kib())
}

/// The checks both crowded corpora pass, in this process: 100,000 notes listed, each read, the
/// one naming Volcano found at its line, the other submissions found, no problem; peak RSS.
fn check_crowd_in_process(source: &dyn aiconf::Source) {
    let (scan, peak) = scan_measured(source);
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let ids: Vec<&str> = scan.submissions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["v1.34/big", "v1.34/many", "v1.34/small", "v1.35/other"]
    );
    assert_eq!(scan.submissions[1].files.len(), NOTES + 1);
    let notes: u64 = (0..NOTES).map(|i| note(i).len() as u64).sum();
    let others: u64 = others().iter().map(|(_, b)| b.len() as u64).sum();
    assert_eq!(scan.bytes, notes + others, "every file read once");
    let found: Vec<(usize, &str, Vec<String>)> = scan
        .findings
        .iter()
        .map(|f| {
            (
                f.submission.0 as usize,
                f.evidence[0].file.as_str(),
                f.versions.clone(),
            )
        })
        .collect();
    let last = note_path(NOTES - 1);
    assert_eq!(
        found,
        [
            (1, last.as_str(), vec!["1.12".to_string()]),
            (2, "v1.34/small/PRODUCT.yaml", vec!["0.14.2".to_string()]),
            (3, "v1.35/other/PRODUCT.yaml", vec!["0.14.2".to_string()]),
        ]
    );
    if let Some(peak) = peak {
        eprintln!("peak RSS after scanning {NOTES} files: {peak} KiB");
        // The listing of 100,000 paths and their scans take tens of MB; file contents are
        // never gathered (the notes alone are 6 MB, so this bounds per-file overhead too).
        assert!(
            peak < 256 * 1024,
            "peak RSS {peak} KiB for {NOTES} small files"
        );
    }
}

/// The checks both crowded corpora pass on the command line.
fn check_crowd_json(v: &Value) {
    assert_eq!(
        ids(v),
        ["v1.34/big", "v1.34/many", "v1.34/small", "v1.35/other"]
    );
    assert!(problems(v).is_empty(), "{:?}", problems(v));
    let many = &v["submissions"][1];
    assert_eq!(many["files"].as_array().unwrap().len(), NOTES + 1);
    assert_eq!(
        cells(v),
        [
            (
                "v1.34/many".into(),
                "Volcano".into(),
                serde_json::json!(["1.12"])
            ),
            (
                "v1.34/small".into(),
                "Kueue".into(),
                serde_json::json!(["0.14.2"])
            ),
            (
                "v1.35/other".into(),
                "Kueue".into(),
                serde_json::json!(["0.14.2"])
            ),
        ]
    );
}

#[test]
fn a_submission_of_100000_files_in_a_directory_is_scanned_beside_the_others() {
    if !in_own_process(
        "huge::a_submission_of_100000_files_in_a_directory_is_scanned_beside_the_others",
    ) {
        return;
    }
    let work = scratch();
    let corpus = folder(work.path(), "corpus");
    for (path, bytes) in others() {
        std::fs::create_dir_all(corpus.join(path).parent().unwrap()).unwrap();
        std::fs::write(corpus.join(path), bytes).unwrap();
    }
    std::fs::create_dir_all(corpus.join("v1.34/many/notes")).unwrap();
    for i in 0..NOTES {
        std::fs::write(corpus.join(note_path(i)), note(i)).unwrap();
    }
    check_crowd_in_process(&DirSource::new(&corpus));
    let (v, new) = scan_cli(work.path(), &corpus, false, &[]);
    check_crowd_json(&v);
    assert!(new.is_empty(), "written outside the cache folder: {new:?}");
}

/// A bare repository whose `main` holds the crowded submission and the others. Fast-import
/// inserts into a folder by a linear search, so 100,000 files in one would take it half a
/// minute: it stores the blobs (marked), and `update-index --index-info` and `write-tree` make
/// the tree.
fn crowded_repo(work: &Path, repo: &Path) {
    let mut files: Vec<(String, Vec<u8>)> = others()
        .into_iter()
        .map(|(p, b)| (p.to_string(), b))
        .collect();
    files.extend((0..NOTES).map(|i| (note_path(i), note(i).into_bytes())));
    let marks = work.join("marks");
    let export = format!("--export-marks={}", marks.display());
    fast_import(repo, &[&export], |out| {
        for (i, (_, bytes)) in files.iter().enumerate() {
            writeln!(out, "blob\nmark :{}\ndata {}", i + 1, bytes.len())?;
            out.write_all(bytes)?;
            writeln!(out)?;
        }
        Ok(())
    });
    let mut oids = vec![String::new(); files.len()];
    for line in std::fs::read_to_string(&marks).unwrap().lines() {
        let (mark, oid) = line.split_once(' ').unwrap();
        let mark: usize = mark.trim_start_matches(':').parse().unwrap();
        oids[mark - 1] = oid.to_string();
    }
    let mut index: Vec<String> = files
        .iter()
        .zip(&oids)
        .map(|((path, _), oid)| format!("100644 {oid}\t{path}\n"))
        .collect();
    index.sort_by(|a, b| a.split('\t').nth(1).cmp(&b.split('\t').nth(1)));
    let with_index = |args: &[&str], input: &[u8]| {
        let mut child = Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("GIT_INDEX_FILE", work.join("index"))
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    with_index(&["update-index", "--index-info"], index.concat().as_bytes());
    let tree = with_index(&["write-tree"], b"");
    let commit = with_index(&["commit-tree", &tree, "-m", "huge"], b"");
    with_index(&["update-ref", "refs/heads/main", &commit], b"");
    std::fs::remove_file(work.join("index")).unwrap();
    std::fs::remove_file(marks).unwrap();
}

#[test]
fn a_submission_of_100000_files_in_a_git_revision_and_a_bundle_is_scanned_beside_the_others() {
    if !in_own_process("huge::a_submission_of_100000_files_in_a_git_revision_and_a_bundle_is_scanned_beside_the_others") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let repo = folder(work.path(), "repo.git");
    crowded_repo(work.path(), &repo);
    let tree = git(&repo, &["ls-tree", "-r", "--name-only", "main"], None);
    assert_eq!(tree.iter().filter(|&&b| b == b'\n').count(), NOTES + 4);
    let repo_before = listing(&repo);
    let source = aiconf::open_corpus(Some(&repo), Some("main")).unwrap();
    check_crowd_in_process(source.as_ref());
    assert_eq!(listing(&repo), repo_before, "the repository was changed");
    // A bundle of it on the command line: cloned into the cache folder, nothing else written.
    let bundle = work.path().join("crowd.bundle");
    git(
        &repo,
        &["bundle", "create", "-q", bundle.to_str().unwrap(), "--all"],
        None,
    );
    let (v, new) = scan_cli(work.path(), &bundle, true, &[]);
    check_crowd_json(&v);
    assert!(new.is_empty(), "written outside the cache folder: {new:?}");
    let cached = listing(&work.path().join("cache"));
    assert!(
        cached.iter().any(|p| p.starts_with("bundles/crowd-")),
        "the bundle is cloned into the cache folder: {cached:?}"
    );
}

/// 2 GiB: twice the default limit.
const HUGE: u64 = 2 << 30;

/// The W207 of a scan's JSON: the file it names, and its message.
fn w207(v: &Value) -> Vec<(String, String)> {
    problems(v)
        .into_iter()
        .filter(|(code, ..)| code == "W207")
        .map(|(_, file, message)| (file, message))
        .collect()
}

/// The 2 GiB `v1.34/big/dump.log` of `source` scanned in this process: W207 for it and no
/// other problem, with bounded memory (it is never read).
fn check_left_out_in_process(source: &dyn aiconf::Source) {
    let (scan, peak) = scan_measured(source);
    let codes: Vec<(aiconf::Code, &str)> = scan
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.as_str()))
        .collect();
    assert_eq!(codes, [(aiconf::Code::W207, "v1.34/big/dump.log")]);
    if let Some(peak) = peak {
        assert!(peak < 160 * 1024, "peak RSS {peak} KiB");
    }
}

/// The checks of a scan leaving out `v1.34/big/dump.log`, 2 GiB: W207 naming it, the other
/// submissions found, nothing from the large file.
fn check_left_out(v: &Value) {
    assert_eq!(
        ids(v),
        ["v1.34/big", "v1.34/many", "v1.34/small", "v1.35/other"]
    );
    let left = w207(v);
    assert_eq!(left.len(), 1, "{:?}", problems(v));
    assert_eq!(left[0].0, "v1.34/big/dump.log");
    assert!(
        left[0].1.contains("2 GiB (2147483648 bytes)") && left[0].1.contains("1 GiB limit"),
        "{}",
        left[0].1
    );
    let projects: Vec<(String, String)> = cells(v).into_iter().map(|(s, p, _)| (s, p)).collect();
    assert_eq!(
        projects,
        [
            ("v1.34/small".to_string(), "Kueue".to_string()),
            ("v1.35/other".to_string(), "Kueue".to_string()),
        ]
    );
}

#[test]
fn a_2_gib_file_in_a_directory_is_left_out_over_the_limit_and_read_one_chunk_without_it() {
    if !in_own_process("huge::a_2_gib_file_in_a_directory_is_left_out_over_the_limit_and_read_one_chunk_without_it") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let corpus = folder(work.path(), "corpus");
    for (path, bytes) in others() {
        std::fs::create_dir_all(corpus.join(path).parent().unwrap()).unwrap();
        std::fs::write(corpus.join(path), bytes).unwrap();
    }
    // Sparse: 2 GiB long, nothing written but its size.
    let huge = std::fs::File::create(corpus.join("v1.34/big/dump.log")).unwrap();
    huge.set_len(HUGE).unwrap();
    drop(huge);
    check_left_out_in_process(&DirSource::new(&corpus));
    let (v, new) = scan_cli(work.path(), &corpus, false, &[]);
    check_left_out(&v);
    assert!(new.is_empty(), "written outside the cache folder: {new:?}");
    // The limit off: the file is opened and read as far as its first chunk, which is binary.
    let (v, new) = scan_cli(
        work.path(),
        &corpus,
        false,
        &[("AICONF_MAX_FILE_SIZE", "0")],
    );
    let got: Vec<(String, String)> = problems(&v).into_iter().map(|(c, f, _)| (c, f)).collect();
    assert_eq!(
        got,
        [("W304".to_string(), "v1.34/big/dump.log".to_string())]
    );
    assert_eq!(cells(&v).len(), 2);
    assert!(new.is_empty(), "written outside the cache folder: {new:?}");
    // A value that is not a size: E207 naming the variable, and the default limit.
    let (v, _) = scan_cli(
        work.path(),
        &corpus,
        false,
        &[("AICONF_MAX_FILE_SIZE", "lots")],
    );
    let e207: Vec<(String, String, String)> = problems(&v)
        .into_iter()
        .filter(|(c, ..)| c == "E207")
        .collect();
    assert_eq!(e207.len(), 1, "{:?}", problems(&v));
    assert_eq!(e207[0].1, "AICONF_MAX_FILE_SIZE");
    assert!(e207[0].2.contains("`lots` is not a size"), "{}", e207[0].2);
    assert_eq!(w207(&v).len(), 1);
}

#[test]
fn a_2_gib_blob_is_left_out_over_the_limit_from_its_size_alone() {
    if !in_own_process("huge::a_2_gib_blob_is_left_out_over_the_limit_from_its_size_alone") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let repo = folder(work.path(), "repo.git");
    commit_of(&repo, |out| {
        for (path, bytes) in others() {
            inline(out, path, &bytes)?;
        }
        writeln!(out, "M 100644 inline v1.34/big/dump.log\ndata {HUGE}")?;
        log_of(out, HUGE, "Volcano 9.9")?;
        writeln!(out)
    });
    let size = git(&repo, &["cat-file", "-s", "main:v1.34/big/dump.log"], None);
    assert_eq!(String::from_utf8_lossy(&size).trim(), HUGE.to_string());
    let source = aiconf::open_corpus(Some(&repo), Some("main")).unwrap();
    check_left_out_in_process(source.as_ref());
    let repo_before = listing(&repo);
    let (v, new) = scan_cli(work.path(), &repo, true, &[]);
    check_left_out(&v);
    assert!(new.is_empty(), "written outside the cache folder: {new:?}");
    assert_eq!(listing(&repo), repo_before, "the repository was changed");
}

/// A blob over `LARGE_FILE`, under the limit: large enough that holding it whole would show in
/// the peak RSS many times over the chunks' few MB.
const STREAMED: u64 = 384 << 20;

#[test]
fn a_blob_of_hundreds_of_megabytes_is_streamed_through_the_chunked_scan_with_bounded_memory() {
    if !in_own_process("huge::a_blob_of_hundreds_of_megabytes_is_streamed_through_the_chunked_scan_with_bounded_memory") {
        return;
    }
    const { assert!(STREAMED > 16 * aiconf::LARGE_FILE) };
    let work = tempfile::tempdir().unwrap();
    let repo = folder(work.path(), "repo.git");
    let mut line = 0;
    commit_of(&repo, |out| {
        for (path, bytes) in others() {
            inline(out, path, &bytes)?;
        }
        writeln!(out, "M 100644 inline v1.34/big/dump.log\ndata {STREAMED}")?;
        line = log_of(out, STREAMED, "Volcano 1.12")?;
        writeln!(out)
    });
    let source = aiconf::open_corpus(Some(&repo), Some("main")).unwrap();
    let before = peak_rss_kib();
    let (scan, peak) = scan_measured(source.as_ref());
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let others: u64 = others().iter().map(|(_, b)| b.len() as u64).sum();
    assert_eq!(scan.bytes, STREAMED + others);
    let f = &scan.findings[0];
    assert_eq!(scan.submissions[f.submission.0 as usize].id, "v1.34/big");
    assert_eq!(f.versions, ["1.12"]);
    let ev = &f.evidence[0];
    assert_eq!((ev.file.as_str(), ev.line), ("v1.34/big/dump.log", line));
    assert_eq!(scan.findings.len(), 3);
    if let (Some(before), Some(peak)) = (before, peak) {
        eprintln!(
            "peak RSS: {before} KiB before the scan, {peak} KiB after; blob {} MiB",
            STREAMED >> 20
        );
        assert!(
            peak < 160 * 1024,
            "peak RSS {peak} KiB for a {} MiB blob",
            STREAMED >> 20
        );
    }
}
