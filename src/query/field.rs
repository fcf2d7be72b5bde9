//! Fields: the closed list of names a query may test, group and sort by,
//! what each is about (a submission, a project, a finding, or a count made
//! after filtering), what its values are, and the columns each source
//! returns. `vendor` means the project's vendor except in `submissions`,
//! whose rows are submissions.

use super::ast::Rows;

/// What a field describes; decides which filter stage a test belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// The submission: a test of it decides the scope (the submissions counted).
    Submission,
    /// The project (the rule).
    Project,
    /// The finding: what one submission says about one project.
    Finding,
    /// A count over the submissions in scope (`stacks`, `share`), tested after counting.
    Aggregate,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Submission => "submissions",
            Entity::Project => "projects",
            Entity::Finding => "findings",
            Entity::Aggregate => "`adoption` rows",
        }
    }
}

/// What a field's values are, which decides the operators and how a value is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// A submission id (`v1.34/gke`) or folder name (`gke`).
    Submission,
    /// A Kubernetes version, compared as a version.
    Version,
    /// Text whose values are known from the loaded data; `=` checks the value exists.
    Known,
    /// Free text (paths, URLs); no check.
    Text,
    /// A project display name or rule id.
    Project,
    Category,
    Cncf,
    Cell,
    Section,
    Bool,
    /// A whole number.
    Count,
    /// A share 0..1 (or `N%`).
    Share,
    /// A project's version as the vendor wrote it: compared as a version
    /// when it reads as one (`0.9`, `v0.9.1`), else as text.
    ProjectVersion,
}

/// A field a query can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Submission,
    Version,
    Platform,
    SubmissionVendor,
    Project,
    Category,
    Cncf,
    Vendor,
    Repo,
    License,
    Cell,
    Versions,
    Section,
    Negated,
    Mentions,
    File,
    Stacks,
    Share,
}

