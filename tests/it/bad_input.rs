//! Bad input everywhere: the submissions of `corpus/bad-input/` (each one
//! folder, one kind of damage) plus the cases git cannot hold (a symbolic
//! link loop, a dangling link, an unreadable file), created at test time in a
//! copy. Every case gets its message (pinned with insta), and every other
//! submission is still scanned; `--strict` turns the problems into exit 1.

use crate::util;
use std::io;
use std::path::{Path, PathBuf};

use aiconf::{Diagnostic, DirSource, FileEntry, RuleSet, Scan, Source};

const RULES: &str = r#"
project kueue "Kueue" { category Scheduling name "Kueue" example "Kueue" => X }
project volcano "Volcano" { category Scheduling name "Volcano" not "Volcano Engine" example "Volcano" => X }
"#;

fn rule_set() -> RuleSet {
    aiconf::load_rules(&[("probe.rule".into(), RULES.into())]).0
}

const GOOD_PRODUCT: &str = "metadata:\n  kubernetesVersion: v1.34\n  platformName: \"P\"\n  vendorName: \"V\"\nspec:\n  scheduling:\n    - id: gang_scheduling\n      status: \"Implemented\"\n      evidence: []\n      notes: \"Kueue.\"\n";

/// The corpus in a temporary folder, with the cases made at run time.
/// Returns it and whether an unreadable file could in fact be read (root).
fn corpus() -> (tempfile::TempDir, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    crate::util::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/bad-input"),
        root,
    );
    let v = root.join("v1.34");
    // A symbolic link to its own folder: walking into it would never end.
    std::fs::create_dir_all(v.join("symlink-loop")).unwrap();
    std::fs::write(v.join("symlink-loop/PRODUCT.yaml"), GOOD_PRODUCT).unwrap();
    std::os::unix::fs::symlink("..", v.join("symlink-loop/loop")).unwrap();
    // A link to nothing: listed, but its metadata cannot be read.
    std::fs::create_dir_all(v.join("dangling-link")).unwrap();
    std::fs::write(v.join("dangling-link/PRODUCT.yaml"), GOOD_PRODUCT).unwrap();
    std::os::unix::fs::symlink("does-not-exist.md", v.join("dangling-link/gone.md")).unwrap();
    // A file without read permission (root reads it all the same).
    std::fs::create_dir_all(v.join("unreadable")).unwrap();
    std::fs::write(v.join("unreadable/PRODUCT.yaml"), GOOD_PRODUCT).unwrap();
    let secret = v.join("unreadable/secret.md");
    std::fs::write(&secret, "Volcano v1.12 in secret.\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::File::open(&secret).is_ok();
    (tmp, readable_anyway)
}

/// Projects named per submission, as "Name" or "Name version".
fn named(scan: &Scan, rules: &RuleSet, id: &str) -> Vec<String> {
    let sub = scan
        .find_submission(id)
        .unwrap_or_else(|| panic!("submission {id} is missing"));
    scan.findings
        .iter()
        .filter(|f| f.submission == sub)
        .map(|f| match f.versions.first() {
            Some(v) => format!("{} {v}", rules.get(f.rule).name),
            None => rules.get(f.rule).name.clone(),
        })
        .collect()
}

