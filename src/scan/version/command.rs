//! Commands around a mention: the shell command a position is in (with
//! `\\` continuations), split into words, and what a package manager's
//! command (`helm`, a distribution's package tool) pins.

use crate::document::newline::Newlines;
use memchr::memmem::Finder;
use std::ops::Range;
use std::sync::LazyLock;

use super::{dotted, Pinned, VersionKind};

/// The command a position is in: its line, the lines before it that end in
/// `\`, and the lines after it while they do (at most 16 each way).
pub(super) fn command_around(text: &str, at: usize, region: Range<usize>) -> Range<usize> {
    let mut start = text[region.start..at]
        .rfind_nl()
        .map_or(region.start, |i| region.start + i + 1);
    for _ in 0..16 {
        if start <= region.start {
            break;
        }
        let prev_start = text[region.start..start - 1]
            .rfind_nl()
            .map_or(region.start, |i| region.start + i + 1);
        if !text[prev_start..start - 1].trim_end().ends_with('\\') {
            break;
        }
        start = prev_start;
    }
    let mut end = at;
    for _ in 0..16 {
        let line_end = text[end..region.end]
            .find_nl()
            .map_or(region.end, |i| end + i);
        if !text[..line_end].trim_end().ends_with('\\') || line_end >= region.end {
            return start..line_end;
        }
        end = line_end + 1;
    }
    start..end.min(region.end)
}

/// Built once: most mentions ask, and a finder's set-up costs more than its search.
static HELM: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("helm"));
static VERSION: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("--version"));

/// Whether `text` holds `helm` or `--version` anywhere: without either, no command in it
/// installs a package with a version ([`Command::package_manager`] finds none).
pub(crate) fn may_hold_commands(text: &str) -> bool {
    let bytes = text.as_bytes();
    HELM.find(bytes).is_some() || VERSION.find(bytes).is_some()
}

/// [`may_hold_commands`] of a whole text whose [`version_words`](super::keys::version_words) are
/// known: every `--version` is a `v` among them after `--`, so only `helm` is searched for.
pub(crate) fn may_hold_commands_at(text: &str, version_words: &[usize]) -> bool {
    let bytes = text.as_bytes();
    version_words
        .iter()
        .any(|&i| bytes[i] == b'v' && i >= 2 && &bytes[i - 2..i] == b"--")
        || HELM.find(bytes).is_some()
}

/// A command line, split into words with their offsets.
pub(super) struct Command<'t> {
    words: Vec<(Range<usize>, &'t str)>,
}

/// Flags of `helm` that take no value.
pub(super) const HELM_SWITCHES: &[&str] = &[
    "--install",
    "-i",
    "--create-namespace",
    "--wait",
    "--wait-for-jobs",
    "--atomic",
    "--devel",
    "--dry-run",
    "--debug",
    "--generate-name",
    "--force",
    "--reuse-values",
    "--reset-values",
    "--skip-crds",
    "--dependency-update",
    "--no-hooks",
    "--cleanup-on-fail",
    "--insecure-skip-tls-verify",
    "--plain-http",
    "--verify",
    "--take-ownership",
    "--rollback-on-failure",
    "--hide-notes",
];
/// Flags whose value names what a package command installs.
pub(super) const PACKAGE_NAME_FLAGS: &[&str] = &[
    "--name",
    "--app-name",
    "--app",
    "--chart",
    "--package",
    "--addon",
];

