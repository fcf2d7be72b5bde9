//! Atoms: the one pass that finds every literal atom of every rule in a text.
//!
//! The atoms are compiled into an ASCII-case-insensitive Aho-Corasick
//! automaton, built directly as a flat DFA table of our own (a trie, then
//! failure states breadth first; the `aho-corasick` crate's automaton is what it
//! is tested against): byte classes, transitions premultiplied by the number of classes, and
//! the match states numbered first, so one byte costs a class load, a table
//! load and one comparison. A DFA walk is bound by the latency of that table
//! load, so long texts are cut into [`LANES`] stretches walked in lock step:
//! independent chains of loads keep the core busy. Each stretch starts early
//! enough (the longest atom, less one byte) that no occurrence across a cut is
//! missed or reported twice. Every occurrence of every atom is reported,
//! overlapping ones included.
//!
//! A rule set too large for that table (more than [`TABLE_LIMIT`] entries,
//! or more states than one automaton can number) does not fail: its atoms are
//! then walked by the crate's own automata, over consecutive slices of the
//! atoms, with the same occurrences reported, only more slowly.

use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::noncontiguous::{Builder, NFA};
use aho_corasick::{Anchored, MatchKind};

/// Stretches walked at once.
pub const LANES: usize = 4;

/// Texts shorter than `LANES` times this are walked in one stretch.
const MIN_LANE: usize = 256;

/// Entries (4 bytes each) of the largest flat table built: 256 MiB. Beyond
/// it the automata are walked instead (premultiplied states also stay far
/// below `u32::MAX`).
pub const TABLE_LIMIT: usize = 1 << 26;

/// Atom bytes per automaton when the atoms are walked without the table.
const CHUNK_BYTES: usize = 1 << 24;

/// The compiled atoms.
#[derive(Clone, Debug)]
pub struct Atoms {
    /// Byte -> class.
    classes: [u8; 256],
    /// `trans[state + class]`: the next state; states are premultiplied by the class count.
    trans: Vec<u32>,
    start: u32,
    /// States below this (premultiplied) are match states.
    match_below: u32,
    stride: u32,
    /// Per match state (in order): the atoms it reports.
    matches: Vec<Vec<u32>>,
    /// Length in bytes of each atom.
    lens: Vec<usize>,
    longest: usize,
    /// Set when the table is not built: automata over consecutive slices of
    /// the atoms, each with the index of its first atom.
    fallback: Vec<(NFA, usize)>,
}

impl Atoms {
    /// Compiles the atoms (compared ASCII-case-insensitively).
    pub fn new<B: AsRef<[u8]>>(atoms: &[B]) -> Atoms {
        Atoms::with_limits(atoms, TABLE_LIMIT, CHUNK_BYTES)
    }

    /// [`Atoms::new`] with the table's largest size (entries) and the atom
    /// bytes per automaton of the fallback.
    fn with_limits<B: AsRef<[u8]>>(atoms: &[B], table_limit: usize, chunk_bytes: usize) -> Atoms {
        if atoms.iter().all(|a| !a.as_ref().is_empty()) {
            return Atoms::from_trie(atoms, table_limit, chunk_bytes);
        }
        // An empty atom (found at every position): the crate's automaton, unrolled.
        Atoms::from_nfa(atoms, table_limit, chunk_bytes)
    }

    /// Bytes that occur in no atom (in either case) all act alike: one class (0); every other byte
    /// is a class with its other case. The classes, and one byte of each.
    fn classes<B: AsRef<[u8]>>(atoms: &[B]) -> ([u8; 256], Vec<u8>) {
        let mut classes = [0u8; 256];
        let mut reps = vec![0u8];
        for a in atoms {
            for &b in a.as_ref() {
                let b = b.to_ascii_lowercase();
                if classes[b as usize] == 0 {
                    classes[b as usize] = reps.len() as u8;
                    classes[b.to_ascii_uppercase() as usize] = reps.len() as u8;
                    reps.push(b);
                }
            }
        }
        reps[0] = (0..=255u8).find(|&b| classes[b as usize] == 0).unwrap_or(0);
        (classes, reps)
    }

