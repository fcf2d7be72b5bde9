//! Diagnostic codes: `docs/diagnostics.md` and the `Code` enum agree in both directions, every code
//! is named by a test, and one golden case per code that no other test exercised (input and the
//! rendered message, pinned).

use std::path::{Path, PathBuf};
use std::process::Command;

use aiconf::Code;

use crate::util::{self, ROOT};

const DOC: &str = include_str!("../../docs/diagnostics.md");

/// The codes `docs/diagnostics.md` lists in its tables (`| E001 | ...`).
fn documented() -> Vec<String> {
    DOC.lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(' ').next())
        .filter(|c| c.len() == 4 && (c.starts_with('E') || c.starts_with('W')))
        .filter(|c| c[1..].bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[test]
fn docs_and_the_code_enum_agree_in_both_directions() {
    let docs = documented();
    let code: Vec<String> = Code::ALL.iter().map(|c| c.to_string()).collect();
    let undocumented: Vec<&String> = code.iter().filter(|c| !docs.contains(c)).collect();
    let unknown: Vec<&String> = docs.iter().filter(|c| !code.contains(c)).collect();
    assert!(
        undocumented.is_empty(),
        "in the enum, not in docs/diagnostics.md: {undocumented:?}"
    );
    assert!(
        unknown.is_empty(),
        "in docs/diagnostics.md, not in the enum: {unknown:?}"
    );
    assert_eq!(Code::parse("E001"), Some(Code::E001));
    assert_eq!(Code::parse("E999"), None);
}

/// Every file under `dir` whose name ends with one of `exts`, read.
fn texts(dir: &Path, exts: &[&str], out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            texts(&p, exts, out);
        } else if exts.iter().any(|x| p.to_string_lossy().ends_with(x)) {
            out.push(std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

#[test]
fn every_code_is_named_by_a_test() {
    let mut all = Vec::new();
    texts(&Path::new(ROOT).join("tests"), &[".rs", ".snap"], &mut all);
    let tested = all.join("\n");
    let this = include_str!("diagnostics.rs");
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        // A code named only in this file's own list of names would prove nothing: look elsewhere
        // too, or in the golden cases below (their snapshots hold the rendered message).
        .filter(|c| !tested.replace(this, "").contains(c))
        .collect();
    assert!(missing.is_empty(), "codes no test names: {missing:?}");
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .env("LC_ALL", "C")
        // Fixed dates, so commit ids (named in messages) are the same on every run.
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A git repository holding the `corpus/scoping` submissions, committed once.
fn scoping_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    crate::util::copy_dir(&Path::new(ROOT).join("corpus/scoping"), &repo);
    git(&repo, &["init", "--quiet", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "--quiet", "-m", "scoping"]);
    repo
}

/// The exit code and standard error, with the temporary folder written as `TMP`.
fn run(dir: &Path, args: &[&str]) -> String {
    run_with(dir, &[], args)
}

/// [`run`] with `env` set.
fn run_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = util::aiconf_cached(&dir.join("cache"), env, args);
    let (code, _, err) = util::parts(&out);
    let tmp = dir.to_string_lossy();
    format!("exit {code}\n{}", err.replace(tmp.as_ref(), "TMP"))
}

#[test]
fn golden_cases_of_the_command_errors() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let scoping = Path::new(ROOT).join("corpus/scoping");
    let scoping = scoping.to_str().unwrap();
    let missing = d.join("nowhere");
    let missing = missing.to_str().unwrap();
    std::fs::create_dir_all(d.join("empty")).unwrap();
    std::fs::write(d.join("a-file"), "").unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("E200", vec!["scan", "--corpus", missing]),
        (
            "E210",
            vec!["matrix", "--corpus", scoping, "--version", "9.99"],
        ),
        (
            "E211",
            vec!["explain", "Kueeu", "v1.34/acme", "--corpus", scoping],
        ),
        (
            "E212",
            vec!["explain", "kueue", "acme", "--corpus", scoping],
        ),
        ("E265", vec!["delta", "not-a-range", "--corpus", scoping]),
        (
            "E600",
            vec!["reconcile", "--corpus", scoping, "--published", missing],
        ),
        ("E030", vec!["new", "Bad Id", "--name", "Bad", "--print"]),
        (
            "E032",
            vec![
                "new",
                "zzz",
                "--name",
                "Zzz",
                "--from-candidate",
                "zzzqqq-nothing",
                "--corpus",
                scoping,
                "--print",
            ],
        ),
        ("E213", vec!["match", "--file", missing]),
        (
            "E214",
            vec![
                "report",
                "--corpus",
                scoping,
                "--github",
                "javascript:alert(1)//github.com/a/b",
            ],
        ),
        ("E270", vec!["lsp", "--corpus", scoping]),
    ];
    let gen_from_empty = d.join("empty");
    let gen_out = d.join("out");
    let gen_under_file = d.join("a-file/out");
    let mut golden = String::new();
    for (code, args) in &cases {
        let got = run(d, args);
        assert!(got.contains(code), "{code}: {got}");
        assert!(got.starts_with("exit 2\n"), "{code}: {got}");
        golden += &format!("## {code}: aiconf {}\n{got}\n", args.join(" "));
    }
    for (code, from, out) in [
        ("E901", gen_from_empty.as_path(), gen_out.as_path()),
        ("E903", Path::new(scoping), gen_under_file.as_path()),
    ] {
        let args = [
            "gen-corpus",
            "--from",
            from.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--submissions",
            "3",
        ];
        let got = run(d, &args);
        assert!(
            got.contains(code) && got.starts_with("exit 2\n"),
            "{code}: {got}"
        );
        golden += &format!("## {code}: aiconf gen-corpus\n{got}\n");
    }
    let golden = golden
        .replace(ROOT, "ROOT")
        .replace(d.to_string_lossy().as_ref(), "TMP");
    insta::assert_snapshot!(golden);
}

