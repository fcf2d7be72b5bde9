//! Issue 13's command-line hygiene, through the built binary: a corpus path one or two levels
//! too deep (E206 with a hint), `AICONF_CORPUS`, `--quiet` and warnings printed once per run,
//! formats a command cannot print refused by the parser, REPL timings on standard error,
//! shell completions, man pages (E215 for an unknown command), and an example in every `--help`.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::{aiconf, parts, BIN, ROOT};

/// Runs the binary from the project's root with `env` set and `AICONF_CORPUS` unset unless set there.
fn with_env(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.current_dir(ROOT)
        .env_remove("AICONF_CORPUS")
        .env_remove("COLUMNS");
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).output().expect("the binary runs")
}

#[test]
fn a_corpus_path_without_submission_folders_exits_2_with_a_hint() {
    for (path, hint) in [
        (
            "corpus/stance/v1.35",
            "this looks like a version folder; did you mean its parent?",
        ),
        (
            "corpus/stance/v1.35/zeta",
            "this looks like a submission folder; did you mean the folder two levels up?",
        ),
    ] {
        for command in ["scan", "matrix", "report"] {
            let (code, out, err) = parts(&aiconf(&[command, "--corpus", path]));
            assert_eq!(code, 2, "{command} {path}: {err}");
            assert!(out.is_empty(), "{command} {path}: {out}");
            assert!(
                err.contains("E206") && err.contains(hint),
                "{command} {path}: {err}"
            );
        }
    }
    // An empty folder too, with or without --strict: never an empty answer and exit 0.
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    for args in [
        vec!["matrix", "--corpus", dir],
        vec!["matrix", "--corpus", dir, "--strict"],
        vec!["query", "submissions", "--corpus", dir],
    ] {
        let (code, out, err) = parts(&aiconf(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(err.contains("the corpus is empty"), "{err}");
    }
}

#[test]
fn aiconf_corpus_is_the_default_corpus() {
    let with = with_env(
        &[("AICONF_CORPUS", "corpus/stance")],
        &["query", "submissions", "--format", "csv"],
    );
    let (code, out, err) = parts(&with);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("v1.35/zeta"), "{out}");
    // --corpus wins over it.
    let (code, out, _) = parts(&with_env(
        &[("AICONF_CORPUS", "corpus/does-not-exist")],
        &[
            "query",
            "submissions",
            "--corpus",
            "corpus/stance",
            "--format",
            "csv",
        ],
    ));
    assert_eq!(code, 0);
    assert!(out.contains("v1.35/zeta"), "{out}");
    // Named in the help of --corpus.
    let (_, help, _) = parts(&aiconf(&["matrix", "--help"]));
    assert!(help.contains("$AICONF_CORPUS"), "{help}");
}

#[test]
fn quiet_silences_warnings_but_not_errors_nor_the_exit_code() {
    let (code, _, loud) = parts(&aiconf(&[
        "scan",
        "--corpus",
        "corpus/bad-input",
        "--strict",
    ]));
    assert_eq!(code, 1);
    assert!(
        loud.contains("warning[W309]") && loud.contains("error[E301]"),
        "{loud}"
    );
    let (code, out, quiet) = parts(&aiconf(&[
        "scan",
        "--corpus",
        "corpus/bad-input",
        "--strict",
        "--quiet",
    ]));
    assert_eq!(code, 1, "--strict still counts what --quiet hides");
    assert!(!out.is_empty());
    assert!(!quiet.contains("warning"), "{quiet}");
    assert!(
        quiet.contains("error[E301]") && quiet.contains("error[E305]"),
        "{quiet}"
    );
    let (_, _, short) = parts(&aiconf(&["scan", "--corpus", "corpus/bad-input", "-q"]));
    assert_eq!(short, quiet);
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_warning_met_in_two_revisions_is_printed_once() {
    // Two revisions holding the same submission with duplicate keys (W309 twice in it).
    let repo = tempfile::tempdir().unwrap();
    let root = Path::new(ROOT);
    crate::util::copy_dir(
        &root.join("corpus/bad-input/v1.34/duplicate-keys"),
        &repo.path().join("v1.34/duplicate-keys"),
    );
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "a"]);
    git(repo.path(), &["tag", "a"]);
    crate::util::copy_dir(
        &root.join("corpus/stance/v1.35"),
        &repo.path().join("v1.35"),
    );
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "b"]);
    let dir = repo.path().to_str().unwrap();
    let (code, _, err) = parts(&aiconf(&["delta", "a..HEAD", "--corpus", dir]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("duplicate key `platformName`").count(),
        1,
        "{err}"
    );
    assert_eq!(err.matches("duplicate key `notes`").count(), 1, "{err}");
    assert_eq!(err.matches("problems met reading").count(), 1, "{err}");
    let (_, _, quiet) = parts(&aiconf(&["delta", "a..HEAD", "--corpus", dir, "--quiet"]));
    assert!(quiet.is_empty(), "{quiet}");
}

