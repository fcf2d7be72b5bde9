//! The REPL without a terminal: a script piped into the built binary (one
//! query per line), the [`Session`] commands (`.format`, `.timer`, `.last`,
//! cut results, `.reload` after a rule file changes), and tab completion,
//! hints and multi-line input through the helper's API.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use aiconf::cli::repl::helper::complete;
use aiconf::cli::repl::helper::hint;
use aiconf::cli::repl::helper::needs_more;
use aiconf::cli::repl::Origin;
use aiconf::cli::repl::QueryHelper;
use aiconf::cli::repl::Session;
use rustyline::completion::Completer;
use rustyline::history::MemHistory;
use rustyline::Context;

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");

/// Pipes `input` into `aiconf repl`; (stdout, stderr, exit code).
fn repl(args: &[&str], input: &str) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .arg("repl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aiconf runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
        o.status.code(),
    )
}

fn session() -> Session {
    Session::load(Origin {
        corpus: Some(crate::util::baseline().into()),
        rev: None,
        rules: None,
    })
    .expect("the baseline loads")
}

#[test]
fn piped_input_runs_one_query_per_line() {
    let script = "# a comment\nsubmissions where version = 1.35\n\n.format csv\nprojects where project = Kueue\n.format json\nsubmissions where submission = v1.35/gke\n.quit\nsubmissions\n";
    let (out, err, code) = repl(&["--corpus", crate::util::baseline()], script);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err, "format: csv\nformat: json\n",
        "acknowledgements go to standard error"
    );
    insta::assert_snapshot!("piped_transcript", out);
}

#[test]
fn a_bad_line_is_reported_and_the_rest_still_runs() {
    let (out, err, code) = repl(
        &["--corpus", crate::util::baseline()],
        "adoption where categry = Scheduling\nsubmissions where version = 1.35\n.format xml\n",
    );
    assert_eq!(code, Some(2), "a bad query makes the exit code 2");
    assert!(
        err.contains("unknown field `categry`") && err.contains("did you mean `category`?"),
        "{err}"
    );
    assert!(
        err.starts_with("standard input, line 1:\n")
            && err.contains("standard input, line 3:\nerror: unknown format `xml`"),
        "each error names the line of the script it comes from: {err}"
    );
    assert!(out.contains("v1.35/gke"), "the next line ran: {out}");
}

#[test]
fn format_timer_and_unknown_commands() {
    let mut s = session();
    assert_eq!(s.eval(".format").out, "format: table\n");
    assert_eq!(s.eval(".format markdown").note, "format: markdown\n");
    assert!(s
        .eval("submissions where version = 1.35")
        .out
        .starts_with("| Submission | Kubernetes Version |"));
    let bad = s.eval(".format yaml");
    assert!(!bad.ok && bad.err.contains("unknown format `yaml`"));
    assert_eq!(s.eval(".timer on").note, "timer: on\n");
    let timed = s.eval("adoption");
    assert!(
        timed.note.contains("time: ") && timed.note.contains(" ms ("),
        "{}",
        timed.note
    );
    assert!(!timed.out.contains("time: "), "the result holds no timing");
    s.eval(".timer off");
    assert!(!s.eval("adoption").note.contains("time: "));
    let unknown = s.eval(".lats");
    assert!(
        !unknown.ok && unknown.err.contains("did you mean `.last`?"),
        "{}",
        unknown.err
    );
    assert!(s.eval(".quit").quit);
    assert!(s.eval(".help").out.contains("uses PROJECT"));
}

#[test]
fn long_results_are_cut_and_last_shows_every_row() {
    let mut s = session();
    s.page = Some(5);
    let cut = s.eval("submissions");
    assert_eq!(cut.out.lines().filter(|l| l.starts_with("v1.")).count(), 5);
    assert!(
        cut.out
            .contains("… 23 more rows hidden (`.last` shows every row)"),
        "{}",
        cut.out
    );
    let all = s.eval(".last");
    assert_eq!(all.out.lines().filter(|l| l.starts_with("v1.")).count(), 28);
    assert!(!all.out.contains("hidden"));
}

