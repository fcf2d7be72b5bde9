//! Versions given by keys: a sibling key of the YAML mapping that names the
//! hit (`chart:` + `version:`), and keys that name a project themselves
//! (`rayVersion: "2.9.0"`, `NVIDIA_CONTAINER_TOOLKIT_VERSION=1.18.2-1`).

use crate::document::newline::Newlines;
use std::ops::Range;

use super::command::unquote;
use super::{dotted, Mention, Pinned, VersionKind};

/// Keys whose value names a chart, image or app in YAML manifests.
pub(super) const NAMING_KEYS: &[&str] =
    &["chart", "name", "app", "image", "repository", "releaseName"];
/// Keys that give that chart's or image's version.
pub(super) const VERSION_KEYS: &[&str] = &[
    "version",
    "tag",
    "targetRevision",
    "chartVersion",
    "appVersion",
];

/// A version given by a sibling key of a YAML mapping whose naming key holds
/// the hit: `chart: nvidia-dra-driver-gpu` followed by `version: "25.3.0"`
/// (HelmRelease, Argo CD Application, helmfile, Chart.yaml dependencies,
/// `image:` with `tag:`).
pub(super) fn sibling(m: &Mention<'_>) -> Option<Pinned> {
    let lo = m
        .text
        .floor_char_boundary(m.range.start.saturating_sub(256));
    let hi = m
        .text
        .floor_char_boundary((m.range.end + 1024).min(m.region.end));
    sibling_version(&m.text[lo..hi], m.range.start - lo..m.range.end - lo)
}

/// [`sibling`] on a stretch of text, with the hit's range in it.
pub fn sibling_version(text: &str, range: Range<usize>) -> Option<Pinned> {
    let line_start = text[..range.start].rfind_nl().map_or(0, |i| i + 1);
    let line = &text[line_start
        ..text[range.start..]
            .find_nl()
            .map_or(text.len(), |i| range.start + i)];
    let body = line.trim_start().trim_start_matches("- ");
    let indent = line.len() - body.len();
    let (key, _) = body.split_once(':')?;
    let key = key.trim();
    if !NAMING_KEYS.contains(&key) || range.start < line_start + indent + key.len() {
        return None;
    }
    let mut rest = &text[(line_start + line.len() + 1).min(text.len())..];
    for _ in 0..6 {
        let next = rest.split('\n').next()?;
        let nbody = next.trim_start();
        let nindent = next.len() - nbody.len();
        if nbody.is_empty() || nindent < indent {
            return None;
        }
        if nindent == indent {
            if let Some((k, v)) = nbody.split_once(':') {
                let k = k.trim();
                if VERSION_KEYS.contains(&k) {
                    let v = unquote(v.trim().split(" #").next().unwrap_or("").trim());
                    let v = dotted(v)?;
                    let kind = if key == "chart" || k == "chartVersion" || k == "targetRevision" {
                        VersionKind::Chart
                    } else if key == "image" || key == "repository" || k == "tag" {
                        VersionKind::Image
                    } else {
                        VersionKind::Project
                    };
                    return Some(Pinned::new(v, kind));
                }
            }
        }
        rest = &rest[(next.len() + 1).min(rest.len())..];
    }
    None
}

/// A key that names a project and gives its version: `rayVersion: "2.9.0"`,
/// `NVIDIA_CONTAINER_TOOLKIT_VERSION=1.18.2-1`, `export KUEUE_VERSION=v0.14.1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyed {
    /// The name part of the key (`ray`, `NVIDIA_CONTAINER_TOOLKIT`).
    pub name: Range<usize>,
    /// The name as words (`ray`, `NVIDIA CONTAINER TOOLKIT`), to look up.
    pub words: String,
    pub version: Pinned,
}

/// Every `<name>Version:` / `<NAME>_VERSION=` key of `text` with a version value.
#[cfg(test)]
pub fn keyed(text: &str) -> Vec<Keyed> {
    keyed_at(text, &version_words(text))
}

/// Where `Version`, `version` or `VERSION` may start in `text`, in order: one byte before each
/// `ersion` or `ERSION` that follows a `V` or `v` (two vectorised searches, where looking at every
/// `v` of the text was a tenth of a scan). What [`keyed_at`] reads, and every `--version` of the
/// text is among them ([`super::command::may_hold_commands_at`]).
pub fn version_words(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts: Vec<usize> = memchr::memmem::find_iter(bytes, b"ersion")
        .chain(memchr::memmem::find_iter(bytes, b"ERSION"))
        .filter(|&j| j > 0 && matches!(bytes[j - 1], b'V' | b'v'))
        .map(|j| j - 1)
        .collect();
    starts.sort_unstable();
    starts
}

/// [`keyed`], from the text's [`version_words`].
pub fn keyed_at(text: &str, starts: &[usize]) -> Vec<Keyed> {
    let mut out = Vec::new();
    for &i in starts {
        let rest = &text[i..];
        let suffix = if rest.starts_with("Version") {
            "Version"
        } else if rest.starts_with("VERSION") && text[..i].ends_with('_') {
            "VERSION"
        } else if rest.starts_with("version") && text[..i].ends_with('_') {
            "version"
        } else {
            continue;
        };
        let after = &rest[suffix.len()..];
        let Some(value) = after
            .strip_prefix(':')
            .or_else(|| after.strip_prefix('='))
            .map(|v| {
                unquote(
                    v.trim_start_matches(' ')
                        .split([' ', '\n', '\r', '#'])
                        .next()
                        .unwrap_or(""),
                )
            })
        else {
            continue;
        };
        let end = if suffix == "Version" { i } else { i - 1 };
        let start = text[..end]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |j| j + 1);
        if start >= end || text[start..end].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let Some(v) = dotted(value) else { continue };
        let key = &text[start..end];
        out.push(Keyed {
            name: start..end,
            words: split_words(key),
            version: Pinned::new(v, VersionKind::Project),
        });
    }
    out
}

/// `NVIDIA_CONTAINER_TOOLKIT` -> `NVIDIA CONTAINER TOOLKIT`; `gpuOperator` -> `gpu Operator`.
pub(super) fn split_words(key: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if c == '_' {
            out.push(' ');
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c);
    }
    out
}
