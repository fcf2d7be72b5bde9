//! The corpus: where submission files come from and how they group into
//! submissions. A [`Source`] lists and reads files (a directory here; a git
//! revision in `git.rs`); [`load`] turns the listing into a [`Corpus`]:
//! submissions `vMAJOR.MINOR/<name>/...`, the checklist templates
//! `docs/AIConformance-*.yaml`, and diagnostics for what could not be read.

use crate::diagnostic::Code;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::limit;

/// Index of a submission in [`Corpus::submissions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SubmissionId(pub u32);

/// One file of the corpus, as its source lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    /// Size in bytes, when known before reading.
    pub size: u64,
    /// A content id (a git blob id) when the source has one; used for caching.
    pub content_id: Option<String>,
}

/// Where the corpus's files come from.
pub trait Source: Sync {
    /// A human-readable name for messages, e.g. the directory path.
    fn describe(&self) -> String;
    /// Every file, sorted by path; problems that do not stop the listing go to `diags`.
    fn list(&self, diags: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic>;
    /// The bytes of one listed file.
    fn read(&self, entry: &FileEntry) -> io::Result<Vec<u8>>;
    /// A reader over one listed file, for files too large to hold whole
    /// (the default reads it whole; sources that can stream override it).
    fn open(&self, entry: &FileEntry) -> io::Result<Box<dyn io::Read + '_>> {
        Ok(Box::new(io::Cursor::new(self.read(entry)?)))
    }
    /// The commit this corpus is, with its date and the GitHub repository it
    /// is a copy of, when it is a git revision (a directory has none).
    fn revision(&self) -> Option<crate::source::Revision> {
        None
    }
}

/// A corpus in a directory laid out like the repository.
#[derive(Clone, Debug)]
pub struct DirSource {
    root: PathBuf,
}

impl DirSource {
    /// The corpus in the folder `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSource { root: root.into() }
    }

    /// Its folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Source for DirSource {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn list(&self, diags: &mut Vec<Diagnostic>) -> Result<Vec<FileEntry>, Diagnostic> {
        let meta = std::fs::metadata(&self.root).map_err(|e| {
            Diagnostic::error(Code::E200, self.describe(), format!("cannot open the corpus: {e}"))
                .with_help("--corpus takes a directory laid out like cncf/k8s-ai-conformance (v1.34/<platform>/PRODUCT.yaml)")
        })?;
        if !meta.is_dir() {
            return Err(Diagnostic::error(Code::E200, self.describe(), "the corpus is not a directory")
                .with_help("--corpus takes a directory laid out like cncf/k8s-ai-conformance, or a git repository or bundle"));
        }
        let mut out = crate::source::walk::walk(&self.root, diags);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn read(&self, entry: &FileEntry) -> io::Result<Vec<u8>> {
        std::fs::read(self.root.join(&entry.path))
    }

    fn open(&self, entry: &FileEntry) -> io::Result<Box<dyn io::Read + '_>> {
        Ok(Box::new(std::fs::File::open(self.root.join(&entry.path))?))
    }
}

/// E212: no submission `id` in a corpus of submissions `ids`, with the submissions of that
/// folder name or the nearest id as help.
pub fn no_submission<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Diagnostic {
    let ids: Vec<&str> = ids.collect();
    let d = Diagnostic::error(
        Code::E212,
        id,
        format!("no submission `{id}` in the corpus"),
    );
    let same_folder: Vec<String> = ids
        .iter()
        .filter(|s| {
            s.rsplit('/')
                .next()
                .is_some_and(|f| f.eq_ignore_ascii_case(id))
        })
        .map(|s| format!("`{s}`"))
        .collect();
    if !same_folder.is_empty() {
        d.with_help(format!(
            "a submission is `VERSION/FOLDER`: {}",
            same_folder.join(" or ")
        ))
    } else if let Some(c) = crate::rules::closest(id, ids.iter().copied()) {
        d.with_help(format!("did you mean `{c}`?"))
    } else {
        d
    }
}

/// One submission: a folder `vMAJOR.MINOR/<name>/`.
#[derive(Clone, Debug, Serialize)]
pub struct Submission {
    /// The folder path, e.g. `v1.34/gardener` (case kept).
    pub id: String,
    /// As written in the folder name, e.g. `v1.34`.
    pub kubernetes_version: String,
    /// The folder name, e.g. `gardener`.
    pub name: String,
    /// Its files (paths relative to the corpus root), sorted.
    #[serde(skip)]
    pub files: Vec<FileEntry>,
}

