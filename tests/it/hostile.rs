//! Vendor text stays data (issue 15): every command over `corpus/hostile/`
//! through the built binary. What git cannot hold portably is made here: a
//! copy of the corpus with folders named with an escape sequence and a
//! newline, and a git repository whose second commit has tree entries named
//! `..` and `x<ESC>[31mred` (made with `git mktree`).

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/hostile");
const ESC_NAME: &str = "x\u{1b}[31mred";
const MARKDOWN_NAME: &str = "=1+2 @cncf #123 ![i](u) _e_ `t` ~s~ $m$";

/// A folder with the hostile corpus as a directory (`hostile/`, with the
/// folders git cannot hold) and as a git repository (`repo/`, tags `clean`
/// and `hostile`). Commands run in it, so outputs name relative paths.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("hostile");
        crate::util::copy_dir(Path::new(HOSTILE), &corpus);
        for name in [ESC_NAME, "new\nline"] {
            let sub = corpus.join("v1.34").join(name);
            fs::create_dir_all(&sub).unwrap();
            fs::write(sub.join("PRODUCT.yaml"), SMALL_PRODUCT).unwrap();
        }
        make_repo(&dir.path().join("repo"));
        Fixture { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_input(args, None)
    }

    fn run_with_input(&self, args: &[&str], input: Option<&str>) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_aiconf"));
        c.current_dir(self.path())
            .env("AICONF_CACHE_DIR", self.path().join("cache"))
            .env("AICONF_HISTORY", self.path().join("history.txt"))
            .env("NO_COLOR", "1")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("aiconf runs");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            if let Some(i) = input {
                stdin.write_all(i.as_bytes()).unwrap();
            }
        }
        child.wait_with_output().unwrap()
    }

    /// Standard output of a command that must succeed.
    fn stdout(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "aiconf {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }
}

const SMALL_PRODUCT: &str = "metadata:\n  kubernetesVersion: v1.34\n  platformName: \"Named \\e[31mRED\"\n  vendorName: \"Odd\"\nspec:\n  schedulingOrchestration:\n    - id: gang_scheduling\n      level: MUST\n      status: \"Implemented\"\n      evidence: []\n      notes: \"Kueue v0.14.2\"\n";

fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .args(args)
        .env("LC_ALL", "C")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.test")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.test")
        .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("git runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        if let Some(i) = input {
            stdin.write_all(i).unwrap();
        }
    }
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim_end().to_string()
}

/// `repo/`: commit `clean` (the template and `v1.34/clean`), then commit
/// `hostile` (every submission of `corpus/hostile`, plus tree entries `v1.34/..` and
/// `v1.34/x<ESC>[31mred` that no checkout could make).
fn make_repo(repo: &Path) {
    fs::create_dir_all(repo).unwrap();
    git(repo, &["init", "-q", "-b", "main"], None);
    crate::util::copy_dir(&Path::new(HOSTILE).join("docs"), &repo.join("docs"));
    crate::util::copy_dir(
        &Path::new(HOSTILE).join("v1.34/clean"),
        &repo.join("v1.34/clean"),
    );
    git(repo, &["add", "-A"], None);
    git(repo, &["commit", "-q", "-m", "clean"], None);
    git(repo, &["tag", "clean"], None);
    crate::util::copy_dir(&Path::new(HOSTILE).join("v1.34"), &repo.join("v1.34"));
    git(repo, &["add", "-A"], None);
    let tree = git(repo, &["write-tree"], None);
    let blob = git(
        repo,
        &["hash-object", "-w", "--stdin"],
        Some(SMALL_PRODUCT.as_bytes()),
    );
    let inner = git(
        repo,
        &["mktree", "-z"],
        Some(format!("100644 blob {blob}\tPRODUCT.yaml\0").as_bytes()),
    );
    let v134 = git(repo, &["rev-parse", &format!("{tree}:v1.34")], None);
    let mut entries = git(repo, &["ls-tree", "-z", &v134], None).into_bytes();
    for name in ["..", ESC_NAME] {
        entries.extend(format!("040000 tree {inner}\t{name}\0").as_bytes());
    }
    let v134 = git(repo, &["mktree", "-z"], Some(&entries));
    let root: Vec<u8> = git(repo, &["ls-tree", "-z", &tree], None)
        .split('\0')
        .filter(|e| !e.is_empty())
        .map(|e| match e.ends_with("\tv1.34") {
            true => format!("040000 tree {v134}\tv1.34\0"),
            false => format!("{e}\0"),
        })
        .collect::<String>()
        .into_bytes();
    let root = git(repo, &["mktree", "-z"], Some(&root));
    let commit = git(
        repo,
        &["commit-tree", &root, "-p", "HEAD", "-m", "hostile"],
        None,
    );
    git(repo, &["update-ref", "refs/heads/main", &commit], None);
    git(repo, &["tag", "hostile", &commit], None);
}

