//! `scan --format json`: the typed object ([`ScanJson`]: submissions, findings with their evidence,
//! errors) and the same bytes written while the scan runs ([`ScanJsonStream`]).

use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::output::json;
use crate::output::spool::{write_pretty_at, Spool};
use crate::rules::{PatternKind, RuleSet};
use crate::scan::finding::{Evidence, Finding};
use crate::scan::version::VersionKind;
use crate::scan::{Scan, Scanned, SubmissionInfo};

/// The `scan --format json` object: submissions, findings, errors. Every object of it has its keys
/// in alphabetical order, as the contract has had them from the start.
#[derive(Serialize)]
pub struct ScanJson<'a> {
    /// Every problem the scan met.
    pub errors: Vec<ErrorJson<'a>>,
    /// One per (submission, project) named.
    pub findings: Vec<FindingJson<'a>>,
    /// The submissions, in corpus order.
    pub submissions: Vec<SubmissionJson<'a>>,
}

/// One submission: its id, Kubernetes version, platform, vendor and files.
#[derive(Serialize)]
pub struct SubmissionJson<'a> {
    pub files: &'a [String],
    pub id: &'a str,
    pub kubernetes_version: &'a str,
    pub platform: &'a str,
    pub vendor: &'a str,
}

/// One (submission, project) finding with the mentions kept as evidence.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    /// `M`, `X` or `-`.
    pub cell: &'static str,
    pub evidence: Vec<EvidenceJson<'a>>,
    pub hedged: bool,
    /// All mentions, including those not kept as evidence.
    pub mentions: usize,
    pub negated: bool,
    pub project: &'a str,
    pub submission: &'a str,
    pub versions: &'a [String],
}

/// One mention (an [`Evidence`]) as the scan's JSON lists it.
#[derive(Serialize)]
pub struct EvidenceJson<'a> {
    pub column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
    pub file: &'a str,
    pub hedged: bool,
    pub kind: PatternKind,
    pub line: usize,
    pub negated: bool,
    pub quote: &'a str,
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_kind: Option<VersionKind>,
}

/// One problem met: where, its code and severity, the message.
#[derive(Serialize)]
pub struct ErrorJson<'a> {
    pub code: Code,
    pub column: usize,
    pub file: &'a str,
    pub line: usize,
    pub message: &'a str,
    pub severity: Severity,
}

impl<'a> ScanJson<'a> {
    /// The object of `scan`, its projects named from `rules`.
    pub fn new(scan: &'a Scan, rules: &'a RuleSet) -> ScanJson<'a> {
        ScanJson {
            errors: scan.diagnostics.iter().map(ErrorJson::new).collect(),
            findings: scan
                .findings
                .iter()
                .map(|f| FindingJson::new(f, &scan.submission(f.submission).id, rules))
                .collect(),
            submissions: scan.submissions.iter().map(SubmissionJson::new).collect(),
        }
    }
}

impl<'a> SubmissionJson<'a> {
    fn new(s: &'a SubmissionInfo) -> SubmissionJson<'a> {
        SubmissionJson {
            files: &s.files,
            id: &s.id,
            kubernetes_version: &s.kubernetes_version,
            platform: &s.platform,
            vendor: &s.vendor,
        }
    }
}

impl<'a> FindingJson<'a> {
    fn new(f: &'a Finding, submission: &'a str, rules: &'a RuleSet) -> FindingJson<'a> {
        FindingJson {
            cell: f.cell.as_str(),
            evidence: f.evidence.iter().map(EvidenceJson::new).collect(),
            hedged: f.hedged,
            mentions: f.mentions,
            negated: f.negated,
            project: &rules.get(f.rule).name,
            submission,
            versions: &f.versions,
        }
    }
}

impl FindingJson<'_> {
    /// `write_pretty_at(out, self, depth)`, written by hand ([`crate::output::json`]): the same
    /// bytes, without serde_json's byte-at-a-time escaping of every quote.
    pub fn write_pretty(&self, out: &mut Vec<u8>, depth: usize) {
        let mut o = json::Object::open(out, depth);
        o.str("cell", self.cell);
        o.objects("evidence", &self.evidence, |e, out, depth| {
            e.write_pretty(out, depth)
        });
        o.bool("hedged", self.hedged);
        o.uint("mentions", self.mentions);
        o.bool("negated", self.negated);
        o.str("project", self.project);
        o.str("submission", self.submission);
        o.strs("versions", self.versions);
        o.close();
    }
}

impl EvidenceJson<'_> {
    /// [`FindingJson::write_pretty`] of one mention.
    pub fn write_pretty(&self, out: &mut Vec<u8>, depth: usize) {
        let mut o = json::Object::open(out, depth);
        o.uint("column", self.column);
        if let Some(field) = self.field {
            o.str("field", field);
        }
        o.str("file", self.file);
        o.bool("hedged", self.hedged);
        o.str("kind", self.kind.keyword());
        o.uint("line", self.line);
        o.bool("negated", self.negated);
        o.str("quote", self.quote);
        o.str("text", self.text);
        if let Some(version) = self.version {
            o.str("version", version);
        }
        if let Some(kind) = self.version_kind {
            o.str("version_kind", kind.as_str());
        }
        o.close();
    }
}

