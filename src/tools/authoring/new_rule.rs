//! `aiconf new`: a rule file to start from, which passes `aiconf check` as
//! written. It has the id, the display name, the metadata fields (those not
//! known yet as comments to fill in), the name as a pattern, the repository
//! URL, chart or image that `aiconf candidates` saw, and two or three
//! examples: quotes of the corpus that the new rule matches, each expecting
//! what the rule gives for it (M with its version, or X), so the examples
//! are true of the corpus from the start.

use crate::diagnostic::Code;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::rules::engine::matcher::Matcher;
use crate::rules::{self, Category, Example, Expect, RuleFiles};
use crate::scan::candidates::{Candidate, CandidateKind};
use crate::scan::finding::Cell;
use crate::tools::check;
use crate::tools::lsp::CorpusIndex;

/// What to write.
#[derive(Clone, Debug, Default)]
pub struct NewRuleOptions {
    /// The rule id (`kueue`): lower case, digits, `-`, `_`.
    pub id: String,
    /// The display name ("Kueue").
    pub name: String,
    /// A category; `Platform` when none is given.
    pub category: Option<String>,
    /// The candidate it is made from (`aiconf candidates`), if any.
    pub candidate: Option<Candidate>,
}

/// The rule file written, and what it is made of.
#[derive(Clone, Debug, Serialize)]
pub struct NewRule {
    /// The rule file's text.
    pub text: String,
    /// The examples' quotes, with where each comes from (`v1.34/gke/PRODUCT.yaml:40`).
    pub examples_from: Vec<String>,
    /// What `check` says of it (empty when it passes).
    pub diagnostics: Vec<Diagnostic>,
}

/// Examples taken from the corpus, at most.
const EXAMPLES: usize = 3;

/// Writes the text of a new rule file (nothing is written to disk).
/// `others` are the rules it is checked with; `corpus` gives the quotes.
pub fn new_rule(
    opts: &NewRuleOptions,
    others: &RuleFiles,
    corpus: Option<&CorpusIndex>,
) -> Result<NewRule, Diagnostic> {
    let id = opts.id.as_str();
    let category = checked_options(opts)?;
    not_taken(opts, others)?;
    let path = format!("{id}.rule");
    let head = header(opts, category);
    // The rule without examples, to find its quotes in the corpus.
    let bare = format!("{head}}}\n");
    let quotes = quotes(opts, corpus, &path, &bare);
    let mut files = check::focus_files(others, &[(path.clone(), bare.clone())]);
    let (mut examples, examples_from) = examples(&files, id, &quotes);
    if examples.is_empty() {
        // No corpus quote: the name itself, so the rule is still tested.
        examples.push((opts.name.clone(), "X".to_string()));
    }
    let mut text = head;
    text.push('\n');
    for (q, cell) in &examples {
        text.push_str(&format!("  example \"{}\" => {cell}\n", escape(q)));
    }
    text.push_str("}\n");
    let text = rules::format(&path, &text).unwrap_or(text);
    files.pop();
    let (_, report) = check::check_focus(&files, &[(path, text.clone())]);
    Ok(NewRule {
        text,
        examples_from,
        diagnostics: report.diagnostics,
    })
}

/// The id is a rule id (E030), the display name is not empty (E030), the category is one
/// (E003, with the closest; `Platform` when none is given).
fn checked_options(opts: &NewRuleOptions) -> Result<Category, Diagnostic> {
    let id = opts.id.as_str();
    let valid_id = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_id {
        return Err(Diagnostic::error(
            Code::E030,
            id,
            format!("`{id}` is not a rule id"),
        )
        .with_help("an id starts with a lower-case letter and has lower-case letters, digits, `-` and `_`: e.g. `kuberay`"));
    }
    if opts.name.trim().is_empty() {
        return Err(
            Diagnostic::error(Code::E030, id, "the display name is empty")
                .with_help("give it with --name \"Display Name\""),
        );
    }
    Ok(match &opts.category {
        Some(c) => Category::parse(c).ok_or_else(|| {
            let mut d = Diagnostic::error(Code::E003, id, format!("unknown category `{c}`"));
            if let Some(k) = rules::closest(c, rules::CATEGORIES.iter().copied()) {
                d = d.with_help(format!("did you mean `{k}`?"));
            }
            d
        })?,
        None => Category::parse("Platform").expect("Platform is a category"),
    })
}

/// No rule of `others` has the new rule's id or display name (E031).
fn not_taken(opts: &NewRuleOptions, others: &RuleFiles) -> Result<(), Diagnostic> {
    let id = opts.id.as_str();
    let (existing, _) = rules::load(others);
    if let Some(r) = existing
        .rules
        .iter()
        .find(|r| r.id == id || r.name.eq_ignore_ascii_case(&opts.name))
    {
        let src = &existing.sources[r.source.0 as usize].path;
        return Err(Diagnostic::error(
            Code::E031,
            id,
            format!("a rule `{}` \"{}\" exists already ({src})", r.id, r.name),
        )
        .with_help("every rule needs its own id and display name; edit that rule instead"));
    }
    Ok(())
}

