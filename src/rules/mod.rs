//! Rules: what each open-source project is (category, CNCF status, repository,
//! licence, vendor) and how it is recognised in a submission's text (names,
//! aliases, URLs, API kinds, images, charts, regexes, exclusions, version
//! patterns, examples). A [`RuleSet`] is loaded from rule files written in the
//! DSL of `grammar/rules.pest`; every error in them is a [`Diagnostic`].

mod category;
pub mod engine;
mod format;
mod parse;
pub use parse::{unescape_str, FLAG_KEYWORDS, META_KEYWORDS, PATTERN_KEYWORDS};

use crate::diagnostic::Code;
use std::path::Path;

use serde::Serialize;

pub use category::{closest, Category, CncfStatus, CATEGORIES, CNCF_STATUSES};
pub use format::{fmt_paths, format, unformatted, FmtMode};

use crate::diagnostic::Diagnostic;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Index of a rule in its [`RuleSet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RuleId(pub u32);

/// Index of a rule file in [`RuleSet::sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceId(pub u32);

/// A rule file's name and text, kept for rendering diagnostics.
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub path: String,
    pub text: String,
}

/// What sort of evidence a pattern stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PatternKind {
    Name,
    Alias,
    Url,
    Kind,
    Image,
    Chart,
    Match,
}

impl PatternKind {
    pub fn keyword(self) -> &'static str {
        match self {
            PatternKind::Name => "name",
            PatternKind::Alias => "alias",
            PatternKind::Url => "url",
            PatternKind::Kind => "kind",
            PatternKind::Image => "image",
            PatternKind::Chart => "chart",
            PatternKind::Match => "match",
        }
    }
}

/// A literal or a regular expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needle {
    /// Text matched as written (case and word boundaries per the rule).
    Literal(String),
    /// A regular expression.
    Regex(String),
}

/// One way to recognise a project (or, in `excludes`, a false friend).
#[derive(Clone, Debug, Serialize)]
pub struct Pattern {
    pub kind: PatternKind,
    pub needle: Needle,
    pub case_sensitive: bool,
    pub whole_word: bool,
    /// Byte range of the pattern's statement in its rule file.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

/// What an example expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "cell", content = "version")]
pub enum Expect {
    /// Named with this version.
    M(String),
    /// Named, no version.
    X,
    /// Not named.
    #[serde(rename = "-")]
    None,
}

/// A text that must (or must not) match, run as a test.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    pub text: String,
    pub expect: Expect,
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

/// One project: what it is and how it is recognised.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub id: String,
    /// Display name, as in the published tables' rows.
    pub name: String,
    pub category: Category,
    pub cncf: CncfStatus,
    pub repo: String,
    pub license: String,
    /// The organisation behind the project.
    pub vendor: String,
    pub description: String,
    #[serde(skip)]
    pub patterns: Vec<Pattern>,
    #[serde(skip)]
    pub excludes: Vec<Pattern>,
    /// Version regexes (one capture group), tried on the rest of the line after a hit.
    #[serde(skip)]
    pub versions: Vec<String>,
    #[serde(skip)]
    pub examples: Vec<Example>,
    #[serde(skip)]
    pub source: SourceId,
    /// Byte range of the `project` block in its file.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

/// All loaded rules, in load order (files sorted by name, blocks in file order).
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    /// The rules, indexed by [`RuleId`].
    pub rules: Vec<Rule>,
    /// The rule files' names and texts, indexed by [`SourceId`].
    pub sources: Vec<RuleSource>,
    /// Ids of rules kept from a previous load because their new text failed
    /// ([`RuleSet::keep_previous`]).
    pub kept_previous: Vec<String>,
}

impl RuleSet {
    /// The rule of `id`.
    pub fn get(&self, id: RuleId) -> &Rule {
        &self.rules[id.0 as usize]
    }

    /// Every rule's id, in load order.
    pub fn ids(&self) -> impl Iterator<Item = RuleId> + '_ {
        (0..self.rules.len() as u32).map(RuleId)
    }

    /// Finds a rule by id or display name, case-insensitively.
    pub fn find(&self, name: &str) -> Option<RuleId> {
        self.rules
            .iter()
            .position(|r| r.name.eq_ignore_ascii_case(name) || r.id.eq_ignore_ascii_case(name))
            .map(|i| RuleId(i as u32))
    }

    /// Finds a rule by id or display name as [`RuleSet::find`]; else an E211 that suggests the
    /// closest display name.
    pub fn resolve(&self, name: &str) -> Result<RuleId, Diagnostic> {
        self.find(name).ok_or_else(|| {
            let names = self.rules.iter().map(|r| r.name.as_str());
            let d = Diagnostic::error(Code::E211, name, format!("no rule named `{name}`"));
            match closest(name, names) {
                Some(c) => d.with_help(format!("did you mean `{c}`?")),
                None => d,
            }
        })
    }

    /// The text of the rule file named `path`.
    pub fn source_text(&self, path: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.text.as_str())
    }

    /// The `project` blocks of the loaded files that did not become a rule
    /// (an error in them, a syntax error in their file, a duplicate), in file
    /// order: what every command names instead of dropping it silently.
    pub fn not_loaded(&self) -> Vec<NotLoaded> {
        let mut out = Vec::new();
        for (i, src) in self.sources.iter().enumerate() {
            let mut loaded: Vec<&str> = self
                .rules
                .iter()
                .filter(|r| r.source.0 as usize == i)
                .map(|r| r.id.as_str())
                .collect();
            for (id, offset) in project_headers(&src.text) {
                match loaded.iter().position(|l| *l == id) {
                    Some(k) => {
                        loaded.remove(k);
                    }
                    None => out.push(NotLoaded {
                        id: id.to_string(),
                        file: src.path.clone(),
                        line: crate::diagnostic::line_col(&src.text, offset).0,
                        previous_kept: self.kept_previous.iter().any(|k| k == id),
                    }),
                }
            }
        }
        out
    }
}

