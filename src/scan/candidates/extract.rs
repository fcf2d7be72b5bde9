//! What the vendors name, read from a text: repository URLs, Helm charts, container images and
//! capitalised product names, with the vocabulary (common words, Kubernetes kinds, checklist words)
//! that is not a name.

use crate::document::newline::Newlines;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::{overlaps, CandidateKind};

/// A candidate: its kind, its name and where it is.
type Candidate = (CandidateKind, String, Range<usize>);

/// Every (kind, name, range) in a stretch of vendor text.
pub(super) fn extract(text: &str, vocabulary: &Vocabulary) -> Vec<Candidate> {
    let mut out = Vec::new();
    repos(text, &mut out);
    charts(text, &mut out);
    images(text, &mut out);
    // Words inside URLs (`#L41`, `productLogoUrl` paths) are not names.
    let urls: Vec<Range<usize>> = patterns().url.find_iter(text).map(|m| m.range()).collect();
    for m in patterns().name.find_iter(text) {
        if overlaps(&m.range(), &urls) {
            continue;
        }
        if let Some((name, range)) = product_name(text, m.range(), vocabulary) {
            out.push((CandidateKind::Name, name, range));
        }
    }
    out
}

/// GitHub repositories (`github.com/ORG/REPO`), but for the program's own and those of
/// subdomains and owners that are not projects.
fn repos(text: &str, out: &mut Vec<Candidate>) {
    for c in patterns().repo.captures_iter(text) {
        let start = c.get(0).map_or(0, |m| m.start());
        // gist.github.com/USER/ID, api.github.com/...: not repositories.
        let subdomain = start > 0 && text.as_bytes()[start - 1] == b'.';
        if subdomain || NOT_OWNERS.contains(&c[1].to_lowercase().as_str()) {
            continue;
        }
        let (org, repo) = (
            &c[1],
            c[2].trim_end_matches(".git")
                .trim_end_matches(['.', '-', '_']),
        );
        let name = format!("github.com/{}/{}", org.to_lowercase(), repo.to_lowercase());
        if !repo.is_empty() && !PROGRAM_REPOS.contains(&name.as_str()) {
            out.push((
                CandidateKind::Repo,
                name,
                c.get(0).map_or(0..0, |m| m.range()),
            ));
        }
    }
}

/// The chart of each `helm install`/`upgrade`: its last path segment, without a version.
fn charts(text: &str, out: &mut Vec<Candidate>) {
    for c in patterns().helm.captures_iter(text) {
        let args = c.get(1).map_or("", |m| m.as_str());
        let chart = args
            .split(|ch: char| ch.is_whitespace() || ch == '\\')
            .filter(|a| !a.is_empty() && !a.starts_with('-') && !a.contains('='))
            .find(|a| a.contains('/'));
        let Some(chart) = chart else {
            continue;
        };
        let name = chart
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(chart);
        let name = name.split([':', '@']).next().unwrap_or(name).to_lowercase();
        if name.len() > 1
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        {
            out.push((
                CandidateKind::Chart,
                name,
                c.get(0).map_or(0..0, |m| m.range()),
            ));
        }
    }
}

/// Container images, written as references or in `image:` fields, each once.
fn images(text: &str, out: &mut Vec<Candidate>) {
    let mut image_starts = HashSet::new();
    for re in [&patterns().image, &patterns().image_field] {
        for c in re.captures_iter(text) {
            let m = c.get(1).map_or(0..0, |m| m.range());
            let name = c[1].trim_end_matches(['/', '.', '-']).to_lowercase();
            if name.len() > 1 && image_starts.insert(m.start) {
                out.push((CandidateKind::Image, name, m));
            }
        }
    }
}

/// A run of capitalised words, trimmed of generic words at both ends; `None`
/// when nothing specific is left, or for a single ordinary capitalised word at
/// the start of a sentence.
fn product_name(
    text: &str,
    range: Range<usize>,
    vocabulary: &Vocabulary,
) -> Option<(String, Range<usize>)> {
    let phrase = &text[range.clone()];
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for w in phrase.split(' ') {
        tokens.push((at, w));
        at += w.len() + 1;
    }
    while tokens
        .first()
        .is_some_and(|(_, w)| vocabulary.is_generic(w))
    {
        tokens.remove(0);
    }
    // A role word ends a name ("NVIDIA DCGM Exporter") but does not make one.
    while tokens.last().is_some_and(|(_, w)| {
        vocabulary.is_generic(w) && !ROLES.contains(&w.to_lowercase().as_str())
    }) {
        tokens.pop();
    }
    let (&(first_at, _), &(last_at, last)) = (tokens.first()?, tokens.last()?);
    let start = range.start + first_at;
    let end = range.start + last_at + last.len();
    let name = &text[start..end];
    if tokens.len() == 1 && !distinctive(name) && sentence_start(text, start) {
        return None;
    }
    Some((name.to_string(), start..end))
}

