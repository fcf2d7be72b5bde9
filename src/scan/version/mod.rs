//! Versions: which version a mention pins, and of what.
//!
//! A version belongs to a project by the construct that pins it, not by
//! being near its name. [`pinned`] reads, for one mention, in this order:
//!
//! | construct | example | kind |
//! | --- | --- | --- |
//! | a Helm command (flags in any order, `--version V`, `--version=V`, quoted, `\` continuations) | `helm install x nvidia/gpu-operator --version=v25.10.1` | chart (of the CHART argument only) |
//! | a distribution's package command | `kubectl gs template app --name kueue --version 0.2.0` | package (of the `--name` value) |
//! | a URL: release path, a repository's path at a version, pack folder | `.../gateway-api/releases/download/v1.3.0/`, `traefik/traefik/v3.5/docs`, `packs/nvidia-dra-driver-25.8.1` | project, package |
//! | a container image | `rayproject/ray-ml:2.49.2-gpu` | image |
//! | a catalog name | `cluster-autoscaler-9-55-0` | package |
//! | YAML keys beside the name | `chart: jobset` + `version: "0.12.0"`, `image:` + `tag:` | chart, image, project |
//! | prose (the rule's own `version /.../` first) | `Kueue v0.14.2`, `Volcano (v1.10)`, `Kubeflow Pipelines v2.0.1`, `Traefik v3`, a version on the next line | project (chart or image when the text says so) |
//!
//! [`keyed`] finds the constructs that name a project inside a key:
//! `rayVersion: "2.49.2"`, `NVIDIA_CONTAINER_TOOLKIT_VERSION=1.18.2-1`.
//!
//! Never a project's version: another thing's that sits next to its name —
//! a driver version in a metric label (`DCGM_FI_DRIVER_VERSION="580.105.08"`),
//! an API version (`v1beta1`, `Gateway API v1 resources`), a date, an
//! address, a pod-name hash, another project's chart (`helm install
//! raycluster kuberay/ray-cluster --version 1.4.2` pins no version of Ray:
//! Ray is not the chart).

mod command;
mod keys;
mod prose;

use std::ops::Range;

#[cfg(test)]
pub(crate) use command::may_hold_commands;
pub(crate) use command::may_hold_commands_at;
use command::{command_around, Command};
#[cfg(test)]
pub use keys::keyed;
use keys::sibling;
#[cfg(test)]
pub(crate) use keys::sibling_version;
pub use keys::{keyed_at, version_words};
use prose::prose;

use serde::Serialize;

use crate::rules::PatternKind;

/// What a version is the version of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VersionKind {
    /// The project's own release.
    #[default]
    Project,
    /// Its Helm chart.
    Chart,
    /// A distribution's package of it (an app catalog entry, a pack).
    Package,
    /// Its container image's tag.
    Image,
}

impl VersionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionKind::Project => "project",
            VersionKind::Chart => "chart",
            VersionKind::Package => "package",
            VersionKind::Image => "image",
        }
    }

    /// `1.0.1 (package)`; a project's own version is printed bare.
    pub fn label(self, version: &str) -> String {
        match self {
            VersionKind::Project => version.to_string(),
            k => format!("{version} ({})", k.as_str()),
        }
    }
}

/// A version and what it is the version of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    pub value: String,
    pub kind: VersionKind,
}

impl Pinned {
    fn new(value: &str, kind: VersionKind) -> Pinned {
        Pinned {
            value: value.trim_start_matches(['v', 'V']).to_string(),
            kind,
        }
    }
}

/// How far around a hit [`pinned`] reads.
const WINDOW: usize = 4096;

/// The text around one mention, as [`pinned`] needs it.
pub struct Mention<'t> {
    pub text: &'t str,
    /// The hit.
    pub range: Range<usize>,
    /// The vendor region it is in (a YAML value, or the whole file).
    pub region: Range<usize>,
    pub kind: PatternKind,
    /// The hit is the project's own name (`Traefik`), not an alias or a
    /// component's name (`Kubeflow Trainer`): only then is a major version
    /// alone (`Traefik v3`) the project's.
    pub own_name: bool,
    /// The text holds `helm` or `--version` somewhere ([`may_hold_commands`]): asked once per
    /// text, so that a text without either never has its mentions' commands read.
    pub commands: bool,
}

/// Reads a version written right after the name (the rule's own patterns,
/// then the built-in one) from `end` up to `limit`: the matcher's
/// `version_near`, with the text between the name and the version.
pub type Near<'a> = dyn Fn(usize, usize) -> Option<(String, Range<usize>)> + 'a;

