//! Versions written in prose next to a name: right after it, after a
//! component's name, a major version alone, or at the start of the next line.

use super::{dotted, is_address_or_date, Mention, Near, Pinned, VersionKind};
use crate::document::newline::Newlines;
use crate::rules::PatternKind;

/// Words after a name that name one of its components ("Kubeflow Pipelines
/// v2.0.1"): a full version after one of them is the project's.
const COMPONENTS: &[&str] = &[
    "pipelines",
    "trainer",
    "training",
    "notebooks",
    "katib",
    "serve",
    "train",
    "tune",
    "operator",
    "controller",
    "server",
    "agent",
    "dashboard",
    "plugin",
    "exporter",
    "scheduler",
    "driver",
    "toolkit",
    "runtime",
    "core",
    "platform",
    "manager",
    "webhook",
    "for gpus",
    "for gpu",
];
/// Words after a major version alone that make it an API version
/// ("Gateway API v1 resources").
const API_WORDS: &[&str] = &[
    "resource",
    "resources",
    "api",
    "apis",
    "crd",
    "crds",
    "object",
    "objects",
    "kind",
    "kinds",
    "group",
    "schema",
    "spec",
    "endpoint",
    "alpha",
    "beta",
];

/// A version written next to the name in prose, or in a command that is not
/// a package manager's: right after it (`Kueue v0.14.2`, `Volcano (v1.10)`,
/// `KubeRay operator v1.4.2`, `pip install ray==2.9.0`), after a component's
/// name (`Kubeflow Pipelines v2.0.1`), a major version alone (`Traefik v3`),
/// or at the start of the next line when the name ends its line.
pub(super) fn prose(m: &Mention<'_>, near: &Near<'_>) -> Option<Pinned> {
    let text = m.text;
    let hit = m.range.clone();
    let name = &text[hit.clone()];
    if name
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"version"))
        || m.kind == PatternKind::Match && name.contains('_')
    {
        // `DCGM_FI_DRIVER_VERSION="580.105.08"`: a metric label's value.
        return None;
    }
    let line_end = text[hit.end..m.region.end]
        .find_nl()
        .map_or(m.region.end, |i| hit.end + i);
    if let Some((v, between)) = near(hit.end, line_end) {
        let kind = kind_between(&text[between]);
        let pinned = !is_address_or_date(&v) && !followed_by_number(text, hit.end, line_end, &v);
        return pinned.then(|| Pinned::new(&v, kind));
    }
    let rest = &text[hit.end..line_end];
    after_component(rest)
        .or_else(|| major_alone(m, rest))
        .or_else(|| on_next_line(m, rest, line_end))
}

/// What the words between a name and its version say the version is of.
fn kind_between(gap: &str) -> VersionKind {
    let gap = gap.to_ascii_lowercase();
    if gap.contains("chart") {
        VersionKind::Chart
    } else if gap.contains("image") || gap.contains("tag") {
        VersionKind::Image
    } else {
        VersionKind::Project
    }
}

/// A version after a component's name: `Kubeflow Pipelines v2.0.1`. Only the start of
/// the rest of the line is compared with the components' names (a line may be a long
/// paragraph).
fn after_component(rest: &str) -> Option<Pinned> {
    let lower = rest[..rest.floor_char_boundary(64)].to_ascii_lowercase();
    for c in COMPONENTS {
        if let Some(after) = lower.strip_prefix(' ').and_then(|r| r.strip_prefix(c)) {
            let after_raw = &rest[1 + c.len()..];
            let v = after_raw.trim_start_matches([' ', '(', '`']);
            if after.starts_with([' ', '(']) {
                if let Some(v) = dotted(v) {
                    return Some(Pinned::new(v, VersionKind::Project));
                }
            }
        }
    }
    None
}

/// A major version alone, right after the project's own name: `Traefik v3`, not an API's
/// `v1` (`Gateway API v1 resources`).
fn major_alone(m: &Mention<'_>, rest: &str) -> Option<Pinned> {
    let after = rest
        .strip_prefix(" v")
        .or_else(|| rest.strip_prefix(" (v"))?;
    let n = after.bytes().take_while(u8::is_ascii_digit).count();
    let tail = &after[n..];
    let next_word = tail
        .trim_start_matches([')', ' ', ','])
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ((1..=2).contains(&n)
        && !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.')
        && !API_WORDS.contains(&next_word.as_str())
        && m.kind != PatternKind::Url
        && m.own_name)
        .then(|| Pinned::new(&after[..n], VersionKind::Project))
}

/// The name ends its line (but for a few words), the version starts the next.
fn on_next_line(m: &Mention<'_>, rest: &str, line_end: usize) -> Option<Pinned> {
    if line_end >= m.region.end
        || rest.bytes().any(|b| b.is_ascii_digit())
        || !at_most_words(rest, 3)
    {
        return None;
    }
    let next = m.text[line_end + 1..m.region.end].trim_start();
    let next = next.strip_prefix('(').unwrap_or(next);
    if next.starts_with(['v', 'V']) {
        dotted(next).map(|v| Pinned::new(v, VersionKind::Project))
    } else {
        None
    }
}

/// Does `s` hold at most `n` whitespace-separated words? Read char by char
/// and only as far as the answer needs: the rest of a line may be long.
fn at_most_words(s: &str, n: usize) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for c in s.chars() {
        let space = c.is_whitespace();
        if !space && !in_word {
            words += 1;
            if words > n {
                return false;
            }
        }
        in_word = !space;
    }
    true
}

/// Is the version read at `end` only the start of a longer number (an
/// address `10.0.0.1`, a date)?
fn followed_by_number(text: &str, end: usize, limit: usize, v: &str) -> bool {
    let Some(i) = text[end..limit].find(v) else {
        return false;
    };
    let after = &text[end + i + v.len()..limit];
    after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit())
}
