//! Large files are scanned in overlapping chunks, never held whole: the
//! chunked scan finds exactly what the whole-file scan finds (table of
//! tricky texts, then random texts), a file full of mentions folds into the
//! same findings with bounded evidence, and a file of hundreds of MB is
//! scanned with bounded memory (peak RSS of this test process).

use std::io::{self, Write};

use aiconf::{
    ChunkSize, Diagnostic, DirSource, Evidence, FileEntry, FileScan, Matcher, RuleSet, Source,
    Templates, LARGE_FILE,
};
use proptest::prelude::*;

const RULES: &str = r#"
project kueue "Kueue" { category Scheduling name "Kueue" kind "ClusterQueue" }
project volcano "Volcano" { category Scheduling name "Volcano" not "Volcano Engine" }
project kai "KAI Scheduler" { category Scheduling name "KAI Scheduler" match /kai-scheduler(-[a-z]+)?/ }
project ray "Ray" { category "AI Framework" name "Ray" }
"#;

fn rule_set() -> RuleSet {
    let (set, d) = aiconf::load_rules(&[("t.rule".into(), RULES.into())]);
    assert!(d.is_empty(), "{d:?}");
    set
}

fn templates() -> Templates {
    Templates::from_texts([
        "      description: \"Support gang scheduling with a tool like Kueue or Volcano.\"\n",
    ])
}

/// One file in memory.
struct Mem(Vec<u8>);

impl Source for Mem {
    fn describe(&self) -> String {
        "memory".into()
    }
    fn list(&self, _: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        Ok(vec![entry(self.0.len())])
    }
    fn read(&self, _: &FileEntry) -> io::Result<Vec<u8>> {
        Ok(self.0.clone())
    }
}

fn entry(size: usize) -> FileEntry {
    FileEntry {
        path: "v1.34/x/notes.md".into(),
        size: size as u64,
        content_id: None,
    }
}

/// A source whose every file fails to read.
struct Unreadable;

impl Source for Unreadable {
    fn describe(&self) -> String {
        "unreadable".into()
    }
    fn list(&self, _: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        Ok(Vec::new())
    }
    fn read(&self, _: &FileEntry) -> io::Result<Vec<u8>> {
        Err(io::Error::other("read refused"))
    }
}

/// An image or an archive by its name is skipped unread: reading it would fail here, and a
/// text file of the same source does say so.
#[test]
fn a_file_binary_by_its_name_is_never_read() {
    let scan = |path: &str| {
        let e = FileEntry {
            path: path.into(),
            size: 4 << 20,
            content_id: None,
        };
        aiconf::scan_file(
            &Unreadable,
            &e,
            &Matcher::compile(&rule_set()),
            &templates(),
        )
    };
    for path in [
        "v1.34/x/diagram.png",
        "v1.34/x/logs.tar.gz",
        "v1.34/x/Photo.JPG",
    ] {
        let fs = scan(path);
        assert!(fs.diagnostics.is_empty(), "{path}: {:?}", fs.diagnostics);
        assert_eq!(fs.bytes, 0, "{path}");
    }
    assert!(!scan("v1.34/x/notes.md").diagnostics.is_empty());
}

/// Evidence without the quote (cut at a chunk's edge) for comparison.
fn key(fs: &FileScan) -> Vec<(u32, usize, usize, String, Option<String>, bool)> {
    let mut v: Vec<_> = fs
        .evidence
        .iter()
        .map(|(r, e): &(_, Evidence)| {
            (
                r.0,
                e.line,
                e.column,
                e.text.clone(),
                e.version.clone(),
                e.negated,
            )
        })
        .collect();
    v.sort();
    v
}

const SMALL: ChunkSize = ChunkSize {
    chunk: 64,
    overlap: 300,
    context: 260,
};

fn whole_and_chunked(text: &[u8], size: ChunkSize) -> (FileScan, FileScan) {
    let set = rule_set();
    let m = Matcher::compile(&set);
    let t = templates();
    let src = Mem(text.to_vec());
    let whole = aiconf::scan_file(&src, &entry(text.len()), &m, &t);
    let chunked = aiconf::scan_large_file(&src, &entry(text.len()), &m, &t, size);
    (whole, chunked)
}

