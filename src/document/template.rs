//! The checklist templates (`docs/AIConformance-*.yaml`): their `#` comments
//! and the sentences of their requirement descriptions. Text that comes from
//! a template is never the vendor's words, wherever it is pasted. Nor is the
//! text of the program's own test suite: its test names and skip messages in
//! JUnit and e2e output ([`suite_ranges`]).

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Sentences shorter than this are too common to call template text.
const MIN_SENTENCE: usize = 24;

/// What the templates say, ready to be recognised in a document.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    /// Comment texts (after `#`, trimmed).
    comments: HashSet<String>,
    /// The template sentences, and a matcher over them.
    sentences: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl Templates {
    /// Builds from the texts of the template files.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Templates {
        let mut comments = HashSet::new();
        let mut sentences = HashSet::new();
        for text in texts {
            for line in text.lines() {
                if let Some(c) = comment_of(line) {
                    comments.insert(c.to_string());
                }
                let t = line.trim_start();
                if let Some(d) = t.strip_prefix("description:") {
                    let d = d.trim().trim_matches('"').trim_matches('\'');
                    for s in split_sentences(d) {
                        if s.len() >= MIN_SENTENCE {
                            sentences.insert(s.to_string());
                        }
                    }
                }
            }
        }
        // Metadata placeholders are template descriptions too, but short; skip.
        let mut sentences: Vec<String> = sentences.into_iter().collect();
        sentences.sort();
        // Only absurdly large templates exceed the automaton's limits; then
        // pasted sentences are not recognised, and nothing else changes.
        let matcher = (!sentences.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&sentences)
                    .ok()
            })
            .flatten();
        Templates {
            comments,
            sentences,
            matcher,
        }
    }

    /// Is this comment text (after `#`, trimmed) one of the templates'?
    pub fn is_template_comment(&self, comment: &str) -> bool {
        self.comments.contains(comment.trim())
    }

    /// Byte ranges of template sentences that occur in `text`.
    pub fn sentence_ranges(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        match &self.matcher {
            Some(m) => m.find_iter(text).map(|m| m.range()).collect(),
            None => Vec::new(),
        }
    }

    /// Byte ranges of the program's text in `text`, sorted and merged: the
    /// template sentences pasted in it and the test suite's own text.
    pub fn program_ranges(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut all = self.sentence_ranges(text);
        all.extend(suite_ranges(text));
        all.sort_by_key(|r| (r.start, r.end));
        let mut out: Vec<std::ops::Range<usize>> = Vec::with_capacity(all.len());
        for r in all {
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(r),
            }
        }
        out
    }

    /// How many template sentences are recognised.
    pub fn sentence_count(&self) -> usize {
        self.sentences.len()
    }
}

/// The comment of a line, when the line has one outside quotes: text after `#`.
pub fn comment_of(line: &str) -> Option<&str> {
    comment_start(line).map(|i| line[i + 1..].trim())
}