/// Bytes a terminal would act on: C0 controls but newline and tab, DEL.
fn control_bytes(out: &[u8]) -> Vec<u8> {
    out.iter()
        .copied()
        .filter(|&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f)
        .collect()
}

/// C1 controls and bidirectional overrides, as characters.
fn control_chars(out: &str) -> Vec<char> {
    out.chars()
        .filter(|&c| aiconf::is_control(c) && c != '\n' && c != '\t')
        .collect()
}

/// Every command and format over the hostile corpus, directory and git.
fn commands() -> Vec<(Vec<&'static str>, Option<&'static str>)> {
    let mut all: Vec<(Vec<&str>, Option<&str>)> = Vec::new();
    for corpus in [
        vec!["--corpus", "hostile"],
        vec!["--corpus", "repo", "--rev", "hostile"],
    ] {
        let with = |args: &[&'static str]| {
            let mut v = args.to_vec();
            v.extend(corpus.iter().copied());
            (v, None)
        };
        all.push(with(&["scan"]));
        all.push(with(&["scan", "--format", "json"]));
        for f in ["table", "markdown", "csv", "json"] {
            all.push(with(&["matrix", "--format", f]));
            all.push(with(&["query", "findings", "--format", f]));
            all.push(with(&["query", "submissions", "--format", f]));
            all.push(with(&["query", "matrix", "--format", f]));
            all.push(with(&[
                "query",
                "explain findings where submission = pwn",
                "--format",
                f,
            ]));
            all.push(with(&["candidates", "--format", f]));
        }
        all.push(with(&["explain", "Kueue", "v1.34/pwn"]));
        all.push(with(&["explain", "Volcano", "v1.34/pwn"]));
        all.push(with(&["explain", "KubeRay", "v1.34/pwn"]));
        all.push(with(&["score", "--truth", "hostile/truth"]));
        all.push(with(&[
            "score",
            "--truth",
            "hostile/truth",
            "--format",
            "json",
        ]));
        all.push(with(&["report", "--format", "markdown"]));
        all.push(with(&["report", "--format", "html"]));
        let mut repl = with(&["repl"]);
        repl.1 = Some(REPL_INPUT);
        all.push(repl);
    }
    for f in ["table", "markdown", "json"] {
        all.push((
            vec!["delta", "clean..hostile", "--corpus", "repo", "--format", f],
            None,
        ));
    }
    for f in ["csv", "json", "svg"] {
        all.push((vec!["history", "--corpus", "repo", "--format", f], None));
    }
    all
}

/// The REPL's piped input: every text format (JSON keeps the exact strings, as `query` does).
const REPL_INPUT: &str = "findings where submission = pwn\n.format markdown\nsubmissions\n.format csv\nsubmissions\n.format table\nexplain findings where submission = pwn and project = Volcano\n";

#[test]
fn no_control_character_from_vendor_text_reaches_stdout() {
    let fx = Fixture::new();
    for (args, input) in commands() {
        let o = fx.run_with_input(&args, input);
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "aiconf {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stdout.is_empty(), "aiconf {args:?} printed nothing");
        assert_eq!(control_bytes(&o.stdout), b"", "aiconf {args:?}");
        assert_eq!(control_bytes(&o.stderr), b"", "stderr of aiconf {args:?}");
        let json = args.contains(&"json");
        if !json {
            let out = String::from_utf8(o.stdout).unwrap();
            assert_eq!(control_chars(&out), [] as [char; 0], "aiconf {args:?}");
        }
    }
}