/// The submissions and templates of one corpus.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub submissions: Vec<Submission>,
    /// `docs/AIConformance-*.yaml`: the checklist templates.
    pub templates: Vec<FileEntry>,
}

impl Corpus {
    pub fn get(&self, id: SubmissionId) -> &Submission {
        &self.submissions[id.0 as usize]
    }

    /// The submission `id` names (case-insensitively), or E212 with the nearest ids as help.
    pub fn resolve(&self, id: &str) -> Result<SubmissionId, Diagnostic> {
        self.find(id)
            .ok_or_else(|| no_submission(id, self.submissions.iter().map(|s| s.id.as_str())))
    }

    /// Finds a submission by id (`v1.34/gardener`), case-insensitively.
    pub fn find(&self, id: &str) -> Option<SubmissionId> {
        self.submissions
            .iter()
            .position(|s| s.id.eq_ignore_ascii_case(id))
            .map(|i| SubmissionId(i as u32))
    }

    /// The Kubernetes version folders present, sorted as versions.
    pub fn versions(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .submissions
            .iter()
            .map(|s| s.kubernetes_version.clone())
            .collect();
        v.sort_by_key(|s| version_key(s));
        v.dedup();
        v
    }
}

/// Groups a source's listing into submissions and templates.
pub fn load(source: &dyn Source) -> Result<(Corpus, Vec<Diagnostic>), Diagnostic> {
    let mut diags = Vec::new();
    let files = source.list(&mut diags)?;
    Ok((group(files, &mut diags), diags))
}

/// An error (E206) when `corpus` holds no submission, with a hint from the
/// listing: a path one level too deep (a version folder: `v1.34/`, or a
/// folder of submission folders) or two (a submission folder), or empty.
pub fn require_submissions(source: &dyn Source, corpus: &Corpus) -> Result<(), Diagnostic> {
    if !corpus.submissions.is_empty() {
        return Ok(());
    }
    let files = source.list(&mut Vec::new()).unwrap_or_default();
    let described = source.describe();
    let name = Path::new(&described)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let depth_of_product = |depth: usize| {
        files.iter().any(|f| {
            let parts: Vec<&str> = f.path.split('/').collect();
            parts.len() == depth && parts[depth - 1] == "PRODUCT.yaml"
        })
    };
    let help = if is_version_folder(&name) || depth_of_product(2) {
        "this looks like a version folder; did you mean its parent?".to_string()
    } else if depth_of_product(1) {
        "this looks like a submission folder; did you mean the folder two levels up?".to_string()
    } else if files.is_empty() {
        "the corpus is empty; a corpus holds vMAJOR.MINOR/<submission>/ folders, as cncf/k8s-ai-conformance does".to_string()
    } else {
        "a corpus holds vMAJOR.MINOR/<submission>/ folders (e.g. v1.34/gke/PRODUCT.yaml), as cncf/k8s-ai-conformance does".to_string()
    };
    Err(Diagnostic::error(
        Code::E206,
        described,
        "no submission in the corpus: no vMAJOR.MINOR/<submission>/ folder",
    )
    .with_help(help))
}

/// Groups listed files: `vX.Y/<name>/**` into submissions, `docs/AIConformance-*.yaml` into
/// templates; a file of either larger than the [file size limit](limit) is left out (W207).
pub fn group(files: Vec<FileEntry>, diags: &mut Vec<Diagnostic>) -> Corpus {
    let mut subs: BTreeMap<(Vec<u32>, String, String), Vec<FileEntry>> = BTreeMap::new();
    let mut templates = Vec::new();
    let mut bad_names = std::collections::BTreeSet::new();
    let max = limit::max_file_size(diags);
    let kept = |f: &FileEntry, diags: &mut Vec<Diagnostic>| match max {
        Some(max) if f.size > max => {
            diags.push(limit::over_limit(f, max));
            false
        }
        _ => true,
    };
    for f in files {
        if let Some((folder, why)) = not_a_name(&f.path) {
            if bad_names.insert(folder.clone()) {
                diags.push(Diagnostic::error(
                    Code::E205,
                    folder,
                    format!(
                        "{why} is not a file or folder name: skipped, with everything under it"
                    ),
                ));
            }
            continue;
        }
        let parts: Vec<&str> = f.path.split('/').collect();
        if parts.len() == 2
            && parts[0] == "docs"
            && parts[1].starts_with("AIConformance-")
            && parts[1].ends_with(".yaml")
        {
            if kept(&f, diags) {
                templates.push(f);
            }
            continue;
        }
        if parts.len() >= 3 && is_version_folder(parts[0]) && kept(&f, diags) {
            let key = (
                version_key(parts[0]),
                parts[1].to_lowercase(),
                format!("{}/{}", parts[0], parts[1]),
            );
            subs.entry(key).or_default().push(f);
        }
    }
    Corpus {
        submissions: submissions(subs, diags),
        templates,
    }
}

