//! Hits to evidence: the matcher's hits in one [`Document`] (or one chunk
//! of a large file), kept when they are inside the vendor's words, each with
//! its file, line, column, field, quote, version and stance, as much of it as
//! the [`Detail`] asked for.

use crate::document::newline::Newlines;
use std::ops::Range;

use crate::document::{Chunk, Document, Origin, Region};
use crate::rules::engine::matcher::{Hit, Matcher};
use crate::rules::{PatternKind, RuleId};
use crate::scan::finding::{Evidence, MAX_EVIDENCE};
use crate::scan::passage::{Passage, Passages};
use crate::scan::stance::{self, Stance};
use crate::scan::version;

/// How much of each mention a scan works out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything: the version, stance, position and quote of every mention.
    #[default]
    Full,
    /// What adoption counts need (`history`, `delta`): which projects a file
    /// names, and whether a mention of each is neither negated nor hedged.
    /// No version, quote, position or string is read (cells are never M; each
    /// mention is its stance alone), and a project's later mentions in a file
    /// are skipped once one of them is a use, which leaves every finding's
    /// negated and hedged flags as a full scan has them.
    Presence,
    /// What cells need when no mention is kept (`Keep::Counts`: `matrix`, the Markdown
    /// report): each mention's version and stance, as [`Detail::Full`] works them out, but
    /// not its position, quote, file, field or matched text (left empty). Once a mention of a
    /// project in a text is a use, the stance of its later mentions there is not read (they
    /// count as uses): the finding is neither negated nor hedged either way.
    Cells,
}

/// The evidence of every rule hit inside the vendor's words of `doc`.
pub fn scan_document(matcher: &Matcher, doc: &Document) -> Vec<(RuleId, Evidence)> {
    document_evidence(matcher, doc, Detail::Full, usize::MAX)
}

/// [`scan_document`], working out what `detail` asks of each mention, for a
/// [`FileEvidence`](crate::scan::finding::FileEvidence): a project's mentions beyond the first
/// [`MAX_EVIDENCE`] of the text, which it only tallies, carry their version and stance alone.
pub fn scan_document_with(
    matcher: &Matcher,
    doc: &Document,
    detail: Detail,
) -> Vec<(RuleId, Evidence)> {
    document_evidence(matcher, doc, detail, MAX_EVIDENCE)
}

fn document_evidence(
    matcher: &Matcher,
    doc: &Document,
    detail: Detail,
    whole: usize,
) -> Vec<(RuleId, Evidence)> {
    let mut out = Vec::new();
    let text = Text {
        doc,
        origin: &Origin::default(),
        owned: 0..doc.text.len(),
    };
    scan_text(matcher, &text, detail, whole, &mut |rule, ev| {
        out.push((rule, ev))
    });
    out
}

/// The evidence of one chunk of a large file: only hits that start in the
/// part the chunk owns (the overlaps belong to its neighbours), with lines
/// and columns counted from the start of the file. As in [`scan_document_with`], a project's
/// mentions beyond the chunk's first [`MAX_EVIDENCE`] carry their version and stance alone.
pub fn scan_chunk(
    matcher: &Matcher,
    chunk: &Chunk,
    detail: Detail,
    sink: &mut dyn FnMut(RuleId, Evidence),
) {
    let text = Text {
        doc: &chunk.doc,
        origin: &chunk.origin,
        owned: chunk.owned.clone(),
    };
    scan_text(matcher, &text, detail, MAX_EVIDENCE, sink);
}

/// The text a scan reads: a document, where it starts in its file, and the part of it whose
/// hits are its own.
struct Text<'a> {
    doc: &'a Document,
    origin: &'a Origin,
    owned: Range<usize>,
}

/// The matcher's hits in `text`, and the keys that name a project and give
/// its version (`rayVersion: "2.9.0"`, `NVIDIA_CONTAINER_TOOLKIT_VERSION=1.18.2-1`)
/// as hits with that version, in text order. A key names a project when
/// its words, alone, are one of the project's names or aliases whole.
fn hits_and_keys(
    matcher: &Matcher,
    text: &str,
    owned: &Range<usize>,
    version_words: &[usize],
) -> Vec<(Hit, Option<version::Pinned>)> {
    let mut out: Vec<_> = matcher.find(text).into_iter().map(|h| (h, None)).collect();
    for k in version::keyed_at(text, version_words) {
        if !owned.contains(&k.name.start) {
            continue;
        }
        let named = matcher.find(&k.words).into_iter().find(|h| {
            h.range == (0..k.words.len())
                && !matches!(h.kind, PatternKind::Match | PatternKind::Url)
        });
        if let Some(h) = named {
            let hit = Hit {
                rule: h.rule,
                kind: h.kind,
                range: k.name.clone(),
            };
            // A derived spelling (`DEMO_OPERATOR`) may already have found
            // the key's name: the key gives that hit its version.
            match out
                .iter_mut()
                .find(|(o, _)| o.rule == hit.rule && o.range == hit.range)
            {
                Some((_, preset)) => {
                    preset.get_or_insert(k.version);
                }
                None => out.push((hit, Some(k.version))),
            }
        }
    }
    out.sort_by_key(|(h, _)| (h.range.start, h.range.end));
    out
}