#[test]
fn the_hostile_strings_reach_the_outputs() {
    // The test above would pass on outputs that leave the submission out.
    let fx = Fixture::new();
    let subs = fx.stdout(&[
        "query",
        "submissions",
        "--corpus",
        "hostile",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&subs).unwrap();
    let platforms: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["platform"].as_str().unwrap())
        .collect();
    assert!(platforms
        .iter()
        .any(|p| p.contains("\u{1b}[31mRED") && p.contains("<img src=")));
    let text = fx.stdout(&["query", "submissions", "--corpus", "hostile"]);
    assert!(
        text.contains("\\x1b[31mRED\\x1b[0m \\u{202e}exe.txt"),
        "{text}"
    );
    let explain = fx.stdout(&["explain", "Volcano", "v1.34/pwn", "--corpus", "hostile"]);
    assert!(
        explain.contains("PASS Volcano v1.12.0 scheduler ready  (terminal escape codes removed)"),
        "{explain}"
    );
}

#[test]
fn csv_cells_from_vendor_text_cannot_be_formulas() {
    let fx = Fixture::new();
    let args = [
        "query",
        "submissions",
        "--corpus",
        "hostile",
        "--format",
        "csv",
    ];
    let csv = fx.stdout(&args);
    assert!(
        csv.contains(r#""'=HYPERLINK(""https://evil.example"",""click"")""#),
        "{csv}"
    );
    assert!(
        csv.contains(",'@here -- [Pwn](javascript:alert(1)),'-2+3\n"),
        "{csv}"
    );
    let matrix = fx.stdout(&["matrix", "--corpus", "hostile", "--format", "csv"]);
    assert!(
        matrix.starts_with(
            "Version,Project,Total,v1.34/=1+2 @cncf #123 ![i](u) _e_ `t` ~s~ $m$,v1.34/clean,v1.34/pwn\n"
        ),
        "{matrix}"
    );
    assert!(matrix.contains("v1.34,KubeRay,1,-,-,M\n"), "{matrix}");
    // Transposed, the folder name is a cell of its own: made inert.
    let transposed = fx.stdout(&[
        "matrix",
        "--corpus",
        "hostile",
        "--format",
        "csv",
        "--transpose",
    ]);
    assert!(
        transposed.contains("\nv1.34,'=1+2 @cncf #123 ![i](u) _e_ `t` ~s~ $m$,"),
        "{transposed}"
    );
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {line}");
        }
    }
    let mut raw = vec!["--raw-csv"];
    raw.extend(args);
    let raw = fx.stdout(&raw);
    assert!(
        raw.contains(r#""=HYPERLINK(""https://evil.example"",""click"")""#),
        "{raw}"
    );
    assert!(raw.contains(",-2+3\n"), "{raw}");
}

#[test]
fn html_report_shows_vendor_text_as_text() {
    let fx = Fixture::new();
    let html = fx.stdout(&["report", "--corpus", "hostile", "--format", "html"]);
    let doc = roxmltree::Document::parse_with_options(
        html.trim_start_matches("<!DOCTYPE html>\n"),
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the report is well-formed XML");
    let allowed = [
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "ul", "li",
        "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "svg", "g", "rect", "text",
        "line", "desc", "section", "details", "summary", "div", "span", "form", "label", "select",
        "option", "script",
    ];
    // One script, the page's own, and the policy that lets only it run.
    let scripts: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("script"))
        .collect();
    assert_eq!(scripts.len(), 1, "only the page's script");
    let policy = doc
        .descendants()
        .find(|n| n.attribute("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|n| n.attribute("content"))
        .expect("a Content-Security-Policy");
    assert!(
        policy.contains(&format!("script-src {};", aiconf::script_hash())),
        "{policy}"
    );
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        assert!(allowed.contains(&name), "element <{name}> in the report");
        for a in n.attributes() {
            assert!(
                !a.name().starts_with("on") && a.name() != "href" && a.name() != "src",
                "attribute {} on <{name}>",
                a.name()
            );
        }
    }
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or_default())
        .collect();
    assert!(text.contains("Pwn | <img src=https://evil.example/x.png>"));
    assert!(text.contains("=HYPERLINK(\"https://evil.example\",\"click\")"));
    assert!(text.contains("\\x1b[31mRED"));
}