#[test]
fn a_format_a_command_cannot_print_is_refused_by_the_parser() {
    for (command, format, takes) in [
        (
            vec!["scan", "--corpus", "corpus/stance"],
            "csv",
            "[possible values: table, json]",
        ),
        (
            vec!["scan", "--corpus", "corpus/stance"],
            "markdown",
            "[possible values: table, json]",
        ),
        (
            vec![
                "explain",
                "kueue",
                "v1.35/zeta",
                "--corpus",
                "corpus/stance",
            ],
            "csv",
            "[possible values: table, json]",
        ),
        (
            vec!["match", "Kueue"],
            "markdown",
            "[possible values: table, json]",
        ),
        (
            vec!["delta", "a..b", "--corpus", "corpus/stance"],
            "csv",
            "[possible values: table, markdown, json]",
        ),
    ] {
        let mut args = command.clone();
        args.extend(["--format", format]);
        let (code, out, err) = parts(&aiconf(&args));
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(
            err.contains(&format!("invalid value '{format}' for '--format <FORMAT>'"))
                && err.contains(takes),
            "{args:?}: {err}"
        );
    }
    // The formats it can print still work.
    let (code, out, _) = parts(&aiconf(&[
        "scan",
        "--corpus",
        "corpus/stance",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    assert!(out.trim_start().starts_with('{'));
}

#[test]
fn repl_timings_and_notes_go_to_standard_error() {
    let mut child = Command::new(BIN)
        .current_dir(ROOT)
        .args(["repl", "--corpus", "corpus/stance"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b".timer on\n.format csv\nsubmissions\nadoption where project = Kueue\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, 0, "{stderr}");
    // Standard output is the two CSV answers and nothing else.
    assert!(
        !stdout.contains("time:") && !stdout.contains("format:"),
        "{stdout}"
    );
    assert!(stdout.starts_with("Submission,"), "{stdout}");
    assert!(
        stdout.contains("\nProject,") && stdout.contains("Kueue,"),
        "{stdout}"
    );
    assert_eq!(stderr.matches("time: ").count(), 2, "{stderr}");
    assert!(
        stderr.contains("timer: on") && stderr.contains("format: csv"),
        "{stderr}"
    );
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _aiconf"),
        ("zsh", "#compdef aiconf"),
        ("fish", "complete -c aiconf"),
        ("elvish", "edit:completion:arg-completer[aiconf]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = parts(&aiconf(&["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        // Subcommands and their options are completed.
        assert!(
            out.contains("matrix") && out.contains("transpose"),
            "{shell}"
        );
    }
    let (code, _, err) = parts(&aiconf(&["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
}

#[test]
fn man_pages_of_aiconf_and_of_each_command() {
    let (code, page, _) = parts(&aiconf(&["man"]));
    assert_eq!(code, 0);
    assert!(page.contains(".TH aiconf 1"), "{page}");
    assert!(
        page.contains(".SH SUBCOMMANDS") || page.contains("matrix"),
        "{page}"
    );
    let (code, page, _) = parts(&aiconf(&["man", "matrix"]));
    assert_eq!(code, 0);
    assert!(
        page.contains(".TH aiconf\\-matrix 1") || page.contains(".TH aiconf-matrix 1"),
        "{page}"
    );
    assert!(page.contains("transpose"), "{page}");
    let (code, out, err) = parts(&aiconf(&["man", "matrx"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("E215") && err.contains("did you mean `matrix`?"),
        "{err}"
    );
}

#[test]
fn every_command_help_has_an_example_and_query_help_the_grammar() {
    let (_, top, _) = parts(&aiconf(&["--help"]));
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's name at two spaces; its description's wrapped lines deeper.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 20, "{commands:?}");
    for c in &commands {
        let (code, help, err) = parts(&aiconf(&[c, "--help"]));
        assert_eq!(code, 0, "{c}: {err}");
        let example = help
            .lines()
            .skip_while(|l| !l.starts_with("Example"))
            .nth(1)
            .unwrap_or_default();
        assert!(
            example.trim_start().starts_with("aiconf ") || example.contains("| aiconf "),
            "{c} --help has no example:\n{help}"
        );
    }
    let (_, query, _) = parts(&aiconf(&["query", "--help"]));
    for part in [
        "Query language:",
        "group by FIELD, ...",
        "having CONDITION",
        "named by (CONDITION",
        "sources: adoption",
    ] {
        assert!(query.contains(part), "{part}: {query}");
    }
}
