//! The closed vocabularies of a rule: categories and CNCF statuses. A rule
//! naming anything else is an error with the closest known value as help.

use std::fmt;

use serde::{Serialize, Serializer};

/// The categories of the published analysis, plus those newer projects need.
pub const CATEGORIES: &[&str] = &[
    "Scheduling",
    "Networking",
    "Observability",
    "Accelerator",
    "Autoscaling",
    "AI Framework",
    "AI Platform",
    "AI Operator",
    "AI Inference",
    "GitOps",
    "Testing",
    "Security",
    "Storage",
    "Platform",
];

/// CNCF (or other foundation) status; empty means "not in a foundation".
pub const CNCF_STATUSES: &[&str] = &[
    "Graduated",
    "Incubating",
    "Sandbox",
    "K8s SIG",
    "K8s Core",
    "ASF",
    "LF AI & Data",
    "Proprietary",
    "",
];

/// A project category (one of [`CATEGORIES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Category(u8);

impl Category {
    /// The category written `text` (case-insensitive), if known.
    pub fn parse(text: &str) -> Option<Category> {
        CATEGORIES
            .iter()
            .position(|c| c.eq_ignore_ascii_case(text.trim()))
            .map(|i| Category(i as u8))
    }

    pub fn as_str(self) -> &'static str {
        CATEGORIES[self.0 as usize]
    }

    pub fn all() -> impl Iterator<Item = Category> {
        (0..CATEGORIES.len() as u8).map(Category)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Category {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A CNCF status (one of [`CNCF_STATUSES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CncfStatus(u8);

impl CncfStatus {
    /// The status written `text` (case-insensitive; `none` and `-` mean no status).
    pub fn parse(text: &str) -> Option<CncfStatus> {
        let t = text.trim();
        let t = if t.eq_ignore_ascii_case("none") || t == "-" {
            ""
        } else {
            t
        };
        CNCF_STATUSES
            .iter()
            .position(|c| c.eq_ignore_ascii_case(t))
            .map(|i| CncfStatus(i as u8))
    }

    pub fn as_str(self) -> &'static str {
        CNCF_STATUSES[self.0 as usize]
    }
}

impl fmt::Display for CncfStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CncfStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The known value closest to `text`, for "did you mean" help.
pub fn closest<'a>(text: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = text.to_lowercase();
    known
        .into_iter()
        .filter(|k| !k.is_empty())
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_parse_case_insensitively() {
        assert_eq!(
            Category::parse("scheduling").unwrap().as_str(),
            "Scheduling"
        );
        assert_eq!(
            Category::parse("AI inference").unwrap().as_str(),
            "AI Inference"
        );
        assert!(Category::parse("Schedulng").is_none());
    }

    #[test]
    fn closest_suggests_a_near_miss() {
        assert_eq!(
            closest("Schedulng", CATEGORIES.iter().copied()),
            Some("Scheduling")
        );
        assert_eq!(closest("zzzz", CATEGORIES.iter().copied()), None);
    }

    #[test]
    fn cncf_none_is_empty() {
        assert_eq!(CncfStatus::parse("none").unwrap().as_str(), "");
        assert_eq!(CncfStatus::parse("k8s sig").unwrap().as_str(), "K8s SIG");
    }
}