impl<'t> Command<'t> {
    /// The command in `cmd` when it installs packages by name with a
    /// version (`helm install`, `--version`). Most lines around a mention
    /// are no such command: those without `helm` or `--version` anywhere
    /// are not split into words at all.
    pub(super) fn package_manager(cmd: &'t str) -> Option<Command<'t>> {
        if !may_hold_commands(cmd) {
            return None;
        }
        Self::parse(cmd).filter(Command::program_is_package_manager)
    }

    fn parse(cmd: &'t str) -> Option<Command<'t>> {
        let mut words = Vec::new();
        let mut at = 0;
        for piece in cmd.split_inclusive(char::is_whitespace) {
            let w = piece.trim_end();
            if !w.is_empty() && w != "\\" {
                words.push((at..at + w.len(), w));
            }
            at += piece.len();
        }
        // A prompt, `sudo`, or assignments before the program.
        while let Some((_, w)) = words.first() {
            if matches!(*w, "$" | ">" | "%" | "#" | "sudo")
                || (w.contains('=') && !w.starts_with('-'))
            {
                words.remove(0);
            } else {
                break;
            }
        }
        (!words.is_empty()).then_some(Command { words })
    }

    fn program(&self) -> &str {
        let p = self.words[0].1;
        p.rsplit('/').next().unwrap_or(p)
    }

    fn is_helm(&self) -> bool {
        self.program() == "helm"
            && self.words.get(1).is_some_and(|(_, w)| {
                matches!(
                    *w,
                    "install" | "upgrade" | "template" | "pull" | "show" | "fetch"
                )
            })
    }

    /// A program that installs packages by name with a `--version`.
    fn program_is_package_manager(&self) -> bool {
        self.is_helm() || self.flag("--version").is_some()
    }

    /// The value of `--flag V` or `--flag=V`, unquoted.
    fn flag(&self, name: &str) -> Option<(Range<usize>, &'t str)> {
        let mut it = self.words.iter();
        while let Some((r, w)) = it.next() {
            if *w == name {
                return it.next().map(|(r, v)| (r.clone(), unquote(v)));
            }
            if let Some(v) = w.strip_prefix(name).and_then(|v| v.strip_prefix('=')) {
                return Some((r.start + name.len() + 1..r.end, unquote(v)));
            }
        }
        None
    }

    /// The version this command pins for the word at `at`: a Helm chart's
    /// `--version` for its CHART argument, a package's for its `--name`.
    pub(super) fn version_of(&self, at: Range<usize>) -> Option<Pinned> {
        let (_, version) = self.flag("--version")?;
        let version = dotted(version)
            .filter(|v| v.len() == version.len())
            .or_else(|| dotted(version))?;
        if self.is_helm() {
            let chart = self.helm_chart()?;
            return (chart.start <= at.start && at.end <= chart.end)
                .then(|| Pinned::new(version, VersionKind::Chart));
        }
        PACKAGE_NAME_FLAGS.iter().find_map(|f| {
            let (r, _) = self.flag(f)?;
            (r.start <= at.start && at.end <= r.end)
                .then(|| Pinned::new(version, VersionKind::Package))
        })
    }

    /// The CHART argument of `helm install|upgrade|template [NAME] CHART`
    /// (`helm pull|show ... CHART`): the last of the positional arguments.
    fn helm_chart(&self) -> Option<Range<usize>> {
        let sub = self.words[1].1;
        let mut positional = Vec::new();
        let mut i = 2;
        while i < self.words.len() {
            let w = self.words[i].1;
            if w.starts_with('|') || w == "&&" || w == ";" {
                break;
            }
            if w.starts_with('-') {
                if !w.contains('=') && !HELM_SWITCHES.contains(&w) {
                    i += 1; // its value
                }
            } else if !(sub == "show"
                && positional.is_empty()
                && matches!(w, "values" | "chart" | "readme" | "all" | "crds"))
            {
                positional.push(self.words[i].0.clone());
            }
            i += 1;
        }
        let wanted = match sub {
            "install" | "upgrade" | "template" => 2,
            _ => 1,
        };
        positional
            .get(wanted.min(positional.len()).checked_sub(1)?)
            .cloned()
    }
}

pub(super) fn unquote(v: &str) -> &str {
    v.trim_matches(['"', '\''])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_helm_or_a_version_flag_holds_no_package_command() {
        for t in [
            "helm install kueue oci://x",
            "x --version 0.9.1",
            "a\n$ helm upgrade",
        ] {
            assert!(may_hold_commands(t), "{t}");
        }
        for t in ["We run Kueue v0.9.1.", "kubectl apply -f kueue.yaml", ""] {
            assert!(!may_hold_commands(t), "{t}");
            // Whatever line of it: no command with a version.
            assert!(Command::package_manager(t).is_none(), "{t}");
        }
    }

    #[test]
    fn the_version_words_of_a_text_tell_its_version_flags() {
        let texts = [
            "helm install kueue oci://x",
            "x --version 0.9.1",
            "x --Version 1 and -version 2",
            "X --VERSION 3",
            "a\n$ helm upgrade",
            "rayVersion: 2.9 and NVIDIA_VERSION=1",
            "--version",
            "-v--version-",
            "We run Kueue v0.9.1.",
            "kubectl apply -f kueue.yaml",
            "",
            "ersion --ersion v-ersion",
        ];
        for t in texts {
            let words = super::super::keys::version_words(t);
            assert_eq!(may_hold_commands_at(t, &words), may_hold_commands(t), "{t}");
        }
    }
}