impl<'a> EvidenceJson<'a> {
    fn new(e: &'a Evidence) -> EvidenceJson<'a> {
        EvidenceJson {
            column: e.column,
            field: e.field.as_deref(),
            file: &e.file,
            hedged: e.hedged,
            kind: e.kind,
            line: e.line,
            negated: e.negated,
            quote: &e.quote,
            text: &e.text,
            version: e.version.as_deref(),
            version_kind: e.version_kind,
        }
    }
}

impl<'a> ErrorJson<'a> {
    fn new(d: &'a Diagnostic) -> ErrorJson<'a> {
        ErrorJson {
            code: d.code,
            column: d.column,
            file: &d.file,
            line: d.line,
            message: &d.message,
            severity: d.severity,
        }
    }
}

/// [`ScanJson`] written while the scan runs, byte for byte what
/// `serde_json::to_string_pretty(&ScanJson::new(..))` prints: each submission's findings are written
/// (to a [`Spool`]) as soon as it is scanned and dropped; what is kept until the end is each
/// submission's listing and the problems, which the object lists first (its keys are in
/// alphabetical order: `errors`, `findings`, `submissions`).
pub struct ScanJsonStream<'r> {
    rules: &'r RuleSet,
    findings: Spool,
    /// Where a submission's findings are written before the spool.
    buf: Vec<u8>,
    any_finding: bool,
    submissions: Vec<SubmissionInfo>,
    errors: Vec<Diagnostic>,
}

impl<'r> ScanJsonStream<'r> {
    pub fn new(rules: &'r RuleSet) -> ScanJsonStream<'r> {
        ScanJsonStream {
            rules,
            findings: Spool::new(),
            buf: Vec::new(),
            any_finding: false,
            submissions: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// One submission, scanned (in corpus order): its findings written, its problems kept.
    pub fn push(&mut self, s: Scanned) -> std::io::Result<()> {
        // Serialised into memory (a buffer kept from one submission to the next), then written to
        // the spool at once: one write a submission, not one a token.
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        for f in &s.findings {
            let sep: &[u8] = if self.any_finding {
                b",\n    "
            } else {
                b"    "
            };
            buf.extend_from_slice(sep);
            self.any_finding = true;
            FindingJson::new(f, &s.info.id, self.rules).write_pretty(&mut buf, 2);
        }
        self.findings.write_all(&buf)?;
        self.buf = buf;
        self.errors.extend(s.diagnostics);
        self.submissions.push(s.info);
        Ok(())
    }

    /// The problems met (those of the listing, then each submission's, as [`Scan::diagnostics`]).
    pub fn problems(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Writes the whole object, `listing` (the problems met reading the corpus's listing) first
    /// among the errors, and a line break after it.
    pub fn finish(mut self, listing: Vec<Diagnostic>, out: &mut dyn Write) -> std::io::Result<()> {
        let mut errors = listing;
        errors.append(&mut self.errors);
        out.write_all(b"{\n")?;
        write_array(out, "errors", errors.iter().map(ErrorJson::new))?;
        out.write_all(b",\n  \"findings\": ")?;
        if self.any_finding {
            out.write_all(b"[\n")?;
            let findings = std::mem::replace(&mut self.findings, Spool::Memory(Vec::new()));
            findings.copy_to(out)?;
            out.write_all(b"\n  ]")?;
        } else {
            out.write_all(b"[]")?;
        }
        out.write_all(b",\n")?;
        write_array(
            out,
            "submissions",
            self.submissions.iter().map(SubmissionJson::new),
        )?;
        out.write_all(b"\n}\n")
    }
}

/// `  "key": [ ... ]` as a member of a pretty-printed top-level object.
fn write_array<T: Serialize>(
    out: &mut dyn Write,
    key: &str,
    items: impl Iterator<Item = T>,
) -> std::io::Result<()> {
    write!(out, "  \"{key}\": [")?;
    let mut any = false;
    for item in items {
        let sep: &[u8] = if any { b",\n    " } else { b"\n    " };
        out.write_all(sep)?;
        any = true;
        write_pretty_at(out, &item, 2)?;
    }
    let end: &[u8] = if any { b"\n  ]" } else { b"]" };
    out.write_all(end)
}