/// Byte index of the `#` that starts a YAML comment in `line`, if any: at the
/// start of the line or after a blank, and not inside quotes.
pub fn comment_start(line: &str) -> Option<usize> {
    if !line.contains('#') {
        return None;
    }
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(b'"') if b == b'\\' => {}
            Some(_) => {}
            None => match b {
                b'"' | b'\''
                    if i == 0
                        || matches!(bytes[i - 1], b' ' | b'\t' | b':' | b'-' | b'[' | b',') =>
                {
                    quote = Some(b)
                }
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// The tag that starts every test name of the conformance program's test
/// suite (`[wg-ai-conformance] Gang Scheduling kueue 2 jobs should ...`).
const SUITE_TAG: &str = "[wg-ai-conformance]";
/// The tag that ends one.
const SUITE_END: &str = "[AIConformance]";
/// A JUnit skip message: written by the test that skipped, not by the vendor.
const SKIP_MESSAGE: &str = "<skipped message=\"";

/// Byte ranges of the conformance test suite's own text in `text`: its test
/// names, as JUnit (`<testcase name="[It] [wg-ai-conformance] Secure
/// Accelerator Access nvidia device plugin must map ... [AIConformance]">`)
/// and e2e logs print them (from the tag to `[AIConformance]`, or else to the
/// end of the attribute or line), and the messages of skipped tests
/// (`<skipped message="skipped - no cluster autoscaler has been installed">`).
/// A vendor's submission quotes them; they name what the suite tests, not
/// what the platform uses.
pub fn suite_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let upto = |from: usize, stops: &[u8]| {
        text.as_bytes()[from..]
            .iter()
            .position(|b| stops.contains(b))
            .map_or(text.len(), |i| from + i)
    };
    // memchr's vectorised search: these run over every byte of the corpus.
    for i in memchr::memmem::find_iter(text.as_bytes(), SUITE_TAG) {
        let line_end = upto(i, b"\"<\n");
        let end = text[i..line_end]
            .find(SUITE_END)
            .map_or(line_end, |j| i + j + SUITE_END.len());
        out.push(i..end);
    }
    for i in memchr::memmem::find_iter(text.as_bytes(), SKIP_MESSAGE) {
        let from = i + SKIP_MESSAGE.len();
        out.push(from..upto(from, b"\"\n"));
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Splits a description into sentences: at `. ` before a capital letter,
/// but not after `e.g.`, `i.e.` or `etc.`.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(". ") {
        let next_upper = bytes.get(i + 2).is_some_and(|b| b.is_ascii_uppercase());
        let before = &text[start..i];
        let abbrev = ["e.g", "i.e", "etc", "vs"]
            .iter()
            .any(|a| before.ends_with(a));
        if next_upper && !abbrev {
            out.push(text[start..i].trim());
            start = i + 2;
        }
    }
    out.push(text[start..].trim().trim_end_matches('.'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "# Participants should fill in the fields.\nspec:\n  x:\n    - id: a\n      description: \"The platform must allow for the installation of a gang scheduler (e.g. Kueue, Volcano). Second sentence is here too.\"\n      status: \"\"   # Implemented, Not Implemented\n";

    #[test]
    fn template_comments_are_known_including_inline_ones() {
        let t = Templates::from_texts([T]);
        assert!(t.is_template_comment("Participants should fill in the fields."));
        assert!(t.is_template_comment("Implemented, Not Implemented"));
        assert!(!t.is_template_comment("Kai Scheduler on EKS"));
    }

    #[test]
    fn pasted_template_sentences_are_found() {
        let t = Templates::from_texts([T]);
        let doc = "Our notes. The platform must allow for the installation of a gang scheduler (e.g. Kueue, Volcano). We use Kueue.";
        let r = t.sentence_ranges(doc);
        assert_eq!(r.len(), 1);
        assert!(doc[r[0].clone()].contains("Volcano"));
    }

    #[test]
    fn the_test_suites_names_and_skip_messages_are_program_text() {
        let junit = "<testcase name=\"[It] [wg-ai-conformance] Secure Accelerator Access nvidia device plugin must map devices [Conformance] [AIConformance]\" classname=\"x\">\n<skipped message=\"skipped - no cluster autoscaler has been installed: 0x418c440\"></skipped>\nkueue-system pods";
        let r = suite_ranges(junit);
        let texts: Vec<&str> = r.iter().map(|r| &junit[r.clone()]).collect();
        assert_eq!(
            texts,
            [
                "[wg-ai-conformance] Secure Accelerator Access nvidia device plugin must map devices [Conformance] [AIConformance]",
                "skipped - no cluster autoscaler has been installed: 0x418c440",
            ]
        );
        let log = "  [wg-ai-conformance] Gang Scheduling kueue 2 jobs should be scheduled\nkueue installed";
        let r = suite_ranges(log);
        assert_eq!(
            &log[r[0].clone()],
            "[wg-ai-conformance] Gang Scheduling kueue 2 jobs should be scheduled"
        );
        let t = Templates::from_texts([T]);
        let doc = "x The platform must allow for the installation of a gang scheduler (e.g. Kueue, Volcano). [wg-ai-conformance] Gang Scheduling kueue";
        let merged = t.program_ranges(doc);
        assert_eq!(merged.len(), 2, "{merged:?}");
        assert!(doc[merged[0].clone()].ends_with("Volcano)"));
        assert_eq!(merged[1].end, doc.len());
    }

    #[test]
    fn hash_in_quotes_or_urls_is_not_a_comment() {
        assert_eq!(comment_start("url: \"https://x/#frag\""), None);
        assert_eq!(comment_start("url: https://x/a#frag"), None);
        assert_eq!(comment_start("  - \"u\"  # Kai"), Some(9));
        assert_eq!(comment_start("# top"), Some(0));
    }
}
