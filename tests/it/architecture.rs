//! ARCHITECTURE.md against `src/`: the tree drawing names every stage folder and only those, and
//! every source path its stage table names exists, with a path in every stage folder; the binary
//! stays thin and no source file grows over 600 lines.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md reads")
}

/// The folders directly under `dir`.
fn folders(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry"))
        .filter(|e| e.file_type().expect("a file type").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The drawing of `src/`: each folder line (`  name/   what it is`) as its path, `rules/engine`
/// for a line indented under `rules/`.
fn drawn(doc: &str) -> Vec<String> {
    let start = doc
        .find("```text\nsrc/\n")
        .expect("ARCHITECTURE.md draws the tree of src/ in a text block starting `src/`");
    let body = &doc[start + "```text\nsrc/\n".len()..];
    let body = &body[..body.find("```").expect("the drawing's block ends")];
    let mut out = Vec::new();
    let mut parent = String::new();
    for line in body.lines() {
        let indent = line.len() - line.trim_start().len();
        let Some(name) = line
            .split_whitespace()
            .next()
            .and_then(|w| w.strip_suffix('/'))
        else {
            panic!("a line of the drawing that names no folder: {line:?}");
        };
        match indent {
            2 => {
                parent = name.to_string();
                out.push(parent.clone());
            }
            4 => out.push(format!("{parent}/{name}")),
            _ => panic!("a line of the drawing indented {indent}, not 2 or 4: {line:?}"),
        }
    }
    out
}

#[test]
fn the_drawing_names_every_top_level_folder_of_src_and_only_those() {
    let drawn = drawn(&architecture());
    let top: BTreeSet<String> = drawn.iter().filter(|p| !p.contains('/')).cloned().collect();
    let actual = folders(&root().join("src"));
    let missing: Vec<_> = actual.difference(&top).collect();
    let extra: Vec<_> = top.difference(&actual).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "src/ folders not in ARCHITECTURE.md's drawing: {missing:?}; drawn but not in src/: {extra:?}"
    );
    assert!(
        top.len() <= 12,
        "{} stage folders, more than a dozen: {top:?}",
        top.len()
    );
    for nested in drawn.iter().filter(|p| p.contains('/')) {
        assert!(
            root().join("src").join(nested).is_dir(),
            "ARCHITECTURE.md draws src/{nested}/, which is not a folder"
        );
    }
}

#[test]
fn every_source_path_of_the_stage_table_exists_and_every_stage_has_one() {
    let doc = architecture();
    let top = folders(&root().join("src"));
    let mut checked = 0;
    let mut stages_named = BTreeSet::new();
    for line in doc.lines().filter(|l| l.starts_with("| ")) {
        // Backticked words of the table that start with a stage folder: `scan/hits.rs`, `tools/lsp/`.
        for (i, word) in line.split('`').enumerate() {
            let is_code = i % 2 == 1;
            let stage = word.split('/').next().unwrap_or("");
            if !is_code || !word.contains('/') || !top.contains(stage) || word.contains(' ') {
                continue;
            }
            let path = root().join("src").join(word);
            assert!(
                path.exists(),
                "ARCHITECTURE.md's stage table names `{word}`, which is not src/{word}"
            );
            checked += 1;
            stages_named.insert(stage.to_string());
        }
    }
    assert!(
        checked >= 20,
        "only {checked} paths found in the stage table"
    );
    let unnamed: Vec<_> = top.difference(&stages_named).collect();
    assert!(
        unnamed.is_empty(),
        "stage folders the stage table names no path in: {unnamed:?}"
    );
}

/// Every `.rs` file below `dir`, with its number of lines.
fn line_counts(dir: &Path, out: &mut Vec<(String, usize)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            line_counts(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text.lines().count()));
        }
    }
}

/// Issue 10's limits on size: a thin binary (under 80 lines) and no source file over 600 lines,
/// so that each file owns one thing a reader can hold.
#[test]
fn the_binary_is_thin_and_no_source_file_is_over_600_lines() {
    let mut counts = Vec::new();
    line_counts(&root().join("src"), &mut counts);
    assert!(counts.len() > 50, "{} files", counts.len());
    let main = counts
        .iter()
        .find(|(p, _)| p.ends_with("src/main.rs"))
        .expect("src/main.rs");
    assert!(main.1 < 80, "src/main.rs has {} lines", main.1);
    let long: Vec<_> = counts.iter().filter(|(_, n)| *n > 600).collect();
    assert!(long.is_empty(), "over 600 lines: {long:?}");
}