    /// The table built directly, as a textbook Aho-Corasick DFA: a trie of the atoms over the
    /// byte classes, then, breadth first, each state's missing transitions taken from its failure
    /// state (whose row is already complete) and its matches (its own atoms, then its failure
    /// state's, the order of the crate's overlapping search). A few instructions per table
    /// entry, where asking the crate's automaton for every entry cost most of the start-up.
    fn from_trie<B: AsRef<[u8]>>(atoms: &[B], table_limit: usize, chunk_bytes: usize) -> Atoms {
        const NONE: u32 = u32::MAX;
        let (classes, reps) = Atoms::classes(atoms);
        let stride = reps.len();
        let total: usize = atoms.iter().map(|a| a.as_ref().len()).sum();
        // Every state of the trie (at most one per atom byte, and the root) fits the table?
        if (total + 1).saturating_mul(stride) > table_limit || total >= (u32::MAX as usize) / 2 {
            return Atoms::fallback(atoms, chunk_bytes);
        }
        // The trie: rows of `stride` entries, state numbers (not premultiplied), NONE for none.
        let mut trans: Vec<u32> = vec![NONE; stride];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (p, a) in atoms.iter().enumerate() {
            let mut s = 0usize;
            for &b in a.as_ref() {
                let e = s * stride + classes[b as usize] as usize;
                if trans[e] == NONE {
                    trans[e] = own.len() as u32;
                    own.push(Vec::new());
                    trans.resize(trans.len() + stride, NONE);
                }
                s = trans[e] as usize;
            }
            own[s].push(p as u32);
        }
        if (own.len()).saturating_mul(stride) > table_limit {
            return Atoms::fallback(atoms, chunk_bytes);
        }
        // Breadth first: failure states, full rows, and matches.
        let n = own.len();
        let mut fail = vec![0u32; n];
        let mut found: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut queue = std::collections::VecDeque::with_capacity(n);
        for t in &mut trans[..stride] {
            match *t {
                NONE => *t = 0,
                child => {
                    fail[child as usize] = 0;
                    queue.push_back(child as usize);
                }
            }
        }
        while let Some(s) = queue.pop_front() {
            let f = fail[s] as usize;
            let mut m = std::mem::take(&mut own[s]);
            m.extend_from_slice(&found[f]);
            found[s] = m;
            for c in 0..stride {
                let from_fail = trans[f * stride + c];
                match trans[s * stride + c] {
                    NONE => trans[s * stride + c] = from_fail,
                    t => {
                        fail[t as usize] = from_fail;
                        queue.push_back(t as usize);
                    }
                }
            }
        }
        Atoms::table(atoms, classes, stride, found, |s, c| {
            trans[s * stride + c] as usize
        })
    }