/// Quotes the new rule could take its examples from, each with where it is (`file:line`): the
/// candidate's, then what the rule without examples (`bare`) matches in the corpus.
fn quotes(
    opts: &NewRuleOptions,
    corpus: Option<&CorpusIndex>,
    path: &str,
    bare: &str,
) -> Vec<(String, String)> {
    let mut quotes: Vec<(String, String)> = Vec::new();
    if let Some(c) = &opts.candidate {
        quotes.push((
            c.example.quote.clone(),
            format!("{}:{}", c.example.file, c.example.line),
        ));
    }
    if let Some(corpus) = corpus {
        let (one, _) = rules::load(&[(path.to_string(), bare.to_string())]);
        if !one.rules.is_empty() {
            corpus.wait(std::time::Duration::from_secs(600));
            if let Ok(Some(m)) = corpus.matches(bare, &one) {
                quotes.extend(m.quotes.into_iter().map(|q| (q.quote, q.at)));
            }
        }
    }
    quotes
}

/// Up to [`EXAMPLES`] distinct quotes as examples of rule `id`, each with the cell the whole
/// rule set (`files`) gives it, so the example passes; a quote it does not name is left out.
/// Also where each came from (`file:line: quote`).
fn examples(
    files: &RuleFiles,
    id: &str,
    quotes: &[(String, String)],
) -> (Vec<(String, String)>, Vec<String>) {
    let (set, _) = rules::load(files);
    let matcher = Matcher::compile(&set);
    let mut examples = Vec::new();
    let mut examples_from = Vec::new();
    let Some(rid) = set.find(id).filter(|r| set.get(*r).id == id) else {
        return (examples, examples_from);
    };
    for (quote, at) in quotes {
        let q = &example_text(quote);
        if examples.len() == EXAMPLES || q.is_empty() || examples.iter().any(|(t, _)| t == q) {
            continue;
        }
        let ex = Example {
            text: q.clone(),
            expect: Expect::X,
            span: 0..0,
        };
        let got = check::run_example(&set, &matcher, rid, &ex);
        let cell = match got.cell {
            Cell::NotNamed => continue,
            Cell::M => format!(
                "M \"{}\"",
                got.versions.first().cloned().unwrap_or_default()
            ),
            Cell::X => "X".to_string(),
        };
        examples.push((q.clone(), cell));
        examples_from.push(format!("{at}: {quote}"));
    }
    (examples, examples_from)
}

/// The file up to its examples (the block left open).
fn header(opts: &NewRuleOptions, category: Category) -> String {
    let c = opts.candidate.as_ref();
    let repo = c
        .filter(|c| c.kind == CandidateKind::Repo)
        .map(|c| c.name.trim_start_matches("github.com/").to_string());
    let mut s = format!(
        "# {}: what it is, in one line.\nproject {} \"{}\" {{\n",
        opts.name,
        opts.id,
        escape(&opts.name)
    );
    let cat = category.as_str();
    let cat = if cat.contains(' ') {
        format!("\"{cat}\"")
    } else {
        cat.to_string()
    };
    s.push_str(&format!("  category {cat}\n"));
    s.push_str("  # cncf Graduated | Incubating | Sandbox | \"K8s SIG\" | none\n");
    match &repo {
        Some(r) => s.push_str(&format!("  repo \"{r}\"\n")),
        None => s.push_str("  # repo \"org/name\"\n"),
    }
    s.push_str("  # license \"Apache-2.0\"\n  # vendor \"the organisation behind it\"\n");
    s.push_str("  # description \"what it does, in a few words\"\n\n");
    s.push_str(&format!("  name \"{}\"\n", escape(&opts.name)));
    if let Some(c) = c {
        match c.kind {
            CandidateKind::Repo => s.push_str(&format!("  url \"{}\"\n", escape(&c.name))),
            CandidateKind::Chart => s.push_str(&format!("  chart \"{}\"\n", escape(&c.name))),
            CandidateKind::Image => s.push_str(&format!("  image \"{}\"\n", escape(&c.name))),
            CandidateKind::Name if !c.name.eq_ignore_ascii_case(&opts.name) => {
                s.push_str(&format!("  alias \"{}\"\n", escape(&c.name)));
            }
            CandidateKind::Name => {}
        }
    }
    s
}

/// A corpus quote as an example's text: the line without a YAML key, list
/// dash or the quotes around a YAML value (`notes: "We deploy X."` -> `We deploy X.`).
pub fn example_text(quote: &str) -> String {
    let mut t = quote.trim();
    t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    let key_len = t.find(": ").filter(|&i| {
        t[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if let Some(i) = key_len {
        t = t[i + 2..].trim_start();
    }
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            t = &t[1..t.len() - 1];
        }
    }
    t.to_string()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The candidate named `name` (case-insensitively; a repository also by
/// `org/name` or its last part) among the corpus's candidates for the engine's rules.
pub fn find_candidate(
    source: &dyn crate::source::corpus::Source,
    engine: &crate::rules::engine::Engine,
    name: &str,
) -> Result<Candidate, Diagnostic> {
    let (corpus, _) = crate::source::corpus::load(source)?;
    let templates = crate::scan::load_templates(source, &corpus);
    let found = crate::scan::candidates::find(source, &corpus, engine.matcher(), &templates);
    let wanted = name.trim().to_lowercase();
    let same = |c: &Candidate| {
        let n = c.name.to_lowercase();
        n == wanted
            || n.trim_start_matches("github.com/") == wanted
            || (c.kind == CandidateKind::Repo && n.rsplit('/').next() == Some(wanted.as_str()))
    };
    if let Some(c) = found.iter().find(|c| same(c)) {
        return Ok(c.clone());
    }
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    let mut d = Diagnostic::error(
        Code::E032,
        name,
        format!("no candidate `{name}` in {}", source.describe()),
    );
    d = d.with_help(match rules::closest(name, names.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? (`aiconf candidates` lists them)"),
        None => "`aiconf candidates` lists the names no rule covers".to_string(),
    });
    Err(d)
}