#[test]
fn names_that_are_not_names_are_skipped_with_e205() {
    let fx = Fixture::new();
    for corpus in [
        vec!["--corpus", "hostile"],
        vec!["--corpus", "repo", "--rev", "hostile"],
    ] {
        let mut args = vec!["scan", "--format", "json"];
        args.extend(&corpus);
        let v: serde_json::Value = serde_json::from_str(&fx.stdout(&args)).unwrap();
        let ids: Vec<&str> = v["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        let markdown_id = format!("v1.34/{MARKDOWN_NAME}");
        assert_eq!(
            ids,
            [markdown_id.as_str(), "v1.34/clean", "v1.34/pwn"],
            "{corpus:?}"
        );
        let e205: Vec<&str> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["code"] == "E205")
            .map(|e| e["file"].as_str().unwrap())
            .collect();
        let esc = format!("v1.34/{ESC_NAME}");
        let want: Vec<&str> = match corpus.len() {
            2 => vec![esc.as_str(), "v1.34/new\nline"],
            _ => vec!["v1.34/..", esc.as_str()],
        };
        let mut e205 = e205;
        e205.sort();
        let mut want = want;
        want.sort();
        assert_eq!(e205, want, "{corpus:?}");
        let mut strict = vec!["--strict"];
        strict.extend(&args);
        assert_eq!(fx.run(&strict).status.code(), Some(1));
    }
}

#[test]
fn delta_markdown_renders_vendor_text_as_text() {
    let fx = Fixture::new();
    let md = fx.stdout(&[
        "delta",
        "clean..hostile",
        "--corpus",
        "repo",
        "--format",
        "markdown",
    ]);
    let added: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("### Added submissions"))
        .skip(4)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(added.len(), 2, "{md}");
    for line in added {
        // Three cells: what lies between the row's own pipes is text only.
        let cells = line.trim_matches('|');
        let mut chars = cells.chars().peekable();
        let mut pipes = 0;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '|' => pipes += 1,
                '<' | '[' | ']' | '*' | '`' | '~' | '$' => panic!("unescaped {c:?} in {line}"),
                '_' => panic!("unescaped _ in {line}"),
                _ => {}
            }
        }
        assert_eq!(pipes, 2, "{line}");
        for markup in ["@c", "@h", "#1", "://", "**"] {
            assert!(!line.contains(markup), "{markup:?} in {line}");
        }
    }
    insta::assert_snapshot!("delta_markdown", md);
}

#[test]
fn snapshots_of_every_format() {
    let fx = Fixture::new();
    let c = ["--corpus", "hostile"];
    let run = |args: &[&str]| {
        let mut v = args.to_vec();
        v.extend(c);
        fx.stdout(&v)
    };
    insta::assert_snapshot!("matrix_aligned", run(&["matrix"]));
    insta::assert_snapshot!("matrix_markdown", run(&["matrix", "--format", "markdown"]));
    insta::assert_snapshot!("submissions_aligned", run(&["query", "submissions"]));
    insta::assert_snapshot!(
        "submissions_markdown",
        run(&["query", "submissions", "--format", "markdown"])
    );
    insta::assert_snapshot!(
        "submissions_csv",
        run(&["query", "submissions", "--format", "csv"])
    );
    insta::assert_snapshot!(
        "submissions_json",
        run(&["query", "submissions", "--format", "json"])
    );
    insta::assert_snapshot!(
        "findings_markdown",
        run(&[
            "query",
            "findings where submission = pwn",
            "--format",
            "markdown"
        ])
    );
    insta::assert_snapshot!(
        "findings_aligned",
        run(&["query", "findings where submission = pwn"])
    );
    insta::assert_snapshot!("explain_volcano", run(&["explain", "Volcano", "v1.34/pwn"]));
    insta::assert_snapshot!("explain_kueue", run(&["explain", "Kueue", "v1.34/pwn"]));
    insta::assert_snapshot!("score", run(&["score", "--truth", "hostile/truth"]));
    insta::assert_snapshot!("report_markdown", run(&["report", "--format", "markdown"]));
    insta::assert_snapshot!("report_html", run(&["report", "--format", "html"]));
    let o = fx.run_with_input(&["repl", "--corpus", "hostile"], Some(REPL_INPUT));
    insta::assert_snapshot!("repl_piped", String::from_utf8(o.stdout).unwrap());
    insta::assert_snapshot!(
        "history_svg",
        fx.stdout(&["history", "--corpus", "repo", "--format", "svg"])
    );
    insta::assert_snapshot!(
        "delta_aligned",
        fx.stdout(&["delta", "clean..hostile", "--corpus", "repo"])
    );
}
