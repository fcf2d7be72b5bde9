//! What the language server knows and answers, without the protocol's
//! transport: the open rule files, the other rules they are checked with,
//! and one function per request (diagnostics, completion, hover, go to
//! definition, symbols, formatting, code lenses, code actions). Tests drive
//! it in-process; `super::serve` wires it to standard input and output.
//!
//! A file is checked as `aiconf check FILE` would: with the other rules
//! loaded beside it (`--rules DIR`; else the other `*.rule` files of its own
//! folder; else the built-in rules), the editor's unsaved text taking the
//! place of the file on disk.
mod completion;
mod examples;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticSeverity, DocumentSymbol, Hover, HoverContents, MarkupContent, MarkupKind,
    NumberOrString, Range, SymbolKind, TextEdit,
};

use super::corpus_index::{CorpusIndex, State};
use super::text::{self};
use crate::diagnostic::Diagnostic;
use crate::rules::engine::Engine;
use crate::rules::{self, Rule, RuleFiles, RuleId, RuleSet};
use crate::tools::check::{self, Report};

/// One file checked with the rules beside it.
pub struct Analysis {
    pub path: String,
    pub text: String,
    /// The file's rules with the others beside it, and their matcher.
    pub engine: Engine,
    pub report: Report,
}

impl Analysis {
    /// The rules loaded from this file.
    pub fn own_rules(&self) -> impl Iterator<Item = (RuleId, &Rule)> + '_ {
        self.engine
            .rules()
            .ids()
            .map(|id| (id, self.engine.rules().get(id)))
            .filter(|(_, r)| self.engine.rules().sources[r.source.0 as usize].path == self.path)
    }
}

/// The open files and what the server was started with.
pub struct Workspace {
    rules_dir: Option<PathBuf>,
    open: BTreeMap<String, String>,
    folders: HashMap<PathBuf, RuleFiles>,
    corpus: Option<CorpusIndex>,
}

impl Workspace {
    /// `rules_dir`: `--rules DIR`, the rules every file is checked with.
    pub fn new(rules_dir: Option<PathBuf>, corpus: Option<CorpusIndex>) -> Workspace {
        Workspace {
            rules_dir,
            open: BTreeMap::new(),
            folders: HashMap::new(),
            corpus,
        }
    }

    /// A file opened or changed in the editor.
    pub fn set_text(&mut self, path: &str, text: String) {
        self.open.insert(path.to_string(), text);
    }

    pub fn close(&mut self, path: &str) {
        self.open.remove(path);
    }

    /// A file was saved: the folders read from disk are read again.
    pub fn saved(&mut self) {
        self.folders.clear();
        if let Some(c) = &self.corpus {
            c.clear_cache();
        }
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.open.get(path).map(String::as_str)
    }

    /// The rule files `path` is checked with.
    fn others(&mut self, path: &str) -> RuleFiles {
        let folder = match &self.rules_dir {
            Some(d) => Some(d.clone()),
            None => Path::new(path).parent().map(Path::to_path_buf),
        };
        let mut files = match folder {
            Some(f) => self
                .folders
                .entry(f.clone())
                .or_insert_with(|| {
                    rules::read_rule_files(&f)
                        .map(|(files, _)| files)
                        .unwrap_or_default()
                })
                .clone(),
            None => Vec::new(),
        };
        // A folder with no other rule file: the built-in rules.
        if files.iter().all(|(p, _)| p == path) {
            files = rules::builtin_files();
        }
        // The editor's text of the open files, not the disk's.
        for (p, text) in &mut files {
            if let Some(open) = self.open.get(p.as_str()) {
                text.clone_from(open);
            }
        }
        files
    }

    /// Loads, lints and runs the examples of one open file.
    pub fn analyse(&mut self, path: &str) -> Option<Analysis> {
        let text = self.open.get(path)?.clone();
        let others = self.others(path);
        let focus = vec![(path.to_string(), text.clone())];
        let (set, diags) = rules::load(&check::focus_files(&others, &focus));
        let engine = Engine::new(set);
        let in_focus = |f: &str| f == path;
        let report = check::check_set_with(engine.rules(), engine.matcher(), diags, &in_focus);
        let report = check::keep_focus(engine.rules(), report, &in_focus);
        Some(Analysis {
            path: path.to_string(),
            text,
            engine,
            report,
        })
    }

