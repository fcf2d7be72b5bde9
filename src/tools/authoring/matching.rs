//! `aiconf match`: every rule run over one text (as a line of a submission's
//! notes) or one file (as a file of a submission), with what each hit gives:
//! the rule, the matched text and its position, the pattern kind, the cell
//! and versions of the finding the hits fold into, whether the mention is
//! negated or hedged, the version's kind, and the hits an exclusion stopped. The fastest answer to "why
//! does this match, or not". The text goes through the same
//! [`finding::scan_document`] and [`finding::collect`] as a scan.

use serde::Serialize;

use crate::diagnostic::{line_col, Diagnostic};
use crate::document::template::Templates;
use crate::document::{self, Document, Region};
use crate::output::table::{Format, Table};
use crate::rules::engine::matcher::Matcher;
use crate::rules::{Needle, PatternKind, RuleId, RuleSet};
use crate::scan::finding::{self, Cell, Evidence};
use crate::scan::version::VersionKind;
use crate::source::corpus::SubmissionId;

/// One mention a rule's pattern found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatchHit {
    /// Rule id.
    pub rule: String,
    /// The rule's display name.
    pub project: String,
    /// The matched text.
    pub text: String,
    /// 1-based line and column (in characters) in the input.
    pub line: usize,
    pub column: usize,
    /// The YAML field it is in, for a `PRODUCT.yaml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Which kind of pattern matched (`name`, `alias`, `url`, ...).
    pub kind: PatternKind,
    /// The version read next to this mention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What the version is of: `project`, `chart`, `package` or `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_kind: Option<VersionKind>,
    /// Its own clause says the project is absent ("Karpenter is not used").
    pub negated: bool,
    /// Its own clause names it only as an example or a possibility.
    pub hedged: bool,
}

/// What all the hits of one rule fold into, as a scan would count them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatchFinding {
    pub rule: String,
    pub project: String,
    /// `M` (named with a version), `X` (named).
    pub cell: Cell,
    /// Distinct versions in order.
    pub versions: Vec<String>,
    /// Every mention is negated.
    pub negated: bool,
    pub mentions: usize,
}

/// A hit that a `not` exclusion of its rule removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stopped {
    pub rule: String,
    pub project: String,
    /// The text the pattern matched.
    pub text: String,
    pub line: usize,
    pub column: usize,
    /// The text the exclusion matched around it.
    pub inside: String,
    /// The `not` statement that matched it, as written in the rule file.
    pub exclusion: String,
}

/// Everything `aiconf match` found in its input.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MatchReport {
    /// `text` or the file's path.
    pub input: String,
    /// Every counted mention, by position.
    pub hits: Vec<MatchHit>,
    /// One per rule with a hit, in rule order.
    pub findings: Vec<MatchFinding>,
    /// Hits that exclusions stopped, by position.
    pub stopped: Vec<Stopped>,
    /// Problems reading a file (YAML errors, binary content).
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every rule over `text` as if it were a line of a submission's notes.
pub fn match_text(set: &RuleSet, matcher: &Matcher, text: &str) -> MatchReport {
    let doc = Document {
        path: "text".to_string(),
        text: text.to_string(),
        regions: vec![Region {
            range: 0..text.len(),
            field: None,
        }],
        masked: Vec::new(),
        metadata: None,
    };
    report(set, matcher, &doc, Vec::new())
}

/// Runs every rule over a file as a file of a submission (`PRODUCT.yaml`
/// scoped to the vendor's fields, any other text file whole). Without the
/// corpus's templates, pasted template sentences are not masked.
pub fn match_file(set: &RuleSet, matcher: &Matcher, path: &str, bytes: Vec<u8>) -> MatchReport {
    let mut diags = Vec::new();
    match document::build(path, bytes, &Templates::default(), &mut diags) {
        Some(doc) => report(set, matcher, &doc, diags),
        None => MatchReport {
            input: path.to_string(),
            diagnostics: diags,
            ..MatchReport::default()
        },
    }
}

fn report(set: &RuleSet, matcher: &Matcher, doc: &Document, diags: Vec<Diagnostic>) -> MatchReport {
    let evidence = finding::scan_document(matcher, doc);
    let hits = evidence.iter().map(|(r, ev)| hit(set, *r, ev)).collect();
    let findings = finding::collect(
        evidence
            .iter()
            .cloned()
            .map(|(r, ev)| (SubmissionId(0), r, ev)),
    )
    .into_iter()
    .map(|f| {
        let rule = set.get(f.rule);
        MatchFinding {
            rule: rule.id.clone(),
            project: rule.name.clone(),
            cell: f.cell,
            versions: f.versions,
            negated: f.negated,
            mentions: f.mentions,
        }
    })
    .collect();
    let in_vendor_words = |r: &std::ops::Range<usize>| {
        doc.regions
            .iter()
            .any(|g| g.range.start <= r.start && r.end <= g.range.end)
    };
    let stopped = matcher
        .find_excluded(&doc.text)
        .into_iter()
        .filter(|(h, _)| in_vendor_words(&h.range))
        .map(|(h, e)| {
            let rule = set.get(h.rule);
            let (line, column) = line_col(&doc.text, h.range.start);
            let inside = doc.text[e.range.clone()].to_string();
            Stopped {
                rule: rule.id.clone(),
                project: rule.name.clone(),
                text: doc.text[h.range.clone()].to_string(),
                line,
                column,
                exclusion: exclusion_statement(set, h.rule, &inside),
                inside,
            }
        })
        .collect();
    MatchReport {
        input: doc.path.clone(),
        hits,
        findings,
        stopped,
        diagnostics: diags,
    }
}