/// The requirement sections of the checklist (`spec.<section>`), plus `metadata`.
pub use crate::scan::section::SECTIONS;

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Submission,
        Field::Version,
        Field::Platform,
        Field::SubmissionVendor,
        Field::Project,
        Field::Category,
        Field::Cncf,
        Field::Vendor,
        Field::Repo,
        Field::License,
        Field::Cell,
        Field::Versions,
        Field::Section,
        Field::Negated,
        Field::Mentions,
        Field::File,
        Field::Stacks,
        Field::Share,
    ];

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Submission => "submission",
            Field::Version => "version",
            Field::Platform => "platform",
            Field::SubmissionVendor => "submission_vendor",
            Field::Project => "project",
            Field::Category => "category",
            Field::Cncf => "cncf",
            Field::Vendor => "vendor",
            Field::Repo => "repo",
            Field::License => "license",
            Field::Cell => "cell",
            Field::Versions => "versions",
            Field::Section => "section",
            Field::Negated => "negated",
            Field::Mentions => "mentions",
            Field::File => "file",
            Field::Stacks => "stacks",
            Field::Share => "share",
        }
    }

    /// Other names accepted for the field.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Version => &["kubernetes_version", "k8s_version"],
            Field::SubmissionVendor => &["platform_vendor"],
            Field::Project => &["name", "id"],
            Field::Cncf => &["cncf_status", "status"],
            Field::Vendor => &["project_vendor"],
            Field::Section => &["sections"],
            Field::Versions => &["project_version"],
            Field::File => &["evidence"],
            _ => &[],
        }
    }

    /// The column header for the field.
    pub fn header(self) -> &'static str {
        match self {
            Field::Submission => "Submission",
            Field::Version => "Kubernetes Version",
            Field::Platform => "Platform",
            Field::SubmissionVendor | Field::Vendor => "Vendor",
            Field::Project => "Project",
            Field::Category => "Category",
            Field::Cncf => "CNCF",
            Field::Repo => "Repo",
            Field::License => "License",
            Field::Cell => "Cell",
            Field::Versions => "Versions",
            Field::Section => "Section",
            Field::Negated => "Negated",
            Field::Mentions => "Mentions",
            Field::File => "File",
            Field::Stacks => "Stacks",
            Field::Share => "Share",
        }
    }

    pub fn entity(self) -> Entity {
        match self {
            Field::Submission | Field::Version | Field::Platform | Field::SubmissionVendor => {
                Entity::Submission
            }
            Field::Project
            | Field::Category
            | Field::Cncf
            | Field::Vendor
            | Field::Repo
            | Field::License => Entity::Project,
            Field::Cell
            | Field::Versions
            | Field::Section
            | Field::Negated
            | Field::Mentions
            | Field::File => Entity::Finding,
            Field::Stacks | Field::Share => Entity::Aggregate,
        }
    }

    pub fn kind(self) -> FieldKind {
        match self {
            Field::Submission => FieldKind::Submission,
            Field::Version => FieldKind::Version,
            Field::Platform | Field::SubmissionVendor | Field::Vendor | Field::License => {
                FieldKind::Known
            }
            Field::Repo | Field::File => FieldKind::Text,
            Field::Project => FieldKind::Project,
            Field::Category => FieldKind::Category,
            Field::Cncf => FieldKind::Cncf,
            Field::Cell => FieldKind::Cell,
            Field::Versions => FieldKind::ProjectVersion,
            Field::Section => FieldKind::Section,
            Field::Negated => FieldKind::Bool,
            Field::Mentions | Field::Stacks => FieldKind::Count,
            Field::Share => FieldKind::Share,
        }
    }

    /// One line for `.help` and the README.
    pub fn doc(self) -> &'static str {
        match self {
            Field::Submission => "the submission: `v1.34/gke`, or a folder name (`gke`) for every version",
            Field::Version => "the submission's Kubernetes version, compared as a version (1.34 = v1.34 = 1.34.0; 1.9 < 1.34)",
            Field::Platform => "the submission's platform name (metadata.platformName)",
            Field::SubmissionVendor => "the submission's vendor (metadata.vendorName); `vendor` in `submissions`",
            Field::Project => "the project's display name or rule id",
            Field::Category => "the project's category (Scheduling, Networking, ...)",
            Field::Cncf => "the project's CNCF status (Graduated, Incubating, Sandbox, ...)",
            Field::Vendor => "the organisation behind the project",
            Field::Repo => "the project's repository",
            Field::License => "the project's licence",
            Field::Cell => "M (named with a version), X (named) or - (not named)",
            Field::Versions => "a version of the project the submission names (`versions >= 2.0`, `versions ~ 25.`)",
            Field::Section => "the section of PRODUCT.yaml a mention is in (schedulingOrchestration, ...)",
            Field::Negated => "true when every mention says the project is absent",
            Field::Mentions => "how many times the submission names the project",
            Field::File => "a file a mention is in",
            Field::Stacks => "submissions in scope that name the project (adoption)",
            Field::Share => "stacks / submissions in scope, 0..1 or N% (adoption)",
        }
    }

    /// The field written `text` (case-insensitive) in a query over `source`.
    pub fn lookup(text: &str, source: Rows) -> Option<Field> {
        let t = text.to_ascii_lowercase();
        if t == "vendor" && source == Rows::Submissions {
            return Some(Field::SubmissionVendor);
        }
        Field::ALL
            .into_iter()
            .find(|f| f.name() == t || f.aliases().contains(&t.as_str()))
    }

    /// May a `where` clause over `source` test this field?
    pub fn allowed_in(self, source: Rows) -> bool {
        match source {
            Rows::Adoption => true,
            Rows::Matrix | Rows::Findings => self.entity() != Entity::Aggregate,
            Rows::Submissions => self.entity() == Entity::Submission,
            Rows::Projects => self.entity() == Entity::Project,
        }
    }

    /// The fields a `where` over `source` may test, canonical names.
    pub fn names_for(source: Rows) -> Vec<&'static str> {
        Field::ALL
            .into_iter()
            .filter(|f| f.allowed_in(source))
            .map(|f| {
                if source == Rows::Submissions && f == Field::SubmissionVendor {
                    "vendor"
                } else {
                    f.name()
                }
            })
            .collect()
    }

    /// May `group by` this field over `source`?
    pub fn groupable_in(self, source: Rows) -> bool {
        match source {
            Rows::Adoption => matches!(self.entity(), Entity::Project | Entity::Submission),
            Rows::Matrix => false,
            _ => self.allowed_in(source) && self.entity() != Entity::Aggregate,
        }
    }
}

