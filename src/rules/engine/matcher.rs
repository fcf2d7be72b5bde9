//! The matcher: every rule compiled into one multi-pattern automaton.
//!
//! As in yara-x, literal "atoms" are extracted from all patterns (names,
//! URLs, kinds, images, charts, and the literal prefixes of regexes) and
//! found with one Aho-Corasick pass over a text; a regex is then run only
//! where its atom was found, anchored there. Hits are checked for word
//! boundaries and case, exclusions ("Volcano Engine") remove the hits they
//! cover, and a version is read from the text right after each hit.

use std::ops::Range;

use regex_automata::meta::Regex as MetaRegex;
use regex_automata::{Anchored, Input};

use crate::rules::engine::atoms::Atoms;
use crate::rules::engine::literal::at_word_boundaries;
pub use crate::rules::engine::literal::{exclusion_variants, in_path, prefix_atoms, slug_variants};
use crate::rules::{Needle, Pattern, PatternKind, RuleId, RuleSet};

/// A rule's pattern (or exclusion) found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub rule: RuleId,
    pub kind: PatternKind,
    pub range: Range<usize>,
}

/// What a pattern of the automaton stands for.
#[derive(Clone, Copy, Debug)]
struct Target {
    rule: RuleId,
    kind: PatternKind,
    exclude: bool,
    whole_word: bool,
}

/// One use of an atom: a whole literal, or the prefix of a regex to verify.
#[derive(Clone, Debug)]
enum Use {
    Literal {
        target: Target,
        case_sensitive: bool,
        literal: Box<[u8]>,
    },
    Prefix {
        regex: usize,
    },
}

/// A compiled regex pattern, run anchored at its atoms (or over the whole
/// text when it has no literal prefix).
#[derive(Debug)]
struct RegexPattern {
    target: Target,
    regex: LazyRegex,
}

/// A regex compiled the first time a search needs it: most of the built-in rules' regexes are
/// never run by a command that matches little (`match`, `check` of one file, the language server),
/// and compiling all of them was a third of the start-up. One that does not compile finds nothing
/// (the rules were validated when loaded).
#[derive(Debug)]
struct LazyRegex {
    src: String,
    regex: std::sync::OnceLock<Option<MetaRegex>>,
}

impl LazyRegex {
    fn new(src: String) -> LazyRegex {
        LazyRegex {
            src,
            regex: std::sync::OnceLock::new(),
        }
    }

    fn get(&self) -> Option<&MetaRegex> {
        self.regex
            .get_or_init(|| small_regex(&self.src).ok())
            .as_ref()
    }
}

/// All rules, ready to scan texts.
#[derive(Debug)]
pub struct Matcher {
    atoms: Atoms,
    uses: Vec<Vec<Use>>,
    regexes: Vec<RegexPattern>,
    /// Regexes with no literal prefix: each is a pass of its own.
    unanchored: Vec<usize>,
    versions: Vec<Vec<LazyRegex>>,
    default_version: MetaRegex,
    flag_version: MetaRegex,
    atom_count: usize,
    /// Each rule's own names (its id and display name), letters and digits
    /// only, lower case: what [`Matcher::is_own_name`] compares with.
    own_names: Vec<[String; 2]>,
}

/// The automaton's atoms and what each stands for, as [`Matcher::compile`]
/// collects them: one atom per spelling (lower case), shared by every use.
#[derive(Default)]
struct Build {
    atoms: Vec<Vec<u8>>,
    index: std::collections::HashMap<Vec<u8>, usize>,
    uses: Vec<Vec<Use>>,
    regexes: Vec<RegexPattern>,
    unanchored: Vec<usize>,
}

impl Build {
    /// Adds a use of `atom`, adding the atom the first time it is seen.
    fn atom(&mut self, atom: Vec<u8>, u: Use) {
        let key = atom.to_ascii_lowercase();
        let id = *self.index.entry(key.clone()).or_insert_with(|| {
            self.atoms.push(key);
            self.uses.push(Vec::new());
            self.atoms.len() - 1
        });
        self.uses[id].push(u);
    }

