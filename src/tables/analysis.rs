//! The analysis: every number and list of the published document, computed
//! from a [`Scan`] and the rules alone — matrices, the adoption summary with
//! ranks and percentages, the NVIDIA projects and the versions seen of them,
//! vendors (normalised), submissions per version, the leading project of each
//! category and the submissions that name a non-NVIDIA accelerator. `report`
//! renders it; `reconcile` compares the published file with it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rules::{Category, RuleId, RuleSet};
use crate::scan::finding::Cell;
use crate::scan::Scan;
use crate::source::corpus::{self, version_key, FileEntry, SubmissionId};
use crate::tables::{self, Matrix, Mentions};

/// Everything the report says, by id.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Submissions in the corpus.
    pub total: usize,
    pub matrices: Vec<Matrix>,
    /// Projects named by at least one submission, most stacks first.
    pub adoption: Vec<AdoptionRow>,
    /// NVIDIA's projects (rules whose vendor is NVIDIA) that some submission
    /// names, most stacks first.
    pub nvidia: Vec<NvidiaRow>,
    /// Per submission (in matrix order), the cell of each [`Analysis::nvidia`] project.
    pub nvidia_usage: Vec<NvidiaUse>,
    /// Distinct vendors, in order of first submission.
    pub vendors: Vec<Vendor>,
    /// Submissions per Kubernetes version, oldest version first.
    pub versions: Vec<VersionInventory>,
    /// The `vMAJOR.MINOR` folders of the corpus, oldest first, with or without
    /// submissions; [`analyse`] sets those of the submissions, and
    /// [`version_folders`] reads them from a listing.
    pub version_folders: Vec<String>,
    /// The most adopted project of each category that has any.
    pub leaders: Vec<Leader>,
    /// Per category with a named project: submissions naming any of its projects.
    pub categories: Vec<CategoryAdoption>,
    /// Rules whose vendor is NVIDIA, named or not.
    pub nvidia_rules: usize,
    /// Submissions naming an accelerator project whose vendor is not NVIDIA.
    pub other_accelerators: Vec<AcceleratorSupport>,
    /// What the matrices, stacks and ranks count: every mention (named), or
    /// only findings not all negated (used).
    pub mentions: Mentions,
}

/// One row of the adoption summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AdoptionRow {
    /// 1-based; ties keep rule order.
    pub rank: usize,
    pub rule: RuleId,
    /// Stacks as [`Analysis::mentions`] counts them (named or used).
    pub stacks: usize,
    pub total: usize,
    pub percent: u32,
    /// Submissions naming the project at all.
    pub named: usize,
    /// Submissions naming it other than only to say it is absent or as an example (neither negated nor hedged).
    pub used: usize,
}

/// One NVIDIA project: stacks and the versions submissions name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NvidiaRow {
    pub rule: RuleId,
    pub stacks: usize,
    pub percent: u32,
    /// (version, submission), in submission order.
    pub versions: Vec<(String, SubmissionId)>,
}

/// The NVIDIA projects one submission names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NvidiaUse {
    pub submission: SubmissionId,
    pub cells: Vec<Cell>,
    /// Cells that are not `-`.
    pub used: usize,
}

/// A vendor and its submissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vendor {
    /// The spelling of its first submission's `metadata.vendorName`.
    pub name: String,
    /// The normalised name that identifies it ([`vendor_key`]).
    pub key: String,
    pub submissions: Vec<SubmissionId>,
    /// Distinct Kubernetes versions it submitted for, oldest first.
    pub versions: Vec<String>,
}

/// The submissions of one Kubernetes version folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInventory {
    pub version: String,
    /// Sorted case-insensitively by folder name, as in the matrices.
    pub submissions: Vec<SubmissionId>,
}

/// The most adopted project of a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leader {
    pub category: Category,
    pub rule: RuleId,
    pub stacks: usize,
    /// Projects of the category named by at least one submission.
    pub contenders: usize,
}

/// How many submissions name at least one project of a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryAdoption {
    pub category: Category,
    pub stacks: usize,
    pub percent: u32,
}