    /// The table unrolled from the crate's automaton (any atoms, the empty one too).
    fn from_nfa<B: AsRef<[u8]>>(atoms: &[B], table_limit: usize, chunk_bytes: usize) -> Atoms {
        // The plain NFA is the cheapest to build; following its failure
        // transitions below gives the DFA's table all the same.
        let Ok(dfa) = nfa(atoms) else {
            return Atoms::fallback(atoms, chunk_bytes);
        };
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return Atoms::fallback(atoms, chunk_bytes);
        };
        let (classes, reps) = Atoms::classes(atoms);
        let stride = reps.len();
        // Every state reachable from the start, and its transitions per class.
        let mut ids: Vec<u32> = Vec::new();
        let mut number = |sid: StateID, states: &mut Vec<StateID>| -> usize {
            let i = sid.as_usize();
            if i >= ids.len() {
                ids.resize(i + 1, u32::MAX);
            }
            if ids[i] == u32::MAX {
                ids[i] = states.len() as u32;
                states.push(sid);
            }
            ids[i] as usize
        };
        let mut states = Vec::new();
        number(start, &mut states);
        let mut next: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < states.len() {
            if states.len().saturating_mul(stride) > table_limit {
                return Atoms::fallback(atoms, chunk_bytes);
            }
            let sid = states[i];
            for &b in &reps {
                let to = dfa.next_state(Anchored::No, sid, b);
                let n = number(to, &mut states);
                next.push(n);
            }
            i += 1;
        }
        let found = states
            .iter()
            .map(|&sid| {
                (0..dfa.match_len(sid))
                    .map(|k| dfa.match_pattern(sid, k).as_u32())
                    .collect()
            })
            .collect();
        Atoms::table(atoms, classes, stride, found, |s, c| next[s * stride + c])
    }

    /// The flat table of an automaton of `found.len()` states, state 0 the start, given
    /// each state's atoms and `next(state, class)`: the match states numbered first, so
    /// "is this a match?" is one comparison, and states premultiplied by the class count.
    fn table<B: AsRef<[u8]>>(
        atoms: &[B],
        classes: [u8; 256],
        stride: usize,
        mut found: Vec<Vec<u32>>,
        next: impl Fn(usize, usize) -> usize,
    ) -> Atoms {
        let n = found.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&s| found[s].is_empty());
        let mut new_index = vec![0u32; n];
        for (i, &s) in order.iter().enumerate() {
            new_index[s] = (i * stride) as u32;
        }
        let mut trans = vec![0u32; n * stride];
        let mut matches = Vec::new();
        for (i, &s) in order.iter().enumerate() {
            for c in 0..stride {
                trans[i * stride + c] = new_index[next(s, c)];
            }
            if !found[s].is_empty() {
                matches.push(std::mem::take(&mut found[s]));
            }
        }
        let lens: Vec<usize> = atoms.iter().map(|a| a.as_ref().len()).collect();
        Atoms {
            classes,
            trans,
            start: new_index[0],
            match_below: (matches.len() * stride) as u32,
            stride: stride as u32,
            matches,
            longest: lens.iter().copied().max().unwrap_or(0),
            lens,
            fallback: Vec::new(),
        }
    }

    /// Atoms walked by the crate's automata, one per slice of at most
    /// `chunk_bytes` atom bytes (a slice that still cannot be built is halved;
    /// a single atom no automaton can hold can never be found and is left out).
    fn fallback<B: AsRef<[u8]>>(atoms: &[B], chunk_bytes: usize) -> Atoms {
        fn build<B: AsRef<[u8]>>(atoms: &[B], first: usize, out: &mut Vec<(NFA, usize)>) {
            match nfa(atoms) {
                Ok(a) => out.push((a, first)),
                Err(_) if atoms.len() > 1 => {
                    let mid = atoms.len() / 2;
                    build(&atoms[..mid], first, out);
                    build(&atoms[mid..], first + mid, out);
                }
                Err(_) => {}
            }
        }
        let mut fallback = Vec::new();
        let (mut first, mut bytes) = (0, 0);
        for (i, a) in atoms.iter().enumerate() {
            let len = a.as_ref().len();
            if i > first && bytes + len > chunk_bytes {
                build(&atoms[first..i], first, &mut fallback);
                (first, bytes) = (i, 0);
            }
            bytes += len;
        }
        if first < atoms.len() {
            build(&atoms[first..], first, &mut fallback);
        }
        let lens: Vec<usize> = atoms.iter().map(|a| a.as_ref().len()).collect();
        Atoms {
            classes: [0; 256],
            trans: Vec::new(),
            start: 0,
            match_below: 0,
            stride: 1,
            matches: Vec::new(),
            longest: lens.iter().copied().max().unwrap_or(0),
            lens,
            fallback,
        }
    }

    /// Whether the atoms are walked without the flat table (a rule set too large for it).
    #[cfg(test)]
    fn is_fallback(&self) -> bool {
        !self.fallback.is_empty()
    }

    /// [`Atoms::for_each`] without the table: each automaton walks the whole
    /// text; with several, the occurrences are put in order of their end.
    fn for_each_fallback(&self, text: &[u8], found: &mut impl FnMut(usize, Range<usize>)) {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (a, first) in &self.fallback {
            let Ok(mut state) = a.start_state(Anchored::No) else {
                continue;
            };
            for (i, &b) in text.iter().enumerate() {
                state = a.next_state(Anchored::No, state, b);
                if a.is_match(state) {
                    for k in 0..a.match_len(state) {
                        hits.push((i + 1, first + a.match_pattern(state, k).as_usize()));
                    }
                }
            }
        }
        if self.fallback.len() > 1 {
            hits.sort_by_key(|&(end, _)| end);
        }
        for (end, p) in hits {
            found(p, end - self.lens[p]..end);
        }
    }

    /// Calls `found(atom, range)` for every occurrence of every atom in
    /// `text`, in order of their end (atoms ending at the same byte in the
    /// automaton's order).
    pub fn for_each(&self, text: &[u8], mut found: impl FnMut(usize, Range<usize>)) {
        if self.lens.is_empty() || text.is_empty() {
            return;
        }
        if !self.fallback.is_empty() {
            self.for_each_fallback(text, &mut found);
            return;
        }
        let n = text.len();
        if n < LANES * MIN_LANE {
            self.walk(text, 0, 0, self.start, &mut found);
            return;
        }
        // Lane k reports the occurrences that end in (cut[k], cut[k + 1]],
        // starting its walk `longest - 1` bytes before its cut.
        let cut: [usize; LANES + 1] = std::array::from_fn(|k| n * k / LANES);
        let from: [usize; LANES] =
            std::array::from_fn(|k| cut[k].saturating_sub(self.longest.saturating_sub(1)));
        let steps = (0..LANES).map(|k| cut[k + 1] - from[k]).min().unwrap_or(0);
        let mut hits: [Vec<(u32, usize)>; LANES] = Default::default();
        let (t0, t1, t2, t3) = (
            &text[from[0]..][..steps],
            &text[from[1]..][..steps],
            &text[from[2]..][..steps],
            &text[from[3]..][..steps],
        );
        let (mut s0, mut s1, mut s2, mut s3) = (self.start, self.start, self.start, self.start);
        let below = self.match_below;
        for i in 0..steps {
            // Four independent chains of loads overlap in the pipeline.
            s0 = self.next(s0, t0[i]);
            s1 = self.next(s1, t1[i]);
            s2 = self.next(s2, t2[i]);
            s3 = self.next(s3, t3[i]);
            if s0.min(s1).min(s2).min(s3) < below {
                for (k, s) in [s0, s1, s2, s3].into_iter().enumerate() {
                    let at = from[k] + i;
                    if s < below && at >= cut[k] {
                        hits[k].push((s, at + 1));
                    }
                }
            }
        }
        let s = [s0, s1, s2, s3];
        for k in 0..LANES {
            let at = from[k] + steps;
            for (state, end) in std::mem::take(&mut hits[k]) {
                self.report(state, end, &mut found);
            }
            // The rest of the stretch.
            self.walk(&text[..cut[k + 1]], at, cut[k], s[k], &mut found);
        }
    }

    #[inline(always)]
    fn next(&self, state: u32, byte: u8) -> u32 {
        let i = (state + self.classes[byte as usize] as u32) as usize;
        debug_assert!(i < self.trans.len());
        // SAFETY: every state in `trans` (and `start`) is a premultiplied row
        // start `r * stride` with `r` < the number of rows, and a class is
        // < `stride`, so `i` < `trans.len()` (built so in `new`, never changed).
        unsafe { *self.trans.get_unchecked(i) }
    }

    /// Walks `text[at..]` from `state`, reporting occurrences that end after `report_from`.
    fn walk(
        &self,
        text: &[u8],
        at: usize,
        report_from: usize,
        mut state: u32,
        found: &mut impl FnMut(usize, Range<usize>),
    ) {
        for (i, &b) in text[at..].iter().enumerate() {
            state = self.next(state, b);
            if state < self.match_below && at + i >= report_from {
                self.report(state, at + i + 1, found);
            }
        }
    }

    /// Reports every atom that the match state `state` stands for, ending at `end`.
    fn report(&self, state: u32, end: usize, found: &mut impl FnMut(usize, Range<usize>)) {
        for &p in &self.matches[(state / self.stride) as usize] {
            let p = p as usize;
            found(p, end - self.lens[p]..end);
        }
    }
}