    /// A pattern (or exclusion): a literal's spellings as atoms, or a regex
    /// anchored at its literal prefixes (a pass of its own when it has none).
    fn pattern(&mut self, target: Target, p: &Pattern) {
        match &p.needle {
            Needle::Literal(s) => {
                let variants = if target.exclude {
                    exclusion_variants(s)
                } else {
                    slug_variants(s)
                };
                for variant in variants {
                    self.atom(
                        variant.as_bytes().to_vec(),
                        Use::Literal {
                            target,
                            case_sensitive: p.case_sensitive,
                            literal: variant.as_bytes().into(),
                        },
                    );
                }
            }
            Needle::Regex(src) => {
                let full = if p.case_sensitive {
                    src.clone()
                } else {
                    format!("(?i:{src})")
                };
                let r = self.regexes.len();
                self.regexes.push(RegexPattern {
                    target,
                    regex: LazyRegex::new(full),
                });
                match prefix_atoms(src) {
                    Some(prefixes) => {
                        for a in prefixes {
                            self.atom(a, Use::Prefix { regex: r });
                        }
                    }
                    None => self.unanchored.push(r),
                }
            }
        }
    }
}

/// `Kube-Ray` -> `kuberay`: letters and digits, lower case.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A `--version` flag of the command a name is in: `helm install kueue ... --version=0.14.1`.
pub const FLAG_VERSION: &str = r"(?:^|\s)--version[= ]v?(\d{1,4}\.\d{1,4}(?:\.\d{1,4})?)\b";

/// The version written right after a name: `Kueue v0.14.2`, `kueue:0.13`,
/// `KubeRay (version 1.3.0)`, `Kueue chart 0.14.1`.
pub const DEFAULT_VERSION: &str = r#"(?i)[ \t:=@"'(-]{0,4}(?:(?:operator|controller|exporter|plugin|driver|scheduler|helm chart|chart|version|ver\.|release|/?releases/download/|/?releases/tag/|tag|image)[ \t:=/-]{0,3}){0,2}v?(\d{1,4}\.\d{1,4}(?:\.\d{1,4})?(?:-(?:rc|alpha|beta)[0-9.]*)?)\b"#;

impl Matcher {
    /// Compiles every pattern of every rule: the atoms now, each regex when a search first needs it
    /// ([`LazyRegex`]). The rules were validated when loaded, so a regex that fails finds nothing.
    pub fn compile(rules: &RuleSet) -> Matcher {
        let mut build = Build::default();
        for id in rules.ids() {
            let rule = rules.get(id);
            let all = rule
                .patterns
                .iter()
                .map(|p| (p, false))
                .chain(rule.excludes.iter().map(|p| (p, true)));
            for (p, exclude) in all {
                let target = Target {
                    rule: id,
                    kind: p.kind,
                    exclude,
                    whole_word: p.whole_word,
                };
                build.pattern(target, p);
            }
        }
        let Build {
            atoms,
            uses,
            regexes,
            unanchored,
            ..
        } = build;
        let versions = rules
            .rules
            .iter()
            .map(|r| {
                r.versions
                    .iter()
                    .map(|v| LazyRegex::new(format!("(?i:{v})")))
                    .collect()
            })
            .collect();
        Matcher {
            atom_count: atoms.len(),
            atoms: Atoms::new(&atoms),
            uses,
            regexes,
            unanchored,
            versions,
            default_version: small_regex(DEFAULT_VERSION).expect("default version regex compiles"),
            flag_version: small_regex(FLAG_VERSION).expect("flag version regex compiles"),
            own_names: rules
                .rules
                .iter()
                .map(|r| [squeeze(&r.id), squeeze(&r.name)])
                .collect(),
        }
    }

