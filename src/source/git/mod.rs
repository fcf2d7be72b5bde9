//! Git as a corpus: a clone, a bare repository or a bundle, read at any
//! revision straight from its objects, without a checkout.
//!
//! [`Repo`] runs the git command: long-lived `git cat-file --batch` processes
//! serve every tree and blob (a pool: one per thread reading at once), and one
//! `git cat-file --batch-check` the sizes of blobs, so a whole history costs a
//! few processes (and one more for each file over [`LARGE_FILE`], streamed,
//! never held whole: `stream.rs`).
//! Trees are kept by id, so a folder that many revisions share is read once. A bundle is first cloned (`git clone --mirror`) into
//! the cache folder ([`crate::source::cache`]) and re-cloned only when the file
//! changes. [`GitSource`] is the [`Source`] of one revision; a file's
//! `content_id` is its blob id, which the history and delta commands use to
//! scan each distinct file once.

mod batch;
mod bundle;
mod stream;
mod tree;

use batch::{Batch, Check};
use bundle::unbundle;
use stream::BlobStream;

use crate::diagnostic::Code;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use crate::diagnostic::Diagnostic;
use crate::document::LARGE_FILE;
use crate::source::cache;
use crate::source::corpus::{DirSource, FileEntry, Source};

/// What a `--corpus` path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// A plain directory of files: read by [`crate::source::corpus::DirSource`].
    Directory,
    /// A clone with a work tree (it has `.git`): read from its objects.
    WorkTree,
    /// A bare repository (`HEAD`, `objects/`, `refs/`).
    Bare,
    /// A file that starts like a git bundle.
    Bundle,
    /// Some other file.
    File,
    /// Nothing there (or not readable).
    Missing,
}

/// Tells a directory, a repository and a bundle apart, without running git.
/// Only the path itself counts: a folder inside some repository is a directory.
pub fn detect(path: &Path) -> PathKind {
    let Ok(meta) = std::fs::metadata(path) else {
        return PathKind::Missing;
    };
    if meta.is_file() {
        return if is_bundle(path) {
            PathKind::Bundle
        } else {
            PathKind::File
        };
    }
    if path.join(".git").exists() {
        PathKind::WorkTree
    } else if path.join("HEAD").is_file()
        && path.join("objects").is_dir()
        && path.join("refs").is_dir()
    {
        PathKind::Bare
    } else {
        PathKind::Directory
    }
}

/// Does the file start with a git bundle signature (v2 or v3)?
fn is_bundle(path: &Path) -> bool {
    let mut head = [0u8; 16];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    f.read_exact(&mut head).is_ok()
        && (head.starts_with(b"# v2 git bundle\n") || head.starts_with(b"# v3 git bundle\n"))
}

/// A commit: its id, committer date (strict ISO 8601) and subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub date: String,
    pub subject: String,
}

impl Commit {
    /// The first 7 hex digits.
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }

    /// `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        &self.date[..self.date.len().min(10)]
    }
}

/// An opened repository.
pub struct Repo {
    /// The path the user gave, for messages.
    shown: String,
    /// The git directory every command runs against.
    git_dir: PathBuf,
    /// The idle `cat-file --batch` processes: one is started the first time a read finds
    /// none idle, so there are at most as many as reads at once.
    batch: Mutex<Vec<Batch>>,
    /// The `cat-file --batch-check` process, started on the first listing.
    check: Mutex<Option<Check>>,
    /// Trees read so far, by id.
    trees: Mutex<HashMap<String, Arc<[tree::Entry]>>>,
    /// Blob sizes read so far, by id (`None`: missing from the repository).
    sizes: Mutex<HashMap<String, Option<u64>>>,
}

impl Drop for Repo {
    /// Every `cat-file` process is told to end before the first is waited for: they end
    /// together, not one after another.
    fn drop(&mut self) {
        let batch = self.batch.get_mut().unwrap_or_else(|e| e.into_inner());
        batch.iter_mut().for_each(Batch::close);
        let check = self.check.get_mut().unwrap_or_else(|e| e.into_inner());
        check.iter_mut().for_each(Check::close);
    }
}

impl Repo {
    /// Opens a clone, a bare repository or a bundle (cloned into the cache first).
    pub fn open(path: &Path) -> Result<Repo, Diagnostic> {
        let shown = path.display().to_string();
        match detect(path) {
            PathKind::WorkTree => Repo::at(shown, path.join(".git")),
            PathKind::Bare => Repo::at(shown, path.to_path_buf()),
            PathKind::Bundle => {
                let dir = unbundle(path)?;
                Repo::at(shown, dir)
            }
            PathKind::Missing => Err(Diagnostic::error(Code::E200, shown, "cannot open the corpus: no such file or directory")
                .with_help("--corpus takes a directory laid out like cncf/k8s-ai-conformance, a clone of it, a bare repository or a bundle")),
            PathKind::Directory | PathKind::File => Err(not_a_repo(&shown, "it is neither a git repository nor a git bundle")),
        }
    }