    /// The diagnostics to publish for one file.
    pub fn diagnostics(&mut self, path: &str) -> Vec<lsp_types::Diagnostic> {
        let Some(a) = self.analyse(path) else {
            return Vec::new();
        };
        a.report
            .diagnostics
            .iter()
            .filter(|d| d.file == a.path)
            .map(|d| to_lsp(&a.text, d))
            .collect()
    }

    /// Hover at `offset`: the rule's metadata and, over the corpus, what
    /// the pattern under the cursor (or the whole rule) matches.
    pub fn hover(&mut self, path: &str, offset: usize) -> Option<Hover> {
        let a = self.analyse(path)?;
        let (id, rule) = a.own_rules().find(|(_, r)| r.span.contains(&offset))?;
        let mut md = format!(
            "**{}** (`{}`) · {} · {}\n\n",
            rule.name,
            rule.id,
            rule.category,
            if rule.cncf.as_str().is_empty() {
                "no foundation"
            } else {
                rule.cncf.as_str()
            }
        );
        for (k, v) in [
            ("repo", &rule.repo),
            ("license", &rule.license),
            ("vendor", &rule.vendor),
        ] {
            if !v.is_empty() {
                md.push_str(&format!("{k} `{v}` · "));
            }
        }
        md.push_str(&format!(
            "{} patterns, {} exclusions, {} examples\n\n{}\n",
            rule.patterns.len(),
            rule.excludes.len(),
            rule.examples.len(),
            rule.description
        ));
        let pattern = rule.patterns.iter().position(|p| p.span.contains(&offset));
        let (label, one) = one_rule(&a, id, pattern);
        md.push_str("\n---\n");
        md.push_str(&self.corpus_note(&label, &one));
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: md,
            }),
            range: None,
        })
    }

    /// What `label` (a pattern or a whole rule, as `rules`) matches over the corpus.
    fn corpus_note(&self, label: &str, rules: &RuleSet) -> String {
        let Some(corpus) = &self.corpus else {
            return "no corpus loaded (start the server with `--corpus PATH`)\n".to_string();
        };
        let key = cache_key(rules);
        match corpus.matches(&key, rules) {
            Err(m) => format!("the corpus could not be read: {m}\n"),
            Ok(None) => "the corpus is still loading; hover again in a moment\n".to_string(),
            Ok(Some(m)) => {
                let name = match corpus.state() {
                    State::Ready(l) => l.name.clone(),
                    _ => String::new(),
                };
                let mut s = format!(
                    "{label} matches **{} of {} submissions** ({} mentions) in `{name}`\n",
                    m.submissions, m.of, m.mentions
                );
                for q in m.quotes.iter().take(3) {
                    s.push_str(&format!(
                        "- `{}`: {}\n",
                        q.at,
                        crate::output::sink::markdown(&q.quote)
                    ));
                }
                s
            }
        }
    }

    /// The `project` header of the rule whose id is the word at `offset`
    /// (`kuberay`, or `kuberay.rule` in a comment).
    pub fn definition(&mut self, path: &str, offset: usize) -> Option<(String, Range)> {
        let a = self.analyse(path)?;
        let (word, _) = text::word_at(&a.text, offset)?;
        let file_name = |r: &Rule| {
            let p = &a.engine.rules().sources[r.source.0 as usize].path;
            p.rsplit(['/', '\\']).next().unwrap_or(p).to_string()
        };
        let rule = match word.strip_suffix(".rule") {
            Some(_) => a
                .engine
                .rules()
                .rules
                .iter()
                .find(|r| file_name(r) == word)?,
            None => a
                .engine
                .rules()
                .rules
                .iter()
                .find(|r| r.id == word.trim_end_matches('.'))?,
        };
        let src = &a.engine.rules().sources[rule.source.0 as usize];
        Some((
            src.path.clone(),
            text::range(
                &src.text,
                rule.span.start..rule.span.start + "project".len(),
            ),
        ))
    }

    /// One symbol per project of the file.
    #[allow(deprecated)]
    pub fn symbols(&mut self, path: &str) -> Vec<DocumentSymbol> {
        let Some(a) = self.analyse(path) else {
            return Vec::new();
        };
        let mut out: Vec<DocumentSymbol> = a
            .own_rules()
            .map(|(_, r)| DocumentSymbol {
                name: r.id.clone(),
                detail: Some(format!("{} · {}", r.name, r.category)),
                kind: SymbolKind::MODULE,
                tags: None,
                deprecated: None,
                range: text::range(&a.text, r.span.clone()),
                selection_range: text::range(&a.text, r.span.start..r.span.start + 7),
                children: None,
            })
            .collect();
        if out.is_empty() {
            // A file that does not parse still lists its projects.
            for (id, at) in rules::project_headers(&a.text) {
                let line_end = a.text[at..].find('\n').map_or(a.text.len(), |i| at + i);
                out.push(DocumentSymbol {
                    name: id.to_string(),
                    detail: Some("not loaded".to_string()),
                    kind: SymbolKind::MODULE,
                    tags: None,
                    deprecated: None,
                    range: text::range(&a.text, at..line_end),
                    selection_range: text::range(&a.text, at..at + 7),
                    children: None,
                });
            }
        }
        out
    }

    /// The edits of `aiconf fmt`; `None` when the file does not parse.
    pub fn format(&self, path: &str) -> Option<Vec<TextEdit>> {
        let text = self.open.get(path)?;
        let formatted = rules::format(path, text).ok()?;
        Some(if &formatted == text {
            Vec::new()
        } else {
            vec![TextEdit {
                range: text::whole(text),
                new_text: formatted,
            }]
        })
    }
}