    /// Is `text` the project's own name (its id or display name, in any
    /// case or spelling), not an alias or one of its components
    /// (`Kubeflow Trainer`)?
    ///
    /// Called for every hit, so it compares without allocating.
    pub fn is_own_name(&self, rule: RuleId, text: &str) -> bool {
        let squeezed = || {
            text.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
        };
        self.own_names
            .get(rule.0 as usize)
            .is_some_and(|names| names.iter().any(|n| n.chars().eq(squeezed())))
    }

    /// Number of distinct literal atoms in the automaton.
    pub fn atom_count(&self) -> usize {
        self.atom_count
    }

    /// Number of regexes that need a pass of their own (no literal prefix).
    pub fn unanchored_count(&self) -> usize {
        self.unanchored.len()
    }

    /// Every hit of every rule in `text`, exclusions applied, sorted by position.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let (mut hits, excludes) = self.find_all(text);
        hits.retain(|h| covering(&excludes, h).is_none());
        dedup(&mut hits);
        hits
    }

    /// The hits an exclusion removed from `text`, each with the exclusion's
    /// hit that covers it (`not "Volcano Engine"` over `Volcano`), sorted by
    /// position: what `aiconf match` shows as stopped.
    pub fn find_excluded(&self, text: &str) -> Vec<(Hit, Hit)> {
        let (mut hits, excludes) = self.find_all(text);
        hits.retain(|h| covering(&excludes, h).is_some());
        dedup(&mut hits);
        hits.into_iter()
            .filter_map(|h| covering(&excludes, &h).cloned().map(|e| (h, e)))
            .collect()
    }

    /// Hits and exclusion hits, before exclusions are applied.
    fn find_all(&self, text: &str) -> (Vec<Hit>, Vec<Hit>) {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        let mut excludes = Vec::new();
        let push =
            |t: Target, range: Range<usize>, hits: &mut Vec<Hit>, excludes: &mut Vec<Hit>| {
                if t.whole_word && !at_word_boundaries(bytes, &range) {
                    return;
                }
                let hit = Hit {
                    rule: t.rule,
                    kind: t.kind,
                    range,
                };
                if t.exclude {
                    excludes.push(hit)
                } else {
                    hits.push(hit)
                }
            };
        self.atoms.for_each(bytes, |atom, range| {
            for u in &self.uses[atom] {
                match u {
                    Use::Literal {
                        target,
                        case_sensitive,
                        literal,
                    } => {
                        if *case_sensitive
                            && bytes[range.clone()] != literal[..]
                            && !(target.kind != PatternKind::Kind && in_path(bytes, &range))
                        {
                            continue;
                        }
                        push(*target, range.clone(), &mut hits, &mut excludes);
                    }
                    Use::Prefix { regex } => {
                        let r = &self.regexes[*regex];
                        let input = Input::new(text)
                            .range(range.start..)
                            .anchored(Anchored::Yes);
                        if let Some(found) = r.regex.get().and_then(|re| re.find(input)) {
                            push(r.target, found.range(), &mut hits, &mut excludes);
                        }
                    }
                }
            }
        });
        for &i in &self.unanchored {
            let r = &self.regexes[i];
            for found in r.regex.get().into_iter().flat_map(|re| re.find_iter(text)) {
                push(r.target, found.range(), &mut hits, &mut excludes);
            }
        }
        (hits, excludes)
    }

    /// The version written right after a hit of `rule` that ends at `end`,
    /// looking no further than `limit` (the end of the line or field), or
    /// given by a `--version` flag later in the same command when `flags`
    /// (`limit` may span lines continued with `\\`).
    pub fn version_after(
        &self,
        rule: RuleId,
        text: &str,
        end: usize,
        limit: usize,
        flags: bool,
    ) -> Option<String> {
        let limit = limit.min(text.len());
        if end >= limit {
            return None;
        }
        let near = limit.min(end + 96);
        if let Some((v, _)) = self.version_near(rule, text, end, near) {
            return Some(v);
        }
        if !flags {
            return None;
        }
        let mut caps = self.flag_version.create_captures();
        self.flag_version
            .captures(Input::new(text).range(end..limit), &mut caps);
        caps.get_group(1).map(|g| text[g.range()].to_string())
    }

    /// The version written right after a hit of `rule` that ends at `end`
    /// (the rule's own `version` patterns, then [`DEFAULT_VERSION`]), looking
    /// no further than `limit`, with the range from `end` to the version
    /// (what stands between: "chart", "image", "(").
    pub fn version_near(
        &self,
        rule: RuleId,
        text: &str,
        end: usize,
        limit: usize,
    ) -> Option<(String, Range<usize>)> {
        let limit = limit.min(text.len()).min(end + 96);
        if end >= limit {
            return None;
        }
        let input = || Input::new(text).range(end..limit).anchored(Anchored::Yes);
        for re in self.versions[rule.0 as usize]
            .iter()
            .filter_map(LazyRegex::get)
            .chain(std::iter::once(&self.default_version))
        {
            // Slots for the whole match and group 1 only, on the stack: no
            // `Captures` allocated for each of a corpus's many mentions.
            let mut slots = [None; 4];
            re.search_slots(&input(), &mut slots);
            if let (Some(start), Some(stop)) = (slots[2], slots[3]) {
                let g = start.get()..stop.get();
                return Some((
                    text[g.clone()].trim_start_matches(['v', 'V']).to_string(),
                    end..g.start,
                ));
            }
        }
        None
    }
}

