//! The reconciliation's types. Its JSON form is the stable `reconcile --format json` object: the
//! fields in the order declared here, the evidence's keys in alphabetical order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutsideHit;
use crate::scan::finding::{Cell, Evidence};

/// The whole comparison; its JSON form is the stable `reconcile --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct Reconciliation {
    /// The published file, as named.
    pub published: String,
    /// The matrices, cell by cell.
    pub cells: Cells,
    /// Every summary row (published, and engine projects the summary lacks).
    pub summary: Vec<SummaryCheck>,
    /// Published summary rows whose stacks contradict the published matrix.
    pub summary_self_inconsistencies: Vec<SelfInconsistency>,
    /// The NVIDIA tables.
    pub nvidia: NvidiaCheck,
    /// Project reference rows whose repository, licence or CNCF status differ from the rule's.
    pub reference: Vec<ReferenceCheck>,
    /// Key findings and inventory numbers.
    pub numbers: Vec<NumberCheck>,
}

/// Matrix cells compared.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Cells {
    pub compared: usize,
    pub agreed: usize,
    pub disagreed: usize,
    /// Disagreements per [`Kind`] (snake_case names).
    pub by_kind: BTreeMap<Kind, usize>,
    pub disagreements: Vec<Disagreement>,
}

/// Why a cell disagrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The engine finds a mention; the published cell is `-`.
    EngineOnly,
    /// The published cell is M or X; the engine finds no mention.
    PublishedOnly,
    /// Both find a mention; one says a version is given, the other not.
    Version,
    /// The published project has no rule.
    NoRule,
    /// The published column is not a submission of the corpus.
    NoSubmission,
}

impl Kind {
    /// Its name in JSON (`engine_only`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::EngineOnly => "engine_only",
            Kind::PublishedOnly => "published_only",
            Kind::Version => "version",
            Kind::NoRule => "no_rule",
            Kind::NoSubmission => "no_submission",
        }
    }
}

/// One cell on which the published table and the engine differ.
#[derive(Clone, Debug, Serialize)]
pub struct Disagreement {
    pub version: String,
    /// Folder name, as in the published header.
    pub submission: String,
    /// The published row name (or the rule's display name for a row it lacks).
    pub project: String,
    pub published: Cell,
    pub engine: Cell,
    pub kind: Kind,
    pub reason: String,
    /// The vendor's words (engine mentions), or template text (outside hits).
    pub evidence: Vec<CellEvidence>,
}

/// One piece of a disagreement's evidence (keys in alphabetical order, as the contract has always
/// had them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CellEvidence {
    /// A mention in the vendor's words.
    Mention {
        column: usize,
        /// `null` outside PRODUCT.yaml.
        field: Option<String>,
        file: String,
        hedged: bool,
        line: usize,
        negated: bool,
        quote: String,
        /// `null` when no version follows.
        version: Option<String>,
    },
    /// A hit in template text ([`OutsideHit`]).
    Template {
        column: usize,
        file: String,
        line: usize,
        /// What the text is (`requirement description`, `template comment`, ...).
        location: String,
        /// The matched text.
        text: String,
    },
}

impl CellEvidence {
    /// A mention of the scan as evidence.
    pub fn mention(e: &Evidence) -> CellEvidence {
        CellEvidence::Mention {
            column: e.column,
            field: e.field.clone(),
            file: e.file.clone(),
            hedged: e.hedged,
            line: e.line,
            negated: e.negated,
            quote: e.quote.clone(),
            version: e.version.clone(),
        }
    }

    /// A hit in template text as evidence.
    pub fn template(h: &OutsideHit) -> CellEvidence {
        CellEvidence::Template {
            column: h.column,
            file: h.file.clone(),
            line: h.line,
            location: h.location.clone(),
            text: h.text.clone(),
        }
    }

    /// `file:line quote` (the vendor's words) or `file:line (location)` (template text).
    pub fn line(&self) -> String {
        match self {
            CellEvidence::Mention {
                file, line, quote, ..
            } => format!("{file}:{line} {quote}"),
            CellEvidence::Template {
                file,
                line,
                location,
                ..
            } => format!("{file}:{line} ({location})"),
        }
    }
}

/// One adoption-summary row, published and computed.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryCheck {
    pub project: String,
    /// The rule's id, when one matches.
    pub rule: Option<String>,
    pub published_rank: Option<usize>,
    pub published_stacks: Option<usize>,
    /// Stacks counted from the published matrix itself.
    pub published_matrix_stacks: usize,
    pub engine_stacks: Option<usize>,
    pub published_percent: Option<u32>,
    pub engine_percent: Option<u32>,
    pub published_cncf: Option<String>,
    pub rule_cncf: Option<String>,
    pub published_category: Option<String>,
    pub rule_category: Option<String>,
    /// Stacks, percentage, CNCF status and category all agree.
    pub agrees: bool,
}

/// A published summary row that contradicts the published matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SelfInconsistency {
    pub project: String,
    pub published_stacks: usize,
    pub published_matrix_stacks: usize,
}

/// The NVIDIA tables.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NvidiaCheck {
    pub projects: Vec<NvidiaProjectCheck>,
    /// Cells of the per-submission table compared, and those that agree with the engine.
    pub usage_compared: usize,
    pub usage_agreed: usize,
    /// Per-submission cells where the published table, its own matrix or the engine differ.
    pub usage_disagreements: Vec<UsageCheck>,
}

/// One row of "NVIDIA Project Adoption".
#[derive(Clone, Debug, Serialize)]
pub struct NvidiaProjectCheck {
    pub project: String,
    pub rule: Option<String>,
    pub published_stacks: usize,
    pub published_matrix_stacks: usize,
    pub engine_stacks: Option<usize>,
    pub published_versions: Vec<String>,
    /// `version (vX.Y/folder)`, from the engine's findings.
    pub engine_versions: Vec<String>,
    pub agrees: bool,
}

/// One cell of "NVIDIA Project Usage by Submission".
#[derive(Clone, Debug, Serialize)]
pub struct UsageCheck {
    pub version: String,
    pub submission: String,
    pub project: String,
    pub published: Cell,
    /// The cell of the same project and submission in the published matrix.
    pub published_matrix: Cell,
    pub engine: Cell,
}

/// One project reference row against its rule (`rule` is null when no rule matches).
#[derive(Clone, Debug, Serialize)]
pub struct ReferenceCheck {
    pub project: String,
    pub rule: Option<String>,
    pub published_repo: String,
    pub rule_repo: Option<String>,
    pub published_license: String,
    pub rule_license: Option<String>,
    pub published_cncf: String,
    pub rule_cncf: Option<String>,
}

/// One number (or list) of the key findings and inventory.
#[derive(Clone, Debug, Serialize)]
pub struct NumberCheck {
    pub name: String,
    pub published: Figure,
    pub engine: Figure,
    pub agrees: bool,
}

/// A number of the key findings or inventory, a list of names, or `null` when the published file
/// does not give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    Count(usize),
    Names(Vec<String>),
    Missing,
}

impl Figure {
    /// As plain text: the number, the names comma-separated, nothing when missing.
    pub fn text(&self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Names(v) => v.join(", "),
            Figure::Missing => String::new(),
        }
    }
}