/// CamelCase inside the word (KubeRay, vLLM) or an acronym of three or more letters.
pub(super) fn distinctive(word: &str) -> bool {
    let b = word.as_bytes();
    let inner_capital = b
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let acronym = letters >= 3
        && b.iter()
            .filter(|c| c.is_ascii_alphabetic())
            .all(u8::is_ascii_uppercase);
    inner_capital || acronym
}

/// Is `at` the first word of a sentence, a line, a list item or a heading?
fn sentence_start(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([
        ' ', '\t', '*', '_', '`', '"', '\'', '(', '[', '#', '>', '|', '-',
    ]);
    before.is_empty()
        || before.ends_with(['.', '!', '?', ':', '\n', ';'])
        || before.ends_with(|c: char| c.is_ascii_digit())
}

/// The trimmed line around `range`, cut to about 160 characters.
pub(super) fn quote(text: &str, range: Range<usize>) -> String {
    let start = text[..range.start].rfind_nl().map_or(0, |i| i + 1);
    let end = text[range.start..]
        .find_nl()
        .map_or(text.len(), |i| range.start + i);
    let line = &text[start..end];
    let from = line.floor_char_boundary((range.start - start).saturating_sub(70));
    let to = line.floor_char_boundary((range.end.min(end) - start + 90).min(line.len()));
    let mut q = String::new();
    if from > 0 {
        q.push('…');
    }
    q.push_str(line[from..to].trim());
    if to < line.len() {
        q.push('…');
    }
    q
}

/// The words of a name.
pub(super) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// First segments of github.com paths that are GitHub's own pages, not an owner.
const NOT_OWNERS: &[&str] = &[
    "orgs",
    "users",
    "settings",
    "features",
    "topics",
    "marketplace",
    "sponsors",
    "apps",
    "enterprise",
    "about",
    "pricing",
    "login",
    "collections",
    "search",
    "notifications",
    "site",
    "security",
    "customer-stories",
    "trending",
    "explore",
    "codespaces",
    "readme",
    "advisories",
];

/// The program's own repositories: not projects of a stack.
const PROGRAM_REPOS: &[&str] = &[
    "github.com/cncf/k8s-ai-conformance",
    "github.com/cncf/k8s-conformance",
];

pub(super) struct Patterns {
    pub(super) repo: Regex,
    pub(super) url: Regex,
    pub(super) helm: Regex,
    pub(super) image: Regex,
    pub(super) image_field: Regex,
    pub(super) name: Regex,
}

pub(super) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        repo: Regex::new(r"(?i)\bgithub\.com/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)/([a-z0-9._-]+)").expect("valid"),
        url: Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s"'<>)\]]+"#).expect("valid"),
        helm: Regex::new(r"\bhelm[ \t]+(?:upgrade[ \t]+--install|upgrade[ \t]+-i|install|upgrade|template)\b((?:[ \t]*\\?\r?\n?[ \t]*[^\s\\]+){1,8})").expect("valid"),
        image: Regex::new(
            r"\b((?:docker\.io|quay\.io|ghcr\.io|nvcr\.io|mcr\.microsoft\.com|public\.ecr\.aws|(?:[a-z0-9-]+\.)*gcr\.io|(?:[a-z0-9-]+\.)*pkg\.dev|(?:[a-z0-9-]+\.)*azurecr\.io|(?:[a-z0-9-]+\.)*icr\.io|[0-9]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|registry\.[a-z0-9.-]+\.[a-z]{2,}|(?:[a-z0-9-]+\.)+[a-z]{2,}/?registry)/[a-z0-9._-]+(?:/[a-z0-9._-]+)*)(?::[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})?",
        )
        .expect("valid"),
        image_field: Regex::new(r#"\bimage:[ \t]*["']?([a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)*)"#).expect("valid"),
        name: Regex::new(r"\b(?:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|[a-z]{1,2}[A-Z][A-Za-z0-9]*)(?: (?:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|[a-z]{1,2}[A-Z][A-Za-z0-9]*)){0,3}\b")
            .expect("valid"),
    })
}

/// Words that never make a product name on their own.
pub(super) struct Vocabulary {
    generic: HashSet<String>,
}