impl RuleSet {
    /// After a reload: every rule of `previous` whose new text did not load
    /// (see [`RuleSet::not_loaded`]) is kept as it was, unless a loaded rule
    /// now has its id or display name. Its source is kept too, as
    /// `PATH (as last loaded)`, blanked outside its block so positions stay
    /// right. Returns the ids kept.
    pub fn keep_previous(&mut self, previous: &RuleSet) -> Vec<String> {
        let mut kept = Vec::new();
        for missing in self.not_loaded() {
            let Some(old) = previous.rules.iter().find(|r| r.id == missing.id) else {
                continue;
            };
            let taken = self
                .rules
                .iter()
                .any(|r| r.id == old.id || r.name.eq_ignore_ascii_case(&old.name));
            if taken {
                continue;
            }
            let src = &previous.sources[old.source.0 as usize];
            // Same bytes inside the block, a space per byte outside (lines kept).
            let mut text = String::with_capacity(src.text.len());
            for (i, c) in src.text.char_indices() {
                if c == '\n' || old.span.contains(&i) {
                    text.push(c);
                } else {
                    text.extend(std::iter::repeat_n(' ', c.len_utf8()));
                }
            }
            let mut rule = old.clone();
            rule.source = SourceId(self.sources.len() as u32);
            self.sources.push(RuleSource {
                path: format!(
                    "{} (as last loaded)",
                    src.path.trim_end_matches(" (as last loaded)")
                ),
                text,
            });
            self.rules.push(rule);
            self.kept_previous.push(missing.id.clone());
            kept.push(missing.id);
        }
        kept
    }
}

/// A `project` block of a rule file that is not in the loaded [`RuleSet`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotLoaded {
    /// The id written after `project` (as written, even when it is not a valid id).
    pub id: String,
    pub file: String,
    /// 1-based line of its `project` keyword.
    pub line: usize,
    /// The version loaded before (a REPL `.reload`) is used instead.
    pub previous_kept: bool,
}