#[test]
fn golden_cases_of_the_corpus_problems() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();

    // W201: folders nested deeper than 32 levels in a directory corpus.
    let deep_corpus = d.join("deep");
    crate::util::copy_dir(&Path::new(ROOT).join("corpus/scoping"), &deep_corpus);
    let mut deep = deep_corpus.join("v1.35/acme");
    for i in 0..34 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("notes.md"), "Kueue\n").unwrap();

    // W308: a PRODUCT.yaml over 16 MiB.
    let big_corpus = d.join("big");
    crate::util::copy_dir(&Path::new(ROOT).join("corpus/scoping"), &big_corpus);
    let mut big = String::from("metadata:\n  platformName: Big\nnotes: |\n");
    while big.len() < 17 << 20 {
        big += "  We run Kueue for gang scheduling of our training jobs, and nothing else here.\n";
    }
    std::fs::write(big_corpus.join("v1.35/acme/PRODUCT.yaml"), big).unwrap();

    // W207: a file of 2 GiB (sparse), over the file size limit; E207: a limit that is not a size.
    let huge_corpus = d.join("huge");
    crate::util::copy_dir(&Path::new(ROOT).join("corpus/scoping"), &huge_corpus);
    std::fs::File::create(huge_corpus.join("v1.35/acme/dump.log"))
        .unwrap()
        .set_len(2 << 30)
        .unwrap();

    // W208: four links to one folder of 2,600 files; the links may add 10,000 (the folders hold
    // fewer), so the fourth is not followed.
    let fan_corpus = d.join("fan");
    crate::util::copy_dir(&Path::new(ROOT).join("corpus/scoping"), &fan_corpus);
    let shared = fan_corpus.join("v1.35/acme/shared");
    std::fs::create_dir_all(&shared).unwrap();
    for i in 0..2600 {
        std::fs::write(shared.join(format!("n{i:04}.md")), "a note\n").unwrap();
    }
    for i in 1..=4 {
        std::os::unix::fs::symlink("shared", fan_corpus.join(format!("v1.35/acme/copy{i}")))
            .unwrap();
    }

    // W251 and W252: a submodule and a symbolic link that leaves the tree, in a git corpus.
    let repo = scoping_repo(d);
    let head = String::from_utf8(
        Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let gitlink = format!("160000,{},v1.35/acme/vendored", head.trim());
    git(&repo, &["update-index", "--add", "--cacheinfo", &gitlink]);
    std::os::unix::fs::symlink("../../../../../etc/passwd", repo.join("v1.35/acme/passwd"))
        .unwrap();
    git(&repo, &["add", "v1.35/acme/passwd"]);
    git(
        &repo,
        &["commit", "--quiet", "-m", "a submodule and a link out"],
    );

    let mut golden = String::new();
    let bad_limit = [("AICONF_MAX_FILE_SIZE", "lots")];
    for (codes, corpus, env) in [
        (&["W201"][..], &deep_corpus, &[][..]),
        (&["W308"][..], &big_corpus, &[][..]),
        (&["W207"][..], &huge_corpus, &[][..]),
        (&["E207", "W207"][..], &huge_corpus, &bad_limit[..]),
        (&["W208"][..], &fan_corpus, &[][..]),
        (&["W251", "W252"][..], &repo, &[][..]),
    ] {
        let args = ["scan", "--corpus", corpus.to_str().unwrap()];
        let got = run_with(d, env, &args);
        for code in codes {
            assert!(got.contains(code), "{code}: {got}");
        }
        // The problem is named and the scan goes on (exit 0 without --strict).
        assert!(got.starts_with("exit 0\n"), "{codes:?}: {got}");
        golden += &format!("## {}\n{got}\n", codes.join(", "));
    }
    insta::assert_snapshot!(golden);
}

#[test]
fn golden_cases_of_the_git_errors() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();

    // E262: a synced clone with a commit of its own cannot be fast-forwarded.
    let origin = scoping_repo(d);
    let clone = d.join("clone");
    let url = origin.to_str().unwrap();
    let sync = ["sync", "--into", clone.to_str().unwrap(), "--url", url];
    assert!(run(d, &sync).starts_with("exit 0\n"));
    std::fs::write(clone.join("local.md"), "ours\n").unwrap();
    git(&clone, &["add", "-A"]);
    git(&clone, &["commit", "--quiet", "-m", "ours"]);
    std::fs::write(origin.join("theirs.md"), "theirs\n").unwrap();
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "--quiet", "-m", "theirs"]);
    let e262 = run(d, &sync);
    assert!(
        e262.contains("E262") && e262.starts_with("exit 2\n"),
        "{e262}"
    );

    // E254: a revision whose history cannot be read (its parent commit's object is gone).
    let parent = String::from_utf8(
        Command::new("git")
            .arg("-C")
            .arg(&origin)
            .args(["rev-parse", "HEAD~1"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let parent = parent.trim();
    std::fs::remove_file(
        origin
            .join(".git/objects")
            .join(&parent[..2])
            .join(&parent[2..]),
    )
    .unwrap();
    let e254 = run(d, &["history", "--corpus", url]);
    assert!(
        e254.contains("E254") && e254.starts_with("exit 2\n"),
        "{e254}"
    );
    let golden = format!("## E262\n{e262}\n## E254\n{e254}");
    insta::assert_snapshot!(golden);
}