/// The version a mention pins, if any, with its kind.
pub fn pinned(m: &Mention<'_>, near: &Near<'_>) -> Option<Pinned> {
    // Every construct is read within a few KiB of the hit: a file may be
    // one very long line (minified JSON, a log without newlines), and a
    // command, a YAML block or a sentence is never that long.
    let lo = m
        .text
        .floor_char_boundary(m.range.start.saturating_sub(WINDOW));
    let hi = m
        .text
        .ceil_char_boundary(m.range.end.saturating_add(WINDOW));
    let m = &Mention {
        text: m.text,
        range: m.range.clone(),
        region: m.region.start.max(lo)..m.region.end.min(hi),
        kind: m.kind,
        own_name: m.own_name,
        commands: m.commands,
    };
    let text = m.text;
    let hit = m.range.clone();
    if m.commands {
        let cmd = command_around(text, hit.start, m.region.clone());
        if let Some(c) = Command::package_manager(&text[cmd.clone()]) {
            return c.version_of(hit.start - cmd.start..hit.end - cmd.start);
        }
    }
    let tok = token_around(text, hit.clone());
    let token = &text[tok.clone()];
    let in_token = hit.start - tok.start..hit.end - tok.start;
    if is_url(token) {
        return url_version(token, in_token).or_else(|| sibling(m));
    }
    if let Some(tag) = image_tag(token, in_token.clone()) {
        return Some(Pinned::new(tag, VersionKind::Image));
    }
    if let Some(v) = catalog_name(token, in_token) {
        return Some(v);
    }
    if let Some(v) = sibling(m) {
        return Some(v);
    }
    prose(m, near)
}

/// The stretch around a hit up to whitespace, quotes, brackets or backticks.
fn token_around(text: &str, hit: Range<usize>) -> Range<usize> {
    let stop = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '`' | '(' | ')' | '[' | ']' | '<' | '>' | '{' | '}' | ',' | '|' | ';'
            )
    };
    let lo = text.floor_char_boundary(hit.start.saturating_sub(512));
    let hi = text.floor_char_boundary((hit.end + 512).min(text.len()));
    let start = text[lo..hit.start].rfind(stop).map_or(lo, |i| lo + i + 1);
    let end = text[hit.end..hi].find(stop).map_or(hi, |i| hit.end + i);
    start..end.max(hit.end)
}

fn is_url(token: &str) -> bool {
    token.contains("://") || token.starts_with("www.")
}

