//! Sync: clones or updates the official repository
//! (cncf/k8s-ai-conformance) into the cache folder, where it becomes the
//! default corpus, or into a folder of the user's choice. The URL can be
//! overridden (`AICONF_SYNC_URL`, or the hidden `--url` flag), which is how
//! the tests sync from a local repository instead of the network.

use crate::diagnostic::Code;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::git::{self, git_command, output, PathKind};

/// The official repository.
pub const OFFICIAL_URL: &str = "https://github.com/cncf/k8s-ai-conformance";

/// The variable that overrides the URL synced from.
pub const URL_ENV: &str = "AICONF_SYNC_URL";

/// The URL to sync from: `AICONF_SYNC_URL`, or the official repository.
pub fn url() -> String {
    std::env::var(URL_ENV)
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| OFFICIAL_URL.to_string())
}

/// What a sync did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Synced {
    pub dir: PathBuf,
    pub url: String,
    /// The commit before, `None` for a fresh clone.
    pub before: Option<String>,
    pub after: String,
    /// Commits gained.
    pub new_commits: usize,
}

impl Synced {
    /// One line for the terminal.
    pub fn summary(&self) -> String {
        let short = |c: &str| c[..c.len().min(7)].to_string();
        match &self.before {
            None => format!(
                "cloned {} into {} at {}\n",
                self.url,
                self.dir.display(),
                short(&self.after)
            ),
            Some(b) if *b == self.after => format!(
                "{} is up to date with {} at {}\n",
                self.dir.display(),
                self.url,
                short(b)
            ),
            Some(b) => format!(
                "updated {} from {}: {}..{} ({} new commit{})\n",
                self.dir.display(),
                self.url,
                short(b),
                short(&self.after),
                self.new_commits,
                if self.new_commits == 1 { "" } else { "s" }
            ),
        }
    }
}

/// Clones `url` into `dir`, or fast-forwards the clone already there.
pub fn sync(url: &str, dir: &Path) -> Result<Synced, Diagnostic> {
    let shown = dir.display().to_string();
    match git::detect(dir) {
        PathKind::WorkTree => update(url, dir),
        PathKind::Missing => clone(url, dir),
        PathKind::Directory if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()) => {
            clone(url, dir)
        }
        _ => Err(Diagnostic::error(
            Code::E260,
            shown,
            "cannot sync into this folder: it exists and is not a clone",
        )
        .with_help("pass --into a new folder, or an existing clone of cncf/k8s-ai-conformance")),
    }
}

fn clone(url: &str, dir: &Path) -> Result<Synced, Diagnostic> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(
                Code::E260,
                parent.display().to_string(),
                format!("cannot create the folder: {e}"),
            )
        })?;
    }
    output(git_command().args(["clone", "--quiet", "--", url]).arg(dir))
        .map_err(|e| unreachable(url, &e))?;
    let after = head(dir)?;
    Ok(Synced {
        dir: dir.to_path_buf(),
        url: url.to_string(),
        before: None,
        after,
        new_commits: 0,
    })
}

fn update(url: &str, dir: &Path) -> Result<Synced, Diagnostic> {
    let before = head(dir)?;
    output(
        git_command()
            .arg("-C")
            .arg(dir)
            .args(["fetch", "--quiet", "--", url, "HEAD"]),
    )
    .map_err(|e| unreachable(url, &e))?;
    output(git_command().arg("-C").arg(dir).args(["merge", "--ff-only", "--quiet", "FETCH_HEAD"])).map_err(|e| {
        Diagnostic::error(Code::E262, dir.display().to_string(), format!("cannot fast-forward the clone: {e}"))
            .with_help("the clone has commits or changes of its own; sync into another folder with --into, or fix the clone with git")
    })?;
    let after = head(dir)?;
    let range = format!("{before}..{after}");
    let count = output(
        git_command()
            .arg("-C")
            .arg(dir)
            .args(["rev-list", "--count", &range]),
    )
    .unwrap_or_default();
    let new_commits = String::from_utf8_lossy(&count).trim().parse().unwrap_or(0);
    Ok(Synced {
        dir: dir.to_path_buf(),
        url: url.to_string(),
        before: Some(before),
        after,
        new_commits,
    })
}

fn head(dir: &Path) -> Result<String, Diagnostic> {
    let out =
        output(git_command().arg("-C").arg(dir).args(["rev-parse", "HEAD"])).map_err(|e| {
            Diagnostic::error(
                Code::E262,
                dir.display().to_string(),
                format!("the clone has no commit: {e}"),
            )
        })?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// The repository could not be reached (offline, or a wrong URL).
fn unreachable(url: &str, why: &str) -> Diagnostic {
    Diagnostic::error(Code::E261, url, format!("cannot fetch the repository: {why}")).with_help(
        "offline? point --corpus at a local copy instead: a clone (`--corpus ~/src/k8s-ai-conformance`), \
         a bundle (`--corpus history.bundle`), or a directory of its files",
    )
}