#[test]
fn every_case_has_its_message_and_every_submission_is_scanned() {
    let (tmp, readable_anyway) = corpus();
    let rules = rule_set();
    let scan = crate::util::scan(&DirSource::new(tmp.path()), &rules).unwrap();
    // One row per case: what it still names despite the damage.
    let rows: &[(&str, &[&str])] = &[
        ("v1.34/good", &["Kueue 0.14.2"]),
        ("v1.34/malformed-yaml", &["Volcano 1.12"]),
        ("v1.34/spec-a-list", &["Kueue"]),
        ("v1.34/evidence-a-string", &["Kueue 0.14.2"]),
        ("v1.34/notes-a-number", &["Volcano"]),
        ("v1.34/missing-metadata", &["Kueue"]),
        ("v1.34/empty-file", &["Volcano"]),
        ("v1.34/bom", &["Kueue 0.14.2"]),
        ("v1.34/crlf", &["Kueue 0.14.2"]),
        ("v1.34/invalid-utf8", &["Kueue"]),
        ("v1.34/binary-text-name", &["Kueue 0.14.2"]),
        ("v1.34/deep-nesting", &["Kueue"]),
        ("v1.34/alias-bomb", &["Kueue"]),
        ("v1.34/duplicate-keys", &["Kueue 0.13", "Volcano 1.12"]),
        (
            "v1.34/name with spaces",
            &["Kueue 0.14.2", "Volcano 1.12.2"],
        ),
        ("v1.34/ünïcode-platform", &["Kueue 0.14.2"]),
        ("v1.34/no-product", &["Kueue"]),
        ("v1.34/symlink-loop", &["Kueue"]),
        ("v1.34/dangling-link", &["Kueue"]),
    ];
    for (id, want) in rows {
        assert_eq!(named(&scan, &rules, id), *want, "{id}");
    }
    assert_eq!(
        scan.submissions.len(),
        rows.len() + 1,
        "every submission, the unreadable one too"
    );
    let platform = |id: &str| {
        scan.submission(scan.find_submission(id).unwrap())
            .platform
            .clone()
    };
    assert_eq!(platform("v1.34/ünïcode-platform"), "Ünïcode Plätform");
    assert_eq!(platform("v1.34/bom"), "BOM");
    assert_eq!(
        platform("v1.34/duplicate-keys"),
        "Duplicate Keys Again",
        "the last of duplicate keys counts"
    );

    // The unreadable file: an E204 and the rest of its submission scanned, or,
    // where permissions do not stop this process (root), simply read.
    let secret = scan
        .diagnostics
        .iter()
        .find(|d| d.file.ends_with("secret.md"));
    if readable_anyway {
        eprintln!("note: running as a user that reads mode-000 files (root); the E204 path is tested with a failing Source below");
        assert!(secret.is_none(), "{secret:?}");
        assert_eq!(
            named(&scan, &rules, "v1.34/unreadable"),
            ["Kueue", "Volcano 1.12"]
        );
    } else {
        assert_eq!(secret.map(|d| d.code.as_str()), Some("E204"));
        assert_eq!(named(&scan, &rules, "v1.34/unreadable"), ["Kueue"]);
    }
    let lines: Vec<String> = scan
        .diagnostics
        .iter()
        .filter(|d| !d.file.ends_with("secret.md"))
        .map(|d| d.to_string())
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn positions_are_exact_with_crlf_and_a_bom() {
    let (tmp, _) = corpus();
    let rules = rule_set();
    let scan = crate::util::scan(&DirSource::new(tmp.path()), &rules).unwrap();
    for id in ["v1.34/crlf", "v1.34/bom", "v1.34/good"] {
        let f = &scan.findings[scan
            .findings
            .iter()
            .position(|f| f.submission == scan.find_submission(id).unwrap())
            .unwrap()];
        let ev = &f.evidence[0];
        assert_eq!(
            (ev.line, ev.column, ev.field.as_deref()),
            (13, 26, Some("spec.scheduling[0].notes")),
            "{id}"
        );
    }
}

/// A source whose reads of one file fail, as a vanished or locked file would.
struct Failing(DirSource);

impl Source for Failing {
    fn describe(&self) -> String {
        self.0.describe()
    }
    fn list(&self, diags: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        self.0.list(diags)
    }
    fn read(&self, entry: &FileEntry) -> io::Result<Vec<u8>> {
        if entry.path.ends_with("good/PRODUCT.yaml") {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "Permission denied (os error 13)",
            ));
        }
        self.0.read(entry)
    }
}

