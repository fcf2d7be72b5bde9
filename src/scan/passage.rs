//! Passages: what kind of text a mention sits in.
//!
//! Whether the vendor says a project is absent, or names it only as an
//! example, is a judgement on a sentence, and only prose has sentences: the
//! notes of a `PRODUCT.yaml` and the paragraphs, lists and tables of a
//! Markdown file. A command line (`kubectl run ... --restart=Never`), a code
//! block, a log or test output (`metric not yet collected by Prometheus,
//! retrying`), inline code and a URL say nothing about whether a project is
//! used, whatever words they hold. [`Passages::of`] reads a document once
//! (its fenced and indented code blocks, and the Markdown sections whose
//! heading announces plans: "Roadmap", "Future work"); [`Passages::at`] then
//! says what a mention is in.

use crate::document::newline::Newlines;
use std::ops::Range;

use crate::document::Document;

/// The kind of text around a mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passage {
    /// A sentence of the vendor's: negation and hedging are judged here.
    Prose,
    /// A fenced or indented code block, or inline code.
    Code,
    /// A line that runs a program (`helm install ...`, `$ kubectl ...`).
    Command,
    /// Log or test output: a file of it, or a line that looks like a record.
    Log,
    /// Inside a URL.
    Url,
}

/// What a document's layout says about its passages, read once per document.
#[derive(Clone, Debug, Default)]
pub struct Passages {
    /// The file holds prose at all (Markdown, a checklist's notes, plain text).
    prose_file: bool,
    /// The whole file is log or test output.
    log_file: bool,
    /// Fenced and indented code blocks, sorted.
    code: Vec<Range<usize>>,
    /// Markdown sections about plans (Roadmap, Future work, Planned), sorted.
    plans: Vec<Range<usize>>,
}

/// Extensions of files that are never prose (manifests, data, logs).
const NOT_PROSE: &[&str] = &[
    "log", "xml", "json", "yml", "sh", "bash", "py", "go", "csv", "tsv", "toml", "ini", "conf",
    "cfg", "tf", "out", "err",
];

/// File stems of captured output (`output.md`, `e2e.log`, `junit_01.xml`).
const LOG_STEMS: &[&str] = &[
    "output", "stdout", "stderr", "log", "logs", "e2e", "results",
];

/// Words of a heading that announce what is not there yet.
const PLAN_HEADINGS: &[&str] = &[
    "roadmap", "future", "planned", "plans", "upcoming", "not yet", "wishlist",
];

/// Programs whose name at the start of a line makes it a command.
const PROGRAMS: &[&str] = &[
    "kubectl",
    "helm",
    "curl",
    "wget",
    "docker",
    "podman",
    "git",
    "export",
    "sudo",
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "zypper",
    "pip",
    "pip3",
    "python",
    "python3",
    "go",
    "make",
    "cd",
    "cat",
    "echo",
    "sonobuoy",
    "kind",
    "kustomize",
    "oc",
    "gcloud",
    "aws",
    "az",
    "eksctl",
    "talosctl",
    "omnictl",
    "terraform",
    "ssh",
    "nvidia-smi",
    "vcluster",
    "k0s",
    "kops",
    "clusterctl",
    "sh",
    "bash",
    "source",
    "watch",
    "grep",
    "jq",
    "yq",
    "ray",
    "argocd",
    "flux",
    "crictl",
    "ctr",
    "systemctl",
    "kubeadm",
    "hydra",
    "dcgmi",
    "for",
    "while",
    "if",
    "then",
];

impl Passages {
    /// Reads the layout of `doc`.
    pub fn of(doc: &Document) -> Passages {
        let path = doc.path.as_str();
        let name = path.rsplit('/').next().unwrap_or(path);
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) => (s.to_ascii_lowercase(), e.to_ascii_lowercase()),
            None => (name.to_ascii_lowercase(), String::new()),
        };
        let product = doc.metadata.is_some();
        let log_file = !product
            && (LOG_STEMS.contains(&stem.as_str())
                || stem.starts_with("junit")
                || stem.ends_with("-output")
                || stem.ends_with("_output")
                || ext == "log");
        let prose_file = product || !NOT_PROSE.contains(&ext.as_str()) && ext != "yaml";
        let markdown = matches!(ext.as_str(), "md" | "markdown");
        let (code, plans) = if markdown {
            markdown_layout(&doc.text)
        } else {
            (Vec::new(), Vec::new())
        };
        Passages {
            prose_file,
            log_file,
            code,
            plans,
        }
    }

    /// What the mention at `range` of `text` is in.
    pub fn at(&self, text: &str, range: Range<usize>) -> Passage {
        if in_ranges(&self.code, range.start) {
            return Passage::Code;
        }
        if in_url(text, range.clone()) {
            return Passage::Url;
        }
        if self.log_file {
            return Passage::Log;
        }
        if !self.prose_file {
            return Passage::Code;
        }
        if in_inline_code(text, range.clone()) {
            return Passage::Code;
        }
        let line = line_around(text, range.start);
        if looks_like_log(line) {
            Passage::Log
        } else if looks_like_command(line) {
            Passage::Command
        } else {
            Passage::Prose
        }
    }

    /// Is `at` in a section about plans ("## Roadmap")?
    pub fn in_plans(&self, at: usize) -> bool {
        in_ranges(&self.plans, at)
    }
}

fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.start <= at)
}

/// The line holding `at` (without its line break).
pub fn line_around(text: &str, at: usize) -> &str {
    let start = text[..at].rfind_nl().map_or(0, |i| i + 1);
    let end = text[at..].find_nl().map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// Code blocks (fenced with ``` or ~~~, or indented by four spaces after a
/// blank line) and sections under a heading about plans, of a Markdown text.
fn markdown_layout(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut code = Vec::new();
    let mut plans = Vec::new();
    let mut fence: Option<(usize, char, usize)> = None; // (start, char, length)
    let mut plan: Option<(usize, usize)> = None; // (start, heading level)
    let mut indented: Option<usize> = None;
    let mut prev_blank = true;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let indent = body.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |c| trimmed.chars().take_while(|&x| x == c).count());
        match fence {
            Some((start, c, len)) => {
                if marker == Some(c) && run >= len && trimmed[run..].trim().is_empty() {
                    code.push(start..at + line.len());
                    fence = None;
                }
            }
            None if run >= 3 && indent < 4 => {
                if let Some(s) = indented.take() {
                    code.push(s..at);
                }
                fence = Some((at, marker.unwrap_or('`'), run));
            }
            None => {
                let is_code_line = indent >= 4 && !trimmed.is_empty();
                match indented {
                    Some(s) if !is_code_line && !trimmed.is_empty() => {
                        code.push(s..at);
                        indented = None;
                    }
                    None if is_code_line && prev_blank => indented = Some(at),
                    _ => {}
                }
                if let Some(level) = heading_level(trimmed) {
                    if let Some((s, l)) = plan {
                        if level <= l {
                            plans.push(s..at);
                            plan = None;
                        }
                    }
                    let words = trimmed.to_lowercase();
                    if plan.is_none() && PLAN_HEADINGS.iter().any(|w| words.contains(w)) {
                        plan = Some((at, level));
                    }
                }
            }
        }
        prev_blank = trimmed.is_empty();
        at += line.len();
    }
    if let Some((start, _, _)) = fence {
        code.push(start..at);
    }
    if let Some(s) = indented {
        code.push(s..at);
    }
    if let Some((s, _)) = plan {
        plans.push(s..at);
    }
    code.sort_by_key(|r| r.start);
    (code, plans)
}

/// `## Title` -> 2.
fn heading_level(line: &str) -> Option<usize> {
    let n = line.chars().take_while(|&c| c == '#').count();
    (1..=6)
        .contains(&n)
        .then_some(n)
        .filter(|&n| line[n..].starts_with(' ') || line[n..].is_empty())
}

/// Is the mention inside a URL (`https://...`, `www....`, or a Markdown
/// link's target)?
fn in_url(text: &str, range: Range<usize>) -> bool {
    let line_start = text[..range.start].rfind_nl().map_or(0, |i| i + 1);
    let before = &text[line_start..range.start];
    let token_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '<' | '[' | '"' | '\'' | '`'))
        .map_or(0, |i| i + 1);
    let token = &before[token_start..];
    token.contains("://")
        || token.starts_with("www.")
        || (before[..token_start].ends_with("](") && !token.contains(' '))
}

/// Is the mention between a pair of backticks on its line?
fn in_inline_code(text: &str, range: Range<usize>) -> bool {
    let line_start = text[..range.start].rfind_nl().map_or(0, |i| i + 1);
    text[line_start..range.start].matches('`').count() % 2 == 1
}

/// A line that runs a program: a prompt (`$ `, `> `, `# ` before a program),
/// or a known program's name followed by arguments or flags.
pub fn looks_like_command(line: &str) -> bool {
    let t = line.trim_start();
    let t = t
        .strip_prefix("$ ")
        .or_else(|| t.strip_prefix("> "))
        .or_else(|| t.strip_prefix("% "))
        .unwrap_or(t)
        .trim_start();
    let mut words = t.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let first = first.rsplit('/').next().unwrap_or(first);
    let Some(second) = words.next() else {
        return false;
    };
    if first.contains('=') && first.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        // `NVIDIA_VERSION=1.2 ./install.sh`
        return true;
    }
    PROGRAMS.contains(&first)
        && (second.starts_with('-')
            || second
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_./:=$\"'".contains(c)))
}