/// The grouped files as submissions, in key order; one without `PRODUCT.yaml` is W203.
fn submissions(
    subs: BTreeMap<(Vec<u32>, String, String), Vec<FileEntry>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Submission> {
    let mut out = Vec::new();
    for ((_, _, id), files) in subs {
        let (version, name) = id.split_once('/').expect("id has a slash");
        let product = format!("{id}/PRODUCT.yaml");
        if !files.iter().any(|f| f.path == product) {
            diags.push(Diagnostic::warning(
                Code::W203,
                id.clone(),
                "submission folder has no PRODUCT.yaml; its other files are scanned",
            ));
        }
        out.push(Submission {
            kubernetes_version: version.to_string(),
            name: name.to_string(),
            id,
            files,
        });
    }
    out
}

/// The first part of `path` that is not a name ([`sink::name_problem`](crate::output::sink::name_problem): `.`,
/// `..`, empty, control characters), as the path up to it, and why. Git trees
/// can hold such entries and file systems some of them; none is a submission.
fn not_a_name(path: &str) -> Option<(String, &'static str)> {
    let mut end = 0;
    for part in path.split('/') {
        end += part.len();
        if let Some(why) = crate::output::sink::name_problem(part) {
            return Some((path[..end].to_string(), why));
        }
        end += 1;
    }
    None
}

/// `v1.34` and the like.
pub fn is_version_folder(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.split('.');
    let ok =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Numeric sort key of a version string (`v1.9` < `v1.34`); non-numbers sort last.
pub fn version_key(v: &str) -> Vec<u32> {
    v.trim_start_matches(['v', 'V'])
        .split('.')
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    fn entry(p: &str) -> FileEntry {
        FileEntry {
            path: p.to_string(),
            size: 0,
            content_id: None,
        }
    }

    #[test]
    fn groups_submissions_by_version_folder_and_keeps_case() {
        let files = vec![
            entry("v1.34/OKE/PRODUCT.yaml"),
            entry("v1.34/ack/PRODUCT.yaml"),
            entry("v1.34/ack/docs/README.md"),
            entry("v1.9/x/PRODUCT.yaml"),
            entry("docs/AIConformance-1.34.yaml"),
            entry("README.md"),
        ];
        let mut d = Vec::new();
        let c = group(files, &mut d);
        let ids: Vec<&str> = c.submissions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["v1.9/x", "v1.34/ack", "v1.34/OKE"]);
        assert_eq!(c.submissions[1].files.len(), 2);
        assert_eq!(c.templates.len(), 1);
        assert!(d.is_empty());
    }

    #[test]
    fn names_that_are_not_names_are_reported_and_skipped() {
        let files = vec![
            entry("v1.34/../PRODUCT.yaml"),
            entry("v1.34/./PRODUCT.yaml"),
            entry("v1.34//PRODUCT.yaml"),
            entry("v1.34/x\u{1b}[31mred/PRODUCT.yaml"),
            entry("v1.34/x\u{1b}[31mred/notes.md"),
            entry("v1.34/new\nline/PRODUCT.yaml"),
            entry("v1.34/ok/PRODUCT.yaml"),
            entry("v1.34/ok/log\u{202e}txt.md"),
        ];
        let mut d = Vec::new();
        let c = group(files, &mut d);
        let ids: Vec<&str> = c.submissions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["v1.34/ok"]);
        assert_eq!(c.submissions[0].files.len(), 1);
        let got: Vec<(Code, &str)> = d.iter().map(|d| (d.code, d.file.as_str())).collect();
        assert_eq!(
            got,
            [
                (Code::E205, "v1.34/.."),
                (Code::E205, "v1.34/."),
                (Code::E205, "v1.34/"),
                (Code::E205, "v1.34/x\u{1b}[31mred"),
                (Code::E205, "v1.34/new\nline"),
                (Code::E205, "v1.34/ok/log\u{202e}txt.md"),
            ]
        );
    }

    #[test]
    fn version_folders() {
        assert!(is_version_folder("v1.34"));
        assert!(!is_version_folder("v1"));
        assert!(!is_version_folder("docs"));
        assert!(version_key("v1.9") < version_key("v1.34"));
    }
}