/// A submission that names accelerator projects of vendors other than NVIDIA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceleratorSupport {
    pub submission: SubmissionId,
    pub rules: Vec<RuleId>,
}

/// Computes the analysis; every mention counts, as in the published document.
pub fn analyse(scan: &Scan, rules: &RuleSet) -> Analysis {
    analyse_with(scan, rules, Mentions::All)
}

/// Computes the analysis counting `mentions`: every mention (named, as
/// the published document), or [`Mentions::Uses`] (used: a submission whose
/// every mention of a project says it is absent, or names it only as an
/// example or a possibility, does not count for it).
pub fn analyse_with(scan: &Scan, rules: &RuleSet, mentions: Mentions) -> Analysis {
    let all: Vec<SubmissionId> = scan.submission_ids().collect();
    let total = all.len();
    let matrices = tables::matrices(scan, rules, mentions);
    let order: Vec<SubmissionId> = matrices
        .iter()
        .flat_map(|m| m.submissions.iter().copied())
        .collect();
    let adoption = adoption_rows(scan, rules, &all, mentions);
    let (nvidia, nvidia_usage) = nvidia_tables(scan, rules, &adoption, &order, mentions);
    let versions: Vec<VersionInventory> = matrices
        .iter()
        .map(|m| VersionInventory {
            version: m.version.clone(),
            submissions: m.submissions.clone(),
        })
        .collect();
    Analysis {
        total,
        nvidia,
        nvidia_usage,
        vendors: vendors(scan, &order),
        version_folders: versions_of(&versions),
        versions,
        leaders: leaders(rules, &adoption),
        categories: categories(scan, rules, &order),
        nvidia_rules: rules.rules.iter().filter(|r| is_nvidia(&r.vendor)).count(),
        other_accelerators: other_accelerators(scan, rules, &order, mentions),
        mentions,
        matrices,
        adoption,
    }
}

/// The adoption summary over the submissions `all`, counting `mentions`: the projects some
/// submission names, ranked, each with both its named and its used figure.
fn adoption_rows(
    scan: &Scan,
    rules: &RuleSet,
    all: &[SubmissionId],
    mentions: Mentions,
) -> Vec<AdoptionRow> {
    let total = all.len();
    let count = |m: Mentions| -> BTreeMap<RuleId, usize> {
        tables::adoption(scan, rules, all, m)
            .into_iter()
            .map(|a| (a.rule, a.stacks))
            .collect()
    };
    let (named, used) = (count(Mentions::All), count(Mentions::Uses));
    tables::adoption(scan, rules, all, mentions)
        .into_iter()
        .filter(|a| a.stacks > 0)
        .enumerate()
        .map(|(i, a)| AdoptionRow {
            rank: i + 1,
            rule: a.rule,
            stacks: a.stacks,
            total,
            percent: percent(a.stacks, total),
            named: named.get(&a.rule).copied().unwrap_or(0),
            used: used.get(&a.rule).copied().unwrap_or(0),
        })
        .collect()
}

/// NVIDIA's projects that some submission names (most stacks first, ties in rule order) with
/// the versions seen, and each submission's cells for them, in matrix `order`.
fn nvidia_tables(
    scan: &Scan,
    rules: &RuleSet,
    adoption: &[AdoptionRow],
    order: &[SubmissionId],
    mentions: Mentions,
) -> (Vec<NvidiaRow>, Vec<NvidiaUse>) {
    let total = scan.submissions.len();
    let stacks = |rule: RuleId| {
        adoption
            .iter()
            .find(|a| a.rule == rule)
            .map_or(0, |a| a.stacks)
    };
    let mut nvidia_rules: Vec<RuleId> = rules
        .ids()
        .filter(|&r| is_nvidia(&rules.get(r).vendor) && stacks(r) > 0)
        .collect();
    nvidia_rules.sort_by_key(|&r| (std::cmp::Reverse(stacks(r)), r));
    let nvidia = nvidia_rules
        .iter()
        .map(|&rule| NvidiaRow {
            rule,
            stacks: stacks(rule),
            percent: percent(stacks(rule), total),
            versions: order
                .iter()
                .filter_map(|&s| scan.finding(s, rule))
                .flat_map(|f| {
                    f.version_labels()
                        .into_iter()
                        .map(move |v| (v, f.submission))
                })
                .collect(),
        })
        .collect();
    let usage = order
        .iter()
        .map(|&submission| {
            let cells: Vec<Cell> = nvidia_rules
                .iter()
                .map(|&r| tables::cell(scan, submission, r, mentions))
                .collect();
            let used = cells.iter().filter(|c| **c != Cell::NotNamed).count();
            NvidiaUse {
                submission,
                cells,
                used,
            }
        })
        .collect();
    (nvidia, usage)
}