/// The exclusion hit of the same rule that covers `hit`, if any.
fn covering<'e>(excludes: &'e [Hit], hit: &Hit) -> Option<&'e Hit> {
    // Overlapping, not only inside: "Grafana" in "Grafana Alloy", and
    // "github.com/grafana" in "github.com/grafana/alloy" (the exclusion's
    // `grafana/alloy`).
    excludes.iter().find(|e| {
        e.rule == hit.rule && e.range.start < hit.range.end && hit.range.start < e.range.end
    })
}

/// A regex for short anchored searches at a hit: no fully compiled DFA
/// (its build costs more than every search of a scan; the lazy DFA serves).
fn small_regex(src: &str) -> Result<MetaRegex, Box<regex_automata::meta::BuildError>> {
    MetaRegex::builder()
        .configure(MetaRegex::config().dfa(false).onepass(false))
        .build(src)
        .map_err(Box::new)
}

/// Hits sorted by position; a hit inside another hit of the same rule is
/// dropped. Hits of different rules may overlap ("Kubeflow Trainer" names
/// Kubeflow too); a rule that must not count inside another project's name
/// says so with `not` ("Prometheus" is not named by "Prometheus Adapter").
fn dedup(hits: &mut Vec<Hit>) {
    hits.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
            .then(a.rule.cmp(&b.rule))
    });
    // Every earlier hit starts at or before this one, so this one lies inside
    // one of them of its rule exactly when the furthest end of that rule's
    // earlier hits reaches its end: one lookup per hit, not a walk back over
    // all of them (a log full of mentions has hundreds of thousands).
    let mut furthest: std::collections::HashMap<RuleId, usize> = std::collections::HashMap::new();
    hits.retain(|h| {
        let end = furthest.entry(h.rule).or_insert(0);
        let covered = *end >= h.range.end && *end > 0;
        *end = (*end).max(h.range.end);
        !covered
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    fn matcher(src: &str) -> (RuleSet, Matcher) {
        let (set, diags) = rules::load(&[("t.rule".into(), src.into())]);
        assert!(diags.is_empty(), "{diags:?}");
        let m = Matcher::compile(&set);
        (set, m)
    }

    const RULES: &str = r#"
project volcano "Volcano" { category Scheduling name "Volcano" not "Volcano Engine" }
project ray "Ray" { category "AI Framework" name "Ray" }
project kuberay "KubeRay" { category "AI Operator" name "KubeRay" image "kuberay-operator" }
project kai "Kai Scheduler" { category Scheduling name "KAI Scheduler" match /kai-scheduler(-[a-z]+)?/ }
project rc "RayCluster" { category Platform kind "RayCluster" }
"#;

    fn names(set: &RuleSet, hits: &[Hit]) -> Vec<String> {
        hits.iter().map(|h| set.get(h.rule).name.clone()).collect()
    }

    #[test]
    fn table_of_texts_and_the_rules_they_hit() {
        let (set, m) = matcher(RULES);
        let cases: &[(&str, &[&str])] = &[
            ("We installed Volcano.", &["Volcano"]),
            ("Volcano Engine is a cloud", &[]),
            ("an array of ray tracers", &["Ray"]),
            ("array", &[]),
            ("KubeRay operator", &["KubeRay"]),
            ("image kuberay-operator:v1.3.0", &["KubeRay"]),
            ("helm install kai-scheduler-operator", &["Kai Scheduler"]),
            ("kind: RayCluster", &["RayCluster"]),
            ("Ray cluster", &["Ray"]),
            ("raycluster", &[]),
            ("text=Using%20Volcano%20here", &["Volcano"]),
        ];
        for (text, want) in cases {
            let hits = m.find(text);
            let mut got = names(&set, &hits);
            got.sort();
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(got, want, "text: {text}");
        }
    }

    #[test]
    fn image_hit_takes_the_longest_and_reads_its_version() {
        let (set, m) = matcher(RULES);
        let text = "image kuberay-operator:v1.3.0 ok";
        let hits = m.find(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].range.clone()], "kuberay-operator");
        let v = m.version_after(hits[0].rule, text, hits[0].range.end, text.len(), true);
        assert_eq!(v.as_deref(), Some("1.3.0"));
        let _ = set;
    }

    #[test]
    fn versions_next_to_a_name() {
        let (set, m) = matcher(RULES);
        let id = set.find("volcano").unwrap();
        let cases = [
            ("Volcano v1.12.2 installed", Some("1.12.2")),
            ("Volcano (v1.10) installed", Some("1.10")),
            ("Volcano version 1.9.0", Some("1.9.0")),
            ("Volcano with 2 queues", None),
            ("Volcano. Kubernetes v1.34", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                m.version_after(id, text, 7, text.len(), true).as_deref(),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn derived_spellings_case_in_paths_and_overlapping_exclusions() {
        let (set, m) = matcher(
            r#"
project dra "DRA" { category Accelerator name "NVIDIA DRA Driver" }
project otel "OTel" { category Observability name "OTel" case }
project graf "Grafana" { category Observability name "Grafana" url "github.com/grafana" not "Grafana Loki" }
"#,
        );
        let cases: &[(&str, &[&str])] = &[
            ("How_to_Use_NVIDIA_DRA_Driver_for_GPUs.html", &["DRA"]),
            ("nvidia-dra-driver-gpu", &["DRA"]),
            ("NVIDIA%20DRA%20Driver", &["DRA"]),
            ("NVIDIADRADriver", &["DRA"]),
            ("NVIDIA DRA Drivers", &[]),
            ("docs/quickstart/otel/operator/", &["OTel"]),
            ("#_otel_setup", &["OTel"]),
            ("otel-values.yaml", &["OTel"]),
            ("the otel collector", &[]),
            ("otel.example.com/v1", &[]),
            ("an OTel pipeline", &["OTel"]),
            ("Grafana Loki", &[]),
            ("grafana_loki", &[]),
            ("helm install loki grafana/loki", &[]),
            ("https://github.com/grafana/loki", &[]),
            (
                "https://github.com/grafana/grafana",
                &["Grafana", "Grafana"],
            ),
        ];
        for (text, want) in cases {
            let got = names(&set, &m.find(text));
            assert_eq!(&got, want, "text: {text}");
        }
    }

    #[test]
    fn regex_without_literal_prefix_still_matches() {
        let (_, m) = matcher(r#"project x "X" { category Platform match /[a-z]+-xyz/ }"#);
        assert_eq!(m.unanchored_count(), 1);
        assert_eq!(m.find("the abc-xyz thing").len(), 1);
    }
}
