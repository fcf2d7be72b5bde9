//! The evidence behind each cell of the report's matrices, for the HTML
//! page: every mention of a project in a submission (file, line, quote, the
//! version it pins with its kind, whether it is negated or hedged), and
//! where the file can be read at the corpus's commit when the corpus is a
//! revision of a GitHub repository. The Markdown report has no room for it
//! and prints the plain table.

use std::collections::HashMap;

use crate::rules::RuleSet;
use crate::scan::Scan;
use crate::tables::view;
use crate::tables::Matrix;

/// Where the corpus comes from, when it is a git revision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    /// The commit (the original repository's when the history was rewritten
    /// with `Original-Commit:` trailers).
    pub commit: String,
    /// Its committer date, ISO 8601.
    pub date: String,
    /// `https://github.com/OWNER/REPO`, when the corpus is a copy of one.
    pub github: Option<String>,
}

impl Revision {
    /// The page of `path` at the commit, at `line`: only for a GitHub
    /// repository, with every path segment percent-encoded.
    pub fn link(&self, path: &str, line: usize) -> Option<String> {
        let base = self.github.as_deref()?;
        let path: Vec<String> = path.split('/').map(percent_encode).collect();
        Some(format!(
            "{base}/blob/{}/{}#L{line}",
            percent_encode(&self.commit),
            path.join("/")
        ))
    }
}

/// `https://github.com/OWNER/REPO` from a remote's URL (`git@github.com:o/r.git`,
/// `https://github.com/o/r`), or `None` for any other host or a malformed one.
pub fn github_repository(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("http://github.com/"))
        .or_else(|| url.strip_prefix("git@github.com:"))
        .or_else(|| url.strip_prefix("ssh://git@github.com/"))?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let mut parts = rest.split('/');
    let (owner, repo) = (parts.next()?, parts.next()?);
    let ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (parts.next().is_none() && ok(owner) && ok(repo))
        .then(|| format!("https://github.com/{owner}/{repo}"))
}

/// RFC 3986 unreserved characters stay; every other byte is `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One mention, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub file: String,
    pub line: usize,
    pub quote: String,
    /// `1.0.1 (package)`; a project's own version bare.
    pub version: Option<String>,
    /// `negated`, `hedged` or `None` (uses).
    pub stance: Option<&'static str>,
}

/// The evidence of one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellEvidence {
    pub mentions: Vec<Mention>,
    /// All mentions, including those the scan kept only as a count.
    pub total: usize,
    /// The versions with their kinds.
    pub versions: Vec<String>,
    /// Every mention negated / every mention hedged or negated.
    pub negated: bool,
    pub hedged: bool,
}

/// The evidence of one matrix, by (project display name, submission folder)
/// as the matrix table names its rows and columns, and each row's category.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatrixEvidence {
    pub version: String,
    pub cells: HashMap<(String, String), CellEvidence>,
    pub categories: HashMap<String, String>,
    pub revision: Option<Revision>,
}

impl MatrixEvidence {
    pub fn of(m: &Matrix, scan: &Scan, rules: &RuleSet, revision: Option<&Revision>) -> Self {
        let mut cells = HashMap::new();
        let mut categories = HashMap::new();
        for &rule in &m.projects {
            let r = rules.get(rule);
            categories.insert(r.name.clone(), r.category.to_string());
            for &s in &m.submissions {
                let Some(f) = scan.finding(s, rule) else {
                    continue;
                };
                let mentions = f
                    .evidence
                    .iter()
                    .map(|e| Mention {
                        file: e.file.clone(),
                        line: e.line,
                        quote: e.quote.clone(),
                        version: e.version.as_ref().map(|v| match e.version_kind {
                            Some(k) => k.label(v),
                            None => v.clone(),
                        }),
                        stance: if e.negated {
                            Some("negated")
                        } else if e.hedged {
                            Some("hedged")
                        } else {
                            None
                        },
                    })
                    .collect();
                cells.insert(
                    (r.name.clone(), view::short_name(scan, s)),
                    CellEvidence {
                        mentions,
                        total: f.mentions,
                        versions: f.version_labels(),
                        negated: f.negated,
                        hedged: f.hedged,
                    },
                );
            }
        }
        MatrixEvidence {
            version: m.version.clone(),
            cells,
            categories,
            revision: revision.cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_repositories_only_from_their_urls() {
        let want = Some("https://github.com/cncf/k8s-ai-conformance".to_string());
        assert_eq!(
            github_repository("https://github.com/cncf/k8s-ai-conformance.git"),
            want
        );
        assert_eq!(
            github_repository("git@github.com:cncf/k8s-ai-conformance.git"),
            want
        );
        assert_eq!(
            github_repository("https://github.com/cncf/k8s-ai-conformance/"),
            want
        );
        assert_eq!(github_repository("https://gitlab.com/cncf/x"), None);
        assert_eq!(github_repository("https://github.com/cncf/x/y"), None);
        assert_eq!(github_repository("https://github.com/../x"), None);
        assert_eq!(github_repository("https://github.com/a\"onclick=x/b"), None);
        assert_eq!(
            github_repository("javascript:alert(1)//github.com/a/b"),
            None
        );
    }

    #[test]
    fn links_encode_every_path_segment() {
        let r = Revision {
            commit: "abc123".into(),
            date: String::new(),
            github: Some("https://github.com/o/r".into()),
        };
        assert_eq!(
            r.link("v1.34/a b/\"x\".md", 7).as_deref(),
            Some("https://github.com/o/r/blob/abc123/v1.34/a%20b/%22x%22.md#L7")
        );
        assert_eq!(Revision { github: None, ..r }.link("a", 1), None);
    }
}
