//! A revision's tree listed from its objects: files with their blob ids and
//! sizes, symbolic links inside the tree followed once (adding at most as many
//! files as the tree holds, or 10,000). Trees are read
//! through the repository's `git cat-file --batch` processes and kept by id, so a
//! history reads each distinct folder once; sizes come from one
//! `git cat-file --batch-check`, each blob's once.

use std::sync::Arc;

use super::{Commit, Repo};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::corpus::FileEntry;

/// One entry of a tree object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    mode: u32,
    /// The name as written (lossy UTF-8): a crafted tree may hold `/`, `..`
    /// or control characters in it, which the corpus's checks report.
    name: String,
    /// The object id, in hexadecimal.
    oid: String,
}

/// What [`Repo::walk`] finds in a tree.
#[derive(Default)]
struct Walked {
    /// (path, blob id).
    files: Vec<(String, String)>,
    links: Vec<FileEntry>,
    /// Paths whose last name holds `/`.
    bad: Vec<String>,
}

const TREE: u32 = 0o040000;
const LINK: u32 = 0o120000;
const SUBMODULE: u32 = 0o160000;

/// The longest symbolic link target read (Linux's `PATH_MAX`).
const MAX_LINK: u64 = 4096;

/// The entries of a tree object: `MODE SP NAME NUL ID` repeated, the id
/// `id_len` raw bytes (20 for SHA-1, 32 for SHA-256).
fn parse_tree(bytes: &[u8], id_len: usize) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let bad = || "a malformed tree object".to_string();
        let sp = rest.iter().position(|&b| b == b' ').ok_or_else(bad)?;
        let mode = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|m| u32::from_str_radix(m, 8).ok())
            .ok_or_else(bad)?;
        rest = &rest[sp + 1..];
        let nul = rest.iter().position(|&b| b == 0).ok_or_else(bad)?;
        let name = String::from_utf8_lossy(&rest[..nul]).into_owned();
        rest = &rest[nul + 1..];
        if rest.len() < id_len {
            return Err(bad());
        }
        let oid = hex(&rest[..id_len]);
        rest = &rest[id_len..];
        out.push(Entry { mode, name, oid });
    }
    Ok(out)
}

/// `bytes` in lower-case hexadecimal (one allocation: a tree of 100,000 entries makes as many).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

