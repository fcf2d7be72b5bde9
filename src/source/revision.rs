//! Where a corpus comes from when it is a git revision: its commit, date and GitHub
//! repository, and the link to a file's line there (the report's evidence links to it).

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