#[test]
fn reload_picks_up_an_edited_rule() {
    let dir = tempfile::tempdir().unwrap();
    let rule = Path::new(RULES).join("kueue.rule");
    let text = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(dir.path().join("kueue.rule"), &text).unwrap();
    let origin = Origin {
        corpus: Some(crate::util::baseline().into()),
        rev: None,
        rules: Some(dir.path().to_path_buf()),
    };
    let mut s = Session::load(origin).unwrap();
    let before = s.eval(".format csv");
    assert!(before.ok);
    assert!(s.eval("projects").out.contains("Kueue"));
    // The rule author renames the project and reloads.
    std::fs::write(
        dir.path().join("kueue.rule"),
        text.replacen("\"Kueue\" {", "\"Kueue Renamed\" {", 1),
    )
    .unwrap();
    let r = s.eval(".reload");
    assert!(r.ok && r.note.starts_with("reloaded in "), "{r:?}");
    assert!(s.eval("projects").out.contains("Kueue Renamed"));
    // A broken rule file is reported; the rules that load are used.
    std::fs::write(dir.path().join("broken.rule"), "project broken {").unwrap();
    let r = s.eval(".reload");
    assert!(r.err.contains("broken.rule"), "{r:?}");
    assert!(s.eval("projects").out.contains("Kueue Renamed"));
}

#[test]
fn rules_command_lists_the_loaded_rules() {
    let mut s = session();
    let r = s.eval(".rules");
    assert!(
        r.ok && r.out.contains("kueue") && r.out.contains("Kubernetes-native job queueing"),
        "{}",
        r.out
    );
}

/// (line, cursor at end, expected completions) rows.
#[test]
fn completion_offers_what_fits_the_place() {
    let s = session();
    let v = s.vocabulary();
    let cases: &[(&str, &[&str])] = &[
        (
            "",
            &[
                "adoption",
                "matrix",
                "findings",
                "submissions",
                "projects",
                "explain",
                "top",
            ],
        ),
        ("sub", &["submissions"]),
        ("top 5 ad", &["adoption"]),
        ("adoption where categ", &["category"]),
        ("adoption where category = Sch", &["Scheduling"]),
        (
            "adoption where category in (Networking, Obs",
            &["Observability"],
        ),
        (
            "adoption where category = ai ",
            &[
                "explain", "top", "where", "and", "or", "not", "uses", "in", "contains", "group",
                "order", "by", "having", "named", "used", "asc", "desc", "limit",
            ],
        ),
        ("submissions where uses Kue", &["Kueue"]),
        ("findings where project = Kue", &["Kueue"]),
        ("findings where cell = ", &["M", "X", "-"]),
        (
            "submissions where version >= v1.3",
            &["v1.33", "v1.34", "v1.35"],
        ),
        ("submissions where submission = gar", &["gardener"]),
        (
            "submissions where submission = v1.35/",
            &["v1.35/cks", "v1.35/gke"],
        ),
        (
            "adoption where cncf = \"K8s",
            &["\"K8s SIG\"", "\"K8s Core\""],
        ),
        ("adoption where category = \"AI I", &["\"AI Inference\""]),
        ("adoption group by ca", &["category"]),
        ("adoption order by sta", &["stacks"]),
        (
            "adoption order by ",
            &["project", "stacks", "share", "category", "cncf", "vendor"],
        ),
        (
            "adoption group by category order by ",
            &["category", "projects", "stacks", "share"],
        ),
        (
            "submissions order by ",
            &["submission", "kubernetes_version", "platform", "vendor"],
        ),
        (".for", &[".format"]),
        (".format j", &["json"]),
        (".timer o", &["on", "off"]),
    ];
    for (line, want) in cases {
        let (_, got) = complete(line, line.len(), &v);
        assert_eq!(&got, want, "{line:?}");
    }
    let (start, _) = complete("findings where project = \"NVIDIA DC", 35, &v);
    assert_eq!(start, 25, "a quoted word starts at its quote");
}

#[test]
fn hints_and_the_rustyline_helper() {
    let s = session();
    let v = s.vocabulary();
    assert_eq!(hint("adoption where categ", 20, &v).as_deref(), Some("ory"));
    assert_eq!(
        hint("adoption where c", 16, &v),
        None,
        "several fields start with c"
    );
    let helper = QueryHelper::new(v, false);
    let history = MemHistory::new();
    let (start, pairs) = helper
        .complete("submissions where uses Kue", 26, &Context::new(&history))
        .unwrap();
    assert_eq!(start, 23);
    assert_eq!(
        pairs
            .iter()
            .map(|p| p.replacement.as_str())
            .collect::<Vec<_>>(),
        ["Kueue"]
    );
}

#[test]
fn open_parentheses_and_quotes_continue_on_the_next_line() {
    assert!(needs_more("adoption where (category = Scheduling"));
    assert!(needs_more("findings where project = 'NVIDIA"));
    assert!(!needs_more("adoption where (category = Scheduling)\n"));
    assert!(!needs_more(".format json"));
}
