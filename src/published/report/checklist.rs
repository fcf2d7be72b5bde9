//! The conformance checklist as the corpus's templates define it
//! (`docs/AIConformance-<version>.yaml`): every requirement of every section
//! with its level (MUST / SHOULD) per Kubernetes version.

use serde_yaml_ng::Value;

use crate::source::corpus::{self, version_key, Source};

/// The requirements of all templates, side by side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checklist {
    /// `v1.33`, ... oldest first: one per template.
    pub versions: Vec<String>,
    pub requirements: Vec<Requirement>,
}

/// One requirement and its level in each version (`None`: not in that template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The `spec` section, e.g. `schedulingOrchestration`.
    pub section: String,
    pub id: String,
    pub levels: Vec<Option<String>>,
}

/// Reads every template of the corpus; a template that does not parse is left out.
pub fn load(source: &dyn Source) -> Checklist {
    let Ok((corpus, _)) = corpus::load(source) else {
        return Checklist::default();
    };
    let mut templates: Vec<(String, Value)> = corpus
        .templates
        .iter()
        .filter_map(|t| {
            let text = String::from_utf8(source.read(t).ok()?).ok()?;
            let yaml: Value = serde_yaml_ng::from_str(&text).ok()?;
            let version = yaml["metadata"]["kubernetesVersion"]
                .as_str()
                .map(str::to_string)
                .or_else(|| {
                    let stem = t.path.rsplit('-').next()?.trim_end_matches(".yaml");
                    Some(format!("v{stem}"))
                })?;
            Some((version, yaml))
        })
        .collect();
    templates.sort_by_key(|(v, _)| version_key(v));
    let mut out = Checklist {
        versions: templates.iter().map(|(v, _)| v.clone()).collect(),
        requirements: Vec::new(),
    };
    for (i, (_, yaml)) in templates.iter().enumerate() {
        let Some(spec) = yaml["spec"].as_mapping() else {
            continue;
        };
        for (section, reqs) in spec {
            let section = section.as_str().unwrap_or_default();
            for req in reqs.as_sequence().into_iter().flatten() {
                let id = req["id"].as_str().unwrap_or_default();
                let level = req["level"].as_str().map(str::to_string);
                let n = out.versions.len();
                let p = match out
                    .requirements
                    .iter()
                    .position(|r| r.section == section && r.id == id)
                {
                    Some(p) => p,
                    None => {
                        out.requirements.push(Requirement {
                            section: section.to_string(),
                            id: id.to_string(),
                            levels: vec![None; n],
                        });
                        out.requirements.len() - 1
                    }
                };
                out.requirements[p].levels[i] = level;
            }
        }
    }
    // Requirements grouped by section, sections in order of first appearance.
    let mut sections: Vec<String> = Vec::new();
    for r in &out.requirements {
        if !sections.contains(&r.section) {
            sections.push(r.section.clone());
        }
    }
    out.requirements
        .sort_by_key(|r| sections.iter().position(|s| *s == r.section));
    out
}

impl Checklist {
    /// Distinct sections, in order.
    pub fn sections(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.requirements {
            if !out.contains(&r.section.as_str()) {
                out.push(&r.section);
            }
        }
        out
    }
}
