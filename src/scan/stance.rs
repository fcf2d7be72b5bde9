//! Stance: what a sentence of prose says about the project it names.
//!
//! A mention is [`Stance::Uses`] unless its sentence says the project is
//! absent, not used, not applicable or replaced ([`Stance::Negated`]: "does
//! not bundle a cluster-autoscaler", "KAI Scheduler (vs. Kueue/Volcano)",
//! "instead of Kueue") or names it only as an example or a possibility
//! ([`Stance::Hedged`]: "such as Traefik", "e.g. Kueue", "Istio can be
//! added", "planned"). [`judge`] reads the clause around one mention; it is
//! called only for mentions in prose (see [`crate::scan::passage`]): in commands,
//! code, logs and URLs every mention is `Uses`.

use serde::Serialize;

/// What the text says about a project at one mention.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// Named as something the platform has or does.
    #[default]
    Uses,
    /// Named to say it is absent, not used, not applicable or replaced.
    Negated,
    /// Named as an example or a possibility (planned, can be added).
    Hedged,
}

/// How far around a mention its clause is looked for.
const AROUND: usize = 256;

/// Words that negate a mention when they come shortly before it in its clause.
const NEGATORS_BEFORE: &[&str] = &[
    "not",
    "no",
    "without",
    "never",
    "neither",
    "nor",
    "cannot",
    "isn't",
    "aren't",
    "doesn't",
    "don't",
    "vs",
    "versus",
    "unlike",
    "replaces",
    "replacing",
];
/// Phrases before a mention that negate it.
const NEGATING_PHRASES_BEFORE: &[&str] = &["instead of", "in place of", "as opposed to"];
/// Phrases that negate a mention when they follow it in its clause.
const NEGATORS_AFTER: &[&str] = &[
    "is not",
    "are not",
    "was not",
    "were not",
    "isn't",
    "aren't",
    "wasn't",
    "not present",
    "not deployed",
    "not installed",
    "not used",
    "not available",
    "not supported",
    "not required",
    "not applicable",
    "is absent",
    "is replaced",
    "was replaced",
];
/// Words between a negator and the name that end its reach: "ships no
/// admission webhooks in its Helm chart" negates the webhooks, not Helm.
const REACH_ENDS: &[&str] = &[
    "in", "on", "of", "with", "for", "from", "by", "via", "through", "to", "into", "at", "but",
    "and", "because", "since", "when", "while", "which", "that", "so", "is", "are", "was", "were",
];
/// Words after "no ..." that make it a statement about effort, not absence:
/// "No additional Prometheus setup is required".
const EFFORT: &[&str] = &["required", "needed", "necessary"];

/// Phrases before a mention that make it an example or a possibility.
const HEDGES_BEFORE: &[&str] = &[
    "such as",
    "e.g",
    "for example",
    "for instance",
    "including but not limited to",
    "planned",
    "roadmap",
    "anticipated",
    "optionally",
    "optional",
    "in the future",
    "could use",
    "can use",
    "may use",
];
/// Phrases after a mention (in its clause) that make it a possibility.
const HEDGES_AFTER: &[&str] = &[
    "can be",
    "could be",
    "may be",
    "might be",
    "is planned",
    "are planned",
    "is anticipated",
    "are anticipated",
    "is optional",
    "are optional",
    "is on the roadmap",
    "are on the roadmap",
    "is compatible",
    "are compatible",
];
/// Words after a name that end its own predicate.
const PREDICATE_ENDS: &[&str] = &[
    "that", "which", "who", "where", "supports", "provides", "uses", "runs", "enables", "offers",
];
/// Phrases in the sentence that say what was done: they override a hedge
/// ("Frameworks such as Ray and Kubeflow have been tested and are used").
const ASSERTIONS: &[&str] = &[
    "have been tested",
    "has been tested",
    "are used",
    "is used",
    "were installed",
    "was installed",
    "is installed",
    "are installed",
    "is deployed",
    "are deployed",
    "were deployed",
    "was deployed",
    "we use",
    "we deploy",
    "we installed",
    "we deployed",
    "already in place",
    "is already",
    "are already",
];