/// A version dotted at least `MAJOR.MINOR`, optionally with a `v`, read at
/// the start of `s` up to a non-version character: `v1.3.0`, `25.3.2-flatcar.1`.
fn dotted(s: &str) -> Option<&str> {
    let body = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 || body.as_bytes().get(digits) != Some(&b'.') {
        return None;
    }
    let minor = body[digits + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    if minor == 0 {
        return None;
    }
    let len = s.len() - body.len()
        + body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+'))
            .unwrap_or(body.len());
    let v = s[..len].trim_end_matches(['.', '-']);
    (!is_address_or_date(v)).then_some(v)
}

/// `10.0.0.1` (four numbers) or `2025.01.02` is not a version.
fn is_address_or_date(v: &str) -> bool {
    let v = v.trim_start_matches(['v', 'V']);
    let numbers: Vec<&str> = v.split('.').collect();
    let all_numeric = numbers
        .iter()
        .all(|n| n.bytes().all(|b| b.is_ascii_digit()));
    (numbers.len() == 4 && all_numeric)
        || (numbers.len() == 3
            && all_numeric
            && numbers[0].len() == 4
            && numbers[0]
                .parse::<u32>()
                .is_ok_and(|y| (1990..2100).contains(&y)))
}

/// Path words that may stand between a project's segment and its version.
const URL_BETWEEN: &[&str] = &[
    "releases", "download", "tag", "tags", "refs", "archive", "tree", "blob", "raw",
];

/// A version in a URL path that belongs to the segment holding the hit: the
/// segment itself ends in `-1.2.3` (a pack or package folder), or a segment
/// after it is the version, with only the same name or release words
/// between (`traefik/traefik/v3.5/docs`, `gateway-api/releases/download/v1.3.0`,
/// `docs/vcluster/0.35.0/`). A version before the name (`/ai/1.5/kueue/`)
/// belongs to something else.
fn url_version(token: &str, hit: Range<usize>) -> Option<Pinned> {
    let seg_start = token[..hit.start].rfind('/').map_or(0, |i| i + 1);
    let seg_end = token[hit.end..]
        .find(['/', '?', '#'])
        .map_or(token.len(), |i| hit.end + i);
    if seg_start < token.find("://").map_or(0, |i| i + 3) {
        return None; // the host
    }
    let seg = &token[seg_start..seg_end];
    let rest_of_seg = &token[hit.end..seg_end];
    if let Some(v) = rest_of_seg.strip_prefix(['-', '_']).and_then(dotted) {
        if v.len() == rest_of_seg.len() - 1 {
            return Some(Pinned::new(v, VersionKind::Package));
        }
    }
    if !rest_of_seg.is_empty() {
        return None; // `kueue-gang-scheduling`
    }
    let name = &token[hit.clone()];
    let mut skipped_name = false;
    for next in token[seg_end..].split(['/', '?', '#']).skip(1).take(4) {
        if let Some(v) = dotted(next).filter(|v| v.len() == next.len()) {
            // A release path, a repository's own path at a version, or a
            // documentation site's versioned pages for the project
            // (`/docs/vcluster/0.35.0/`, `/hami/2.7/install/`).
            return Some(Pinned::new(v, VersionKind::Project));
        }
        let same = next.eq_ignore_ascii_case(name) || next.eq_ignore_ascii_case(seg);
        if same && !skipped_name {
            skipped_name = true;
            continue;
        }
        if !URL_BETWEEN.contains(&next.to_ascii_lowercase().as_str()) {
            return None;
        }
    }
    None
}

/// The tag of a container image reference whose name holds the hit:
/// `nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.0-ubuntu22.04` -> `3.3.5`.
fn image_tag(token: &str, hit: Range<usize>) -> Option<&str> {
    let colon = hit.end + token[hit.end..].find(':')?;
    let name = &token[..colon];
    if name.contains("://") || name[hit.end..].contains('/') {
        return None; // a URL, or the hit is not in the image's last segment
    }
    let v = dotted(&token[colon + 1..])?;
    // The release part of the tag: `3.3.5-3.4.0-ubuntu22.04` -> `3.3.5`.
    let body = v.trim_start_matches(['v', 'V']);
    let n = body
        .char_indices()
        .scan(0, |dots, (i, c)| {
            *dots += usize::from(c == '.');
            (c.is_ascii_digit() || c == '.' && *dots <= 2).then_some(i + 1)
        })
        .last()
        .unwrap_or(0);
    Some(v[..v.len() - body.len() + n].trim_end_matches('.'))
}

/// A catalog name that ends in a version written with dashes:
/// `cluster-autoscaler-9-55-0` -> `9.55.0` (package).
fn catalog_name(token: &str, hit: Range<usize>) -> Option<Pinned> {
    let rest = &token[hit.end..];
    let rest = rest.strip_prefix('-')?;
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let parts: Vec<&str> = rest[..end].split('-').collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
    (parts.len() == 3 && parts.iter().all(numeric))
        .then(|| Pinned::new(&parts.join("."), VersionKind::Package))
}

#[cfg(test)]
mod tests {
    use super::*;
    use VersionKind::*;

    /// The built-in prose pattern, as the matcher runs it: a version right
    /// after the name, with an optional keyword between.
    fn near(text: &str) -> impl Fn(usize, usize) -> Option<(String, Range<usize>)> + '_ {
        let re = regex::Regex::new(crate::rules::engine::matcher::DEFAULT_VERSION).unwrap();
        move |end, limit| {
            let limit = limit.min(end + 96);
            let c = re.captures(&text[end..limit])?;
            let whole = c.get(0)?;
            let g = c.get(1)?;
            (whole.start() == 0).then(|| (g.as_str().to_string(), end..end + g.start()))
        }
    }

    fn read(text: &str, name: &str, kind: PatternKind) -> Option<(String, VersionKind)> {
        read_as(text, name, kind, true)
    }

    fn read_as(
        text: &str,
        name: &str,
        kind: PatternKind,
        own_name: bool,
    ) -> Option<(String, VersionKind)> {
        let at = text.find(name).unwrap();
        let m = Mention {
            text,
            range: at..at + name.len(),
            region: 0..text.len(),
            kind,
            own_name,
            commands: may_hold_commands(text),
        };
        pinned(&m, &near(text)).map(|p| (p.value, p.kind))
    }

    /// A major version alone is the project's only after its own name:
    /// `Kubeflow Trainer v2` is the trainer's second generation, not
    /// Kubeflow 2 (nor the training operator's release).
    #[test]
    fn a_major_version_alone_belongs_to_the_own_name_only() {
        let t = "Kubeflow Trainer v2 operator with CRDs";
        assert_eq!(
            read_as(t, "Kubeflow Trainer", PatternKind::Name, false),
            None
        );
        assert_eq!(
            read_as(t, "Kubeflow Trainer", PatternKind::Name, true),
            Some(("2".to_string(), VersionKind::Project))
        );
        let t = "Kubeflow Trainer v2.0.1 operator";
        assert_eq!(
            read_as(t, "Kubeflow Trainer", PatternKind::Name, false),
            Some(("2.0.1".to_string(), VersionKind::Project))
        );
    }

    /// One row per construct: (text, the name, what is pinned).
    #[test]
    fn constructs_table() {
        use PatternKind::{Chart as C, Image as I, Match as Mt, Name as N, Url as U};
        type Row = (
            &'static str,
            &'static str,
            PatternKind,
            Option<(&'static str, VersionKind)>,
        );
        let rows: &[Row] = &[
            // Helm: flags in any order, --version V / =V / quoted, continuations.
            ("helm install kuberay-operator kuberay/kuberay-operator --version 1.4.2", "kuberay/kuberay-operator", C, Some(("1.4.2", Chart))),
            ("helm install --wait gpu-operator \\\n    -n gpu-operator --create-namespace \\\n    nvidia/gpu-operator \\\n    --set driver.enabled=false \\\n    --version=v26.3.1", "nvidia/gpu-operator", C, Some(("26.3.1", Chart))),
            ("helm install nvidia-dra-driver-gpu nvidia/nvidia-dra-driver-gpu \\\n    --version=\"25.12.0\" \\\n    --create-namespace", "nvidia/nvidia-dra-driver-gpu", C, Some(("25.12.0", Chart))),
            ("helm upgrade -i nvdp nvdp/nvidia-device-plugin --namespace x --version 0.17.1", "nvidia-device-plugin", N, Some(("0.17.1", Chart))),
            ("helm install kueue oci://registry.k8s.io/kueue/charts/kueue --version=0.14.1 --wait", "kueue", N, None),
            ("helm install kueue oci://registry.k8s.io/kueue/charts/kueue --version=0.14.1 --wait", "charts/kueue", U, Some(("0.14.1", Chart))),
            // Another project's chart: Ray is not the chart.
            ("helm install -f ray-cluster.yaml raycluster kuberay/ray-cluster --version 1.4.2", "ray-cluster.yaml", N, None),
            // The program is not what it installs.
            ("helm install kueue x/kueue --version 0.14.1", "helm", N, None),
            // A distribution's package.
            ("kubectl gs template app \\\n  --catalog giantswarm \\\n  --name gpu-operator \\\n  --cluster-name $CLUSTER \\\n  --version 1.3.0 \\\n  --organization $ORG", "gpu-operator", N, Some(("1.3.0", Package))),
            ("kubectl gs template app \\\n  --name=dra-driver-nvidia-gpu \\\n  --version=25.3.2-flatcar.1 | kubectl apply -f -", "dra-driver-nvidia-gpu", N, Some(("25.3.2-flatcar.1", Package))),
            ("https://github.com/spectrocloud/pack-central/tree/main/packs/nvidia-dra-driver-25.8.1", "nvidia-dra-driver", U, Some(("25.8.1", Package))),
            ("install cluster-autoscaler-9-55-0 from the catalog", "cluster-autoscaler", N, Some(("9.55.0", Package))),
            // Container images.
            ("image: rayproject/ray-ml:2.49.2-py310-gpu", "rayproject/ray", N, Some(("2.49.2", Image))),
            ("image nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.0-ubuntu22.04", "dcgm-exporter", I, Some(("3.3.5", Image))),
            ("image: quay.io/kuberay/operator:v1.3.0", "kuberay/operator", I, Some(("1.3.0", Image))),
            ("image: nvcr.io/nvidia/k8s/cuda-sample:nbody", "nvidia", N, None),
            // Release and documentation URLs.
            ("kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml", "gateway-api", U, Some(("1.3.0", Project))),
            ("https://raw.githubusercontent.com/traefik/traefik/v3.5/docs/content/reference/rbac.yml", "traefik", U, Some(("3.5", Project))),
            ("https://github.com/loft-sh/vcluster/releases/tag/v0.32.0", "vcluster", U, Some(("0.32.0", Project))),
            // A documentation site's versioned pages for the project.
            ("https://docs.alauda.io/hami/2.7/install/installation.html", "hami", U, Some(("2.7", Project))),
            ("https://docs.loft.sh/docs/vcluster/0.35.0/configure/", "vcluster", U, Some(("0.35.0", Project))),
            ("https://docs.example.com/hami/latest/install/", "hami", U, None),
            // A version before the name belongs to something else.
            ("https://docs.alauda.io/ai/1.5/kueue/intro.html", "kueue", U, None),
            ("https://docs.example.com/ai/kueue-gang-scheduling", "kueue", U, None),
            // YAML keys.
            ("      chart: nvidia-dra-driver-gpu\n      version: \"25.3.0\"\n", "nvidia-dra-driver-gpu", N, Some(("25.3.0", Chart))),
            ("- name: kueue\n  namespace: x\n  tag: v0.14.1\n", "kueue", N, Some(("0.14.1", Image))),
            ("  chart: oci://registry.k8s.io/jobset/charts/jobset\n  version: \"0.12.0\"\n", "jobset/charts", U, Some(("0.12.0", Chart))),
            // Prose.
            ("Installed Kueue v0.14.2 for gang scheduling", "Kueue", N, Some(("0.14.2", Project))),
            ("With the NVIDIA GPU Operator (v26.3.2) installed", "NVIDIA GPU Operator", N, Some(("26.3.2", Project))),
            ("and the NVIDIA DRA Driver for GPUs\n(v25.12.0) installed, GPU devices", "NVIDIA DRA Driver", N, Some(("25.12.0", Project))),
            ("deploying Kubeflow Pipelines v2.0.1 inside a virtual cluster", "Kubeflow", N, Some(("2.0.1", Project))),
            ("(such as Envoy Gateway, Traefik v3, or NGINX Gateway Fabric)", "Traefik", N, Some(("3", Project))),
            ("Kueue chart 0.14.1", "Kueue", N, Some(("0.14.1", Chart))),
            ("NVIDIA NIM Operator (`1.8.3`)", "NVIDIA NIM", N, Some(("1.8.3", Project))),
            // Never another thing's version.
            ("DCGM_FI_DEV_SM_CLOCK{gpu=\"0\",DCGM_FI_DRIVER_VERSION=\"580.105.08\"} 210", "DCGM_FI_DRIVER_VERSION", Mt, None),
            ("Gateway API v1 resources are served", "Gateway API", N, None),
            ("kueue.x-k8s.io/v1beta1", "kueue", N, None),
            ("Kueue 10.0.0.12 answered", "Kueue", N, None),
            ("Kueue 2025.01.15 release notes", "Kueue", N, None),
            ("kueue-controller-manager-5d8f9c7b6-x2x4z 1/1 Running", "kueue", N, None),
            ("Kubeflow Trainer v2 operator with CRDs", "Kubeflow", N, None),
            ("helm.toolkit.fluxcd.io/v2", "fluxcd", N, None),
        ];
        for &(text, name, kind, want) in rows {
            let got = read(text, name, kind);
            let want = want.map(|(v, k)| (v.to_string(), k));
            assert_eq!(got, want, "{text:?} at {name:?}");
        }
    }

    #[test]
    fn keys_that_name_a_project() {
        let t = "spec:\n  rayVersion: '2.9.0'\nexport NVIDIA_CONTAINER_TOOLKIT_VERSION=1.18.2-1\nDCGM_FI_DRIVER_VERSION=\"580.1\"\n  apiVersion: v1\n  kubeVersion: 1.34.0\n";
        let got: Vec<(String, String)> = keyed(t)
            .into_iter()
            .map(|k| (k.words, k.version.value))
            .collect();
        assert_eq!(
            got,
            [
                ("ray".to_string(), "2.9.0".to_string()),
                ("NVIDIA CONTAINER TOOLKIT".into(), "1.18.2-1".into()),
                ("DCGM FI DRIVER".into(), "580.1".into()),
                ("kube".into(), "1.34.0".into()),
            ]
        );
    }

    #[test]
    fn kinds_print_beside_the_version() {
        assert_eq!(Project.label("1.2.3"), "1.2.3");
        assert_eq!(Package.label("1.0.1"), "1.0.1 (package)");
    }
}
