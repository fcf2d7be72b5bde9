//! The HTML report as a person sees it: opened in headless Chromium (from
//! Debian's `chromium` package, which `scripts/install-chromium.sh` installs
//! when no browser is found), the page
//! runs its script under its own Content-Security-Policy, applies the
//! filters a link asks for (the same code the form's controls call), and
//! shows each cell's evidence with links to the files at the corpus's
//! commit. A submission whose every string tries to run script in the page
//! runs nothing. When no browser can be found or installed the tests fail
//! and say how to get one.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{aiconf, shared_path};

/// Chromium's binary: `$AICONF_CHROMIUM`, else the first of the usual names on
/// `PATH`; when there is none, `scripts/install-chromium.sh` installs Debian's
/// `chromium` (the way `.ci/run` does), once, and the search runs again. No
/// browser after that is a failure that says how to get one, never a skip.
fn chromium() -> PathBuf {
    static FOUND: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| find_chromium().map(Ok).unwrap_or_else(install_chromium))
        .clone()
        .unwrap_or_else(|why| panic!("{why}"))
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AICONF_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .into_iter()
    .find_map(|name| {
        std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Runs the installer under a lock file, so that test processes running at
/// the same time (nextest runs each test in its own) install once.
fn install_chromium() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock_dir = root.join("target/tmp");
    std::fs::create_dir_all(&lock_dir).map_err(|e| format!("{}: {e}", lock_dir.display()))?;
    let lock = std::fs::File::create(lock_dir.join("install-chromium.lock"))
        .map_err(|e| format!("the install lock: {e}"))?;
    lock.lock().map_err(|e| format!("the install lock: {e}"))?;
    if let Some(found) = find_chromium() {
        return Ok(found);
    }
    let out = Command::new("sh")
        .arg(root.join("scripts/install-chromium.sh"))
        .output()
        .map_err(|e| format!("scripts/install-chromium.sh: {e}"))?;
    find_chromium().ok_or_else(|| {
        format!(
            "the browser tests need headless Chromium and scripts/install-chromium.sh could not \
             install it ({}): {}\ninstall Chromium or Chrome, or set AICONF_CHROMIUM to its binary",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })
}

/// The DOM of `page` (with `fragment`) after its scripts ran.
fn dom(page: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().expect("a profile folder");
    let url = format!("file://{}{fragment}", page.display());
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("</html>"),
        "chromium printed no page for {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

/// Writes `aiconf report ... --format html` to a file of `dir`.
fn page(dir: &Path, args: &[&str]) -> PathBuf {
    let mut all = vec!["report", "--format", "html"];
    all.extend_from_slice(args);
    let out = aiconf(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.join("report.html");
    std::fs::write(&file, &out.stdout).expect("write the page");
    file
}

/// The opening tag of the first element matching `start` (`<section class="matrix" data-version="v1.33"`).
fn tag<'a>(dom: &'a str, start: &str) -> &'a str {
    let i = dom
        .find(start)
        .unwrap_or_else(|| panic!("{start} in the page"));
    &dom[i..i + dom[i..].find('>').unwrap()]
}

#[test]
fn the_head_report_shows_evidence_and_filters_by_version_and_category() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = shared_path("corpus/history.bundle");
    let file = page(
        dir.path(),
        &[
            "--corpus",
            &bundle,
            "--rev",
            "head",
            "--github",
            "https://github.com/cncf/k8s-ai-conformance",
        ],
    );
    let dom = dom(&file, "#version=v1.35&category=Scheduling");
    // The script ran (under the page's Content-Security-Policy) and showed the form.
    assert!(
        tag(&dom, "<body").contains("data-ready=\"1\""),
        "{}",
        tag(&dom, "<body")
    );
    assert!(!tag(&dom, "<form id=\"filters\"").contains("hidden"));
    // The link's filters: only v1.35's matrix, only its Scheduling rows.
    for v in ["v1.33", "v1.34"] {
        let s = tag(
            &dom,
            &format!("<section class=\"matrix\" data-version=\"{v}\""),
        );
        assert!(s.contains("hidden"), "{s}");
    }
    let v135 = tag(&dom, "<section class=\"matrix\" data-version=\"v1.35\"");
    assert!(!v135.contains("hidden"), "{v135}");
    let section = &dom[dom.find(v135).unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    let rows: Vec<&str> = section
        .match_indices("<tr data-category=")
        .map(|(i, _)| tag(&section[i..], "<tr"))
        .collect();
    assert!(
        rows.iter()
            .any(|r| r.contains("\"Scheduling\"") && !r.contains("hidden")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .filter(|r| !r.contains("\"Scheduling\""))
            .all(|r| r.contains("hidden")),
        "{rows:?}"
    );
    // Every cell's evidence: the first quote on hover, every mention with a link
    // to the file at the corpus's commit (the original repository's).
    assert!(
        section.contains("<details><summary title=\"v1.35/"),
        "hover text"
    );
    assert!(
        section.contains("href=\"https://github.com/cncf/k8s-ai-conformance/blob/b2c89690e77f705dd4aec8da7d33a3b5d9831d8e/v1.35/"),
        "links at the head commit"
    );
    assert!(
        dom.contains("The corpus is commit"),
        "the page names its commit"
    );
    // A version's kind is shown where it is not the project's own.
    assert!(
        dom.contains("version 1.3.0 (package)"),
        "the giantswarm package version"
    );
}

#[test]
fn a_hostile_submission_runs_nothing_in_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = page(dir.path(), &["--corpus", "corpus/report-hostile"]);
    let dom = dom(&file, "");
    let body = tag(&dom, "<body");
    assert!(
        body.contains("data-ready=\"1\""),
        "the page's own script ran: {body}"
    );
    assert!(
        !dom.contains("data-pwned=\""),
        "a vendor string ran: {body}"
    );
    assert!(
        dom.contains("<title>Kubernetes AI Conformance"),
        "the title is the page's"
    );
    // The vendor's markup is text: one script element (the page's), no image,
    // no element carrying an event handler, no javascript: link.
    assert_eq!(dom.matches("<script").count(), 1);
    assert_eq!(dom.matches("<img").count(), 0);
    assert!(!dom.contains("href=\"javascript:"));
    // Every attribute of every element (the DOM serialises each value in
    // double quotes): none is an event handler.
    let tags = regex::Regex::new(r"<[a-zA-Z][^>]*>").unwrap();
    let attrs = regex::Regex::new(r#"\s([^\s="/>]+)(?:="[^"]*")?"#).unwrap();
    for t in tags.find_iter(&dom) {
        for a in attrs.captures_iter(t.as_str()) {
            let name = a[1].to_ascii_lowercase();
            assert!(
                !name.starts_with("on"),
                "an event handler attribute: {}",
                t.as_str()
            );
        }
    }
    // The layout holds: both submissions are columns of the one matrix table.
    let section = &dom[dom.find("<section class=\"matrix\"").unwrap()..];
    let table = &section[..section.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<th ").count(),
        3,
        "Project and the two submissions"
    );
    assert!(
        table.contains("&lt;img src=x onerror="),
        "the folder name shown as text"
    );
}
