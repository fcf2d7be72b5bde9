//! A revision's tree listed (`git ls-tree -r -t -l -z`): files with their
//! blob ids and sizes, symbolic links inside the tree followed once.

use std::collections::HashSet;

use super::{Commit, Repo};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::corpus::FileEntry;

impl Repo {
    /// Every file of the commit's tree, sorted by path, with blob ids and sizes.
    /// Symbolic links to a file or folder inside the tree are followed once;
    /// submodules and other links are skipped with a warning.
    pub fn list_tree(
        &self,
        commit: &Commit,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Vec<FileEntry>, Diagnostic> {
        let out = self
            .run(["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", &commit.id])
            .map_err(|e| {
                Diagnostic::error(
                    Code::E253,
                    &self.shown,
                    format!("cannot list the tree of {}: {e}", commit.short()),
                )
            })?;
        let (mut files, mut links, trees) = entries(&out, diags);
        drop_slashed(&trees, &mut files, &mut links, diags);
        for link in links {
            self.follow_link(&link, &mut files, diags);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        Ok(files)
    }

    /// Lists what a symbolic link points at, under the link's own path.
    fn follow_link(
        &self,
        link: &FileEntry,
        files: &mut Vec<FileEntry>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let target = self
            .read_blob(link.content_id.as_deref().unwrap_or(""))
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let resolved = target.ok().and_then(|t| resolve_link(&link.path, &t));
        let Some(resolved) = resolved else {
            diags.push(Diagnostic::warning(
                Code::W252,
                &link.path,
                "symbolic link that leaves the tree: skipped",
            ));
            return;
        };
        let prefix = format!("{resolved}/");
        let found: Vec<FileEntry> = files
            .iter()
            .filter_map(|f| {
                if f.path == resolved {
                    Some(FileEntry {
                        path: link.path.clone(),
                        ..f.clone()
                    })
                } else {
                    f.path.strip_prefix(&prefix).map(|rest| FileEntry {
                        path: format!("{}/{rest}", link.path),
                        ..f.clone()
                    })
                }
            })
            .collect();
        if found.is_empty() {
            diags.push(Diagnostic::warning(
                Code::W252,
                &link.path,
                format!("symbolic link to `{resolved}`, which is not in the tree: skipped"),
            ));
        }
        files.extend(found);
    }
}

/// The records of `git ls-tree -r -t -l -z`: files, symbolic links, and folders; other entries
/// (submodules) skipped with a warning.
fn entries(
    out: &[u8],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<FileEntry>, Vec<FileEntry>, HashSet<String>) {
    let mut files = Vec::new();
    let mut links = Vec::new();
    // Folders (`-t` lists them too): a path whose parent is not one was made of an entry
    // whose name holds a `/`, which git never writes but a crafted tree can hold.
    let mut trees = HashSet::new();
    for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut m = meta.split_whitespace();
        let (mode, kind, oid, size) = (
            m.next().unwrap_or(""),
            m.next().unwrap_or(""),
            m.next().unwrap_or(""),
            m.next().unwrap_or(""),
        );
        let entry = FileEntry {
            path: path.to_string(),
            size: size.parse().unwrap_or(0),
            content_id: Some(oid.to_string()),
        };
        match (mode, kind) {
            (_, "tree") => {
                trees.insert(entry.path);
            }
            ("120000", _) => links.push(entry),
            (_, "blob") => files.push(entry),
            _ => diags.push(Diagnostic::warning(
                Code::W251,
                path,
                format!("{kind} entry (a submodule?) in the tree: skipped"),
            )),
        }
    }
    (files, links, trees)
}

/// Drops every entry whose name holds `/` (its parent is no folder), with everything under it
/// (E205).
fn drop_slashed(
    trees: &HashSet<String>,
    files: &mut Vec<FileEntry>,
    links: &mut Vec<FileEntry>,
    diags: &mut Vec<Diagnostic>,
) {
    let slashed = |path: &str| {
        path.rsplit_once('/')
            .is_some_and(|(p, _)| !trees.contains(p))
    };
    let mut bad: Vec<String> = trees
        .iter()
        .chain(files.iter().map(|f| &f.path))
        .chain(links.iter().map(|l| &l.path))
        .filter(|p| slashed(p))
        .cloned()
        .collect();
    bad.sort();
    bad.dedup();
    for b in &bad {
        diags.push(Diagnostic::error(
            Code::E205,
            b,
            "a name holding `/` (a crafted tree entry) is not a file or folder name: skipped, with everything under it",
        ));
    }
    let inside_bad = |path: &str| {
        bad.iter().any(|b| {
            path.strip_prefix(b.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    files.retain(|f| !inside_bad(&f.path));
    links.retain(|l| !inside_bad(&l.path));
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
    use super::resolve_link;

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