/// The stance of the sentence around `range` (a mention in prose).
pub fn judge(text: &str, range: std::ops::Range<usize>) -> Stance {
    let lo = text.floor_char_boundary(range.start.saturating_sub(AROUND));
    let hi = text.floor_char_boundary(range.end + AROUND);
    let before = &text[lo..range.start];
    let clause_start = clause_break_before(before).map_or(lo, |i| lo + i);
    let sentence_end =
        clause_break_after(&text[range.end..hi], false).map_or(hi, |i| range.end + i);
    let clause_end = clause_break_after(&text[range.end..hi], true).map_or(hi, |i| range.end + i);
    let before = text[clause_start..range.start].to_lowercase();
    let after = text[range.end..clause_end].to_lowercase();
    let sentence = text[clause_start..sentence_end].to_lowercase();
    if negated(&before, &after) {
        return Stance::Negated;
    }
    // The last few words before the name, as written ("e.g." keeps its dots),
    // after any parenthesis closed before it: "(e.g. torch-distributed) and
    // a controller that reconciles TrainJob" gives no example of TrainJob.
    let near = &before[before.floor_char_boundary(before.len().saturating_sub(60))..];
    let near = near.rfind(')').map_or(near, |i| &near[i + 1..]);
    // The name's own predicate: up to six words, not past another verb or
    // a relative clause ("Talos Linux supports gang scheduling that can be
    // deployed" does not make Talos a possibility).
    let own: Vec<&str> = after
        .split_whitespace()
        .take(6)
        .take_while(|w| !PREDICATE_ENDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
        .collect();
    let own = own.join(" ");
    // A hedge after the name counts anywhere in its predicate, even inside a word.
    let hedged = HEDGES_BEFORE_SET.any_whole(near) || HEDGES_AFTER_SET.any(&own);
    if hedged && !ASSERTIONS.iter().any(|p| sentence.contains(p)) {
        return Stance::Hedged;
    }
    Stance::Uses
}

/// Does the sentence around `range` say what was done ("is already in
/// place", "have been tested")? Such a sentence is no plan, even in a
/// Roadmap section.
pub fn asserted(text: &str, range: std::ops::Range<usize>) -> bool {
    let lo = text.floor_char_boundary(range.start.saturating_sub(AROUND));
    let hi = text.floor_char_boundary(range.end + AROUND);
    let start = clause_break_before(&text[lo..range.start]).map_or(lo, |i| lo + i);
    let end = clause_break_after(&text[range.end..hi], false).map_or(hi, |i| range.end + i);
    let sentence = text[start..end].to_lowercase();
    ASSERTIONS.iter().any(|p| sentence.contains(p))
}

fn negated(before: &str, after: &str) -> bool {
    let ws = words(before);
    let last = &ws[ws.len().saturating_sub(6)..];
    // The nearest negator before the name, if nothing between ends its reach.
    if let Some(i) = last.iter().rposition(|w| NEGATORS_BEFORE.contains(w)) {
        let between = &last[i + 1..];
        let reaches = !between.iter().any(|w| REACH_ENDS.contains(w));
        let effort = last[i] == "no" && EFFORT.iter().any(|e| after.contains(e));
        let not_only = last[i] == "not" && matches!(between.first(), Some(&"only" | &"just"));
        if reaches && !effort && !not_only {
            return true;
        }
    }
    let phrase = last.join(" ");
    if NEGATING_PHRASES_BEFORE
        .iter()
        .any(|p| contains_phrase(&phrase, p))
    {
        return true;
    }
    let after6 = words(after)
        .into_iter()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    NEGATORS_AFTER_SET.any_whole(&after6)
}

/// The words of a lower-cased clause; a hyphenated compound ("no-exit",
/// "non-blocking") is one word, so its parts negate nothing.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// `phrase` occurs in `s` as whole words.
fn contains_phrase(s: &str, phrase: &str) -> bool {
    let phrase = phrase.trim_end_matches('.');
    occurrences(s, phrase).any(|i| {
        let ok_before = s[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let ok_after = s[i + phrase.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        ok_before && ok_after
    })
}

/// A list of phrases searched at once: [`Phrases::any_whole`] is `phrases.iter().any(|p|
/// contains_phrase(s, p))`, in one pass of one automaton instead of one search per phrase (a
/// mention's stance asks up to 28 of them).
struct Phrases {
    ac: aho_corasick::AhoCorasick,
}

impl Phrases {
    fn new(phrases: &[&str]) -> Phrases {
        let trimmed: Vec<&str> = phrases.iter().map(|p| p.trim_end_matches('.')).collect();
        Phrases {
            // Built from constant, short phrases: it cannot fail.
            ac: aho_corasick::AhoCorasick::new(trimmed).expect("a few short phrases"),
        }
    }

    /// Does one of the phrases occur in `s` as whole words? Each phrase's occurrences are taken
    /// left to right without overlapping each other, as [`contains_phrase`] takes them.
    fn any_whole(&self, s: &str) -> bool {
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for m in self.ac.find_overlapping_iter(s) {
            let p = m.pattern().as_usize();
            // One phrase's occurrences end in order: one that starts before the end of the
            // last one taken overlaps it.
            match taken.iter_mut().find(|(q, _)| *q == p) {
                Some((_, end)) if m.start() < *end => continue,
                Some((_, end)) => *end = m.end(),
                None => taken.push((p, m.end())),
            }
            let ok_before = s[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let ok_after = s[m.end()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if ok_before && ok_after {
                return true;
            }
        }
        false
    }

    /// Does one of the phrases occur in `s` at all?
    fn any(&self, s: &str) -> bool {
        self.ac.is_match(s)
    }
}

static HEDGES_BEFORE_SET: std::sync::LazyLock<Phrases> =
    std::sync::LazyLock::new(|| Phrases::new(HEDGES_BEFORE));
static HEDGES_AFTER_SET: std::sync::LazyLock<Phrases> =
    std::sync::LazyLock::new(|| Phrases::new(HEDGES_AFTER));
static NEGATORS_AFTER_SET: std::sync::LazyLock<Phrases> =
    std::sync::LazyLock::new(|| Phrases::new(NEGATORS_AFTER));

/// Where `needle` starts in `s`, left to right and not overlapping (as
/// `str::match_indices`). The clauses searched are short and the phrases
/// many, so candidates come from `memchr` on the first byte: nothing is
/// built per phrase.
fn occurrences<'a>(s: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (hay, n) = (s.as_bytes(), needle.as_bytes());
    let mut from = 0;
    std::iter::from_fn(move || {
        let (&first, _) = n.split_first()?;
        while from + n.len() <= hay.len() {
            let i = from + memchr::memchr(first, &hay[from..hay.len() - n.len() + 1])?;
            if hay[i..].starts_with(n) {
                from = i + n.len();
                return Some(i);
            }
            from = i + 1;
        }
        None
    })
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "vs", "e.g", "i.e", "etc", "cf", "approx", "incl", "eg", "ie",
];

/// Is the `.` at `i` of `s` the end of a sentence (not "vs.", "e.g.", "v1.2")?
fn ends_sentence(s: &str, i: usize) -> bool {
    let next = s[i + 1..].chars().next();
    if next.is_some_and(|c| !c.is_whitespace()) {
        return false; // 1.2, kueue.x-k8s.io, e.g.,
    }
    let word = s[..i]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    !ABBREVIATIONS.contains(&word.as_str())
}

/// A colon followed by a space ends a clause ("is required: Prometheus is
/// deployed"); one inside a word (`image:tag`, `https:`) does not.
fn colon_breaks(s: &str, i: usize) -> bool {
    s[i + 1..].chars().next().is_none_or(char::is_whitespace)
}

/// Offset just after the last clause break of `s` (a sentence end, `;`, `:`
/// followed by space, a line break, or an opening parenthesis's close).
fn clause_break_before(s: &str) -> Option<usize> {
    s.char_indices()
        .rev()
        .find(|&(i, c)| match c {
            '.' => ends_sentence(s, i),
            ':' => colon_breaks(s, i),
            ';' | '\n' | '!' | '?' | '|' => true,
            _ => false,
        })
        .map(|(i, c)| i + c.len_utf8())
}

/// Offset of the first clause break in `s`; `commas` also breaks at `,` and
/// `(`.
fn clause_break_after(s: &str, commas: bool) -> Option<usize> {
    s.char_indices()
        .find(|&(i, c)| match c {
            '.' => ends_sentence(s, i),
            ':' => colon_breaks(s, i),
            ';' | '\n' | '!' | '?' | '|' => true,
            ',' | '(' | ')' => commas,
            _ => false,
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    use Stance::*;

    /// Each list's automaton answers as the list's phrases searched one by one, over strings
    /// made of the phrases' pieces, letters and separators.
    #[test]
    fn a_phrase_set_finds_what_each_phrase_searched_alone_finds() {
        for list in [
            HEDGES_BEFORE,
            HEDGES_AFTER,
            NEGATORS_AFTER,
            NEGATING_PHRASES_BEFORE,
        ] {
            let set = Phrases::new(list);
            let mut pieces: Vec<String> = vec![" ".into(), "a".into(), ".".into(), "é".into()];
            for p in list {
                pieces.push(p.to_string());
                pieces.extend(p.split(' ').next().map(str::to_string));
                pieces.extend(p.rsplit(' ').next().map(str::to_string));
            }
            let mut texts = crate::testing::strings_of(&pieces, 2);
            // Phrases run together and overlapping ("such asuch as").
            texts.extend(list.iter().map(|p| format!("{p}{}", &p[1..])));
            texts.extend(list.iter().map(|p| format!("x{p}{p}")));
            for t in &texts {
                let one_by_one = list.iter().any(|p| contains_phrase(t, p));
                assert_eq!(set.any_whole(t), one_by_one, "{t:?}");
                let anywhere = list.iter().any(|p| occurrences(t, p).next().is_some());
                assert_eq!(set.any(t), anywhere, "{t:?}");
            }
        }
        // A phrase whose occurrences can overlap with a blank before the second: the first,
        // glued to a word, is the one `contains_phrase` takes, and the second is never seen.
        let t = "xa a a";
        assert!(!contains_phrase(t, "a a"));
        assert!(!Phrases::new(&["a a"]).any_whole(t));
        assert!(Phrases::new(&["a a"]).any_whole("xa a-a a"));
    }

    #[test]
    fn occurrences_are_those_of_match_indices() {
        for (hay, needle) in [
            ("aaaa", "aa"),
            ("such as ray, such as kueue", "such as"),
            ("no-op for now", "for"),
            ("été — über utilisé", "é"),
            ("short", "longer than the text"),
            ("", "x"),
            ("x", "x"),
        ] {
            let want: Vec<usize> = hay.match_indices(needle).map(|(i, _)| i).collect();
            assert_eq!(
                occurrences(hay, needle).collect::<Vec<_>>(),
                want,
                "{hay:?} {needle:?}"
            );
        }
    }

    /// One row per sentence: (text, the name, its stance).
    #[test]
    fn stance_table() {
        let rows: &[(&str, &str, Stance)] = &[
            ("Karpenter is not present on this platform", "Karpenter", Negated),
            ("The platform does not provide Karpenter.", "Karpenter", Negated),
            ("DCE5 (via Kubean) does not bundle a cluster-autoscaler by default, but autoscaling is fully supported.", "cluster-autoscaler", Negated),
            ("The Cluster Autoscaler is not applicable in our context", "Cluster Autoscaler", Negated),
            ("uses its own scheduler instead of Kueue/Volcano", "Kueue", Negated),
            ("uses its own scheduler instead of Kueue/Volcano", "Volcano", Negated),
            ("| gang | KAI Scheduler (vs. Kueue/Volcano; called out in faq.md) |", "Kueue", Negated),
            ("| gang | KAI Scheduler (vs. Kueue/Volcano; called out in faq.md) |", "Volcano", Negated),
            ("| gang | KAI Scheduler (vs. Kueue/Volcano; called out in faq.md) |", "KAI Scheduler", Uses),
            ("the inference extension is not deployed", "inference extension", Negated),
            ("We installed Kueue. No errors were seen", "Kueue", Uses),
            ("Kueue was installed and no errors occurred", "Kueue", Uses),
            ("Installed Kueue v0.14.2", "Kueue", Uses),
            ("Kueue rather than Volcano", "Kueue", Uses),
            ("No additional Prometheus setup is required", "Prometheus", Uses),
            ("No additional setup is required: Prometheus is deployed with every cluster.", "Prometheus", Uses),
            ("There is no Karpenter on this platform", "Karpenter", Negated),
            ("The operator ships no admission webhooks in its Helm chart", "Helm", Uses),
            ("wait for the line: \"no-exit was specified, sonobuoy is now blocking\"", "sonobuoy", Uses),
            ("Not only Kueue but also JobSet", "JobSet", Uses),
            ("GPU sharing (such as Envoy Gateway, Traefik v3, or NGINX Gateway Fabric)", "Traefik", Hedged),
            ("custom metrics, such as those exposed by NVIDIA DCGM exporter or Neuron Monitor.", "DCGM exporter", Hedged),
            ("service meshes such as Istio can be added for optional features", "Istio", Hedged),
            ("gang scheduling solutions (e.g. Kueue, Volcano) are supported", "Volcano", Hedged),
            ("Frameworks such as Ray and Kubeflow have been tested and are used on clusters", "Kubeflow", Uses),
            ("Kueue can be installed to support gang scheduling", "Kueue", Hedged),
            ("NVIDIA Dynamo support is planned for the next release", "NVIDIA Dynamo", Hedged),
            ("Not only Kueue but also JobSet", "Kueue", Uses),
            ("Tools like Kueue run here", "Kueue", Uses),
            ("Support for NVIDIA Dynamo is planned", "NVIDIA Dynamo", Hedged),
            ("Kueue is deployed by default.", "Kueue", Uses),
            ("Traefik Gateway API controller can be installed and validated", "Traefik", Hedged),
            ("Kubeflow Pipelines v2.0.1 runs inside the virtual cluster", "Kubeflow", Uses),
            ("Talos Linux supports gang scheduling that can be deployed on clusters.", "Talos Linux", Uses),
            ("The GPU Operator with the DCGM Exporter can be installed", "GPU Operator", Hedged),
            // An example in a parenthesis that closed before the name is not the name's.
            ("ClusterTrainingRuntimes (e.g. torch-distributed) and a controller that reconciles TrainJob resources", "TrainJob", Uses),
            ("ClusterTrainingRuntimes (e.g. torch-distributed) and a controller", "torch-distributed", Hedged),
        ];
        for &(text, name, want) in rows {
            let at = text.find(name).unwrap();
            assert_eq!(
                judge(text, at..at + name.len()),
                want,
                "{text:?} at {name:?}"
            );
        }
    }

    /// A sentence that says what is done is no plan, even under "Roadmap".
    #[test]
    fn assertions_are_not_plans() {
        let t = "once partitionable devices is GA. The layered NVIDIA DRA driver is already in place and positions this product to adopt it.";
        let at = t.find("NVIDIA DRA").unwrap();
        assert!(asserted(t, at..at + 17));
        let t = "NVIDIA Dynamo for prefill/decode disaggregation.";
        assert!(!asserted(t, 0..13));
    }
}