fn versions_of(versions: &[VersionInventory]) -> Vec<String> {
    versions.iter().map(|v| v.version.clone()).collect()
}

/// The `vMAJOR.MINOR` folders at the top of a corpus listing (an empty one
/// holds a `.gitkeep`), oldest first.
pub fn version_folders(files: &[FileEntry]) -> Vec<String> {
    let mut out: Vec<String> = files
        .iter()
        .filter_map(|f| f.path.split_once('/').map(|(top, _)| top))
        .filter(|top| corpus::is_version_folder(top))
        .map(str::to_string)
        .collect();
    out.sort_by_key(|v| version_key(v));
    out.dedup();
    out
}

/// Rounded percentage of `stacks` among `total` (half up, as published).
pub fn percent(stacks: usize, total: usize) -> u32 {
    if total == 0 {
        return 0;
    }
    ((stacks * 200 + total) / (total * 2)) as u32
}

/// Is this rule vendor NVIDIA (`NVIDIA`, `NVIDIA Corporation`, ...)?
pub fn is_nvidia(vendor: &str) -> bool {
    vendor_key(vendor) == "nvidia"
}

/// Legal-form words dropped when comparing vendor names.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "ag",
    "sa",
    "bv",
    "srl",
    "kk",
    "pte",
    "pty",
    "oy",
    "ab",
    "se",
];

/// The name a vendor is counted by: lowercase, a parenthesised part dropped
/// ("Amazon Web Services (AWS)"), punctuation read as a space ("JD.com" ->
/// "jd com"), legal forms dropped ("Google LLC" -> "google"), spaces collapsed.
pub fn vendor_key(name: &str) -> String {
    let mut plain = String::new();
    let mut depth = 0usize;
    for ch in name.chars() {
        match ch {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => plain.extend(c.to_lowercase()),
            _ if depth == 0 => plain.push(' '),
            _ => {}
        }
    }
    plain
        .split_whitespace()
        .filter(|w| !LEGAL_SUFFIXES.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Distinct vendors by [`vendor_key`]; a submission without a vendor name is its own vendor.
fn vendors(scan: &Scan, order: &[SubmissionId]) -> Vec<Vendor> {
    let mut out: Vec<Vendor> = Vec::new();
    for &s in order {
        let info = scan.submission(s);
        let key = match vendor_key(&info.vendor) {
            k if k.is_empty() => format!("({})", info.id),
            k => k,
        };
        let name = if info.vendor.is_empty() {
            info.id.clone()
        } else {
            info.vendor.clone()
        };
        let i = out.iter().position(|v| v.key == key).unwrap_or_else(|| {
            out.push(Vendor {
                name,
                key,
                submissions: Vec::new(),
                versions: Vec::new(),
            });
            out.len() - 1
        });
        let v = &mut out[i];
        v.submissions.push(s);
        if !v.versions.contains(&info.kubernetes_version) {
            v.versions.push(info.kubernetes_version.clone());
            v.versions.sort_by_key(|x| version_key(x));
        }
    }
    out
}

/// For each category with a named project, the one with the most stacks.
fn leaders(rules: &RuleSet, adoption: &[AdoptionRow]) -> Vec<Leader> {
    let mut by_category: BTreeMap<Category, Vec<&AdoptionRow>> = BTreeMap::new();
    for a in adoption {
        by_category
            .entry(rules.get(a.rule).category)
            .or_default()
            .push(a);
    }
    Category::all()
        .filter_map(|c| {
            let rows = by_category.get(&c)?;
            let top = rows.first()?;
            Some(Leader {
                category: c,
                rule: top.rule,
                stacks: top.stacks,
                contenders: rows.len(),
            })
        })
        .collect()
}

/// Submissions naming any project of each category, most first (ties in category order).
fn categories(scan: &Scan, rules: &RuleSet, order: &[SubmissionId]) -> Vec<CategoryAdoption> {
    let mut out: Vec<CategoryAdoption> = Category::all()
        .map(|category| {
            let stacks = order
                .iter()
                .filter(|&&s| {
                    rules
                        .ids()
                        .any(|r| rules.get(r).category == category && scan.finding(s, r).is_some())
                })
                .count();
            CategoryAdoption {
                category,
                stacks,
                percent: percent(stacks, order.len()),
            }
        })
        .filter(|c| c.stacks > 0)
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.stacks));
    out
}

