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
//!
//! A history asks first, revision after revision as it lists them, for the
//! files each adds ([`Revisions::prefetch`]): they are scanned on rayon's pool
//! meanwhile, every revision's together, so the revisions' own scans then take
//! every file from the cache.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

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

/// Where a set of templates is built, once, by whoever needs it first.
type TemplateCell = Arc<OnceLock<Arc<Templates>>>;

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
    files: Mutex<HashMap<Key, Arc<FileScan>>>,
    templates: Mutex<HashMap<Arc<str>, TemplateCell>>,
    /// The files [`Revisions::prefetch`] was asked for, by their keys' hashes: each is scanned
    /// once. (Two keys of one hash would leave the second to [`Revisions::scan_loaded`], which
    /// scans a file it does not find: the result is the same.)
    asked: Mutex<HashSet<u64>>,
    /// The bytes of the files last read, for a file scanned again (under new templates, or at
    /// another path) not to be read from git again.
    blobs: [Mutex<Blobs>; SHARDS],
    scanned: AtomicUsize,
    /// File scans handed to revisions, scanned or from the cache.
    used: AtomicUsize,
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
            asked: Mutex::new(HashSet::new()),
            blobs: std::array::from_fn(|_| Mutex::new(Blobs::default())),
            scanned: AtomicUsize::new(0),
            used: AtomicUsize::new(0),
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
            self.used.fetch_add(1, Ordering::Relaxed);
            let key: Key = (id, entry.path.clone(), Arc::clone(&key));
            if let Some(hit) = self.cached(&key) {
                return hit;
            }
            let fs = scanner.scan_one(source, entry).counted();
            self.keep(key, fs.clone());
            fs
        })
    }

    /// Has every file of a revision already listed that is not yet in the cache, nor asked for,
    /// scanned on rayon's pool within `scope`, into the cache: when the scope ends,
    /// [`Revisions::scan_loaded`] finds every file of the revision there. Templates not met
    /// before are read and built on the pool too, before the files that need them.
    pub fn prefetch<'s>(&'s self, scope: &rayon::Scope<'s>, commit: &Commit, corpus: &Corpus) {
        let (tkey, cell) = self.template_cell(corpus);
        let new: Vec<(Key, FileEntry)> = {
            let mut asked = self.asked.lock().unwrap_or_else(|e| e.into_inner());
            corpus
                .submissions
                .iter()
                .flat_map(|s| &s.files)
                .filter_map(|entry| {
                    let id = entry.content_id.as_ref()?;
                    let key: Key = (id.clone(), entry.path.clone(), Arc::clone(&tkey));
                    asked.insert(hash_of(&key)).then(|| (key, entry.clone()))
                })
                .collect()
        };
        if new.is_empty() {
            return;
        }
        let source = Arc::new(self.source(commit));
        // A job scans a few files: a revision of 100,000 new files is not 100,000 jobs.
        let scan_all = move |scope: &rayon::Scope<'s>, templates: Arc<Templates>| {
            let mut files = new.into_iter();
            loop {
                let chunk: Vec<(Key, FileEntry)> = files.by_ref().take(FILES_PER_JOB).collect();
                if chunk.is_empty() {
                    break;
                }
                let (source, templates) = (Arc::clone(&source), Arc::clone(&templates));
                scope.spawn(move |_| {
                    let source = Remembered {
                        source: &source,
                        blobs: &self.blobs,
                    };
                    // Each file was asked for once (`asked`), and nothing else fills the cache
                    // while the scope runs: the chunk's scans go in under one lock.
                    let done: Vec<(Key, FileScan)> = chunk
                        .into_iter()
                        .map(|(key, entry)| {
                            let fs = scan::scan_file_with(
                                &source,
                                &entry,
                                self.matcher(),
                                &templates,
                                DETAIL,
                            );
                            (key, fs)
                        })
                        .collect();
                    self.keep_all(done);
                });
            }
        };
        match cell.get() {
            Some(t) => scan_all(scope, Arc::clone(t)),
            None => {
                let (source, files) = (self.source(commit), corpus.templates.clone());
                scope.spawn(move |scope| {
                    let t = cell.get_or_init(|| Arc::new(scan::read_templates(&source, &files)));
                    scan_all(scope, Arc::clone(t));
                });
            }
        }
    }

    /// Forgets the bytes of the files read so far (freed on rayon's pool, not by the caller):
    /// a history calls it once a window's files are scanned.
    pub fn forget_bytes(&self) {
        let blobs: Vec<Blobs> = self
            .blobs
            .iter()
            .map(|b| std::mem::take(&mut *b.lock().unwrap_or_else(|e| e.into_inner())))
            .collect();
        rayon::spawn(move || drop(blobs));
    }

    /// The cached scan of a file, if any (copied outside the lock).
    fn cached(&self, key: &Key) -> Option<FileScan> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let hit = files.get(key).cloned();
        drop(files);
        hit.map(|fs| fs.as_ref().clone())
    }

    /// Caches a file's scan, as the revisions' scans read it ([`FileScan::counted`]).
    fn keep(&self, key: Key, fs: FileScan) {
        self.keep_all(vec![(key, fs)]);
    }

    /// [`Revisions::keep`] of several files, under one lock.
    fn keep_all(&self, done: Vec<(Key, FileScan)>) {
        self.scanned.fetch_add(done.len(), Ordering::Relaxed);
        let done: Vec<(Key, Arc<FileScan>)> = done
            .into_iter()
            .map(|(key, fs)| (key, Arc::new(fs.counted())))
            .collect();
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.extend(done);
    }

    /// The revision's templates, built once per distinct set of template blobs.
    pub fn templates(&self, source: &GitSource, corpus: &Corpus) -> (Arc<str>, Arc<Templates>) {
        let (key, cell) = self.template_cell(corpus);
        let t = cell.get_or_init(|| Arc::new(scan::load_templates(source, corpus)));
        (key, Arc::clone(t))
    }

    /// The key of a revision's set of template blobs, and the cell its templates are built in
    /// (once, by whoever needs them first).
    fn template_cell(&self, corpus: &Corpus) -> (Arc<str>, TemplateCell) {
        let key: Arc<str> = corpus
            .templates
            .iter()
            .map(|t| format!("{}={}", t.path, t.content_id.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(",")
            .into();
        let mut cache = self.templates.lock().unwrap_or_else(|e| e.into_inner());
        let cell = cache.entry(Arc::clone(&key)).or_default();
        (key, Arc::clone(cell))
    }

    /// Files scanned, and file scans taken from the cache, so far.
    pub fn counts(&self) -> (usize, usize) {
        let scanned = self.scanned.load(Ordering::Relaxed);
        (
            scanned,
            self.used.load(Ordering::Relaxed).saturating_sub(scanned),
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

/// Files scanned by one job of [`Revisions::prefetch`].
const FILES_PER_JOB: usize = 8;

/// A key's hash, as [`Revisions::prefetch`] remembers what it was asked.
fn hash_of(key: &Key) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// At most this many bytes of files are remembered (in all, over [`SHARDS`] shards).
const REMEMBERED: usize = 64 << 20;

/// The remembered bytes are kept in this many parts, by blob id, each behind its own lock: the
/// pool's threads read files at once.
const SHARDS: usize = 16;

/// The shard of a blob id (its first hex digit; any other text, shard 0).
fn shard_of(id: &str) -> usize {
    id.as_bytes()
        .first()
        .and_then(|&b| (b as char).to_digit(16))
        .map_or(0, |d| d as usize % SHARDS)
}

/// The bytes of the files last read, by blob id, oldest forgotten first.
#[derive(Default)]
struct Blobs {
    bytes: HashMap<String, Arc<Vec<u8>>>,
    order: VecDeque<String>,
    held: usize,
}

impl Blobs {
    fn get(&self, id: &str) -> Option<Arc<Vec<u8>>> {
        self.bytes.get(id).cloned()
    }

    fn remember(&mut self, id: &str, bytes: Arc<Vec<u8>>) {
        if bytes.len() > REMEMBERED / SHARDS || self.bytes.contains_key(id) {
            return;
        }
        self.held += bytes.len();
        self.bytes.insert(id.to_string(), bytes);
        self.order.push_back(id.to_string());
        while self.held > REMEMBERED / SHARDS {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(b) = self.bytes.remove(&old) {
                self.held -= b.len();
            }
        }
    }
}

/// A revision's [`Source`] that reads each file through the remembered bytes.
struct Remembered<'a> {
    source: &'a GitSource,
    blobs: &'a [Mutex<Blobs>; SHARDS],
}

impl Source for Remembered<'_> {
    fn describe(&self) -> String {
        self.source.describe()
    }

    fn list(&self, diags: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        self.source.list(diags)
    }

    fn read(&self, entry: &FileEntry) -> io::Result<Vec<u8>> {
        let Some(id) = &entry.content_id else {
            return self.source.read(entry);
        };
        let shard = &self.blobs[shard_of(id)];
        let known = shard.lock().unwrap_or_else(|e| e.into_inner()).get(id);
        if let Some(b) = known {
            return Ok(b.as_ref().clone());
        }
        let bytes = self.source.read(entry)?;
        let shared = Arc::new(bytes.clone());
        shard
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remember(id, shared);
        Ok(bytes)
    }

    fn open(&self, entry: &FileEntry) -> io::Result<Box<dyn io::Read + '_>> {
        self.source.open(entry)
    }

    fn revision(&self) -> Option<crate::source::Revision> {
        self.source.revision()
    }
}