/// The evidence of the hits in `t`; a project's mentions beyond its first `whole` carry their
/// version and stance alone.
fn scan_text(
    matcher: &Matcher,
    t: &Text,
    detail: Detail,
    whole: usize,
    sink: &mut dyn FnMut(RuleId, Evidence),
) {
    let (doc, owned) = (t.doc, &t.owned);
    let text = doc.text.as_str();
    // How many mentions of each project were worked out whole.
    let mut seen: Vec<(RuleId, usize)> = Vec::new();
    // The rules one of whose mentions in this text is a use: their finding is neither negated
    // nor hedged whatever the other mentions say. A presence scan skips the others; the
    // mentions only counted (all of them when counting cells) are not read for their stance.
    let mut used: Vec<RuleId> = Vec::new();
    let mut commands = None;
    let mut scope = Scope::of(doc);
    let mut pos = Cursor::new(t.origin);
    let passages = Passages::of(doc);
    // Where a version is written as a key (`rayVersion:`), and every `--version` of the text.
    let version_words = version::version_words(text);
    for (hit, preset) in hits_and_keys(matcher, text, owned, &version_words) {
        let r = hit.range.clone();
        if !owned.contains(&r.start) || (detail == Detail::Presence && used.contains(&hit.rule)) {
            continue;
        }
        let Some(region) = scope.region(&r) else {
            continue;
        };
        let pinned = match detail {
            Detail::Presence => None,
            Detail::Full | Detail::Cells => preset
                .or_else(|| pinned(matcher, text, &hit, region, &mut commands, &version_words)),
        };
        let counted = match detail {
            Detail::Cells | Detail::Presence => true,
            Detail::Full => !take_whole(&mut seen, hit.rule, whole),
        };
        let stance = if counted && used.contains(&hit.rule) {
            Stance::Uses
        } else {
            stance_at(&passages, text, r.clone())
        };
        if stance == Stance::Uses && !used.contains(&hit.rule) {
            used.push(hit.rule);
        }
        if counted {
            sink(hit.rule, cell_evidence(&hit, pinned, stance));
            continue;
        }
        let at = pos.advance(text, r.start);
        sink(
            hit.rule,
            whole_evidence(doc, region, &hit, at, pinned, stance),
        );
    }
}

/// A mention worked out whole: where it is (file, `at` = line and column, field), what it
/// says (matched text, quote), its version and stance.
fn whole_evidence(
    doc: &Document,
    region: &Region,
    hit: &Hit,
    at: (usize, usize),
    pinned: Option<version::Pinned>,
    stance: Stance,
) -> Evidence {
    let text = doc.text.as_str();
    let r = hit.range.clone();
    Evidence {
        file: doc.path.clone(),
        line: at.0,
        column: at.1,
        field: region.field.clone(),
        text: text[r.clone()].to_string(),
        quote: quote(text, r),
        version: pinned.as_ref().map(|p| p.value.clone()),
        version_kind: pinned.map(|p| p.kind),
        negated: stance == Stance::Negated,
        hedged: stance == Stance::Hedged,
        kind: hit.kind,
    }
}

/// Whether the next mention of `rule` is worked out whole: fewer than `whole` of its mentions
/// were; counted in `seen`.
fn take_whole(seen: &mut Vec<(RuleId, usize)>, rule: RuleId, whole: usize) -> bool {
    let i = match seen.iter().position(|(r, _)| *r == rule) {
        Some(i) => i,
        None => {
            seen.push((rule, 0));
            seen.len() - 1
        }
    };
    let n = &mut seen[i].1;
    *n += 1;
    *n <= whole
}

/// The evidence [`Detail::Cells`] gives: the version and stance alone.
fn cell_evidence(hit: &Hit, pinned: Option<version::Pinned>, stance: Stance) -> Evidence {
    Evidence {
        file: String::new(),
        line: 0,
        column: 0,
        field: None,
        text: String::new(),
        quote: String::new(),
        version: pinned.as_ref().map(|p| p.value.clone()),
        version_kind: pinned.map(|p| p.kind),
        negated: stance == Stance::Negated,
        hedged: stance == Stance::Hedged,
        kind: hit.kind,
    }
}

/// A document's vendor regions and masked template sentences, walked alongside hits
/// that come in increasing order.
struct Scope<'d> {
    doc: &'d Document,
    region: usize,
    mask: usize,
}

impl<'d> Scope<'d> {
    fn of(doc: &'d Document) -> Self {
        Scope {
            doc,
            region: 0,
            mask: 0,
        }
    }