/// A set of one rule, cut to its pattern `pattern` when given (its
/// exclusions kept), and a label for it.
pub(super) fn one_rule(a: &Analysis, id: RuleId, pattern: Option<usize>) -> (String, RuleSet) {
    let mut rule = a.engine.rules().get(id).clone();
    let src = a.engine.rules().sources[rule.source.0 as usize].clone();
    let label = match pattern {
        Some(i) => {
            let p = rule.patterns[i].clone();
            let label = format!("`{}`", src.text.get(p.span.clone()).unwrap_or_default());
            rule.patterns = vec![p];
            label
        }
        None => format!("rule `{}`", rule.id),
    };
    rule.source = rules::SourceId(0);
    (
        label,
        RuleSet {
            rules: vec![rule],
            sources: vec![src],
            kept_previous: Vec::new(),
        },
    )
}

/// A cache key for a one-rule set: its patterns and exclusions as written.
fn cache_key(set: &RuleSet) -> String {
    let r = &set.rules[0];
    let text = &set.sources[0].text;
    let mut key = String::new();
    for p in r.patterns.iter().chain(&r.excludes) {
        key.push_str(text.get(p.span.clone()).unwrap_or_default());
        key.push('\n');
    }
    key
}

/// A diagnostic in the protocol's terms: code, range, message and help.
pub fn to_lsp(text: &str, d: &Diagnostic) -> lsp_types::Diagnostic {
    let range = match &d.span {
        Some(s) => text::range(text, s.clone()),
        None if d.line > 0 => {
            let line_start: usize = text
                .split_inclusive('\n')
                .take(d.line - 1)
                .map(str::len)
                .sum();
            let at = text[line_start.min(text.len())..]
                .char_indices()
                .nth(d.column.saturating_sub(1))
                .map_or(text.len(), |(i, _)| line_start + i);
            text::range(text, at..at)
        }
        None => text::range(text, 0..0),
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    lsp_types::Diagnostic {
        range,
        severity: Some(if d.is_error() {
            DiagnosticSeverity::ERROR
        } else {
            DiagnosticSeverity::WARNING
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("aiconf".to_string()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}
