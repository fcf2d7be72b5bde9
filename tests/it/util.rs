//! Helpers shared by the integration tests: the built binary and how its output is read.

use std::path::Path;
use std::process::{Command, Output};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_aiconf");

/// The project's root (the working directory the tests run the binary in by default).
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs the binary with `args` from the project's root.
pub fn aiconf(args: &[&str]) -> Output {
    aiconf_in(Path::new(ROOT), args)
}

/// Runs the binary with `args` from `dir`, without the caller's `COLUMNS` (the aligned matrix
/// reads it as the width to fit; a test that wants it sets it).
pub fn aiconf_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("COLUMNS")
        .env_remove("AICONF_CORPUS")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs the binary with its git cache in `cache`, no sync URL from the caller's environment, and `env` set.
pub fn aiconf_cached(cache: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    aiconf_cached_in(Path::new(ROOT), cache, env, args)
}

/// [`aiconf_cached`], run from `cwd`.
pub fn aiconf_cached_in(cwd: &Path, cache: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.current_dir(cwd)
        .env("AICONF_CACHE_DIR", cache)
        .env_remove("AICONF_SYNC_URL")
        .env_remove("AICONF_CORPUS");
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).output().expect("the binary runs")
}

/// The exit code (-1 when killed by a signal), standard output and standard error.
pub fn parts(out: &Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Standard output of a run that must succeed.
pub fn ok_stdout(args: &[&str]) -> String {
    let out = aiconf(args);
    assert!(
        out.status.success(),
        "aiconf {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The tests' stand-in for `../shared`, laid out the same way and built
/// once (per `cargo` target folder) from the fixtures this repository keeps,
/// so that no test needs `../shared`: `corpus/baseline-223d15f` and
/// `corpus/head-b2c8969` checked out of `tests/fixtures/history.bundle` at
/// its tags `baseline-223d15f` and `head` (the same files, see
/// `tests/fixtures/PROVENANCE.md`), `corpus/history.bundle`, and
/// `published/adoption-analysis-2026-03-16.txt`. Returns its path.
pub fn shared() -> &'static str {
    static SHARED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stand-in");
        let shared = root.join("shared");
        let fixtures = Path::new(ROOT).join("tests/fixtures");
        for (tag, name) in [
            ("baseline-223d15f", "baseline-223d15f"),
            ("head", "head-b2c8969"),
        ] {
            let dir = shared.join("corpus").join(name);
            publish(&dir, |tmp| {
                let out = Command::new("git")
                    .args([
                        "-c",
                        "advice.detachedHead=false",
                        "clone",
                        "--quiet",
                        "--branch",
                        tag,
                    ])
                    .arg(fixtures.join("history.bundle"))
                    .arg(tmp)
                    .output()
                    .expect("git runs");
                assert!(
                    out.status.success(),
                    "git clone of the fixture bundle: {out:?}"
                );
                std::fs::remove_dir_all(tmp.join(".git")).expect("remove .git");
            });
        }
        for (from, to) in [
            ("history.bundle", "corpus/history.bundle"),
            (
                "published/adoption-analysis-2026-03-16.txt",
                "published/adoption-analysis-2026-03-16.txt",
            ),
        ] {
            publish(&shared.join(to), |tmp| {
                std::fs::copy(fixtures.join(from), tmp).expect("copy a fixture");
            });
        }
        std::fs::create_dir_all(root.join("work")).expect("the working folder");
        shared.to_string_lossy().into_owned()
    })
}

/// `path` of the stand-in for `../shared` (`corpus/head-b2c8969`).
pub fn shared_path(path: &str) -> String {
    format!("{}/{path}", shared())
}

/// A folder beside the stand-in, where `../shared/...` names it: for the
/// tests whose output shows a corpus path as the README writes it.
pub fn beside_shared() -> std::path::PathBuf {
    Path::new(shared())
        .parent()
        .expect("the stand-in has a parent")
        .join("work")
}

/// Builds `path` once across the test processes running at the same time:
/// `make` fills a temporary path of this process, which is then renamed
/// into place (atomic); when another process got there first, its copy stays.
fn publish(path: &Path, make: impl FnOnce(&Path)) {
    if path.exists() {
        return;
    }
    let parent = path.parent().expect("a parent folder");
    std::fs::create_dir_all(parent).expect("create the stand-in's folders");
    let tmp = parent.join(format!(
        ".{}.{}",
        path.file_name().unwrap().to_string_lossy(),
        std::process::id()
    ));
    if tmp.is_dir() {
        std::fs::remove_dir_all(&tmp).expect("clear a stale temporary");
    }
    make(&tmp);
    if std::fs::rename(&tmp, path).is_err() {
        assert!(path.exists(), "could not put {} in place", path.display());
        if tmp.is_dir() {
            let _ = std::fs::remove_dir_all(&tmp);
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Scans `source` with `rules` as every command does: one engine, a scanner made from it.
pub fn scan(
    source: &dyn aiconf::Source,
    rules: &aiconf::RuleSet,
) -> Result<aiconf::Scan, aiconf::Diagnostic> {
    scan_keeping(source, rules, aiconf::Keep::Evidence)
}

/// [`scan`], keeping only what `keep` says of each finding's mentions.
pub fn scan_keeping(
    source: &dyn aiconf::Source,
    rules: &aiconf::RuleSet,
    keep: aiconf::Keep,
) -> Result<aiconf::Scan, aiconf::Diagnostic> {
    let engine = aiconf::Engine::new(rules.clone());
    Ok(aiconf::Scanner::new(&engine, source)?.keeping(keep).scan())
}

/// The baseline corpus (`corpus/baseline-223d15f` of `shared()`).
pub fn baseline() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| shared_path("corpus/baseline-223d15f"))
}

/// The head corpus (`corpus/head-b2c8969` of `shared()`).
pub fn head() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| shared_path("corpus/head-b2c8969"))
}

/// The history bundle (`corpus/history.bundle` of `shared()`).
pub fn history_bundle() -> String {
    shared_path("corpus/history.bundle")
}

/// Runs the binary with its git cache in `cache` (as [`aiconf_cached`], with no extra environment).
pub fn aiconf_with_cache(cache: &Path, args: &[&str]) -> Output {
    aiconf_cached(cache, &[], args)
}

/// Standard output of a run that must succeed (its standard error in the message when not).
pub fn success_stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "aiconf failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error of a run that must stop with exit code 2 (its standard output in the message when not).
pub fn failure_stderr(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `git` (in `dir` when given; messages in English) and returns its standard output; a
/// failure fails the test. No identity or dates are set: for commits whose ids a test names, see
/// the tests that fix them.
pub fn git(dir: Option<&Path>, args: &[&str]) -> String {
    let mut c = Command::new("git");
    if let Some(d) = dir {
        c.arg("-C").arg(d);
    }
    let o = c.args(args).env("LC_ALL", "C").output().expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
