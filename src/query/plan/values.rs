//! Values read according to their field's kind (versions, numbers, shares,
//! cells, closed vocabularies) and checked against what is loaded, with the
//! closest known value when one is wrong.

use super::{plural, project_version, share, short, Cond, Resolver};
use crate::diagnostic::{Code, Diagnostic};
use crate::query::ast::{Literal, Op, Span};
use crate::query::field::{Field, FieldKind, SECTIONS};
use crate::query::value::{Val, Version};
use crate::rules::{closest, Category, CncfStatus, RuleId, CATEGORIES, CNCF_STATUSES};
use crate::scan::finding::Cell;

impl Resolver<'_> {
    /// The condition on a field's value, read according to its kind.
    pub(super) fn cond(
        &mut self,
        f: Field,
        op: Op,
        op_span: &Span,
        values: &[Literal],
    ) -> Option<Cond> {
        let kind = f.kind();
        let ordered = matches!(
            kind,
            FieldKind::Version | FieldKind::Count | FieldKind::Share | FieldKind::ProjectVersion
        );
        let textual = !matches!(
            kind,
            FieldKind::Version | FieldKind::Count | FieldKind::Share | FieldKind::Bool
        );
        let ok = match op {
            Op::Lt | Op::Le | Op::Gt | Op::Ge => ordered,
            Op::Contains => textual,
            Op::In | Op::NotIn => kind != FieldKind::Bool,
            Op::Eq | Op::Ne => true,
        };
        if !ok {
            let allowed = match kind {
                FieldKind::Bool => "=, !=",
                FieldKind::ProjectVersion => "=, !=, <, <=, >, >=, in, not in, ~ (contains)",
                _ if ordered => "=, !=, <, <=, >, >=, in, not in",
                _ => "=, !=, in, not in, ~ (contains)",
            };
            self.diags.push(
                self.error(
                    Code::E406,
                    op_span.clone(),
                    format!("`{}` does not apply to `{}`", op.as_str(), f.name()),
                )
                .with_label("not for this field")
                .with_help(format!("`{}` takes {allowed}", f.name())),
            );
            return None;
        }
        if op == Op::Contains {
            return Some(Cond::Contains(values[0].text.to_lowercase()));
        }
        let mut vals = Vec::new();
        let mut failed = false;
        for lit in values {
            match self.value(f, lit) {
                Some(mut v) => vals.append(&mut v),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        Some(match op {
            Op::Eq | Op::Ne | Op::In | Op::NotIn => Cond::OneOf(vals),
            _ => Cond::Cmp(op, vals.into_iter().next()?),
        })
    }

    /// A literal read as a value of `f` (a submission folder name may stand for several).
    pub(super) fn value(&mut self, f: Field, lit: &Literal) -> Option<Vec<Val>> {
        let t = lit.text.trim();
        let got = match f.kind() {
            FieldKind::Version => Version::parse(t).map(|v| vec![Val::Version(v)]),
            FieldKind::ProjectVersion => Some(vec![project_version(t)]),
            FieldKind::Count => t.parse::<i64>().ok().map(|n| vec![Val::Int(n)]),
            FieldKind::Share => share(t).map(|s| vec![Val::Share(s)]),
            FieldKind::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "yes" => Some(vec![Val::Bool(true)]),
                "false" | "no" => Some(vec![Val::Bool(false)]),
                _ => None,
            },
            FieldKind::Cell => Cell::parse(t)
                .or_else(|| t.eq_ignore_ascii_case("none").then_some(Cell::NotNamed))
                .map(|c| vec![Val::Cell(c)]),
            FieldKind::Category => {
                Category::parse(t).map(|c| vec![Val::Text(c.as_str().to_string())])
            }
            FieldKind::Cncf => {
                CncfStatus::parse(t).map(|c| vec![Val::Text(c.as_str().to_string())])
            }
            FieldKind::Section => SECTIONS
                .iter()
                .find(|s| s.eq_ignore_ascii_case(t))
                .map(|s| vec![Val::Text(s.to_string())]),
            FieldKind::Project => self
                .rules
                .find(t)
                .map(|id| vec![Val::Project(self.rules.get(id).name.clone())]),
            FieldKind::Submission => {
                let subs: Vec<Val> = self
                    .scan
                    .submissions
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        s.id.eq_ignore_ascii_case(t) || short(&s.id).eq_ignore_ascii_case(t)
                    })
                    .map(|(i, s)| Val::Sub(i as u32, s.id.clone()))
                    .collect();
                (!subs.is_empty()).then_some(subs)
            }
            FieldKind::Known if matches!(f, Field::Vendor | Field::SubmissionVendor) => {
                let want = Val::Vendor(t.to_string());
                self.known_values(f)
                    .into_iter()
                    .any(|k| Val::Vendor(k).same(&want))
                    .then(|| vec![want])
            }
            FieldKind::Known => self
                .known_values(f)
                .iter()
                .any(|k| k.eq_ignore_ascii_case(t))
                .then(|| vec![Val::Text(t.to_string())]),
            FieldKind::Text => Some(vec![Val::Text(t.to_string())]),
        };
        if got.is_none() {
            self.diags.push(self.bad_value(f, lit));
        }
        got
    }

    /// The values a known-text field has in the loaded data.
    pub(super) fn known_values(&self, f: Field) -> Vec<String> {
        let mut v: Vec<String> = match f {
            Field::Platform => self
                .scan
                .submissions
                .iter()
                .map(|s| s.platform.clone())
                .collect(),
            Field::SubmissionVendor => self
                .scan
                .submissions
                .iter()
                .map(|s| s.vendor.clone())
                .collect(),
            Field::Vendor => self.rules.rules.iter().map(|r| r.vendor.clone()).collect(),
            Field::License => self.rules.rules.iter().map(|r| r.license.clone()).collect(),
            _ => Vec::new(),
        };
        v.retain(|s| !s.is_empty());
        // Stable, as `sort_by_key`, with each key made once rather than at every comparison.
        v.sort_by_cached_key(|s| s.to_lowercase());
        v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        v
    }

    /// What a value of `f` must be, in words, and the values it may take (empty when open).
    fn expected(&self, f: Field) -> (String, Vec<String>) {
        match f.kind() {
            FieldKind::Version => ("a version".into(), vec![]),
            FieldKind::Count => ("a whole number".into(), vec![]),
            FieldKind::Share => ("a share (0..1 or N%)".into(), vec![]),
            FieldKind::Bool => ("true or false".into(), vec![]),
            FieldKind::Cell => (
                "a cell: M (named with a version), X (named) or - (not named)".into(),
                vec![],
            ),
            FieldKind::Category => (
                "a category".into(),
                CATEGORIES.iter().map(|s| s.to_string()).collect(),
            ),
            FieldKind::Cncf => (
                "a CNCF status".into(),
                CNCF_STATUSES
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.to_string())
                    .collect(),
            ),
            FieldKind::Section => (
                "a checklist section".into(),
                SECTIONS.iter().map(|s| s.to_string()).collect(),
            ),
            FieldKind::Project => (
                "a project of the loaded rules".into(),
                self.rules.rules.iter().map(|r| r.name.clone()).collect(),
            ),
            FieldKind::Submission => (
                "a submission of the corpus".into(),
                self.scan.submissions.iter().map(|s| s.id.clone()).collect(),
            ),
            FieldKind::Known => (
                format!("a {} in the loaded data", f.name().replace('_', " ")),
                self.known_values(f),
            ),
            FieldKind::Text | FieldKind::ProjectVersion => ("text".into(), vec![]),
        }
    }

    /// The diagnostic for a value that is not of its field's kind.
    pub(super) fn bad_value(&self, f: Field, lit: &Literal) -> Diagnostic {
        let t = lit.text.as_str();
        let (what, known) = self.expected(f);
        let message = match f.kind() {
            FieldKind::Version => format!("`{t}` is not a version"),
            FieldKind::Count | FieldKind::Share | FieldKind::Bool => format!("`{t}` is not {what}"),
            FieldKind::Project => format!("no project `{t}` in the loaded rules"),
            FieldKind::Submission => format!("no submission `{t}` in the corpus"),
            FieldKind::Cncf => format!("unknown CNCF status `{t}`"),
            _ => format!("unknown {} `{t}`", f.name().replace('_', " ")),
        };
        let mut d = self
            .error(Code::E404, lit.span.clone(), message)
            .with_label(format!("expected {what}"));
        let mut pool: Vec<&str> = known.iter().map(String::as_str).collect();
        if f.kind() == FieldKind::Submission {
            pool.extend(self.scan.submissions.iter().map(|s| short(&s.id)));
        }
        let listing = if known.is_empty() {
            String::new()
        } else if known.len() <= 16 {
            format!("{}: {}", plural(&what), known.join(", "))
        } else {
            format!("{} {} are loaded", known.len(), plural(&what))
        };
        let help = match (closest(t, pool.iter().copied()), f.kind()) {
            (Some(c), _) if c.contains(' ') => Some(format!("did you mean \"{c}\"? {listing}")),
            (Some(c), _) => Some(format!("did you mean `{c}`? {listing}")),
            (None, FieldKind::Version) => {
                Some("write a Kubernetes version like 1.34 or v1.34".to_string())
            }
            (None, FieldKind::Share) => {
                Some("write a fraction like 0.5, or a percentage like 50%".to_string())
            }
            (None, _) if !listing.is_empty() => Some(listing),
            _ => None,
        };
        if let Some(h) = help {
            d = d.with_help(h.trim_end().to_string());
        }
        d
    }

    pub(super) fn project(&mut self, lit: &Literal) -> Option<RuleId> {
        let id = self.rules.find(lit.text.trim());
        if id.is_none() {
            self.diags.push(self.bad_value(Field::Project, lit));
        }
        id
    }
}
