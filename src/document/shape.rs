//! The checklist's shape: is a `PRODUCT.yaml` laid out like the template?
//!
//! The reference is typed deserialisation with serde_yaml_ng ([`check`]),
//! whose messages name the field that is wrong. It parses the file a second
//! time, with libyaml, which costs more than everything else done to a
//! checklist, so [`Shape`] first watches the YAML events that
//! `document` reads anyway. When those show the expected layout with nothing
//! unusual (no anchors, aliases, tags, duplicate or complex keys, one
//! document), the file fits and serde_yaml_ng is not run; otherwise it is, and
//! its verdict and message are the ones reported. So the fast path never
//! changes a result: it only ever says "fits" for files serde accepts.

use crate::diagnostic::Code;
use std::collections::BTreeMap;

use saphyr_parser::{Event, ScalarStyle};
use serde::Deserialize;

use crate::diagnostic::Diagnostic;

/// The checklist's expected shape, for typed deserialisation (serde_yaml_ng).
#[derive(Deserialize)]
#[allow(dead_code)]
struct ProductShape {
    metadata: MetadataShape,
    spec: BTreeMap<String, Vec<RequirementShape>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct MetadataShape {
    kubernetes_version: String,
    platform_name: String,
    vendor_name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RequirementShape {
    id: String,
    #[serde(default)]
    evidence: Option<Vec<String>>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// Reports a checklist that parses but is not shaped like the template
/// (warning W306, at the place serde_yaml_ng names); a duplicate field is
/// left out when `duplicates_reported` (the YAML walk already said so).
pub fn check(path: &str, text: &str, duplicates_reported: bool, diags: &mut Vec<Diagnostic>) {
    if let Err(e) = serde_yaml_ng::from_str::<ProductShape>(text) {
        if duplicates_reported && e.to_string().contains("duplicate field") {
            return;
        }
        let mut d = Diagnostic::warning(
            Code::W306,
            path,
            format!(
                "PRODUCT.yaml is not shaped like the checklist: {}",
                strip_location(&e.to_string())
            ),
        );
        if let Some(loc) = e.location() {
            d = d.at(text, loc.index()..(loc.index() + 1).min(text.len()));
        }
        diags.push(d.with_help("its values are still scanned; see docs/AIConformance-<version>.yaml for the expected fields"));
    }
}

fn strip_location(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

/// What a value at some place of the checklist must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Root,
    Metadata,
    Spec,
    /// A section of `spec`: a list of requirements.
    Requirements,
    Requirement,
    /// Any scalar (serde reads every scalar as a string).
    Str,
    /// Absent, null or any scalar.
    OptStr,
    /// Absent, null or a list of scalars (`evidence`).
    OptStrList,
    /// A field the shape does not name: anything goes.
    Ignored,
}

struct Frame {
    slot: Slot,
    map: bool,
    /// In a mapping: what the value of the key just read must be.
    key: Option<Slot>,
    /// In a mapping whose keys matter: the keys seen.
    seen: Vec<String>,
}

/// Watches the YAML events of a `PRODUCT.yaml` and says whether it surely
/// fits the checklist's shape.
#[derive(Default)]
pub struct Shape {
    stack: Vec<Frame>,
    documents: usize,
    root_done: bool,
    unsure: bool,
}

impl Shape {
    /// Takes the next event of the file.
    pub fn event(&mut self, event: &Event<'_>) {
        if self.unsure {
            return;
        }
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                self.unsure |= self.documents > 1;
            }
            Event::Alias(_) => self.unsure = true,
            Event::Scalar(value, style, anchor, tag) => {
                if *anchor != 0 || tag.is_some() {
                    self.unsure = true;
                } else {
                    self.scalar(value, *style);
                }
            }
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag) => {
                let map = matches!(event, Event::MappingStart(..));
                if *anchor != 0 || tag.is_some() {
                    self.unsure = true;
                } else {
                    self.start(map);
                }
            }
            Event::MappingEnd | Event::SequenceEnd => self.end(),
            _ => {}
        }
    }

    /// A key (of a mapping waiting for one) or a value, neither anchored nor tagged.
    fn scalar(&mut self, value: &str, style: ScalarStyle) {
        if let Some(f) = self.stack.last_mut().filter(|f| f.map && f.key.is_none()) {
            let keyed = !matches!(f.slot, Slot::Ignored);
            if value == "<<" || (keyed && f.seen.iter().any(|k| k == value)) {
                self.unsure = true;
            } else {
                if keyed {
                    f.seen.push(value.to_string());
                }
                f.key = Some(field_slot(f.slot, value));
            }
        } else {
            let ok = match self.value_slot() {
                Some(Slot::Str | Slot::OptStr | Slot::Ignored) => true,
                Some(Slot::OptStrList) => style == ScalarStyle::Plain && is_null(value),
                _ => false,
            };
            self.unsure |= !ok;
            self.value_done();
        }
    }

    /// A mapping (`map`) or sequence starts, neither anchored nor tagged.
    fn start(&mut self, map: bool) {
        let slot = self.value_slot();
        let ok = match slot {
            Some(Slot::Root | Slot::Metadata | Slot::Spec | Slot::Requirement) => map,
            Some(Slot::Requirements | Slot::OptStrList) => !map,
            Some(Slot::Ignored) => true,
            _ => false,
        };
        if !ok {
            self.unsure = true;
        } else if let Some(slot) = slot {
            self.stack.push(Frame {
                slot,
                map,
                key: None,
                seen: Vec::new(),
            });
        }
    }

