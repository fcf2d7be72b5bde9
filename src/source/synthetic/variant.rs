//! One synthetic submission's variations: a new vendor and platform name, a
//! window of each file, varied versions; and the seeded generator behind them.

use super::*;

/// What one generated submission does with its base.
pub(super) struct Variant<'a> {
    base: &'a Base,
    pub(super) folder: String,
    vendor: String,
    platform: String,
    /// Per rule: `None` keep, `Some(text)` write this instead of its names.
    project: Vec<Option<String>>,
    max_file_bytes: usize,
}

/// Neutral phrases that stand in for a dropped project's name.
pub(super) const NEUTRAL: &[&str] = &[
    "the scheduler",
    "our operator",
    "the platform add-on",
    "a managed component",
    "the in-house tool",
];
pub(super) const SYLLABLES: &[&str] = &[
    "ar", "bel", "cor", "dan", "el", "fen", "gal", "hy", "ion", "jor", "kal", "lum", "mir", "nor",
    "or", "pax", "qua", "ryn", "sol", "tav", "ul", "ver", "wen", "xan", "yor", "zel",
];
pub(super) const VENDOR_SUFFIXES: &[&str] = &[
    "",
    " Cloud",
    " Systems",
    " Networks",
    " Technologies",
    " Inc.",
];
pub(super) const PLATFORM_SUFFIXES: &[&str] = &[
    " Kubernetes Engine",
    " Container Platform",
    " AI Cloud",
    " Managed Kubernetes",
    " Kubernetes Service",
    " Stack",
];

impl<'a> Variant<'a> {
    pub(super) fn new(
        rng: &mut Rng,
        index: usize,
        base: &'a Base,
        swaps: &Swaps,
        opts: &Options,
    ) -> Variant<'a> {
        let mut word = String::new();
        for _ in 0..2 + rng.below(2) {
            word.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
        }
        let word = capitalize(&word);
        let vendor = format!(
            "{word}{}",
            VENDOR_SUFFIXES[rng.below(VENDOR_SUFFIXES.len())]
        );
        let platform = format!(
            "{word}{}",
            PLATFORM_SUFFIXES[rng.below(PLATFORM_SUFFIXES.len())]
        );
        let folder = format!(
            "{}-{}-{index}",
            word.to_lowercase(),
            base.name.to_lowercase()
        );
        let project = (0..swaps.names.len())
            .map(|r| {
                let roll = rng.below(100);
                let peers = &swaps.peers[r];
                if roll < 60 {
                    None
                } else if roll < 85 && !peers.is_empty() {
                    let other = peers[rng.below(peers.len())];
                    let names = &swaps.names[other.0 as usize];
                    Some(names[rng.below(names.len())].clone())
                } else if roll < 85 {
                    None
                } else {
                    Some(NEUTRAL[rng.below(NEUTRAL.len())].to_string())
                }
            })
            .collect();
        Variant {
            base,
            folder,
            vendor,
            platform,
            project,
            max_file_bytes: opts.max_file_bytes,
        }
    }

    /// One file of the base, varied.
    pub(super) fn file(&self, rng: &mut Rng, f: &BaseFile, version: &str) -> String {
        let window = if f.product {
            0..f.text.len()
        } else {
            window(rng, &f.text, self.max_file_bytes)
        };
        let text = &f.text[window.clone()];
        // Hits first: the vendor's name or a version never cuts into a project's name.
        let hits: Vec<(Range<usize>, RuleId, bool)> = f
            .hits
            .iter()
            .filter(|(r, ..)| r.start >= window.start && r.end <= window.end)
            .map(|(r, rule, name)| (r.start - window.start..r.end - window.start, *rule, *name))
            .collect();
        let shift = |r: &Range<usize>| r.start + window.start..r.end + window.start;
        let mut edits: Vec<(Range<usize>, String)> = hits
            .iter()
            .filter(|(r, _, name)| *name && f.editable(&shift(r)))
            .filter_map(|(r, rule, _)| Some((r.clone(), self.project[rule.0 as usize].clone()?)))
            .collect();
        if let Some(r) = f.kube_version.clone().filter(|r| r.end <= text.len()) {
            edits.push((r, version.to_string()));
        }
        let mut others = Vec::new();
        for (from, to) in [
            (&self.base.platform, &self.platform),
            (&self.base.vendor, &self.vendor),
        ] {
            if let Some(from) = from {
                others.extend(
                    text.match_indices(from.as_str())
                        .map(|(i, s)| (i..i + s.len(), to.clone())),
                );
            }
        }
        others.extend(version_edits(rng, text));
        let free = |r: &Range<usize>| {
            !hits
                .iter()
                .any(|(h, ..)| h.start < r.end && r.start < h.end)
        };
        edits.extend(
            others
                .into_iter()
                .filter(|(r, _)| free(r) && f.editable(&shift(r))),
        );
        apply(text, edits)
    }
}

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A window of whole lines of at most `max` bytes at a random place (the whole text when short enough).
pub(super) fn window(rng: &mut Rng, text: &str, max: usize) -> Range<usize> {
    if text.len() <= max {
        return 0..text.len();
    }
    let at = rng.below(text.len() - max);
    let start = text[..text.floor_char_boundary(at)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let cap = text.floor_char_boundary(start + max);
    match text[start..cap].rfind('\n') {
        Some(i) => start..start + i + 1,
        // One line longer than the cap: cut it.
        None => start..cap,
    }
}

/// Three-part version numbers (`0.14.2`) get a new last part half of the time.
pub(super) fn version_edits(rng: &mut Rng, text: &str) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit()
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut dots = 0;
        let mut last = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || (b[j] == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit()))
        {
            if b[j] == b'.' {
                dots += 1;
                last = j + 1;
            }
            j += 1;
        }
        if dots == 2 && j - last <= 3 && rng.below(2) == 0 {
            out.push((last..j, rng.below(20).to_string()));
        }
        i = j.max(i + 1);
    }
    out
}

/// Applies non-overlapping edits (the first of overlapping ones wins, in order of start).
pub(super) fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (r, with) in edits {
        if r.start < at || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&with);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// SplitMix64: small, fast and fixed forever, so a seed always gives the same corpus.
pub(super) struct Rng(u64);

impl Rng {
    /// The stream of submission `index` under `seed`, independent of the other submissions.
    pub(super) fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
