//! Revisions: scans many revisions of one repository with one compiled
//! matcher, each distinct file once. The result of scanning a file is
//! cached by (blob id, path, checklist templates), so a revision costs only
//! its files that no earlier revision had; each revision is scanned by a
//! [`Scanner`] of the command's one [`Engine`], like every other command's
//! corpus, with the cache behind its files. History and delta count adoption
//! only, so files are scanned at [`Detail::Presence`]: every revision's
//! findings are the projects and the negated and hedged flags a scan of its
//! tree gives, without the versions, quotes and evidence nothing here reads
//! (`Keep::Counts`; a mention is its stance alone).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::diagnostic::Diagnostic;
use crate::document::template::Templates;
use crate::rules::engine::matcher::Matcher;
use crate::rules::engine::Engine;
use crate::rules::RuleSet;
use crate::scan::{self, Detail, FileScan, Keep, Scan, Scanner};
use crate::source::corpus::{self, Corpus, FileEntry, Source};
use crate::source::git::{Commit, GitSource, Repo};

/// What the revisions' scans work out of each mention: enough to count adoption.
const DETAIL: Detail = Detail::Presence;

/// (blob id, path, templates key): what a file's scan depends on.
type Key = (String, String, Arc<str>);

/// One revision, listed and scanned.
pub struct Snapshot {
    pub commit: Commit,
    pub corpus: Corpus,
    /// The `vMAJOR.MINOR` folders of the tree, with or without submissions, sorted as versions.
    pub version_folders: Vec<String>,
    pub scan: Scan,
}

/// A repository and the cache of file scans shared by its revisions.
pub struct Revisions<'r> {
    repo: Arc<Repo>,
    pub rules: &'r RuleSet,
    engine: &'r Engine,
    files: Mutex<HashMap<Key, FileScan>>,
    templates: Mutex<HashMap<Arc<str>, Arc<Templates>>>,
    scanned: AtomicUsize,
    reused: AtomicUsize,
}

impl<'r> Revisions<'r> {
    /// The revisions of `repo`, scanned with the command's one `engine`.
    pub fn new(repo: Arc<Repo>, engine: &'r Engine) -> Self {
        Revisions {
            repo,
            rules: engine.rules(),
            engine,
            files: Mutex::new(HashMap::new()),
            templates: Mutex::new(HashMap::new()),
            scanned: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    pub fn repo(&self) -> &Arc<Repo> {
        &self.repo
    }

    pub fn matcher(&self) -> &Matcher {
        self.engine.matcher()
    }

    /// A revision's [`Source`].
    pub fn source(&self, commit: &Commit) -> GitSource {
        self.repo.source(commit.clone())
    }

    /// Lists a revision and groups it into submissions.
    pub fn load(&self, commit: &Commit) -> Result<(Corpus, Vec<Diagnostic>), Diagnostic> {
        corpus::load(&self.source(commit))
    }

    /// Lists and scans a revision.
    pub fn scan(&self, commit: &Commit) -> Result<Snapshot, Diagnostic> {
        let mut diags = Vec::new();
        let files = self.source(commit).list(&mut diags)?;
        let mut version_folders: Vec<String> = files
            .iter()
            .filter_map(|f| f.path.split_once('/').map(|(top, _)| top))
            .filter(|t| corpus::is_version_folder(t))
            .map(str::to_string)
            .collect();
        version_folders.sort_by_key(|v| corpus::version_key(v));
        version_folders.dedup();
        let corpus = corpus::group(files, &mut diags);
        let scan = self.scan_loaded(commit, &corpus, diags);
        Ok(Snapshot {
            commit: commit.clone(),
            corpus,
            version_folders,
            scan,
        })
    }

    /// Scans a revision already listed, through the cache.
    pub fn scan_loaded(&self, commit: &Commit, corpus: &Corpus, diags: Vec<Diagnostic>) -> Scan {
        let source = self.source(commit);
        let (key, templates) = self.templates(&source, corpus);
        // Only the scan is asked of this scanner: its listing is left empty.
        let scanner = Scanner::of_corpus(
            self.engine,
            &source,
            Vec::new(),
            corpus.clone(),
            templates,
            diags,
        )
        .detail(DETAIL)
        .keeping(Keep::Counts);
        scanner.scan_with(&|source: &dyn Source, entry: &FileEntry| {
            let Some(id) = entry.content_id.clone() else {
                return scanner.scan_one(source, entry);
            };
            let key: Key = (id, entry.path.clone(), Arc::clone(&key));
            if let Some(hit) = self
                .files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
            {
                self.reused.fetch_add(1, Ordering::Relaxed);
                return hit.clone();
            }
            let fs = scanner.scan_one(source, entry);
            self.scanned.fetch_add(1, Ordering::Relaxed);
            self.files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, fs.clone());
            fs
        })
    }

    /// The revision's templates, built once per distinct set of template blobs.
    pub fn templates(&self, source: &GitSource, corpus: &Corpus) -> (Arc<str>, Arc<Templates>) {
        let key: Arc<str> = corpus
            .templates
            .iter()
            .map(|t| format!("{}={}", t.path, t.content_id.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(",")
            .into();
        let mut cache = self.templates.lock().unwrap_or_else(|e| e.into_inner());
        let t = cache
            .entry(Arc::clone(&key))
            .or_insert_with(|| Arc::new(scan::load_templates(source, corpus)));
        (key, Arc::clone(t))
    }

    /// Files scanned, and file scans taken from the cache, so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.scanned.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }
}

/// The files of every submission with their blob ids: equal signatures, equal submissions.
pub fn signature(corpus: &Corpus) -> Vec<(&str, Option<&str>)> {
    corpus
        .submissions
        .iter()
        .flat_map(|s| {
            s.files
                .iter()
                .map(|f| (f.path.as_str(), f.content_id.as_deref()))
        })
        .collect()
}