/// A line that looks like a log or test record: it starts with a timestamp,
/// a level, a test framework's marker, or an attempt counter, or is a
/// metric sample (`name{label="..."} 1`).
pub fn looks_like_log(line: &str) -> bool {
    let t = line.trim_start();
    let b = t.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    // 2025-01-02, 2025/01/02, I0102 15:04:05 (klog), 15:04:05
    let dated = b.len() >= 10
        && digits(&b[..4])
        && (b[4] == b'-' || b[4] == b'/')
        && digits(&b[5..7])
        && digits(&b[8..10]);
    let klog = b.len() >= 6
        && matches!(b[0], b'I' | b'W' | b'E' | b'F')
        && digits(&b[1..5])
        && b[5] == b' ';
    let clock = b.len() >= 8 && digits(&b[..2]) && b[2] == b':' && digits(&b[3..5]) && b[5] == b':';
    let lower = t.to_ascii_lowercase();
    let level = [
        "[info]", "[warn", "[error]", "[debug]", "info:", "warning:", "error:", "level=", "time=",
        "step:", "[it]", "•", "--- pass", "--- fail", "=== run", "ok ", "fail:",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    let attempt = lower.starts_with("attempt ") && lower.contains(':');
    let retrying = lower.contains("retrying in ") || lower.contains(", retrying");
    let metric = t.contains("{")
        && t.contains("=\"")
        && t.trim_end().ends_with(|c: char| c.is_ascii_digit());
    dated || klog || clock || level || attempt || retrying || metric
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Region};

    fn doc(path: &str, text: &str) -> Document {
        Document {
            path: path.into(),
            text: text.into(),
            regions: vec![Region {
                range: 0..text.len(),
                field: None,
            }],
            masked: Vec::new(),
            metadata: None,
        }
    }

    /// One row per kind of passage: (file, text, the word looked at, what it is in).
    #[test]
    fn passages_table() {
        let rows: &[(&str, &str, &str, Passage)] = &[
            (
                "README.md",
                "We do not use Karpenter.",
                "Karpenter",
                Passage::Prose,
            ),
            (
                "README.md",
                "| gang | KAI Scheduler (vs. Kueue) |",
                "Kueue",
                Passage::Prose,
            ),
            (
                "README.md",
                "```bash\nkubectl run x --restart=Never -- curl http://dcgm:9400\n```\n",
                "dcgm",
                Passage::Code,
            ),
            (
                "README.md",
                "text\n\n    helm install kueue\n\nmore",
                "kueue",
                Passage::Code,
            ),
            (
                "README.md",
                "> kubectl run x --restart=Never -- curl http://nvidia-dcgm-exporter",
                "nvidia-dcgm-exporter",
                Passage::Url,
            ),
            (
                "README.md",
                "kubectl logs -n kueue-system deploy/kueue-controller-manager",
                "kueue-controller",
                Passage::Command,
            ),
            (
                "README.md",
                "$ helm install kueue oci://x --version 0.1.0",
                "kueue",
                Passage::Command,
            ),
            (
                "README.md",
                "Attempt 1: metric not yet collected by Prometheus, retrying in 15s...",
                "Prometheus",
                Passage::Log,
            ),
            (
                "README.md",
                "Use `kubectl get clusterqueue` to see Kueue",
                "clusterqueue",
                Passage::Code,
            ),
            (
                "README.md",
                "See [the docs](https://kueue.sigs.k8s.io/docs) for Kueue",
                "kueue.sigs",
                Passage::Url,
            ),
            (
                "tests/x/output.md",
                "No additional Prometheus setup is required",
                "Prometheus",
                Passage::Log,
            ),
            ("e2e.log", "Kueue is not installed", "Kueue", Passage::Log),
            (
                "junit_01.xml",
                "<testcase name=\"no kueue\">",
                "kueue",
                Passage::Log,
            ),
            (
                "values.yaml",
                "kueue:\n  enabled: false\n",
                "kueue",
                Passage::Code,
            ),
            (
                "README.md",
                "2025-01-02T10:00:00Z kueue not ready",
                "kueue",
                Passage::Log,
            ),
            (
                "README.md",
                "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",DCGM_FI_DRIVER_VERSION=\"580.1\"} 3",
                "DCGM_FI_DEV",
                Passage::Log,
            ),
        ];
        for &(path, text, word, want) in rows {
            let d = doc(path, text);
            let at = text.find(word).unwrap();
            let got = Passages::of(&d).at(text, at..at + word.len());
            assert_eq!(got, want, "{path}: {text:?} at {word:?}");
        }
    }

    #[test]
    fn sections_about_plans() {
        let t = "# Product\n\nKueue runs.\n\n### Roadmap features\n\n- NVIDIA Dynamo\n\n## Next\n\nVolcano\n";
        let p = Passages::of(&doc("README.md", t));
        assert!(!p.in_plans(t.find("Kueue").unwrap()));
        assert!(p.in_plans(t.find("Dynamo").unwrap()));
        assert!(!p.in_plans(t.find("Volcano").unwrap()));
    }
}
