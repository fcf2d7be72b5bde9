//! `explain QUERY`: how an answer was reached. The parsed query in canonical
//! form, how its condition was split (scope, projects, findings, counts)
//! with how many submissions and projects passed, then each result row with
//! the findings behind it (submission, file:line, quote). Text or JSON.

use serde_json::{json, Map, Value};

use super::ast::{Direction, Rows};
use super::eval::{cut, Answer, Behind};
use super::plan::{Part, Plan, SortKey};
use crate::output::sink;
use crate::output::table::{snake_case, Format};
use crate::rules::{RuleId, RuleSet};
use crate::scan::Scan;
use crate::source::corpus::SubmissionId;

/// Findings listed per row before "… and N more".
const PER_ROW: usize = 10;

/// What the rows of each source are.
fn describe(source: Rows) -> &'static str {
    match source {
        Rows::Adoption => "one row per project: stacks = submissions in scope naming it, share = stacks / submissions in scope",
        Rows::Matrix => "one row per project named in scope, one column per submission in scope (M named with a version, X named, - not)",
        Rows::Findings => "one row per (submission, project) finding",
        Rows::Submissions => "one row per submission in scope",
        Rows::Projects => "one row per loaded rule",
    }
}

fn tests(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn order(plan: &Plan, scan: &Scan) -> String {
    if plan.order.is_empty() {
        return match (plan.source, plan.group.is_empty()) {
            (Rows::Adoption, _) => "most stacks first (default)".to_string(),
            (_, false) => "largest count first (default)".to_string(),
            (Rows::Matrix, _) => "projects by stacks in the whole corpus (default)".to_string(),
            (Rows::Projects, _) => "rule order (default)".to_string(),
            _ => "corpus order (default)".to_string(),
        };
    }
    plan.order
        .iter()
        .map(|(k, d)| {
            let name = match k {
                SortKey::Column(i) => plan.columns[*i].key(),
                SortKey::Submission(s) => scan.submissions[*s as usize].id.clone(),
            };
            if *d == Direction::Desc {
                format!("{name} desc")
            } else {
                name
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The explanation in `format` (JSON, or text for every other format).
pub fn render(
    plan: &Plan,
    answer: &Answer,
    scan: &Scan,
    rules: &RuleSet,
    format: Format,
) -> String {
    if format == Format::Json {
        let mut s =
            serde_json::to_string_pretty(&to_json(plan, answer, scan, rules)).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    let none = |s: String| if s.is_empty() { "-".to_string() } else { s };
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<9} {v}\n"));
    line("query", plan.canonical.clone());
    line("rows", describe(plan.source).to_string());
    if plan.source != Rows::Projects {
        line(
            "scope",
            format!(
                "{}  ({} of {} submissions)",
                none(tests(&plan.scope)),
                answer.in_scope,
                answer.submissions
            ),
        );
    }
    if plan.source != Rows::Submissions {
        line(
            "projects",
            format!(
                "{}  ({} of {} projects)",
                none(tests(&plan.projects)),
                answer.projects,
                answer.rules
            ),
        );
    }
    if matches!(plan.source, Rows::Adoption | Rows::Matrix | Rows::Findings) {
        line("findings", none(tests(&plan.findings)));
    }
    if plan.source == Rows::Adoption {
        line("counts", none(tests(&plan.having)));
    }
    if !plan.group.is_empty() {
        let names: Vec<&str> = plan.group.iter().map(|g| g.name()).collect();
        line("group by", names.join(", "));
    }
    if let Some(h) = &plan.rows {
        line("having", h.text.clone());
    }
    line("order", order(plan, scan));
    if let Some(n) = plan.limit {
        line("limit", format!("{n} (of {} rows)", answer.matched));
    }
    line(
        "result",
        format!(
            "{} row{}",
            answer.rows.len(),
            if answer.rows.len() == 1 { "" } else { "s" }
        ),
    );
    for (i, row) in answer.rows.iter().enumerate() {
        let cells: Vec<String> = row
            .cells
            .iter()
            .zip(&answer.columns)
            .map(|(c, column)| {
                match crate::output::table::QUOTE_COLUMNS.contains(&column.as_str()) {
                    true => sink::terminal_quote(&c.text()).0.into_owned(),
                    false => sink::terminal(&c.text()).into_owned(),
                }
            })
            .collect();
        out.push_str(&format!("\n{}. {}\n", i + 1, cells.join(" | ")));
        out.push_str(&behind_text(&row.behind, plan.source, scan, rules));
    }
    out
}

fn behind_text(b: &Behind, source: Rows, scan: &Scan, rules: &RuleSet) -> String {
    match b {
        Behind::Nothing => "   from the corpus listing: no finding involved\n".to_string(),
        Behind::Rule(r) => {
            let rule = rules.get(*r);
            let file = rules
                .sources
                .get(rule.source.0 as usize)
                .map_or("?", |s| s.path.as_str());
            format!("   from the rule `{}` in {file}\n", rule.id)
        }
        Behind::Findings(pairs) if source == Rows::Findings => {
            let mut out = String::new();
            for &(s, r) in pairs {
                let Some(f) = scan.finding(s, r) else {
                    continue;
                };
                for e in f.evidence.iter().take(PER_ROW) {
                    out.push_str(&evidence_line(e));
                }
                if f.mentions > PER_ROW.min(f.evidence.len()) {
                    out.push_str(&format!(
                        "   … and {} more mentions\n",
                        f.mentions - PER_ROW.min(f.evidence.len())
                    ));
                }
            }
            out
        }
        Behind::Findings(pairs) => {
            let mut out = String::new();
            for &(s, r) in pairs.iter().take(PER_ROW) {
                let Some(f) = scan.finding(s, r) else {
                    continue;
                };
                out.push_str(&format!(
                    "   {} names {}: {}\n",
                    scan.submission(s).id,
                    rules.get(r).name,
                    f.cell
                ));
                if let Some(e) = f.evidence.first() {
                    out.push_str(&evidence_line(e));
                }
            }
            if pairs.len() > PER_ROW {
                out.push_str(&format!(
                    "   … and {} more findings\n",
                    pairs.len() - PER_ROW
                ));
            }
            out
        }
    }
}

fn evidence_line(e: &crate::scan::finding::Evidence) -> String {
    let (quote, cleaned) = sink::terminal_quote(&e.quote);
    format!(
        "     {}:{}{}{}  {}{}\n",
        sink::terminal(&e.file),
        e.line,
        e.field
            .as_ref()
            .map(|f| format!(" [{}]", sink::terminal(f)))
            .unwrap_or_default(),
        match e.stance() {
            crate::scan::stance::Stance::Negated => " (negated)",
            crate::scan::stance::Stance::Hedged => " (hedged)",
            crate::scan::stance::Stance::Uses => "",
        },
        cut(&quote, 100),
        if cleaned {
            "  (terminal escape codes removed)"
        } else {
            ""
        }
    )
}

/// The explanation as one JSON object.
pub fn to_json(plan: &Plan, answer: &Answer, scan: &Scan, rules: &RuleSet) -> Value {
    let keys: Vec<String> = answer.columns.iter().map(|c| snake_case(c)).collect();
    let rows: Vec<Value> = answer
        .rows
        .iter()
        .map(|row| {
            let mut m = Map::new();
            for (k, v) in keys.iter().zip(&row.cells) {
                m.insert(k.clone(), v.to_json(Format::Json));
            }
            let behind = match &row.behind {
                Behind::Findings(pairs) => Value::Array(pairs.iter().filter_map(|&(s, r)| finding_json(scan, rules, s, r)).collect()),
                Behind::Rule(r) => {
                    let rule = rules.get(*r);
                    json!({"rule": rule.id, "file": rules.sources.get(rule.source.0 as usize).map(|s| s.path.clone())})
                }
                Behind::Nothing => Value::Null,
            };
            json!({"row": m, "behind": behind})
        })
        .collect();
    let texts = |parts: &[Part]| parts.iter().map(|p| p.text.clone()).collect::<Vec<_>>();
    json!({
        "query": plan.canonical,
        "source": plan.source.as_str(),
        "scope": {"tests": texts(&plan.scope), "submissions": answer.in_scope, "of": answer.submissions},
        "projects": {"tests": texts(&plan.projects), "projects": answer.projects, "of": answer.rules},
        "findings": {"tests": texts(&plan.findings)},
        "counts": {"tests": texts(&plan.having)},
        "group_by": plan.group.iter().map(|g| g.name()).collect::<Vec<_>>(),
        "having": plan.rows.as_ref().map(|h| h.text.clone()),
        "order": order(plan, scan),
        "limit": plan.limit,
        "matched": answer.matched,
        "rows": rows,
    })
}

fn finding_json(scan: &Scan, rules: &RuleSet, s: SubmissionId, r: RuleId) -> Option<Value> {
    let f = scan.finding(s, r)?;
    let e = f.evidence.first();
    Some(json!({
        "submission": scan.submission(s).id,
        "project": rules.get(r).name,
        "cell": f.cell.as_str(),
        "file": e.map(|e| e.file.clone()),
        "line": e.map(|e| e.line),
        "field": e.and_then(|e| e.field.clone()),
        "quote": e.map(|e| e.quote.clone()),
    }))
}