    /// The vendor region `r` lies wholly inside, unless template text masks it.
    fn region(&mut self, r: &Range<usize>) -> Option<&'d Region> {
        let doc = self.doc;
        while self.region < doc.regions.len() && doc.regions[self.region].range.end < r.end {
            self.region += 1;
        }
        let region = doc
            .regions
            .get(self.region)
            .filter(|g| g.range.start <= r.start && r.end <= g.range.end)?;
        while self.mask < doc.masked.len() && doc.masked[self.mask].end <= r.start {
            self.mask += 1;
        }
        let masked = doc
            .masked
            .get(self.mask)
            .is_some_and(|m| m.start < r.end && r.start < m.end);
        (!masked).then_some(region)
    }
}

/// The version a hit's project is pinned at, looked for near the hit only (a text may be
/// one very long line).
/// `commands`: whether the text may hold a package manager's command, asked on its first hit.
fn pinned(
    matcher: &Matcher,
    text: &str,
    hit: &Hit,
    region: &Region,
    commands: &mut Option<bool>,
    version_words: &[usize],
) -> Option<version::Pinned> {
    let near = |end: usize, limit: usize| matcher.version_near(hit.rule, text, end, limit);
    let mention = version::Mention {
        text,
        range: hit.range.clone(),
        region: region.range.clone(),
        kind: hit.kind,
        own_name: matcher.is_own_name(hit.rule, &text[hit.range.clone()]),
        commands: *commands
            .get_or_insert_with(|| version::may_hold_commands_at(text, version_words)),
    };
    version::pinned(&mention, &near)
}

/// Whether the vendor uses, negates or only plans what is named at `r`: prose is read,
/// lists, tables and code name what is there.
fn stance_at(passages: &Passages, text: &str, r: Range<usize>) -> Stance {
    match passages.at(text, r.clone()) {
        Passage::Prose => match stance::judge(text, r.clone()) {
            Stance::Uses if passages.in_plans(r.start) && !stance::asserted(text, r) => {
                Stance::Hedged
            }
            s => s,
        },
        _ => Stance::Uses,
    }
}

/// Line and column of increasing offsets in one text, counted incrementally
/// (a text with many hits, or one very long line, stays linear).
struct Cursor {
    at: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    fn new(origin: &Origin) -> Self {
        Cursor {
            at: 0,
            line: origin.line + 1,
            column: origin.column + 1,
        }
    }

    /// 1-based (line, column) of `offset`, which is not before the last one asked.
    fn advance(&mut self, text: &str, offset: usize) -> (usize, usize) {
        if offset > self.at {
            let stretch = &text[self.at..offset];
            match stretch.rfind_nl() {
                Some(i) => {
                    self.line += memchr::memchr_iter(b'\n', stretch.as_bytes()).count();
                    self.column = stretch[i + 1..].chars().count() + 1;
                }
                None => self.column += stretch.chars().count(),
            }
            self.at = offset;
        }
        (self.line, self.column)
    }
}

/// How far on each side of a mention its quote reaches: a sentence or a
/// command line is whole; only a longer line (minified JSON, a log without
/// line breaks) is cut, and `…` marks where.
const QUOTE_REACH: usize = 1024;

/// The line around `range`, trimmed: whole unless it reaches further than
/// [`QUOTE_REACH`] from the mention on either side.
fn quote(text: &str, range: std::ops::Range<usize>) -> String {
    // Looked for near the match only: a text may be one very long line.
    let lo = text.floor_char_boundary(range.start.saturating_sub(QUOTE_REACH));
    let hi = text.floor_char_boundary(range.end.saturating_add(QUOTE_REACH));
    let start = text[lo..range.start].rfind_nl().map_or(lo, |i| lo + i + 1);
    let end = text[range.end..hi].find_nl().map_or(hi, |i| range.end + i);
    let mut q = String::new();
    if start == lo && lo > 0 && text.as_bytes()[lo - 1] != b'\n' {
        q.push('…');
    }
    q.push_str(text[start..end].trim());
    if end == hi && hi < text.len() && text.as_bytes()[hi] != b'\n' {
        q.push('…');
    }
    q.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_is_the_trimmed_line() {
        let t = "a\n   We use Kueue here.  \nb";
        let s = t.find("Kueue").unwrap();
        assert_eq!(quote(t, s..s + 5), "We use Kueue here.");
    }

    #[test]
    fn a_long_sentence_is_quoted_whole_and_only_an_endless_line_is_cut() {
        let sentence = format!(
            "notes: \"{} Kueue runs gang scheduling {}\"",
            "word ".repeat(60),
            "more ".repeat(60)
        );
        let t = format!("a\n{sentence}\nb");
        let s = t.find("Kueue").unwrap();
        assert_eq!(quote(&t, s..s + 5), sentence);
        let endless = format!("{}Kueue{}", "x".repeat(5000), "y".repeat(5000));
        let s = endless.find("Kueue").unwrap();
        let q = quote(&endless, s..s + 5);
        assert!(
            q.starts_with('…') && q.ends_with('…') && q.contains("Kueue"),
            "{q}"
        );
        assert!(q.len() <= 2 * QUOTE_REACH + 16, "{}", q.len());
    }
}