#[test]
fn a_file_that_cannot_be_read_is_reported_and_skipped() {
    let (tmp, _) = corpus();
    let rules = rule_set();
    let scan = crate::util::scan(&Failing(DirSource::new(tmp.path())), &rules).unwrap();
    let d = scan
        .diagnostics
        .iter()
        .find(|d| d.code == "E204")
        .expect("E204");
    assert_eq!(d.to_string(), "v1.34/good/PRODUCT.yaml: error[E204]: cannot read the file: Permission denied (os error 13); skipped");
    assert!(named(&scan, &rules, "v1.34/good").is_empty());
    assert_eq!(
        named(&scan, &rules, "v1.34/crlf"),
        ["Kueue 0.14.2"],
        "the others are scanned"
    );
}

fn aiconf(args: &[&str], corpus: &Path, rules_dir: &Path) -> (i32, String) {
    let (corpus, rules_dir) = (
        corpus.display().to_string(),
        rules_dir.display().to_string(),
    );
    let all: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--corpus", &corpus, "--rules", &rules_dir])
        .collect();
    let (code, stdout, _) = util::parts(&util::aiconf(&all));
    (code, stdout)
}

#[test]
fn scan_json_lists_errors_and_strict_fails() {
    let (tmp, _) = corpus();
    let rules_dir: PathBuf = tmp.path().join("probe-rules");
    std::fs::create_dir(&rules_dir).unwrap();
    std::fs::write(rules_dir.join("probe.rule"), RULES).unwrap();
    let (code, out) = aiconf(&["scan", "--format", "json"], tmp.path(), &rules_dir);
    assert_eq!(code, 0, "problems alone do not fail a scan");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["file"].as_str().unwrap().ends_with("secret.md"))
        .map(|e| {
            format!(
                "{} {}:{}:{} {}",
                e["code"].as_str().unwrap(),
                e["file"].as_str().unwrap(),
                e["line"],
                e["column"],
                e["severity"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
    assert_eq!(v["submissions"].as_array().unwrap().len(), 20);
    let (code, _) = aiconf(
        &["--strict", "scan", "--format", "json"],
        tmp.path(),
        &rules_dir,
    );
    assert_eq!(code, 1, "--strict turns problems into a failing exit code");
    let (code, _) = aiconf(&["--strict", "matrix"], tmp.path(), &rules_dir);
    assert_eq!(code, 1);
}

#[test]
fn links_to_one_crowded_folder_add_at_most_as_many_files_as_the_folders_hold_or_10000() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("v1.34/x");
    std::fs::create_dir_all(sub.join("shared")).unwrap();
    std::fs::write(sub.join("PRODUCT.yaml"), GOOD_PRODUCT).unwrap();
    for i in 0..3000 {
        std::fs::write(sub.join(format!("shared/n{i:04}.md")), "a note\n").unwrap();
    }
    // Five links to the folder of 3,000: followed, they would list 15,000 files more, past the
    // budget of 10,000 (the folders' own 3,001 files are fewer). A link to a file counts too.
    for i in 1..=5 {
        std::os::unix::fs::symlink("shared", sub.join(format!("copy{i}"))).unwrap();
    }
    std::os::unix::fs::symlink("shared/n0000.md", sub.join("one.md")).unwrap();
    let scan = crate::util::scan(&DirSource::new(tmp.path()), &rule_set()).unwrap();
    let files = &scan.submissions[0].files;
    assert_eq!(files.len(), 3001 + 3 * 3000 + 1);
    assert!(files.iter().any(|f| f == "v1.34/x/copy3/n2999.md"));
    assert!(files.iter().any(|f| f == "v1.34/x/one.md"));
    assert!(!files.iter().any(|f| f.starts_with("v1.34/x/copy4/")));
    let skipped: Vec<(&str, &str)> = scan
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [("W208", "v1.34/x/copy4"), ("W208", "v1.34/x/copy5")]
    );
    assert!(
        scan.diagnostics[0]
            .message
            .contains("the links already list 9000 files"),
        "{}",
        scan.diagnostics[0].message
    );
}