impl std::fmt::Display for NotLoaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` ({}:{})", self.id, self.file, self.line)?;
        if self.previous_kept {
            f.write_str(" (its previous version is kept)")?;
        }
        Ok(())
    }
}

/// One line naming the rules that failed to load, or `None` when all loaded.
pub fn not_loaded_note(set: &RuleSet) -> Option<String> {
    let missing = set.not_loaded();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
    Some(format!(
        "{}: {} (the errors above say why; `aiconf check` lists them)",
        if missing.len() == 1 {
            "1 rule failed to load".to_string()
        } else {
            format!("{} rules failed to load", missing.len())
        },
        names.join(", ")
    ))
}

/// The (id, offset of `project`) of every block header in a rule file's
/// text, found without the grammar so that a file that does not parse still
/// names its projects: `project` words outside blocks, comments, strings
/// and regexes.
pub fn project_headers(text: &str) -> Vec<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    // Skips a string, a regex or a comment starting at `i` up to its end.
    let skip = |i: usize, close: u8| -> usize {
        let mut j = i + 1;
        while j < bytes.len() && bytes[j] != close && bytes[j] != b'\n' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        j + 1
    };
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = skip(i, b'\n'),
            b'"' => i = skip(i, b'"'),
            b'/' if depth > 0 => i = skip(i, b'/'),
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'p' if depth == 0
                && bytes[i..].starts_with(b"project")
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) =>
            {
                let rest = &text[i + "project".len()..];
                let id = rest.trim_start();
                let id_len = id
                    .find(|c: char| c.is_whitespace() || c == '"' || c == '{')
                    .unwrap_or(id.len());
                if id.len() < rest.len() && id_len > 0 {
                    out.push((&id[..id_len], i));
                }
                i += "project".len();
            }
            _ => i += 1,
        }
    }
    out
}

/// Rule files as (path, text) pairs, the input of [`load`].
pub type RuleFiles = Vec<(String, String)>;

/// Loads rules from (path, text) pairs; returns the rules that are valid and
/// every diagnostic. A rule with an error is left out; the others load.
pub fn load(files: &[(String, String)]) -> (RuleSet, Vec<Diagnostic>) {
    let mut set = RuleSet::default();
    let mut diags = Vec::new();
    for (i, (path, text)) in files.iter().enumerate() {
        let source = SourceId(i as u32);
        // A byte-order mark is not part of the DSL; spans index the text without it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        set.sources.push(RuleSource {
            path: path.clone(),
            text: text.to_string(),
        });
        match parse::parse_file(path, text, source) {
            Ok((rules, mut d)) => {
                diags.append(&mut d);
                set.rules.extend(rules);
            }
            Err(d) => diags.push(d),
        }
    }
    check_duplicates(&mut set, &mut diags);
    (set, diags)
}

/// The rules of `dir` ([`load_dir`]), or the built-in ones when there is none.
pub fn load_from(dir: Option<&Path>) -> Result<(RuleSet, Vec<Diagnostic>), Diagnostic> {
    match dir {
        Some(dir) => load_dir(dir),
        None => Ok(builtin()),
    }
}

/// The rules built into the binary (the `rules/` folder at build time).
pub fn builtin() -> (RuleSet, Vec<Diagnostic>) {
    load(&builtin_files())
}

/// The built-in rule files as (path, text) pairs (`rules/kueue.rule`, ...).
pub fn builtin_files() -> RuleFiles {
    BUILTIN_RULES
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

/// Reads every `*.rule` file under `dir` (sorted by path) and loads them. A
/// file that cannot be read is a diagnostic (E100) and the others still load;
/// `Err` only when `dir` itself cannot be read.
pub fn load_dir(dir: &Path) -> Result<(RuleSet, Vec<Diagnostic>), Diagnostic> {
    let (files, mut read_diags) = read_rule_files(dir)?;
    let (set, mut diags) = load(&files);
    read_diags.append(&mut diags);
    Ok((set, read_diags))
}

/// The `*.rule` files under `dir` (or `dir` itself when it is a file), sorted,
/// and a diagnostic for each one that cannot be read as UTF-8 text.
pub fn read_rule_files(dir: &Path) -> Result<(RuleFiles, Vec<Diagnostic>), Diagnostic> {
    let shown = dir.display().to_string();
    let mut paths = Vec::new();
    if dir.is_file() {
        paths.push(dir.to_path_buf());
    } else if !dir.exists() && dir.extension().is_some_and(|e| e == "rule") {
        return Err(Diagnostic::error(
            Code::E100,
            &shown,
            "cannot read the rule file: there is no such file",
        ));
    } else {
        let rd = std::fs::read_dir(dir).map_err(|e| {
            Diagnostic::error(
                Code::E100,
                &shown,
                format!("cannot read the rules folder: {e}"),
            )
            .with_help("--rules takes a folder of `*.rule` files (or one rule file)")
        })?;
        for entry in rd.filter_map(Result::ok) {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "rule") {
                paths.push(p);
            }
        }
        paths.sort();
        if paths.is_empty() {
            // Most likely a wrong path: zero rules would check clean and find nothing.
            return Err(Diagnostic::error(
                Code::E100,
                &shown,
                "the rules folder has no `*.rule` file",
            )
            .with_help("--rules takes a folder of `*.rule` files (or one rule file)"));
        }
    }
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        match read_rule_file(&p) {
            Ok(text) => files.push((p.display().to_string(), text)),
            Err(d) => diags.push(d),
        }
    }
    Ok((files, diags))
}

/// One rule file's text; not UTF-8 or unreadable is an E100 with the position.
fn read_rule_file(p: &Path) -> Result<String, Diagnostic> {
    let shown = p.display().to_string();
    let bytes = std::fs::read(p).map_err(|e| {
        Diagnostic::error(
            Code::E100,
            &shown,
            format!("cannot read the rule file: {e}; skipped"),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let (line, column) = crate::diagnostic::line_col(&good, at);
        Diagnostic::error(
            Code::E100,
            &shown,
            "the rule file is not UTF-8 text; skipped",
        )
        .at_line(line, column)
        .with_help("save rule files as UTF-8")
    })
}

/// Duplicate ids and display names: the later one is an error and is dropped.
fn check_duplicates(set: &mut RuleSet, diags: &mut Vec<Diagnostic>) {
    let mut keep = Vec::with_capacity(set.rules.len());
    let mut seen_ids: Vec<(String, String)> = Vec::new();
    for rule in std::mem::take(&mut set.rules) {
        let src = &set.sources[rule.source.0 as usize];
        let dup = seen_ids
            .iter()
            .find(|(id, name)| *id == rule.id || name.eq_ignore_ascii_case(&rule.name));
        if let Some((id, _)) = dup {
            let what = if *id == rule.id { "id" } else { "display name" };
            diags.push(
                Diagnostic::error(
                    Code::E006,
                    &src.path,
                    format!(
                        "duplicate rule {what}: `{}`",
                        if *id == rule.id { &rule.id } else { &rule.name }
                    ),
                )
                .at(&src.text, rule.span.start..rule.span.start + 7)
                .with_label(format!("a rule with this {what} is already loaded"))
                .with_help("every rule needs its own id and display name"),
            );
            continue;
        }
        seen_ids.push((rule.id.clone(), rule.name.clone()));
        keep.push(rule);
    }
    set.rules = keep;
}