impl Vocabulary {
    /// Common words, Kubernetes kinds, and every word of the checklist templates.
    pub(super) fn new(template_texts: &[String]) -> Self {
        let mut generic: HashSet<String> = COMMON
            .split_whitespace()
            .chain(KINDS.split_whitespace())
            .map(str::to_lowercase)
            .collect();
        for w in template_texts.iter().flat_map(|t| words(t)) {
            generic.insert(w.to_lowercase());
        }
        Vocabulary { generic }
    }

    pub(super) fn is_generic(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        let letters = w.bytes().filter(u8::is_ascii_alphabetic).count();
        // Short codes with digits ("A100", "L41", "v1") are models and anchors, not names.
        let code = letters <= 2 && w.bytes().any(|b| b.is_ascii_digit());
        w.len() < 2 || letters == 0 || code || self.generic.contains(&w) || {
            // Plurals of generic words ("Nodes", "GPUs", "DeviceClasses", "Policies").
            w.strip_suffix('s')
                .is_some_and(|s| self.generic.contains(s))
                || w.strip_suffix("es").is_some_and(|s| self.generic.contains(s))
                || w.strip_suffix("ies")
                    .is_some_and(|s| self.generic.contains(&format!("{s}y")))
                // Lists of API objects ("APIResourceList", "PodList").
                || w.strip_suffix("list")
                    .is_some_and(|s| !s.is_empty() && self.generic.contains(s))
        }
    }
}

/// Common English and documentation words, and the columns of kubectl output.
const COMMON: &str = "a an the this that these those it its we our us you your they their i in on at of for to from by with \
    and or but not no yes if then else when where which who what how all any each every some other both more most \
    is are was were be been being has have had do does did can could will would should may might must shall \
    also only just then than into onto over under about after before during between through across per via using used use \
    install installed installing installation deploy deployed deploying deployment create created verify verified verifying \
    check checked run running ran test tests tested testing result results note notes step steps example examples see \
    enable enabled enabling configure configured configuration setup set get apply applied support supported supports \
    provide provides provided ensure ensures show shows shown list output input status ready name names namespace age \
    restarts type types value values version versions true false ok pass passed fail failed failure error errors info warning \
    yes summary overview introduction conclusion prerequisites requirements requirement environment details description \
    figure table section page docs documentation guide reference link links readme md yaml json http https url www com io \
    kubernetes k8s cluster clusters node nodes pod pods container containers service services platform platforms \
    workload workloads job jobs gpu gpus cpu cpus api apis crd crds cli sdk os vm vms ai ml llm llms \
    january february march april may june july august september october november december monday tuesday wednesday thursday friday \
    please following follow new first second third last next one two three up down out default custom native open source \
    hpa vpa uuid uuids eof path success successful ip ips tcp udp dns tls ssl ssh rbac cni cri csi oci vpc iam sla slo ha id ids uid \
    url urls uri tcp http2 grpc rest cpu mem ram ssd nvme os linux ubuntu windows none never always all true false null \
    hostname port ports message reason from to manager adapter controller operator scheduler driver plugin exporter \
    kind apiversion metadata spec waiting pending starting started completed running succeeded terminated healthy unhealthy available \
    horizontal vertical auto automatic automated manual multi single instance instances shared dedicated layered layer base basic \
    advanced standard managed unmanaged private public class classes metric profile profiles architecture pipeline pipelines \
    validation validated method methods approach solution solutions feature features capability capabilities component components \
    integration integrations implementation scaling autoscaling scheduling monitoring logging networking storage security \
    observability accelerator accelerators inference training serving model models framework frameworks resource resources \
    policy policies access control management dashboard console portal marketplace catalog registry repository image images \
    chart charts bundle package packages release releases upgrade upgrades add addon addons extension extensions module modules";

/// Words that say what a component is: kept at the end of a longer name.
const ROLES: &[&str] = &[
    "operator",
    "exporter",
    "controller",
    "scheduler",
    "driver",
    "plugin",
    "manager",
    "adapter",
    "agent",
    "toolkit",
    "monitor",
    "server",
    "stack",
];