    /// A mapping or sequence ends: every field its slot requires was seen.
    fn end(&mut self) {
        let Some(f) = self.stack.pop() else {
            self.unsure = true;
            return;
        };
        let required: &[&str] = match f.slot {
            Slot::Root => &["metadata", "spec"],
            Slot::Metadata => &["kubernetesVersion", "platformName", "vendorName"],
            Slot::Requirement => &["id"],
            _ => &[],
        };
        self.unsure |= required.iter().any(|r| !f.seen.iter().any(|k| k == r));
        if f.slot == Slot::Root {
            self.root_done = true;
        }
        self.value_done();
    }

    /// True when the events seen show the checklist's shape for sure.
    pub fn fits(&self) -> bool {
        !self.unsure && self.root_done && self.stack.is_empty() && self.documents == 1
    }

    /// What the value about to come must be; `None` where no value can be
    /// (a complex key, or a second root).
    fn value_slot(&self) -> Option<Slot> {
        let Some(f) = self.stack.last() else {
            return (!self.root_done).then_some(Slot::Root);
        };
        if f.map {
            return f.key;
        }
        Some(match f.slot {
            Slot::Requirements => Slot::Requirement,
            Slot::OptStrList => Slot::Str,
            _ => Slot::Ignored,
        })
    }

    /// A value is complete: its mapping expects a key again.
    fn value_done(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            f.key = None;
        }
    }
}

/// What the value of `key` in a mapping at `slot` must be.
fn field_slot(slot: Slot, key: &str) -> Slot {
    match (slot, key) {
        (Slot::Root, "metadata") => Slot::Metadata,
        (Slot::Root, "spec") => Slot::Spec,
        (Slot::Metadata, "kubernetesVersion" | "platformName" | "vendorName") => Slot::Str,
        (Slot::Spec, _) => Slot::Requirements,
        (Slot::Requirement, "id") => Slot::Str,
        (Slot::Requirement, "evidence") => Slot::OptStrList,
        (Slot::Requirement, "notes" | "status") => Slot::OptStr,
        _ => Slot::Ignored,
    }
}

/// A plain scalar that YAML reads as null.
fn is_null(value: &str) -> bool {
    matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::Parser;

    fn fits(text: &str) -> bool {
        let mut shape = Shape::default();
        for next in Parser::new_from_str(text) {
            let Ok((event, _)) = next else { return false };
            shape.event(&event);
        }
        shape.fits()
    }

    fn serde_ok(text: &str) -> bool {
        serde_yaml_ng::from_str::<ProductShape>(text).is_ok()
    }

    const GOOD: &str = "metadata:\n  kubernetesVersion: v1.34\n  platformName: \"P\"\n  vendorName: V\n  extra: [1, {a: b}]\nspec:\n  sched:\n    - id: gang\n      description: \"d\"\n      status: Implemented\n      evidence:\n        - \"https://x\"\n      notes: ~\n    - id: two\n      evidence: null\n  other: []\n";

    #[test]
    fn every_verdict_agrees_with_serde_when_it_says_fits() {
        let cases: &[(&str, bool)] = &[
            (GOOD, true),
            ("metadata:\n  kubernetesVersion: v1.34\n  platformName: p\n  vendorName:\nspec: {}\n", true),
            // Not the shape: serde rejects them, and so must the fast check.
            ("metadata:\n  kubernetesVersion: v1.34\n  platformName: p\nspec: {}\n", false),
            ("metadata:\n  kubernetesVersion: v1.34\n  platformName: p\n  vendorName: v\n", false),
            ("metadata:\n  kubernetesVersion: v1.34\n  platformName: p\n  vendorName: v\nspec:\n  a:\n    - id: x\n      evidence: \"one\"\n", false),
            ("metadata:\n  kubernetesVersion: v1.34\n  platformName: p\n  vendorName: v\nspec:\n  a:\n    - evidence: []\n", false),
            ("metadata:\n  kubernetesVersion: v1.34\n  platformName: p\n  vendorName: v\nspec:\n  a: {id: x}\n", false),
            ("metadata:\n  kubernetesVersion: [1]\n  platformName: p\n  vendorName: v\nspec: {}\n", false),
            ("metadata:\n  kubernetesVersion: v\n  platformName: p\n  vendorName: v\nspec:\n  a:\n    - id: x\n      notes: [a]\n", false),
            ("metadata:\n  kubernetesVersion: v\n  platformName: p\n  vendorName: v\nspec:\n  a:\n    - id: x\n      evidence: [[a]]\n", false),
            ("- a\n- b\n", false),
            ("just text\n", false),
            ("", false),
        ];
        for (text, want) in cases {
            assert_eq!(fits(text), *want, "{text}");
            if fits(text) {
                assert!(serde_ok(text), "said fits but serde rejects: {text}");
            }
            if !want {
                assert!(
                    !serde_ok(text),
                    "a case that should not fit, but serde takes it: {text}"
                );
            }
        }
    }

    #[test]
    fn unusual_yaml_is_left_to_serde() {
        let cases = [
            GOOD.replace("vendorName: V", "vendorName: &v V"),
            GOOD.replace("platformName: \"P\"", "platformName: !!str P"),
            GOOD.replace("  other: []", "  other: *x"),
            format!("{GOOD}---\n{GOOD}"),
            GOOD.replace("  vendorName: V", "  vendorName: V\n  vendorName: W"),
            GOOD.replace("  extra:", "  <<:"),
        ];
        for text in &cases {
            assert!(!fits(text), "{text}");
        }
    }
}
