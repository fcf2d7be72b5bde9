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
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs the binary with its git cache in `cache`, no sync URL from the caller's environment, and `env` set.
pub fn aiconf_cached(cache: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.current_dir(ROOT)
        .env("AICONF_CACHE_DIR", cache)
        .env_remove("AICONF_SYNC_URL");
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