#[test]
fn chunked_scan_equals_whole_scan_on_tricky_texts() {
    let filler = "lorem ipsum dolor sit amet ".repeat(60);
    let cases: Vec<(&str, String)> = vec![
        ("mentions everywhere", format!("{filler}Kueue v0.14.2\n{filler}Volcano 1.12 and Volcano Engine\n{filler}kai-scheduler-operator\n").repeat(8)),
        ("one very long line", format!("{filler}Kueue v1.2 ").repeat(40)),
        ("multi-byte characters at every offset", format!("é€😀 {filler}Kueue 0.9 ü").repeat(30)),
        ("CRLF", format!("{filler}\r\nRay 2.9 is not used\r\n").repeat(20)),
        ("negations and template sentences", format!("{filler}. We do not run Volcano. Support gang scheduling with a tool like Kueue or Volcano.\n").repeat(12)),
        ("invalid UTF-8", format!("{filler}Kueue 0.1\u{fffd}").repeat(10)),
    ];
    for (name, text) in cases {
        let mut bytes = text.into_bytes();
        if name == "invalid UTF-8" {
            // Replace each U+FFFD with a lone invalid byte.
            bytes = String::from_utf8(bytes)
                .unwrap()
                .replace('\u{fffd}', "\u{1}")
                .into_bytes();
            for b in bytes.iter_mut().filter(|b| **b == 1) {
                *b = 0xff;
            }
        }
        let (whole, chunked) = whole_and_chunked(&bytes, SMALL);
        assert!(!whole.evidence.is_empty(), "{name}: nothing found");
        assert_eq!(key(&whole), key(&chunked), "{name}");
        assert_eq!(whole.tallies, chunked.tallies, "{name}");
        let codes = |f: &FileScan| {
            f.diagnostics
                .iter()
                .map(|d| (d.code, d.line, d.column))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&whole), codes(&chunked), "{name}");
        assert_eq!(chunked.bytes, bytes.len() as u64, "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn chunked_scan_equals_whole_scan(parts in proptest::collection::vec(prop_oneof![
        Just("Kueue".to_string()), Just(" v0.14.2".to_string()), Just("Volcano Engine".to_string()),
        Just("Volcano".to_string()), Just("kai-scheduler-x".to_string()), Just(" not ".to_string()),
        Just("\n".to_string()), Just("\r\n".to_string()), Just(". ".to_string()), Just("é€".to_string()),
        Just("Ray".to_string()), Just("array".to_string()), "[a-z ]{1,40}",
    ], 1..400), chunk in 1usize..3000) {
        let text = parts.concat();
        let size = ChunkSize { chunk, ..SMALL };
        let (whole, chunked) = whole_and_chunked(text.as_bytes(), size);
        prop_assert_eq!(key(&whole), key(&chunked));
    }
}

#[test]
fn a_file_full_of_mentions_keeps_bounded_evidence_and_the_same_findings() {
    let text: String = (0..500)
        .map(|i| {
            format!(
                "Kueue {}.{} is {}used\n",
                i % 7,
                i % 3,
                if i % 2 == 0 { "" } else { "not " }
            )
        })
        .collect();
    let all = kept_and_tallied_fold_as_every_mention_whole(text);
    assert_eq!(all[0].mentions, 500);
    assert_eq!(all[0].versions.len(), 21);
}

/// The mentions past the kept evidence are read for their stance too: a file whose first
/// hundred mentions are negations and whose later ones are hedged, then one a use.
#[test]
fn the_stance_of_mentions_past_the_kept_evidence_still_counts() {
    let negated = "Kueue is not used.\n".repeat(100);
    let hedged = "Kueue can be installed.\n".repeat(30);
    for (tail, negated_flag, hedged_flag) in [
        ("", true, false),
        (hedged.as_str(), false, true),
        (&format!("{hedged}We run Kueue 0.9.\n"), false, false),
    ] {
        let all = kept_and_tallied_fold_as_every_mention_whole(format!("{negated}{tail}"));
        assert_eq!(
            (all[0].negated, all[0].hedged),
            (negated_flag, hedged_flag),
            "{tail:?}"
        );
    }
}