impl Repo {
    /// A tree's entries, read once per id.
    fn tree(&self, name: &str, id_len: usize) -> Result<Arc<[Entry]>, String> {
        if let Some(t) = self
            .trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return Ok(Arc::clone(t));
        }
        let (kind, bytes) = self.object(name).map_err(|e| e.to_string())?;
        if kind != "tree" {
            return Err(format!("object {name} is a {kind}, not a folder"));
        }
        let entries: Arc<[Entry]> = parse_tree(&bytes, id_len)?.into();
        self.trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), Arc::clone(&entries));
        Ok(entries)
    }

    /// Every file of the commit's tree, sorted by path, with blob ids and sizes.
    /// Symbolic links to a file or folder inside the tree are followed once;
    /// submodules and other links are skipped with a warning.
    pub fn list_tree(
        &self,
        commit: &Commit,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Vec<FileEntry>, Diagnostic> {
        let failed = |e: String| {
            Diagnostic::error(
                Code::E253,
                &self.shown,
                format!("cannot list the tree of {}: {e}", commit.short()),
            )
        };
        let walked = self.walk(commit, diags).map_err(failed)?;
        let oids: Vec<&str> = walked.files.iter().map(|(_, o)| o.as_str()).collect();
        let sizes = self.blob_sizes(&oids).map_err(|e| failed(e.to_string()))?;
        let mut files: Vec<FileEntry> = walked
            .files
            .into_iter()
            .zip(sizes)
            // A blob missing from the repository is still listed: reading it fails, and the scan
            // names the file (E204), never the whole revision.
            .map(|((path, oid), size)| FileEntry {
                path,
                size: size.unwrap_or(0),
                content_id: Some(oid),
            })
            .collect();
        let mut bad = walked.bad;
        bad.sort();
        bad.dedup();
        for b in &bad {
            diags.push(Diagnostic::error(
                Code::E205,
                b,
                "a name holding `/` (a crafted tree entry) is not a file or folder name: skipped, with everything under it",
            ));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        self.follow_links(walked.links, &mut files, diags);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        Ok(files)
    }

    /// The commit's tree, folder by folder: files (path, blob id), symbolic
    /// links, and names holding `/` (not descended into); submodules and
    /// entries of unknown modes are warned about and left out.
    fn walk(&self, commit: &Commit, diags: &mut Vec<Diagnostic>) -> Result<Walked, String> {
        let id_len = commit.id.len() / 2;
        let mut out = Walked::default();
        let root = self.tree(&format!("{}^{{tree}}", commit.id), id_len)?;
        let mut folders = vec![(String::new(), root)];
        while let Some((prefix, entries)) = folders.pop() {
            for e in entries.iter() {
                let path = if prefix.is_empty() {
                    e.name.clone()
                } else {
                    format!("{prefix}/{}", e.name)
                };
                if e.name.contains('/') {
                    out.bad.push(path);
                    continue;
                }
                match e.mode {
                    TREE => folders.push((path, self.tree(&e.oid, id_len)?)),
                    LINK => out.links.push(FileEntry {
                        path,
                        size: 0,
                        content_id: Some(e.oid.clone()),
                    }),
                    m if m & 0o170000 == 0o100000 => out.files.push((path, e.oid.clone())),
                    m => {
                        let kind = if m == SUBMODULE {
                            "commit".to_string()
                        } else {
                            format!("mode {m:o}")
                        };
                        diags.push(Diagnostic::warning(
                            Code::W251,
                            &path,
                            format!("{kind} entry (a submodule?) in the tree: skipped"),
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Lists what the symbolic links point at, under their own paths. Each is looked up among
    /// the tree's own `files` (sorted by path: a binary search, so many links cost no more than
    /// many files; a link to a link is not followed), and all of them together add at most as
    /// many files as the tree holds (at least [`MIN_LINKED_FILES`](crate::source::limit::MIN_LINKED_FILES)):
    /// past that, a link is skipped with a warning (W252), so that a few links to one crowded
    /// folder cannot multiply the listing.
    fn follow_links(
        &self,
        links: Vec<FileEntry>,
        files: &mut Vec<FileEntry>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let budget = crate::source::limit::linked_budget(files.len());
        let mut added = Vec::new();
        for link in links {
            let Some(resolved) = self.link_target(&link, diags) else {
                continue;
            };
            let (exact, under) = linked(files, &resolved);
            let count = usize::from(exact.is_some()) + under.len();
            if count == 0 {
                diags.push(Diagnostic::warning(
                    Code::W252,
                    &link.path,
                    format!("symbolic link to `{resolved}`, which is not in the tree: skipped"),
                ));
            } else if added.len() + count > budget {
                diags.push(Diagnostic::warning(
                    Code::W252,
                    &link.path,
                    format!(
                        "symbolic link to `{resolved}` ({count} files) not followed: the tree's links already list {} files, and may list at most {budget} (as many as the tree holds, and at least {})",
                        added.len(),
                        crate::source::limit::MIN_LINKED_FILES
                    ),
                ));
            } else {
                let renamed = |f: &FileEntry, path: String| FileEntry { path, ..f.clone() };
                if let Some(i) = exact {
                    added.push(renamed(&files[i], link.path.clone()));
                }
                let cut = resolved.len() + 1;
                added.extend(
                    files[under]
                        .iter()
                        .map(|f| renamed(f, format!("{}/{}", link.path, &f.path[cut..]))),
                );
            }
        }
        files.extend(added);
    }

    /// The path inside the tree that a symbolic link names, or a warning (W252) when its blob
    /// is too long to be a path (it is never read) or it leaves the tree.
    fn link_target(&self, link: &FileEntry, diags: &mut Vec<Diagnostic>) -> Option<String> {
        let oid = link.content_id.as_deref().unwrap_or("");
        // A crafted link's blob can be of any size: only a path's worth is ever read.
        if !self
            .blob_sizes(&[oid])
            .is_ok_and(|s| s[0].is_some_and(|n| n <= MAX_LINK))
        {
            diags.push(Diagnostic::warning(
                Code::W252,
                &link.path,
                format!(
                    "symbolic link whose target is not a path of at most {MAX_LINK} bytes: skipped"
                ),
            ));
            return None;
        }
        let target = self
            .read_blob(oid)
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let resolved = target.ok().and_then(|t| resolve_link(&link.path, &t));
        if resolved.is_none() {
            diags.push(Diagnostic::warning(
                Code::W252,
                &link.path,
                "symbolic link that leaves the tree: skipped",
            ));
        }
        resolved
    }
}

/// In `files` (sorted by path): the index of the file `path`, if any, and the range of the
/// files under the folder `path`.
fn linked(files: &[FileEntry], path: &str) -> (Option<usize>, std::ops::Range<usize>) {
    let exact = files.binary_search_by(|f| f.path.as_str().cmp(path)).ok();
    // Under `path/`: from the first path not below `path/` to the first not below `path0`
    // (`0` is the byte after `/`).
    let (below, after) = (format!("{path}/"), format!("{path}0"));
    let start = files.partition_point(|f| f.path < below);
    let end = files.partition_point(|f| f.path < after);
    (exact, start..end.max(start))
}

/// `dir/link` pointing at `target`: the path it names inside the tree, if any.
fn resolve_link(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for p in target.trim_end_matches('/').split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::{linked, parse_tree, resolve_link, Entry};
    use crate::source::corpus::FileEntry;

    #[test]
    fn tree_objects_parse_and_malformed_ones_are_errors() {
        let mut t = b"100644 a b\0".to_vec();
        t.extend([0xab; 20]);
        t.extend(b"40000 dir\0");
        t.extend([0x01; 20]);
        let entries = parse_tree(&t, 20).unwrap();
        assert_eq!(
            entries,
            [
                Entry {
                    mode: 0o100644,
                    name: "a b".into(),
                    oid: "ab".repeat(20)
                },
                Entry {
                    mode: 0o040000,
                    name: "dir".into(),
                    oid: "01".repeat(20)
                },
            ]
        );
        assert!(parse_tree(&t[..t.len() - 1], 20).is_err());
        assert!(parse_tree(b"100644 name-without-end", 20).is_err());
        assert!(parse_tree(b"10x644 a\0", 20).is_err());
    }

    #[test]
    fn a_linked_path_is_found_as_a_file_and_as_a_folder() {
        let files: Vec<FileEntry> = ["a", "a-b", "a.x", "a/1", "a/2/3", "a0", "ab", "b/a"]
            .iter()
            .map(|p| FileEntry {
                path: p.to_string(),
                size: 0,
                content_id: None,
            })
            .collect();
        assert_eq!(linked(&files, "a"), (Some(0), 3..5));
        assert_eq!(linked(&files, "a/2"), (None, 4..5));
        assert_eq!(linked(&files, "b"), (None, 7..8));
        assert_eq!(linked(&files, "c").0, None);
        assert!(linked(&files, "c").1.is_empty());
    }

    #[test]
    fn links_resolve_inside_the_tree_only() {
        assert_eq!(
            resolve_link("v1.34/a/README.md", "../b/README.md").as_deref(),
            Some("v1.34/b/README.md")
        );
        assert_eq!(
            resolve_link("v1.34/a/docs", "./shared").as_deref(),
            Some("v1.34/a/shared")
        );
        assert_eq!(resolve_link("a/b", "../../../etc/passwd"), None);
        assert_eq!(resolve_link("a/b", "/etc/passwd"), None);
    }
}