/// One column of a result, with the field it shows (for `order by FIELD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub field: Option<Field>,
}

impl Column {
    fn of(field: Field) -> Column {
        Column {
            header: field.header().to_string(),
            field: Some(field),
        }
    }

    fn named(header: &str) -> Column {
        Column {
            header: header.to_string(),
            field: None,
        }
    }

    /// The JSON key and `order by` name: the header in snake_case.
    pub fn key(&self) -> String {
        crate::output::table::snake_case(&self.header)
    }

    /// What the column's values are (for `having`): its field's kind, or a
    /// count for `count` and `projects`, else text.
    pub fn kind(&self) -> FieldKind {
        match (self.field, self.header.as_str()) {
            (Some(f), _) => f.kind(),
            (None, "Count" | "Projects") => FieldKind::Count,
            _ => FieldKind::Text,
        }
    }
}

/// The fixed columns of `source` (grouped by `group`); `matrix` adds one per submission.
pub fn columns(source: Rows, group: &[Field]) -> Vec<Column> {
    use Field as F;
    if !group.is_empty() {
        let mut cols: Vec<Column> = group.iter().map(|&g| Column::of(g)).collect();
        match source {
            Rows::Adoption => cols.extend([
                Column::named("Projects"),
                Column::of(F::Stacks),
                Column::of(F::Share),
            ]),
            _ => cols.push(Column::named("Count")),
        }
        return cols;
    }
    match source {
        Rows::Adoption => [
            F::Project,
            F::Stacks,
            F::Share,
            F::Category,
            F::Cncf,
            F::Vendor,
        ]
        .map(Column::of)
        .to_vec(),
        Rows::Matrix => vec![Column::of(F::Project)],
        Rows::Findings => vec![
            Column::of(F::Submission),
            Column::of(F::Project),
            Column::of(F::Cell),
            Column::of(F::Versions),
            Column::of(F::Negated),
            Column::of(F::Mentions),
            Column {
                header: "Sections".to_string(),
                field: Some(F::Section),
            },
            Column {
                header: "Evidence".to_string(),
                field: Some(F::File),
            },
            Column::named("Quote"),
        ],
        Rows::Submissions => [F::Submission, F::Version, F::Platform, F::SubmissionVendor]
            .map(Column::of)
            .to_vec(),
        Rows::Projects => {
            let mut c = [F::Project].map(Column::of).to_vec();
            c.push(Column::named("Id"));
            c.extend([F::Category, F::Cncf, F::Vendor, F::Repo, F::License].map(Column::of));
            c
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_means_the_rows_vendor() {
        assert_eq!(Field::lookup("vendor", Rows::Adoption), Some(Field::Vendor));
        assert_eq!(
            Field::lookup("Vendor", Rows::Submissions),
            Some(Field::SubmissionVendor)
        );
        assert_eq!(
            Field::lookup("kubernetes_version", Rows::Findings),
            Some(Field::Version)
        );
        assert_eq!(Field::lookup("categry", Rows::Adoption), None);
    }

    #[test]
    fn json_keys_of_the_contract() {
        let keys = |s, g: &[Field]| columns(s, g).iter().map(Column::key).collect::<Vec<_>>();
        assert_eq!(
            keys(Rows::Adoption, &[]),
            ["project", "stacks", "share", "category", "cncf", "vendor"]
        );
        assert_eq!(
            keys(Rows::Submissions, &[]),
            ["submission", "kubernetes_version", "platform", "vendor"]
        );
        assert_eq!(
            keys(Rows::Adoption, &[Field::Category]),
            ["category", "projects", "stacks", "share"]
        );
    }

    #[test]
    fn which_fields_each_source_tests() {
        assert!(Field::Version.allowed_in(Rows::Adoption));
        assert!(!Field::Category.allowed_in(Rows::Submissions));
        assert!(!Field::Stacks.allowed_in(Rows::Findings));
        assert!(Field::Version.groupable_in(Rows::Adoption));
        assert!(!Field::Cell.groupable_in(Rows::Adoption));
        assert!(Field::Version.groupable_in(Rows::Findings));
    }
}