/// Is this an accelerator project of a vendor other than NVIDIA (AMD ROCm,
/// Google TPU, AWS Trainium/Inferentia, Intel Gaudi, Huawei Ascend, ...)?
/// Category `Accelerator`, a vendor that is not NVIDIA, and no CNCF status:
/// a project a foundation or a Kubernetes SIG governs (Node Feature
/// Discovery, HAMi) is vendor-neutral and serves every vendor's devices,
/// NVIDIA's included, so naming it says nothing about other accelerators.
pub fn is_other_vendor_accelerator(rule: &crate::rules::Rule) -> bool {
    Some(rule.category) == Category::parse("Accelerator")
        && !is_nvidia(&rule.vendor)
        && rule.cncf.as_str().is_empty()
}

/// Submissions naming an accelerator project of a vendor other than NVIDIA
/// ([`is_other_vendor_accelerator`]).
fn other_accelerators(
    scan: &Scan,
    rules: &RuleSet,
    order: &[SubmissionId],
    mentions: Mentions,
) -> Vec<AcceleratorSupport> {
    let others: Vec<RuleId> = rules
        .ids()
        .filter(|&r| is_other_vendor_accelerator(rules.get(r)))
        .collect();
    order
        .iter()
        .filter_map(|&submission| {
            let named: Vec<RuleId> = others
                .iter()
                .copied()
                .filter(|&r| tables::cell(scan, submission, r, mentions) != Cell::NotNamed)
                .collect();
            (!named.is_empty()).then_some(AcceleratorSupport {
                submission,
                rules: named,
            })
        })
        .collect()
}

impl Analysis {
    /// Vendors that submitted for more than one Kubernetes version.
    pub fn multi_version_vendors(&self) -> Vec<&Vendor> {
        self.vendors
            .iter()
            .filter(|v| v.versions.len() > 1)
            .collect()
    }

    /// The adoption row of a rule, if any submission names it.
    pub fn adoption_of(&self, rule: RuleId) -> Option<&AdoptionRow> {
        self.adoption.iter().find(|a| a.rule == rule)
    }

    /// Stacks naming a rule (0 when none).
    pub fn stacks(&self, rule: RuleId) -> usize {
        self.adoption_of(rule).map_or(0, |a| a.stacks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_keys_fold_case_punctuation_and_legal_forms() {
        let cases = [
            ("Amazon Web Services (AWS)", "amazon web services"),
            ("Google LLC", "google"),
            ("Google", "google"),
            ("JD.com", "jd com"),
            ("JD Cloud", "jd cloud"),
            ("Red Hat, Inc.", "red hat"),
            ("  SUSE  ", "suse"),
            ("", ""),
        ];
        for (name, key) in cases {
            assert_eq!(vendor_key(name), key, "{name}");
        }
    }

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(
            [
                percent(18, 28),
                percent(3, 28),
                percent(1, 28),
                percent(14, 28),
                percent(0, 0)
            ],
            [64, 11, 4, 50, 0]
        );
    }
}