fn hit(set: &RuleSet, r: RuleId, ev: &Evidence) -> MatchHit {
    let rule = set.get(r);
    MatchHit {
        rule: rule.id.clone(),
        project: rule.name.clone(),
        text: ev.text.clone(),
        line: ev.line,
        column: ev.column,
        field: ev.field.clone(),
        kind: ev.kind,
        version: ev.version.clone(),
        version_kind: ev.version_kind,
        negated: ev.negated,
        hedged: ev.hedged,
    }
}

/// The `not` statement of `rule` that matches `inside`, as written.
fn exclusion_statement(set: &RuleSet, rule: RuleId, inside: &str) -> String {
    let r = set.get(rule);
    let text = &set.sources[r.source.0 as usize].text;
    let matches = |n: &Needle| match n {
        Needle::Literal(s) => crate::rules::engine::matcher::slug_variants(s)
            .iter()
            .any(|v| v.eq_ignore_ascii_case(inside)),
        Needle::Regex(src) => {
            regex::Regex::new(&format!("(?i:^(?:{src})$)")).is_ok_and(|re| re.is_match(inside))
        }
    };
    r.excludes
        .iter()
        .find(|p| matches(&p.needle))
        .or(r.excludes.first())
        .and_then(|p| text.get(p.span.clone()))
        .map_or_else(
            || "not".to_string(),
            |s| s.split_whitespace().collect::<Vec<_>>().join(" "),
        )
}

impl MatchReport {
    /// The report as text (tables) or JSON.
    pub fn render(&self, format: Format) -> String {
        if format == Format::Json {
            return serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        }
        let mut out = String::new();
        let cell_of = |id: &str| {
            self.findings
                .iter()
                .find(|f| f.rule == id)
                .map_or(Cell::NotNamed, |f| f.cell)
        };
        let mut t = Table::new(&[
            "rule", "project", "matched", "at", "pattern", "cell", "version", "stance",
        ]);
        for h in &self.hits {
            t.push(vec![
                h.rule.clone().into(),
                h.project.clone().into(),
                format!("\"{}\"", h.text).into(),
                match &h.field {
                    Some(f) => format!("{}:{} {f}", h.line, h.column),
                    None => format!("{}:{}", h.line, h.column),
                }
                .into(),
                h.kind.keyword().into(),
                cell_of(&h.rule).as_str().into(),
                match (&h.version, h.version_kind) {
                    (Some(v), Some(k)) => k.label(v),
                    (Some(v), None) => v.clone(),
                    (None, _) => "-".into(),
                }
                .into(),
                if h.negated {
                    "negated"
                } else if h.hedged {
                    "hedged"
                } else {
                    "-"
                }
                .into(),
            ]);
        }
        if self.hits.is_empty() {
            out.push_str("(no rule matches)\n");
        } else {
            out.push_str(&t.render(format));
        }
        if !self.stopped.is_empty() {
            out.push_str("\nstopped by an exclusion:\n");
            for s in &self.stopped {
                // Vendor text (a `--file`) is shown inert on the terminal.
                out.push_str(&format!(
                    "  {}: \"{}\" at {}:{} is inside \"{}\" ({})\n",
                    s.rule,
                    crate::output::sink::terminal(&s.text),
                    s.line,
                    s.column,
                    crate::output::sink::terminal(&s.inside),
                    s.exclusion
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    const RULES: &str = r#"
project volcano "Volcano" { category Scheduling name "Volcano" not "Volcano Engine" }
project kueue "Kueue" { category Scheduling name "Kueue" }
"#;

    fn run(text: &str) -> MatchReport {
        let (set, diags) = rules::load(&[("t.rule".into(), RULES.into())]);
        assert!(diags.is_empty(), "{diags:?}");
        match_text(&set, &Matcher::compile(&set), text)
    }

    #[test]
    fn hits_cells_versions_and_negation() {
        let r = run("Kueue v0.14.2 is installed; Volcano is not used");
        let got: Vec<(&str, usize, Option<&str>, bool)> = r
            .hits
            .iter()
            .map(|h| (h.rule.as_str(), h.column, h.version.as_deref(), h.negated))
            .collect();
        assert_eq!(
            got,
            [
                ("kueue", 1, Some("0.14.2"), false),
                ("volcano", 29, None, true)
            ]
        );
        let cell = |id: &str| r.findings.iter().find(|f| f.rule == id).map(|f| f.cell);
        assert_eq!(
            (cell("kueue"), cell("volcano")),
            (Some(Cell::M), Some(Cell::X))
        );
        assert!(r.stopped.is_empty());
    }

    #[test]
    fn an_exclusion_says_what_it_stopped() {
        let r = run("hosted on Volcano Engine");
        assert!(r.hits.is_empty());
        assert_eq!(r.stopped.len(), 1);
        let s = &r.stopped[0];
        assert_eq!(
            (
                s.rule.as_str(),
                s.text.as_str(),
                s.inside.as_str(),
                s.exclusion.as_str()
            ),
            (
                "volcano",
                "Volcano",
                "Volcano Engine",
                "not \"Volcano Engine\""
            )
        );
        assert_eq!((s.line, s.column), (1, 11));
    }
}