    fn at(shown: String, git_dir: PathBuf) -> Result<Repo, Diagnostic> {
        let repo = Repo {
            shown,
            git_dir,
            batch: Mutex::new(Vec::new()),
            check: Mutex::new(None),
            trees: Mutex::new(HashMap::new()),
            sizes: Mutex::new(HashMap::new()),
        };
        repo.run(["rev-parse", "--git-dir"])
            .map_err(|e| not_a_repo(&repo.shown, &e))?;
        Ok(repo)
    }

    /// A `git` command against this repository, isolated from the caller's git environment.
    fn git(&self) -> Command {
        let mut c = git_command();
        c.arg("--git-dir").arg(&self.git_dir);
        c
    }

    /// Runs git with `args`; its standard output, or its last error line.
    fn run<I, S>(&self, args: I) -> Result<Vec<u8>, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        output(self.git().args(args))
    }

    /// The GitHub repository the clone's `origin` remote is, if any.
    pub fn github(&self) -> Option<String> {
        let url = self.run(["config", "--get", "remote.origin.url"]).ok()?;
        crate::source::github_repository(&String::from_utf8_lossy(&url))
    }

    /// The commit's `Original-Commit:` trailer: the id it had in the
    /// repository its history was copied from (a bundle with rewritten
    /// history keeps it), when it is a full hexadecimal id.
    pub fn original_commit(&self, c: &Commit) -> Option<String> {
        let out = self
            .run([
                "log",
                "-1",
                "--format=%(trailers:key=Original-Commit,valueonly,separator=%x00)",
                &c.id,
            ])
            .ok()?;
        let id = String::from_utf8_lossy(&out).trim().to_string();
        (id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
    }

    /// Resolves a tag, a branch, a full or short commit id (anything
    /// `git rev-parse` takes) to a commit.
    pub fn resolve(&self, rev: &str) -> Result<Commit, Diagnostic> {
        let bad = |why: String| {
            let mut d = Diagnostic::error(
                Code::E252,
                rev,
                format!("no revision `{rev}` in {}: {why}", self.shown),
            );
            let refs = self.refs();
            if let Some(c) = crate::rules::closest(rev, refs.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{c}`?"));
            } else if !refs.is_empty() {
                d = d.with_help(format!(
                    "revisions here include: {}",
                    refs.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            d
        };
        if rev.is_empty() || rev.starts_with('-') || rev.contains(['\n', '\0']) {
            return Err(bad("not a revision name".into()));
        }
        let out = self
            .run([
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &format!("{rev}^{{commit}}"),
            ])
            .map_err(|e| {
                bad(if e.is_empty() {
                    "unknown revision".into()
                } else {
                    e
                })
            })?;
        let id = String::from_utf8_lossy(&out).trim().to_string();
        let commits = self.commits(&["--no-walk", &id]).map_err(bad)?;
        commits
            .into_iter()
            .next()
            .ok_or_else(|| bad("unknown revision".into()))
    }

    /// Branch and tag names, for suggestions.
    pub fn refs(&self) -> Vec<String> {
        let out = self
            .run([
                "for-each-ref",
                "--format=%(refname:short)",
                "refs/heads",
                "refs/tags",
            ])
            .unwrap_or_default();
        String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Tags by the commit they point at (annotated tags peeled).
    pub fn tags(&self) -> Vec<(String, String)> {
        let out = self
            .run([
                "for-each-ref",
                "--format=%(objectname) %(*objectname) %(refname:short)",
                "refs/tags",
            ])
            .unwrap_or_default();
        String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|l| {
                let mut p = l.split(' ');
                let (obj, peeled, name) = (p.next()?, p.next()?, p.next()?);
                Some((
                    if peeled.is_empty() { obj } else { peeled }.to_string(),
                    name.to_string(),
                ))
            })
            .collect()
    }

    /// The first-parent line of `to`, oldest first.
    pub fn first_parent_line(&self, to: &Commit) -> Result<Vec<Commit>, Diagnostic> {
        self.commits(&["--first-parent", "--reverse", &to.id])
            .map_err(|e| {
                Diagnostic::error(
                    Code::E254,
                    &self.shown,
                    format!("cannot read the history of {}: {e}", to.short()),
                )
            })
    }

    /// `git log` with `args`, parsed.
    fn commits(&self, args: &[&str]) -> Result<Vec<Commit>, String> {
        let mut all = vec!["log", "-z", "--format=%H%x1f%cI%x1f%s"];
        all.extend_from_slice(args);
        all.push("--");
        let out = self.run(all)?;
        Ok(String::from_utf8_lossy(&out)
            .split('\0')
            .filter(|r| !r.trim().is_empty())
            .filter_map(|r| {
                let mut p = r.trim_start_matches('\n').splitn(3, '\x1f');
                Some(Commit {
                    id: p.next()?.to_string(),
                    date: p.next()?.to_string(),
                    subject: p.next().unwrap_or("").to_string(),
                })
            })
            .collect())
    }

    /// The bytes of a blob, through a long-lived `git cat-file --batch` of the pool.
    pub fn read_blob(&self, oid: &str) -> io::Result<Vec<u8>> {
        blob_id(oid)?;
        let (kind, bytes) = self.object(oid)?;
        if kind != "blob" {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("object {oid} is a {kind}, not a file"),
            ));
        }
        Ok(bytes)
    }

    /// A reader over a blob of `size` bytes, streamed from a `git cat-file blob` of its own:
    /// never held whole.
    fn stream_blob(&self, oid: &str, size: u64) -> io::Result<BlobStream> {
        blob_id(oid)?;
        BlobStream::spawn(self.git(), oid, size)
    }

    /// The kind and bytes of the object `name` names, through a long-lived
    /// `git cat-file --batch`: each reader takes a process of the pool (or starts one) and
    /// gives it back after its answer, so files read on several threads are read at once, by as many processes as
    /// there are readers at a time, not one after the other through one.
    fn object(&self, name: &str) -> io::Result<(String, Vec<u8>)> {
        let idle = self.batch.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut batch = match idle {
            Some(b) => b,
            None => Batch::spawn(self.git())?,
        };
        let result = batch.object(name);
        // After any other error the stream may be out of step: that process is dropped.
        if !matches!(&result, Err(e) if e.kind() != io::ErrorKind::NotFound) {
            self.batch
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(batch);
        }
        result
    }

    /// The sizes of the blobs `oids`, in order (`None` for one missing from the repository), asked
    /// of git only for the ones not seen before.
    fn blob_sizes(&self, oids: &[&str]) -> io::Result<Vec<Option<u64>>> {
        let mut known = self.sizes.lock().unwrap_or_else(|e| e.into_inner());
        let mut unknown: Vec<&str> = oids
            .iter()
            .copied()
            .filter(|o| !known.contains_key(*o))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            let mut guard = self.check.lock().unwrap_or_else(|e| e.into_inner());
            if guard.is_none() {
                *guard = Some(Check::spawn(self.git())?);
            }
            let result = guard.as_mut().map_or_else(
                || Err(io::Error::other("no cat-file process")),
                |c| c.sizes(&unknown),
            );
            let sizes = match result {
                Ok(s) => s,
                Err(e) => {
                    *guard = None;
                    return Err(e);
                }
            };
            for (oid, size) in unknown.iter().zip(sizes) {
                known.insert(oid.to_string(), size);
            }
        }
        Ok(oids.iter().map(|o| known[*o]).collect())
    }

    /// The [`Source`] of one commit.
    pub fn source(self: &Arc<Self>, commit: Commit) -> GitSource {
        GitSource {
            repo: Arc::clone(self),
            commit,
        }
    }
}

/// An error unless `oid` is a blob id (hexadecimal), so that it is never read as an option.
fn blob_id(oid: &str) -> io::Result<()> {
    if oid.is_empty() || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a blob id: `{oid}`"),
        ));
    }
    Ok(())
}

/// A `git` command with the caller's repository variables removed.
pub(crate) fn git_command() -> Command {
    let mut c = Command::new("git");
    for v in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_CEILING_DIRECTORIES",
    ] {
        c.env_remove(v);
    }
    c.env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    c
}

/// Runs a command; its standard output, or a one-line reason.
pub(crate) fn output(cmd: &mut Command) -> Result<Vec<u8>, String> {
    let out = cmd.output().map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            "the git command is not installed (reading a git corpus needs it)".to_string()
        } else {
            format!("cannot run git: {e}")
        }
    })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(git_reason(&out.stderr))
    }
}

/// The telling lines of git's error output (its `fatal:` and `error:` lines,
/// less the generic ones), joined.
pub(crate) fn git_reason(stderr: &[u8]) -> String {
    const GENERIC: &[&str] = &[
        "remote transport reported error",
        "index-pack died",
        "Could not read from remote repository.",
    ];
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
        .collect();
    let telling: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            l.strip_prefix("fatal: ")
                .or_else(|| l.strip_prefix("error: "))
        })
        .filter(|l| !GENERIC.contains(l))
        .collect();
    if telling.is_empty() {
        lines.last().map(|l| l.to_string()).unwrap_or_default()
    } else {
        telling.join("; ")
    }
}

fn not_a_repo(shown: &str, why: &str) -> Diagnostic {
    Diagnostic::error(Code::E251, shown, format!("not a git repository or bundle: {why}"))
        .with_help("--rev needs a clone, a bare repository or a bundle of cncf/k8s-ai-conformance; a plain directory is read as it is, without --rev")
}

/// The source `--corpus PATH [--rev REV]` names: a plain directory as it
/// is, or a repository or bundle at `REV` (default `HEAD`). Without a path,
/// the clone `aiconf sync` keeps in the cache.
pub fn open_corpus(path: Option<&Path>, rev: Option<&str>) -> Result<Box<dyn Source>, Diagnostic> {
    // No corpus named and none synced: the snapshot built into the binary.
    if path.is_none() && rev.is_none() && default_corpus_path().is_none() {
        return Ok(Box::new(super::embedded::EmbeddedSource::open()?));
    }
    let path = corpus_path(path)?;
    match detect(&path) {
        PathKind::WorkTree | PathKind::Bare | PathKind::Bundle => {
            let repo = Arc::new(Repo::open(&path)?);
            let commit = repo.resolve(rev.unwrap_or("HEAD"))?;
            Ok(Box::new(repo.source(commit)))
        }
        PathKind::Directory | PathKind::File if rev.is_some() => Err(not_a_repo(
            &path.display().to_string(),
            "--rev needs one, and this is a plain directory or file",
        )),
        _ => Ok(Box::new(DirSource::new(path))),
    }
}

/// The repository `--corpus PATH` names (or the synced clone), for commands that need history.
pub fn open_repo(path: Option<&Path>) -> Result<Arc<Repo>, Diagnostic> {
    Ok(Arc::new(Repo::open(&corpus_path(path)?)?))
}

/// `$AICONF_CORPUS` (when set and not empty), else the synced clone when it exists.
pub fn default_corpus_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AICONF_CORPUS").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let synced = cache::synced_clone();
    (detect(&synced) == PathKind::WorkTree).then_some(synced)
}

/// `--corpus`, else `$AICONF_CORPUS` (when set and not empty), else the synced clone when it exists.
fn corpus_path(path: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(p) = path {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = default_corpus_path() {
        return Ok(p);
    }
    let synced = cache::synced_clone();
    Err(Diagnostic::error(Code::E200, "--corpus", format!("no corpus given (--corpus or AICONF_CORPUS), and no synced copy of cncf/k8s-ai-conformance at {}", synced.display()))
        .with_help("run `aiconf sync` to fetch it, or pass --corpus PATH (or set AICONF_CORPUS): a directory laid out like the repository (e.g. ../shared/corpus/baseline-223d15f), a clone, a bare repository or a bundle"))
}

/// One revision of a repository, as a [`Source`].
#[derive(Clone)]
pub struct GitSource {
    repo: Arc<Repo>,
    commit: Commit,
}

impl Source for GitSource {
    fn describe(&self) -> String {
        format!("{} at {}", self.repo.shown, self.commit.short())
    }

    fn list(&self, diags: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        self.repo.list_tree(&self.commit, diags)
    }

    fn read(&self, entry: &FileEntry) -> io::Result<Vec<u8>> {
        self.repo
            .read_blob(entry.content_id.as_deref().unwrap_or(""))
    }

    /// A file over [`LARGE_FILE`] streamed from a process of its own (one per large file,
    /// never one per file); a smaller one read whole through a `cat-file --batch` of the pool.
    fn open(&self, entry: &FileEntry) -> io::Result<Box<dyn io::Read + '_>> {
        let oid = entry.content_id.as_deref().unwrap_or("");
        if entry.size <= LARGE_FILE {
            return Ok(Box::new(io::Cursor::new(self.repo.read_blob(oid)?)));
        }
        Ok(Box::new(self.repo.stream_blob(oid, entry.size)?))
    }

    fn revision(&self) -> Option<crate::source::Revision> {
        Some(crate::source::Revision {
            commit: self
                .repo
                .original_commit(&self.commit)
                .unwrap_or_else(|| self.commit.id.clone()),
            date: self.commit.date.clone(),
            github: self.repo.github(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_prefers_the_telling_lines() {
        assert_eq!(
            git_reason(b"hint: x\nfatal: bad object\nwarning: y\n"),
            "bad object"
        );
        assert_eq!(git_reason(b"fatal: early EOF\nerror: index-pack died\nfatal: remote transport reported error\n"), "early EOF");
        assert_eq!(git_reason(b"something\n"), "something");
    }
}