/// The crate's automaton over `atoms`, ASCII-case-insensitive, every occurrence.
fn nfa<B: AsRef<[u8]>>(atoms: &[B]) -> Result<NFA, aho_corasick::BuildError> {
    Builder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(atoms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// The plain overlapping search of the crate, for comparison.
    fn reference(atoms: &[&str], text: &str) -> Vec<(usize, Range<usize>)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(atoms)
            .unwrap();
        ac.find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.range()))
            .collect()
    }

    fn found(atoms: &[&str], text: &str) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        Atoms::new(atoms).for_each(text.as_bytes(), |p, r| out.push((p, r)));
        out
    }

    #[test]
    fn same_occurrences_as_the_overlapping_search_at_every_length() {
        let atoms = [
            "kueue",
            "Kueue v",
            "ray",
            "array",
            "volcano engine",
            "a",
            "naïve-7",
        ];
        let unit = "We run KUEUE v0.9 and an array of Ray jobs; Volcano Engine is not volcano. NAÏVE-7 naïve-7 ";
        for len in [0, 1, 5, 200, 1023, 1024, 1025, 4096, 10_000] {
            let text: String = unit.chars().cycle().take(len).collect();
            assert_eq!(
                found(&atoms, &text),
                reference(&atoms, &text),
                "length {len}"
            );
        }
    }

    #[test]
    fn the_table_built_from_the_trie_is_the_crates_automaton_unrolled() {
        let sets: [&[&str]; 4] = [
            &[
                "kueue",
                "Kueue v",
                "ray",
                "array",
                "volcano engine",
                "a",
                "naïve-7",
            ],
            // Duplicates, one atom the suffix of another, failure chains several deep.
            &["abab", "bab", "ab", "b", "abab", "ABABC", "c"],
            // Bytes outside ASCII, and one atom inside another.
            &["naïve", "ïv", "x", "xy", "yx"],
            &["he", "she", "his", "hers", "s", "e"],
        ];
        let unit = "ushers ABABABC abab babc xyxy Kueue v array naïve-7 his she HERS ";
        for atoms in sets {
            let text: String = unit.chars().cycle().take(2000).collect();
            assert_eq!(found(atoms, &text), reference(atoms, &text), "{atoms:?}");
            let trie = Atoms::from_trie(atoms, TABLE_LIMIT, CHUNK_BYTES);
            let unrolled = Atoms::from_nfa(atoms, TABLE_LIMIT, CHUNK_BYTES);
            assert_eq!(trie.stride, unrolled.stride, "{atoms:?}");
            // The same match states (numbered in another order).
            let sorted = |a: &Atoms| {
                let mut m = a.matches.clone();
                m.sort();
                m
            };
            assert_eq!(sorted(&trie), sorted(&unrolled), "{atoms:?}");
            assert_eq!(trie.trans.len(), unrolled.trans.len(), "{atoms:?}");
        }
    }

    #[test]
    fn occurrences_across_every_cut_are_found_once() {
        let atoms = ["abcdefgh", "defg"];
        let n = 4 * 1024;
        for at in (n / 4 - 9)..(n / 4 + 2) {
            let mut text = vec![b'.'; n];
            text[at..at + 8].copy_from_slice(b"ABCDEFGH");
            let text = String::from_utf8(text).unwrap();
            assert_eq!(found(&atoms, &text), reference(&atoms, &text), "at {at}");
        }
    }

    #[test]
    fn a_table_too_large_falls_back_to_the_same_occurrences() {
        let atoms = [
            "kueue",
            "Kueue v",
            "ray",
            "array",
            "volcano engine",
            "a",
            "naïve-7",
        ];
        let unit =
            "We run KUEUE v0.9 and an array of Ray jobs; Volcano Engine is not volcano. NAÏVE-7 ";
        let text: String = unit.chars().cycle().take(3000).collect();
        let expected = reference(&atoms, &text);
        // One automaton: the crate's own order.
        let one = Atoms::with_limits(&atoms, 0, usize::MAX);
        assert!(one.is_fallback());
        assert_eq!(one.fallback.len(), 1);
        let mut out = Vec::new();
        one.for_each(text.as_bytes(), |p, r| out.push((p, r)));
        assert_eq!(out, expected);
        // An automaton per few atoms: the same occurrences, in order of their end.
        let many = Atoms::with_limits(&atoms, 0, 6);
        assert!(many.fallback.len() >= 4);
        let mut out = Vec::new();
        many.for_each(text.as_bytes(), |p, r| out.push((p, r)));
        assert!(out.windows(2).all(|w| w[0].1.end <= w[1].1.end));
        let key = |v: &mut Vec<(usize, Range<usize>)>| v.sort_by_key(|(p, r)| (r.end, *p));
        let (mut out, mut expected) = (out, expected);
        key(&mut out);
        key(&mut expected);
        assert_eq!(out, expected);
        // Within the limit, the table is built.
        assert!(!Atoms::new(&atoms).is_fallback());
    }

    #[test]
    fn no_atoms_no_occurrences() {
        let none: [&str; 0] = [];
        assert!(found(&none, "anything").is_empty());
    }
}