/// Kubernetes API kinds (CamelCase, so otherwise distinctive).
const KINDS: &str = "ConfigMap Secret ServiceAccount Role RoleBinding ClusterRole ClusterRoleBinding Deployment DaemonSet StatefulSet \
    ReplicaSet CronJob Namespace PersistentVolume PersistentVolumeClaim StorageClass Ingress IngressClass NetworkPolicy \
    HorizontalPodAutoscaler PodDisruptionBudget PriorityClass ResourceQuota LimitRange CustomResourceDefinition \
    ResourceClaim ResourceClaimTemplate ResourceSlice DeviceClass DeviceTaintRule Gateway GatewayClass HTTPRoute GRPCRoute \
    ReferenceGrant Endpoints EndpointSlice Lease Event MutatingWebhookConfiguration ValidatingWebhookConfiguration \
    ValidatingAdmissionPolicy APIService PodTemplate RuntimeClass CSIDriver CSINode VolumeAttachment TokenReview \
    SubjectAccessReview ServiceMonitor PodMonitor PrometheusRule ClusterPolicy NodeFeature NodeFeatureRule \
    kubectl kubelet kubeadm etcd containerd CoreDNS README LoadBalancer ClusterIP NodePort \
    NodeSelector NodeAffinity PodAffinity PodAntiAffinity SecurityContext HostPath EmptyDir NoSchedule NoExecute PreferNoSchedule \
    IfNotPresent ExactCount MatchLabels MatchExpressions NamespaceSelector PodSelector LabelSelector CreationTimestamp \
    DynamicResourceAllocation FeatureGate ObjectMeta TypeMeta PodSpec Container Volume VolumeMount EnvVar \
    Pod Node Service Job Binding Scale Eviction ComponentStatus ControllerRevision CSIStorageCapacity \
    CertificateSigningRequest FlowSchema PriorityLevelConfiguration IPAddress ServiceCIDR \
    APIResource APIGroup APIVersions APIResourceList APIGroupList Status ShortNames Namespaced \
    NodePool NodeClaim NodeClass EC2NodeClass AKSNodeClass MachineSet MachineDeployment MachineConfig \
    MachineConfigPool Machine MachineClass ClusterVersion ClusterOperator Subscription InstallPlan \
    ClusterServiceVersion OperatorGroup CatalogSource PodGroup Queue VirtualService DestinationRule \
    TLSRoute TCPRoute UDPRoute BackendTLSPolicy InferencePool InferenceModel InferenceObjective \
    ResourceClaimParameters DeviceClassParameters ClusterResourceQuota VerticalPodAutoscaler";

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(CandidateKind, String)> {
        let v = Vocabulary::new(&[]);
        extract(text, &v)
            .into_iter()
            .map(|(k, n, _)| (k, n))
            .collect()
    }

    #[test]
    fn extraction_table() {
        let cases: &[(&str, &[(CandidateKind, &str)])] = &[
            (
                "see https://github.com/NVIDIA/aicr.git for the recipe",
                &[(CandidateKind::Repo, "github.com/nvidia/aicr")],
            ),
            (
                "helm install kuberay-operator kuberay/kuberay-operator --version 1.6.0",
                &[(CandidateKind::Chart, "kuberay-operator")],
            ),
            (
                "helm upgrade --install --wait gpu-operator \\\n  nvidia/gpu-operator -n gpu",
                &[(CandidateKind::Chart, "gpu-operator")],
            ),
            (
                "pull nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0 now",
                &[(CandidateKind::Image, "nvcr.io/nvidia/k8s/cuda-sample")],
            ),
            (
                "    image: vllm/vllm-openai:latest",
                &[(CandidateKind::Image, "vllm/vllm-openai")],
            ),
            (
                "We deploy LeaderWorkerSet for multi-host inference.",
                &[(CandidateKind::Name, "LeaderWorkerSet")],
            ),
            (
                "The platform ships the NVIDIA DCGM Exporter today.",
                &[(CandidateKind::Name, "NVIDIA DCGM Exporter")],
            ),
            ("Install the operator. Then check the Pods.", &[]),
            (
                "metrics come from Prometheus and Grafana",
                &[
                    (CandidateKind::Name, "Prometheus"),
                    (CandidateKind::Name, "Grafana"),
                ],
            ),
            ("Create a ConfigMap and a ResourceClaim", &[]),
        ];
        for (text, want) in cases {
            let got = names(text);
            let want: Vec<(CandidateKind, String)> =
                want.iter().map(|(k, n)| (*k, n.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn quote_cuts_long_lines_around_the_mention() {
        let text = format!("{}Volcano{}", "x ".repeat(100), " y".repeat(100));
        let s = text.find("Volcano").unwrap();
        let q = quote(&text, s..s + 7);
        assert!(
            q.starts_with('…') && q.ends_with('…') && q.contains("Volcano"),
            "{q}"
        );
    }
}
