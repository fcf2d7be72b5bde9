//! The corpus built into the binary: the data files of
//! cncf/k8s-ai-conformance at commit 223d15f (2026-03-16), the state the
//! published analysis describes (28 submissions, the checklist templates and
//! the repository's Apache-2.0 LICENSE; images left out, as the scan skips
//! them). With no `--corpus`, no `AICONF_CORPUS` and no synced clone, every
//! command reads it, offline. `scripts/embed-corpus.py` makes the snapshot
//! (`assets/corpus-223d15f.bin`: a zlib stream of `PATH \0 SIZE \0 BYTES`
//! records); a test checks that it scans to the same results as the
//! directory it was made from.

use std::io;
use std::sync::OnceLock;

use super::corpus::{FileEntry, Source};
use crate::diagnostic::{Code, Diagnostic};

/// The compressed snapshot.
const SNAPSHOT: &[u8] = include_bytes!("../../assets/corpus-223d15f.bin");

/// The commit the snapshot is of.
pub const COMMIT: &str = "223d15f97434ea478f1440d73901435d16503682";
/// Its date.
pub const DATE: &str = "2026-03-16";
/// The repository it is a copy of.
pub const REPOSITORY: &str = "https://github.com/cncf/k8s-ai-conformance";

/// One line on where the embedded corpus comes from (for `--version` and the note commands print).
pub fn provenance() -> String {
    format!(
        "embedded snapshot of cncf/k8s-ai-conformance at {} ({DATE}; Apache-2.0; images left out)",
        &COMMIT[..7]
    )
}

/// The unpacked files: (path, bytes) in path order.
type Files = Vec<(String, Vec<u8>)>;

/// The embedded corpus, unpacked on first use.
pub struct EmbeddedSource {
    files: &'static [(String, Vec<u8>)],
}

impl EmbeddedSource {
    pub fn open() -> Result<EmbeddedSource, Diagnostic> {
        static FILES: OnceLock<Result<Files, String>> = OnceLock::new();
        match FILES.get_or_init(|| unpack(SNAPSHOT)) {
            Ok(files) => Ok(EmbeddedSource { files }),
            Err(why) => Err(Diagnostic::error(
                Code::E200,
                "embedded corpus",
                format!("the embedded corpus cannot be read: {why}"),
            )),
        }
    }
}

/// The records of a snapshot, or why it is malformed.
fn unpack(packed: &[u8]) -> Result<Files, String> {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(packed)
        .map_err(|e| format!("not a zlib stream ({e:?})"))?;
    let mut files = Vec::new();
    let mut rest = raw.as_slice();
    while !rest.is_empty() {
        let field = |r: &[u8]| -> Result<usize, String> {
            r.iter()
                .position(|&b| b == 0)
                .ok_or_else(|| "a record without its separator".to_string())
        };
        let p = field(rest)?;
        let path = String::from_utf8(rest[..p].to_vec()).map_err(|_| "a path that is not UTF-8")?;
        rest = &rest[p + 1..];
        let s = field(rest)?;
        let size: usize = std::str::from_utf8(&rest[..s])
            .ok()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("a bad size for {path}"))?;
        rest = &rest[s + 1..];
        if rest.len() < size {
            return Err(format!("{path} is cut short"));
        }
        files.push((path, rest[..size].to_vec()));
        rest = &rest[size..];
    }
    Ok(files)
}

impl Source for EmbeddedSource {
    fn describe(&self) -> String {
        provenance()
    }

    fn list(&self, _diags: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        Ok(self
            .files
            .iter()
            .map(|(path, bytes)| FileEntry {
                path: path.clone(),
                size: bytes.len() as u64,
                content_id: None,
            })
            .collect())
    }

    fn read(&self, entry: &FileEntry) -> io::Result<Vec<u8>> {
        self.files
            .binary_search_by(|(p, _)| p.as_str().cmp(&entry.path))
            .map(|i| self.files[i].1.clone())
            .map_err(|_| io::Error::new(io::ErrorKind::NotFound, entry.path.clone()))
    }

    fn revision(&self) -> Option<crate::source::Revision> {
        Some(crate::source::Revision {
            commit: COMMIT.to_string(),
            date: DATE.to_string(),
            github: Some(REPOSITORY.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_unpacks_to_the_baseline_files_in_path_order() {
        let s = EmbeddedSource::open().unwrap();
        let files = s.list(&mut Vec::new()).unwrap();
        let submissions = files
            .iter()
            .filter(|f| f.path.ends_with("/PRODUCT.yaml"))
            .count();
        assert_eq!(submissions, 28);
        assert!(files.iter().any(|f| f.path == "LICENSE"));
        assert!(files
            .iter()
            .any(|f| f.path.starts_with("docs/AIConformance-")));
        assert!(files.windows(2).all(|w| w[0].path < w[1].path));
        assert!(!files.iter().any(|f| f.path.ends_with(".png")));
    }

    #[test]
    fn a_damaged_snapshot_is_an_error_not_a_panic() {
        assert!(unpack(b"not zlib").is_err());
        let cut = miniz_oxide::deflate::compress_to_vec_zlib(b"a\09\0abc", 6);
        assert!(unpack(&cut).unwrap_err().contains("cut short"));
        let bad = miniz_oxide::deflate::compress_to_vec_zlib(b"a\0x\0abc", 6);
        assert!(unpack(&bad).is_err());
    }
}
