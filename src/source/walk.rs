//! The walk of a directory corpus: every file under the root with its size, `.git` left out.
//! The folders themselves are walked first; the symbolic links met on the way are followed
//! after, each under its own path: a link to a file lists it, a link to a folder walks it (and
//! the links met there are followed in turn), never into a folder the link is inside (W202: a
//! loop) nor deeper than 32 levels (W201). All the links together add at most as many files as
//! the folders hold without them (at least [`limit::MIN_LINKED_FILES`]): a link that would go
//! past that is not followed (W208), so a few links to one crowded folder cannot multiply the
//! listing (and its memory). The problems
//! come in path order, as a walk following each link where it stands would meet them.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::corpus::FileEntry;
use crate::source::limit;

/// A symbolic link met in a folder, to follow once the folders are walked.
struct Link {
    path: PathBuf,
    /// Its path relative to the root.
    rel: String,
    /// The depth of a folder it names.
    depth: usize,
}

/// What a walk finds: files, the links to follow after, and its problems.
#[derive(Default)]
struct Found {
    files: Vec<FileEntry>,
    links: Vec<Link>,
    diags: Vec<Diagnostic>,
}

/// A walk found more files than it may add (the links' budget): it is dropped.
struct Over;

/// Every file under `root`, unsorted; problems go to `diags`.
pub(crate) fn walk(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<FileEntry> {
    let mut found = tree(root, "", 0);
    let budget = limit::linked_budget(found.files.len());
    let mut files = std::mem::take(&mut found.files);
    let mut problems = std::mem::take(&mut found.diags);
    let mut queue: VecDeque<Link> = found.links.into();
    let mut added = 0;
    while let Some(link) = queue.pop_front() {
        match follow(root, &link, budget - added) {
            Ok(more) => {
                added += more.files.len();
                files.extend(more.files);
                queue.extend(more.links);
                problems.extend(more.diags);
            }
            Err(Over) => problems.push(Diagnostic::warning(
                Code::W208,
                &link.rel,
                format!(
                    "symbolic link not followed: the links already list {added} files, and with \
                     it they would list more than {budget} (as many as the folders hold without \
                     them, and at least {})",
                    limit::MIN_LINKED_FILES
                ),
            )),
        }
    }
    // In path order, component by component: the order of a walk that follows each link
    // where it stands (stable: one path's problems keep theirs).
    problems.sort_by(|a, b| a.file.split('/').cmp(b.file.split('/')));
    diags.extend(problems);
    files
}

/// The folder `dir` (at `rel`) and every folder under it, walked in parallel, their links
/// left for later, in the order of a walk one entry after the other. Links are not followed
/// here, so no loop can be met and no budget applies; only the depth is bounded (W201).
fn tree(dir: &Path, rel: &str, depth: usize) -> Found {
    use rayon::prelude::*;
    let mut found = Found::default();
    let shown = if rel.is_empty() { "." } else { rel };
    if !enter(dir, shown, depth, None, &mut found.diags) {
        return found;
    }
    let Some(entries) = entries(dir, shown, &mut found.diags) else {
        return found;
    };
    let parts: Vec<Found> = entries
        .into_par_iter()
        .map(|entry| {
            let child = child(rel, &entry);
            match kind(&entry) {
                Kind::Folder => tree(&entry.path(), &child, depth + 1),
                _ => {
                    let mut one = Found::default();
                    one.add(entry, child, depth);
                    one
                }
            }
        })
        .collect();
    for part in parts {
        found.files.extend(part.files);
        found.links.extend(part.links);
        found.diags.extend(part.diags);
    }
    found
}

/// What an entry of a folder is, from its type as the folder lists it (no call to the
/// system, on most file systems).
enum Kind {
    Link,
    Folder,
    Other,
}

fn kind(entry: &std::fs::DirEntry) -> Kind {
    match entry.file_type() {
        Ok(t) if t.is_symlink() => Kind::Link,
        Ok(t) if t.is_dir() => Kind::Folder,
        _ => Kind::Other,
    }
}

/// The path of `entry` relative to the root, its folder being at `rel`.
fn child(rel: &str, entry: &std::fs::DirEntry) -> String {
    let name = entry.file_name();
    let name = name.to_string_lossy();
    if rel.is_empty() {
        name.into_owned()
    } else {
        format!("{rel}/{name}")
    }
}

/// The entries of the folder `dir` by name, `.git` left out; `None` (and an E201) when it
/// cannot be read.
fn entries(dir: &Path, shown: &str, diags: &mut Vec<Diagnostic>) -> Option<Vec<std::fs::DirEntry>> {
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut entries: Vec<_> = rd
                .filter_map(Result::ok)
                .filter(|e| e.file_name() != ".git")
                .collect();
            entries.sort_by_key(|e| e.file_name());
            Some(entries)
        }
        Err(e) => {
            let message = format!("cannot read folder: {e}");
            diags.push(Diagnostic::error(Code::E201, shown, message));
            None
        }
    }
}