/// Scans `text` as a file (its first mentions kept whole, the rest tallied) and checks the
/// findings folded from that are those every mention kept whole gives; returns the latter.
fn kept_and_tallied_fold_as_every_mention_whole(text: String) -> Vec<aiconf::Finding> {
    let set = rule_set();
    let m = Matcher::compile(&set);
    let src = Mem(text.clone().into_bytes());
    let fs = aiconf::scan_file(&src, &entry(text.len()), &m, &templates());
    assert_eq!(fs.evidence.len(), aiconf::MAX_EVIDENCE);
    assert_eq!(
        fs.tallies[0].1.mentions,
        text.lines().count() - aiconf::MAX_EVIDENCE
    );
    // Folding kept evidence and tallies gives what folding every mention gives.
    let doc = aiconf::build_document(
        "v1.34/x/notes.md",
        text.into_bytes(),
        &templates(),
        &mut Vec::new(),
    )
    .unwrap();
    let all = aiconf::collect_findings(
        aiconf::scan_document(&m, &doc)
            .into_iter()
            .map(|(r, e)| (aiconf::SubmissionId(0), r, e)),
    );
    let folded = aiconf::collect_mentions(
        fs.evidence
            .into_iter()
            .map(|(r, e)| (aiconf::SubmissionId(0), r, aiconf::Mention::One(e)))
            .chain(
                fs.tallies
                    .into_iter()
                    .map(|(r, t)| (aiconf::SubmissionId(0), r, aiconf::Mention::Many(t))),
            ),
    );
    assert_eq!(format!("{all:?}"), format!("{folded:?}"));
    all
}

/// Set in a test's own process (see [`in_own_process`]).
const ALONE: &str = "AICONF_TEST_ALONE";

/// Peak memory is the whole process's, and `cargo test` runs many tests in one process at
/// once: a test that asserts it runs itself again in a process of its own (`name` is its
/// path in this binary). True in that process: go on and measure. False in the test's first
/// process, once the other has run it and passed.
pub(crate) fn in_own_process(name: &str) -> bool {
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}, in a process of its own:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

/// Peak resident memory of this process (Linux), in KiB.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_file_of_hundreds_of_megabytes_is_scanned_with_bounded_memory() {
    if !in_own_process(
        "large_files::a_file_of_hundreds_of_megabytes_is_scanned_with_bounded_memory",
    ) {
        return;
    }
    const SIZE: u64 = 320 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v1.34/huge");
    std::fs::create_dir_all(&dir).unwrap();
    let product =
        "metadata:\n  kubernetesVersion: v1.34\n  platformName: Huge\n  vendorName: V\nspec: {}\n";
    std::fs::write(dir.join("PRODUCT.yaml"), product).unwrap();
    let mut mention_lines = Vec::new();
    {
        // Written a block at a time: the test itself never holds the file.
        let mut f = io::BufWriter::new(std::fs::File::create(dir.join("conformance.log")).unwrap());
        let line = "I0319 12:00:00.000000 1 controller.go:42] reconciling pods in namespace default, nothing to do\n";
        let block = line.repeat((1 << 20) / line.len());
        let lines_per_block = block.matches('\n').count();
        let mut written = 0u64;
        let mut lines = 0;
        let mut i = 0;
        while written < SIZE {
            f.write_all(block.as_bytes()).unwrap();
            written += block.len() as u64;
            lines += lines_per_block;
            i += 1;
            if i % 100 == 0 {
                let mention = format!("deployed the queue manager, Kueue v0.{i}.0 ready\n");
                f.write_all(mention.as_bytes()).unwrap();
                written += mention.len() as u64;
                lines += 1;
                mention_lines.push(lines);
            }
        }
        f.flush().unwrap();
    }
    let size = std::fs::metadata(dir.join("conformance.log"))
        .unwrap()
        .len();
    assert!(size >= SIZE && SIZE > 10 * LARGE_FILE);
    let before = peak_rss_kib();
    let scan = crate::util::scan(&DirSource::new(tmp.path()), &rule_set()).unwrap();
    let after = peak_rss_kib();
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    assert_eq!(scan.bytes, size + product.len() as u64);
    let f = &scan.findings[0];
    assert_eq!(f.mentions, 3);
    assert_eq!(f.versions, ["0.100.0", "0.200.0", "0.300.0"]);
    let ev = &f.evidence[2];
    assert_eq!(
        (ev.file.as_str(), ev.text.as_str()),
        ("v1.34/huge/conformance.log", "Kueue")
    );
    // Line numbers count every line of the file before the mention.
    let found: Vec<usize> = f.evidence.iter().map(|e| e.line).collect();
    assert_eq!(found, mention_lines);
    assert_eq!(ev.column, "deployed the queue manager, ".len() + 1);
    if let (Some(before), Some(after)) = (before, after) {
        eprintln!(
            "peak RSS: {before} KiB before the scan, {after} KiB after; file {} MiB",
            size >> 20
        );
        // Holding the file whole would take at least its size; chunks take a few MiB.
        assert!(
            after < 160 * 1024,
            "peak RSS {after} KiB for a {} MiB file",
            size >> 20
        );
    }
}
