//! The corpus a language server answers hovers from: every submission file
//! read once into [`Document`]s (vendor regions, template sentences masked),
//! kept in memory, and searched with a matcher of one rule or one pattern.
//! [`CorpusIndex::spawn`] loads it on a thread of its own so that the first
//! edits are never kept waiting; answers are cached per pattern.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::document::{self, Document};
use crate::rules::engine::matcher::Matcher;
use crate::rules::RuleSet;
use crate::scan::finding;

/// A file larger than this is left out of the index (logs of many MB).
const MAX_FILE: u64 = 4 << 20;
/// Quotes kept per answer.
const QUOTES: usize = 8;

/// One submission's documents.
#[derive(Debug)]
struct Submission {
    id: String,
    docs: Vec<Document>,
}

/// The loaded corpus.
#[derive(Debug, Default)]
pub struct Loaded {
    /// What was loaded, for messages (`../shared/corpus/head-b2c8969`).
    pub name: String,
    submissions: Vec<Submission>,
}

/// A pattern's (or a rule's) matches over the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matches {
    /// Submissions with at least one counted mention.
    pub submissions: usize,
    /// All submissions in the corpus.
    pub of: usize,
    pub mentions: usize,
    /// The first mentions: (submission, `file:line`, quote, matched text).
    pub quotes: Vec<Quote>,
}

/// One mention in the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub submission: String,
    pub at: String,
    pub quote: String,
    pub text: String,
}

/// The state of the index as seen by a request.
#[derive(Clone, Debug)]
pub enum State {
    Loading,
    Ready(Arc<Loaded>),
    /// The corpus could not be read (the message says why).
    Failed(String),
}

/// A corpus loading or loaded in the background, with cached answers.
#[derive(Clone)]
pub struct CorpusIndex {
    state: Arc<Mutex<State>>,
    cache: Arc<Mutex<HashMap<String, Matches>>>,
}

impl CorpusIndex {
    /// Starts reading `corpus` (a folder or a git corpus, at `rev`) on a new thread.
    pub fn spawn(corpus: Option<PathBuf>, rev: Option<String>) -> CorpusIndex {
        let index = CorpusIndex {
            state: Arc::new(Mutex::new(State::Loading)),
            cache: Arc::new(Mutex::new(HashMap::new())),
        };
        let state = Arc::clone(&index.state);
        std::thread::spawn(move || {
            let result = load(corpus.as_deref(), rev.as_deref());
            if let Ok(mut s) = state.lock() {
                *s = match result {
                    Ok(l) => State::Ready(Arc::new(l)),
                    Err(m) => State::Failed(m),
                };
            }
        });
        index
    }

    pub fn state(&self) -> State {
        self.state.lock().map_or_else(
            |_| State::Failed("the corpus thread failed".into()),
            |s| s.clone(),
        )
    }

    /// Blocks until the corpus is loaded or failed (tests, the code action).
    pub fn wait(&self, timeout: std::time::Duration) -> State {
        let start = std::time::Instant::now();
        loop {
            let s = self.state();
            if !matches!(s, State::Loading) || start.elapsed() > timeout {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The matches of `rules` (one rule, possibly cut to one pattern) over
    /// the corpus; `key` names the question for the cache. `None` while loading.
    pub fn matches(&self, key: &str, rules: &RuleSet) -> Result<Option<Matches>, String> {
        let loaded = match self.state() {
            State::Loading => return Ok(None),
            State::Failed(m) => return Err(m),
            State::Ready(l) => l,
        };
        if let Some(m) = self.cache.lock().ok().and_then(|c| c.get(key).cloned()) {
            return Ok(Some(m));
        }
        let matcher = Matcher::compile(rules);
        let mut m = Matches {
            submissions: 0,
            of: loaded.submissions.len(),
            mentions: 0,
            quotes: Vec::new(),
        };
        for s in &loaded.submissions {
            let mut named = false;
            for doc in &s.docs {
                for (_, ev) in finding::scan_document(&matcher, doc) {
                    named = true;
                    m.mentions += 1;
                    if m.quotes.len() < QUOTES {
                        m.quotes.push(Quote {
                            submission: s.id.clone(),
                            at: format!("{}:{}", ev.file, ev.line),
                            quote: ev.quote.clone(),
                            text: ev.text.clone(),
                        });
                    }
                }
            }
            m.submissions += usize::from(named);
        }
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key.to_string(), m.clone());
        }
        Ok(Some(m))
    }

    /// Forgets cached answers (the rules changed what a key means).
    pub fn clear_cache(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
    }
}

/// Reads every submission file of a corpus into documents.
fn load(corpus: Option<&std::path::Path>, rev: Option<&str>) -> Result<Loaded, String> {
    let source = crate::source::git::open_corpus(corpus, rev).map_err(|d| d.to_string())?;
    let (c, _) = crate::source::corpus::load(source.as_ref()).map_err(|d| d.to_string())?;
    let templates = crate::scan::load_templates(source.as_ref(), &c);
    let mut submissions = Vec::new();
    for s in &c.submissions {
        let mut docs = Vec::new();
        for entry in s.files.iter().filter(|f| f.size <= MAX_FILE) {
            if let Ok(bytes) = source.read(entry) {
                docs.extend(document::build(
                    &entry.path,
                    bytes,
                    &templates,
                    &mut Vec::new(),
                ));
            }
        }
        submissions.push(Submission {
            id: s.id.clone(),
            docs,
        });
    }
    Ok(Loaded {
        name: source.describe(),
        submissions,
    })
}
