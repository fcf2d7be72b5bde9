//! The cache folder: where aiconf keeps what it fetched or unpacked (the
//! `aiconf sync` clone of cncf/k8s-ai-conformance, and bundles cloned so
//! their objects can be read). `AICONF_CACHE_DIR` overrides the place; the
//! default is the user's cache directory (`~/.cache/aiconf` on Linux), or a
//! folder in the temporary directory when there is none.

use std::path::{Path, PathBuf};

/// The variable that overrides the cache folder.
pub const CACHE_ENV: &str = "AICONF_CACHE_DIR";

/// The cache folder (not created here).
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    match dirs::cache_dir() {
        Some(d) => d.join("aiconf"),
        None => std::env::temp_dir().join("aiconf-cache"),
    }
}

/// Where `aiconf sync` keeps its clone, and the default corpus.
pub fn synced_clone() -> PathBuf {
    root().join("k8s-ai-conformance")
}

/// Where the clone of the bundle at `bundle` (a canonical path) is kept:
/// one folder per bundle path, named after the file and a hash of the path.
pub fn bundle_dir(bundle: &Path) -> PathBuf {
    let name: String = bundle
        .file_stem()
        .map(|s| {
            s.to_string_lossy()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    root().join("bundles").join(format!(
        "{name}-{:016x}",
        fnv1a(bundle.to_string_lossy().as_bytes())
    ))
}

/// FNV-1a: a stable 64-bit hash for folder names (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_folders_differ_by_path_and_are_stable() {
        let a = bundle_dir(Path::new("/x/history.bundle"));
        let b = bundle_dir(Path::new("/y/history.bundle"));
        assert_ne!(a, b);
        assert_eq!(a, bundle_dir(Path::new("/x/history.bundle")));
        assert!(a
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("history-"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
