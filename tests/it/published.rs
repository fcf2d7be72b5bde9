//! The parser of the published analysis, over the real file and over
//! truncated and garbled copies made at run time.

use aiconf::{Cell, Published};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/published/adoption-analysis-2026-03-16.txt"
);

fn text() -> String {
    std::fs::read_to_string(FILE).expect("the published analysis is readable")
}

fn parsed() -> Published {
    aiconf::parse_published(FILE, &text()).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn the_three_matrices_hold_904_explicit_cells() {
    let p = parsed();
    let shape: Vec<(&str, usize, usize)> = p
        .matrices
        .iter()
        .map(|m| (m.version.as_str(), m.submissions.len(), m.rows.len()))
        .collect();
    assert_eq!(
        shape,
        [("v1.33", 11, 33), ("v1.34", 15, 35), ("v1.35", 2, 8)]
    );
    assert_eq!(p.cell_count(), 904);
    for m in &p.matrices {
        assert!(
            m.rows.iter().all(|r| r.cells.len() == m.submissions.len()),
            "{}",
            m.version
        );
    }
}

#[test]
fn matrix_cells_and_headers_are_read_in_place() {
    let p = parsed();
    let v134 = &p.matrices[1];
    assert_eq!(v134.submissions[9], "OKE");
    assert_eq!(p.cell("v1.33", "giantswarm", "Kueue"), Some(Cell::M));
    assert_eq!(
        p.cell("v1.33", "chinaunicom-csk", "Kueue"),
        Some(Cell::NotNamed)
    );
    assert_eq!(p.cell("v1.35", "gke", "Gateway API"), Some(Cell::X));
    // A project without a row in that version's matrix is "-"; an unknown column is None.
    assert_eq!(p.cell("v1.35", "gke", "Volcano"), Some(Cell::NotNamed));
    assert_eq!(p.cell("v1.35", "talos", "Kueue"), None);
    assert_eq!(p.matrices[0].rows[0].line, 28);
}

#[test]
fn summary_keeps_absent_cncf_cells_empty() {
    let p = parsed();
    assert_eq!(p.total, 28);
    assert_eq!(p.summary.len(), 41);
    let ray = &p.summary[3];
    assert_eq!(
        (ray.rank, ray.project.as_str(), ray.stacks, ray.percent),
        (4, "Ray", 14, 50)
    );
    assert_eq!(
        (ray.cncf.as_str(), ray.category.as_str()),
        ("", "AI Framework")
    );
    let kueue = &p.summary[0];
    assert_eq!(
        (kueue.cncf.as_str(), kueue.category.as_str()),
        ("K8s SIG", "Scheduling")
    );
    assert_eq!(p.summary[15].cncf, "- (Proprietary)");
}

#[test]
fn reference_nvidia_and_inventory_sections() {
    let p = parsed();
    assert_eq!(p.reference.len(), 43);
    let ray = p.reference.iter().find(|r| r.project == "Ray").unwrap();
    assert_eq!(
        (
            ray.repo.as_str(),
            ray.cncf.as_str(),
            ray.description.as_str()
        ),
        ("ray-project/ray", "", "Distributed AI framework")
    );
    assert_eq!(p.nvidia.projects.len(), 7);
    let gpu = &p.nvidia.projects[0];
    assert_eq!(gpu.stacks, 9);
    assert_eq!(
        gpu.versions
            .iter()
            .map(|v| (v.version.as_str(), v.submission.as_str()))
            .collect::<Vec<_>>(),
        [("v1.0.1", "Giant Swarm"), ("v25.3.4", "Palette")]
    );
    assert!(p.nvidia.projects[1].versions.is_empty());
    assert_eq!(p.nvidia.columns.len(), 7);
    assert_eq!(p.nvidia.usage.len(), 28);
    assert_eq!(
        (p.nvidia.usage[1].used, p.nvidia.usage[1].marks.as_str()),
        (0, "*")
    );
    assert_eq!(p.nvidia.non_nvidia_stacks, Some(3));
    let k = &p.key_findings;
    assert_eq!(
        (
            k.submissions,
            k.vendors,
            k.versions,
            k.multi_version_vendors
        ),
        (28, 21, 3, 5)
    );
    assert_eq!(p.commit, "223d15f97434ea478f1440d73901435d16503682");
    assert_eq!(
        p.inventory
            .iter()
            .map(|i| i.submissions.len())
            .collect::<Vec<_>>(),
        [11, 15, 2]
    );
    assert_eq!(p.version_folders, ["v1.33", "v1.34", "v1.35"]);
    assert_eq!((p.total_submissions, p.total_vendors), (28, 21));
}

#[test]
fn project_names_resolve_to_matrix_rows() {
    let p = parsed();
    for (name, key) in [
        ("K-Gateway (GW API Inf. Ext)", "K-Gateway"),
        ("GPU Operator", "NVIDIA GPU Operator"),
        ("Triton", "NVIDIA Triton"),
        ("NVIDIA Triton Inference Server", "NVIDIA Triton"),
        ("Kai Scheduler (originally NVIDIA)", "Kai Scheduler"),
        ("KGateway/Kong", "KGateway/Kong"),
        ("Kubeflow Trainer", "Kubeflow Trainer"),
    ] {
        assert_eq!(p.project_key(name), key, "{name}");
    }
}

/// A copy of the file with lines `from..to` (1-based, inclusive) replaced.
fn edit(from: usize, to: usize, with: &[&str]) -> String {
    let t = text();
    let mut lines: Vec<&str> = t.lines().collect();
    lines.splice(from - 1..to, with.iter().copied());
    lines.join("\n") + "\n"
}

fn truncated(lines: usize) -> String {
    text().lines().take(lines).collect::<Vec<_>>().join("\n") + "\n"
}

#[test]
fn truncated_or_garbled_copies_are_rejected_at_the_right_line() {
    // (case, text, code, line the diagnostic points at, words its message contains)
    let cases: Vec<(&str, String, &str, usize, &str)> = vec![
        ("empty", String::new(), "E601", 1, "truncated"),
        ("preamble only", truncated(14), "E601", 14, "matrix heading"),
        (
            "cut inside a matrix row",
            truncated(100),
            "E601",
            100,
            "truncated",
        ),
        (
            "cut after the matrices",
            truncated(1028),
            "E601",
            1028,
            "Adoption Summary",
        ),
        (
            "cut inside the summary",
            truncated(1100),
            "E601",
            1100,
            "truncated",
        ),
        (
            "cut inside the reference",
            truncated(1400),
            "E601",
            1400,
            "truncated",
        ),
        (
            "cut inside the NVIDIA table",
            truncated(1700),
            "E601",
            1700,
            "truncated",
        ),
        (
            "cut inside the key findings",
            truncated(1860),
            "E601",
            1860,
            "Analysis Date",
        ),
        (
            "cut inside the inventory",
            truncated(1900),
            "E601",
            1900,
            "truncated",
        ),
        (
            "cut before the deltas",
            truncated(1912),
            "E601",
            1912,
            "How to Detect Deltas",
        ),
        (
            "a cell is garbled",
            edit(33, 33, &["Q"]),
            "E603",
            33,
            "`Kueue` for `giantswarm`",
        ),
        (
            "a cell is missing",
            edit(33, 33, &[]),
            "E603",
            39,
            "`Kueue` for `talos`",
        ),
        (
            "a cell too many",
            edit(33, 33, &["M", "M"]),
            "E602",
            40,
            "expected a project row",
        ),
        (
            "a duplicated row",
            edit(
                40,
                51,
                &[
                    "Kueue", "-", "-", "-", "-", "-", "X", "-", "-", "-", "-", "-",
                ],
            ),
            "E605",
            40,
            "twice",
        ),
        (
            "a garbled stacks cell",
            edit(1039, 1039, &["18 of 28"]),
            "E604",
            1039,
            "n / N",
        ),
        (
            "stacks out of another total",
            edit(1039, 1039, &["18 / 29"]),
            "E605",
            1039,
            "out of 29",
        ),
        (
            "a summary category is missing",
            edit(1042, 1042, &[]),
            "E602",
            1041,
            "K8s SIG` is not a category",
        ),
        (
            "a rank is skipped",
            edit(1043, 1043, &["3"]),
            "E605",
            1043,
            "rank 3 follows rank 1",
        ),
        (
            "a percentage is garbled",
            edit(1040, 1040, &["64"]),
            "E604",
            1040,
            "percentage",
        ),
        (
            "a reference repo is missing",
            edit(1290, 1290, &[]),
            "E602",
            1289,
            "owner/repo",
        ),
        (
            "an NVIDIA version list is garbled",
            edit(1516, 1516, &["v1.0.1 Giant Swarm"]),
            "E604",
            1516,
            "not a list",
        ),
        (
            "an NVIDIA usage cell is garbled",
            edit(1562, 1562, &["?"]),
            "E603",
            1562,
            "chinaunicom-csk",
        ),
        (
            "an inventory count is wrong",
            edit(1876, 1876, &["v1.33 (12 submissions)"]),
            "E605",
            1876,
            "12 submissions but 11",
        ),
        (
            "the commit is garbled",
            edit(1873, 1873, &["Commit SHA: not-a-commit"]),
            "E604",
            1873,
            "not a commit",
        ),
    ];
    let mut failures = Vec::new();
    for (case, text, code, line, words) in cases {
        match aiconf::parse_published("copy.txt", &text) {
            Ok(_) => failures.push(format!("{case}: a damaged copy was accepted")),
            Err(d)
                if (d.code.as_str(), d.line, d.file.as_str()) != (code, line, "copy.txt")
                    || !d.message.contains(words) =>
            {
                failures.push(format!(
                    "{case}: want {code} at line {line} containing `{words}`, got {d}"
                ));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
