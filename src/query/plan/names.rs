//! Names resolved: fields for the query's source, `group by` fields and
//! `order by` keys.

use super::{short, Resolver, SortKey};
use crate::diagnostic::Code;
use crate::query::ast::{Name, Rows};
use crate::query::field::{Column, Entity, Field};
use crate::rules::closest;

impl Resolver<'_> {
    /// A field name valid for this source.
    pub(super) fn field(&mut self, name: &Name) -> Option<Field> {
        let Some(f) = Field::lookup(&name.text, self.source) else {
            let known = Field::names_for(self.source);
            let all: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            let mut d = self
                .error(
                    Code::E402,
                    name.span.clone(),
                    format!("unknown field `{}`", name.text),
                )
                .with_label("not a field");
            d = d.with_help(match closest(&name.text, all.iter().copied()) {
                Some(c) => format!(
                    "did you mean `{c}`? fields of `{}`: {}",
                    self.source,
                    known.join(", ")
                ),
                None => format!("fields of `{}`: {}", self.source, known.join(", ")),
            });
            self.diags.push(d);
            return None;
        };
        if let (Some(inside), false) = (self.inside, f.allowed_in(self.source)) {
            let whose = if self.source == Rows::Projects {
                "projects"
            } else {
                "submissions"
            };
            self.diags.push(
                self.error(
                    Code::E403,
                    name.span.clone(),
                    format!(
                        "`{}` is a field of {}; `{inside}` tests {whose}",
                        name.text,
                        f.entity().as_str()
                    ),
                )
                .with_label(format!("not a field of {whose}"))
                .with_help(format!(
                    "fields of {whose}: {}",
                    Field::names_for(self.source).join(", ")
                )),
            );
            return None;
        }
        if !f.allowed_in(self.source) {
            self.diags.push(
                self.error(
                    Code::E403,
                    name.span.clone(),
                    format!(
                        "`{}` is a field of {}, not of `{}` rows",
                        name.text,
                        f.entity().as_str(),
                        self.source
                    ),
                )
                .with_label(format!("not a field of `{}`", self.source))
                .with_help(self.other_source_help(f)),
            );
            return None;
        }
        Some(f)
    }

    pub(super) fn other_source_help(&self, f: Field) -> String {
        let known = Field::names_for(self.source).join(", ");
        match (self.source, f.entity()) {
            (Rows::Submissions, _) => format!("fields of `submissions`: {known}; to test what a submission names, use `uses PROJECT`, or query `findings`"),
            (Rows::Projects, _) => format!("fields of `projects`: {known}; to count submissions, query `adoption where ...`"),
            (_, Entity::Aggregate) => "`stacks` and `share` are columns of `adoption`".to_string(),
            _ => format!("fields of `{}`: {known}", self.source),
        }
    }

    pub(super) fn group(&mut self, name: &Name) -> Option<Field> {
        let f = self.field(name)?;
        if !f.groupable_in(self.source) {
            let help = match self.source {
                Rows::Matrix => "a matrix is not grouped; try `findings where ... group by FIELD`".to_string(),
                Rows::Adoption => "`adoption` groups by fields of projects (category, cncf, vendor, license, repo, project) and of submissions (version, submission, platform, submission_vendor); to group findings by a field of theirs, ask `findings ... group by FIELD`".to_string(),
                _ => format!("fields of `{}`: {}", self.source, Field::names_for(self.source).join(", ")),
            };
            self.diags.push(
                self.error(
                    Code::E407,
                    name.span.clone(),
                    format!("`{}` cannot group by `{}`", self.source, name.text),
                )
                .with_label("cannot group by this")
                .with_help(help),
            );
            return None;
        }
        Some(f)
    }

    pub(super) fn sort_key(&mut self, name: &Name, cols: &[Column]) -> Option<SortKey> {
        let key = name.text.to_ascii_lowercase();
        let field = Field::lookup(&key, self.source);
        if let Some(i) = cols
            .iter()
            .position(|c| c.key() == key || (field.is_some() && c.field == field))
        {
            return Some(SortKey::Column(i));
        }
        if self.source == Rows::Matrix {
            let hit = self.scan.submissions.iter().position(|s| {
                s.id.eq_ignore_ascii_case(&key) || short(&s.id).eq_ignore_ascii_case(&key)
            });
            if let Some(i) = hit {
                return Some(SortKey::Submission(i as u32));
            }
        }
        let keys: Vec<String> = cols.iter().map(Column::key).collect();
        let mut d = self
            .error(
                Code::E408,
                name.span.clone(),
                format!("cannot order these rows by `{}`", name.text),
            )
            .with_label("not a column of the result");
        let extra = if self.source == Rows::Matrix {
            " or a submission's folder name"
        } else {
            ""
        };
        d = d.with_help(match closest(&name.text, keys.iter().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`? columns: {}{extra}", keys.join(", ")),
            None => format!("columns: {}{extra}", keys.join(", ")),
        });
        self.diags.push(d);
        None
    }
}