impl Found {
    /// Adds the entry `entry` (at `child`) when it is a link or a file: a link to follow
    /// later, a file with its size (from the folder's own handle: no path is looked up).
    fn add(&mut self, entry: std::fs::DirEntry, child: String, depth: usize) {
        match kind(&entry) {
            Kind::Link => self.links.push(Link {
                path: entry.path(),
                rel: child,
                depth: depth + 1,
            }),
            Kind::Folder => {}
            Kind::Other => match entry.metadata() {
                Ok(m) if m.is_file() => self.files.push(FileEntry {
                    path: child,
                    size: m.len(),
                    content_id: None,
                }),
                Ok(_) => {}
                Err(e) => self.diags.push(unreadable(&entry.path(), child, &e)),
            },
        }
    }
}

/// What the link `link` adds, at most `room` files: the file it names, or the files of the
/// folder it names (its own links to follow after); `Over` when that is more.
fn follow(root: &Path, link: &Link, room: usize) -> Result<Found, Over> {
    let mut found = Found::default();
    match std::fs::metadata(&link.path) {
        Ok(m) if m.is_dir() => {
            let visited = ancestors(root, &link.rel);
            folder(
                &link.path,
                &link.rel,
                &mut found,
                Some(&visited),
                link.depth,
                room,
            )?;
        }
        Ok(m) if m.is_file() => {
            if room == 0 {
                return Err(Over);
            }
            found.files.push(FileEntry {
                path: link.rel.clone(),
                size: m.len(),
                content_id: None,
            });
        }
        Ok(_) => {}
        Err(e) => found
            .diags
            .push(unreadable(&link.path, link.rel.clone(), &e)),
    }
    Ok(found)
}

/// The folders a link at `rel` is inside, from the root down, as canonical paths: the folders a
/// walk that met it would have been in.
fn ancestors(root: &Path, rel: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dir = root.to_path_buf();
    out.extend(std::fs::canonicalize(&dir));
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        dir.push(part);
        out.extend(std::fs::canonicalize(&dir));
    }
    out
}

/// Walks the folder `dir` (at `rel`), which a link named, into `found`, its own links left
/// for later; `Over` as soon as it holds more than `limit` files. Only that folder is checked
/// against `visited` (the folders the link is inside): a folder under it, reached without a
/// link, cannot be one of them.
fn folder(
    dir: &Path,
    rel: &str,
    found: &mut Found,
    visited: Option<&[PathBuf]>,
    depth: usize,
    limit: usize,
) -> Result<(), Over> {
    let shown = if rel.is_empty() { "." } else { rel };
    if !enter(dir, shown, depth, visited, &mut found.diags) {
        return Ok(());
    }
    let Some(entries) = entries(dir, shown, &mut found.diags) else {
        return Ok(());
    };
    for entry in entries {
        let child = child(rel, &entry);
        if let Kind::Folder = kind(&entry) {
            folder(&entry.path(), &child, found, None, depth + 1, limit)?;
        } else {
            found.add(entry, child, depth);
            if found.files.len() > limit {
                return Err(Over);
            }
        }
    }
    Ok(())
}

/// Whether the walk goes into `dir` (shown as `shown`): not deeper than 32 levels (W201), nor,
/// when `visited` is given, into a folder it is already inside (W202: a symbolic link loop).
fn enter(
    dir: &Path,
    shown: &str,
    depth: usize,
    visited: Option<&[PathBuf]>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if depth > 32 {
        diags.push(Diagnostic::warning(
            Code::W201,
            shown,
            "folder nesting deeper than 32 levels: not read further",
        ));
        return false;
    }
    if let (Some(visited), Ok(canon)) = (visited, std::fs::canonicalize(dir)) {
        if visited.contains(&canon) {
            diags.push(Diagnostic::warning(
                Code::W202,
                shown,
                "symbolic link loop: folder already visited, skipped",
            ));
            return false;
        }
    }
    true
}

/// The E201 of an entry whose metadata cannot be read: a dangling symbolic link says so.
fn unreadable(path: &Path, child: String, e: &std::io::Error) -> Diagnostic {
    let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let message = if dangling {
        "a symbolic link to nothing (its target does not exist): skipped".to_string()
    } else {
        format!("cannot read: {e}; skipped")
    };
    Diagnostic::error(Code::E201, child, message)
}
