//! A bundle read as a repository: cloned once per version of the file into
//! the cache folder.

use std::path::{Path, PathBuf};

use super::{git_command, output};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::cache;

/// Name of the stamp file that records which bundle a cached clone came from.
const STAMP: &str = "aiconf-bundle-stamp";

/// Clones a bundle into the cache (once per version of the file); the clone's git directory.
pub(super) fn unbundle(bundle: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = bundle.display().to_string();
    let fail = |why: String| {
        Diagnostic::error(Code::E253, &shown, format!("cannot read the git bundle: {why}"))
            .with_help(format!("check it with `git bundle verify {shown}`; a bundle is made with `git bundle create FILE --all`"))
    };
    let canon = std::fs::canonicalize(bundle).map_err(|e| fail(e.to_string()))?;
    let meta = std::fs::metadata(&canon).map_err(|e| fail(e.to_string()))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let stamp = format!("{}\n{}\n{mtime}\n", canon.display(), meta.len());
    let dir = cache::bundle_dir(&canon);
    if std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == stamp) {
        return Ok(dir);
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| {
        fail(format!(
            "cannot create the cache folder {}: {e}",
            parent.display()
        ))
    })?;
    let tmp = dir.with_extension(format!("tmp{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let cloned = output(
        git_command()
            .args(["clone", "--mirror", "--quiet", "--"])
            .arg(&canon)
            .arg(&tmp),
    );
    if let Err(e) = cloned {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(fail(e));
    }
    std::fs::write(tmp.join(STAMP), &stamp)
        .map_err(|e| fail(format!("cannot write to the cache: {e}")))?;
    // Another run may have cloned the same bundle meanwhile, and may be reading it: a complete
    // copy (its stamp written last) is used as it is, never removed under that run.
    let current = || std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == stamp);
    if current() {
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(dir);
    }
    // A stale or half-written copy is moved aside first, so the new one appears whole.
    let old = dir.with_extension(format!("old{}", std::process::id()));
    if std::fs::rename(&dir, &old).is_ok() {
        let _ = std::fs::remove_dir_all(&old);
    }
    if std::fs::rename(&tmp, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
        if !current() {
            return Err(fail(format!(
                "another process is writing the cache folder {}; try again",
                dir.display()
            )));
        }
    }
    Ok(dir)
}
