//! The matrices computed from the two real corpora, pinned as snapshots, and
//! the contract of `aiconf scan --format json` through the built binary.

use std::process::Command;

use unicode_width::UnicodeWidthStr;

use crate::util::ok_stdout as aiconf;

#[test]
fn matrix_of_the_baseline_corpus() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    insta::assert_snapshot!("matrix_baseline", aiconf(&["matrix", "--corpus", &corpus]));
}

#[test]
fn matrix_of_the_head_corpus() {
    let corpus = crate::util::shared_path("corpus/head-b2c8969");
    insta::assert_snapshot!(
        "matrix_head",
        aiconf(&["matrix", "--corpus", &corpus, "--format", "markdown"])
    );
}

#[test]
fn scan_json_has_the_contract_fields() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let v: serde_json::Value =
        serde_json::from_str(&aiconf(&["scan", "--corpus", &corpus, "--format", "json"])).unwrap();
    let subs = v["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 28);
    let oke = subs
        .iter()
        .find(|s| s["id"] == "v1.34/OKE")
        .expect("case of folder names is kept");
    assert_eq!(oke["kubernetes_version"], "v1.34");
    assert!(oke["platform"].as_str().is_some_and(|p| !p.is_empty()));
    assert!(oke["files"].as_array().is_some_and(|f| !f.is_empty()));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["submission"] == "v1.34/gardener" && f["project"] == "Kueue")
        .expect("gardener names Kueue");
    assert_eq!(f["cell"], "M");
    assert_eq!(f["versions"][0], "0.14.2");
    assert_eq!(f["negated"], false);
    let e = &f["evidence"][0];
    assert_eq!(e["file"], "v1.34/gardener/PRODUCT.yaml");
    assert_eq!(e["line"], 47);
    assert_eq!(e["field"], "spec.schedulingOrchestration[0].notes");
    assert_eq!(e["text"], "Kueue");
    assert!(e["column"].as_u64().unwrap() > 1);
    assert!(v["errors"].as_array().is_some());
}

#[test]
fn template_text_never_counts() {
    // Every PRODUCT.yaml's gang-scheduling description says "(e.g. Kueue, Volcano, etc.)";
    // no finding may come from a description field.
    let corpus = crate::util::shared_path("corpus/head-b2c8969");
    let v: serde_json::Value =
        serde_json::from_str(&aiconf(&["scan", "--corpus", &corpus, "--format", "json"])).unwrap();
    for f in v["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            let field = e["field"].as_str().unwrap_or_default();
            assert!(
                !(field.starts_with("spec.") && field.ends_with(".description")),
                "{f}"
            );
        }
    }
}

#[test]
fn explain_shows_evidence_or_why_there_is_none() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let found = aiconf(&["explain", "kueue", "v1.34/gardener", "--corpus", &corpus]);
    assert!(
        found.starts_with("Kueue / v1.34/gardener: M (versions 0.14.2)"),
        "{found}"
    );
    assert!(found.contains("v1.34/gardener/PRODUCT.yaml:47:"), "{found}");
    assert!(
        found.contains("[spec.schedulingOrchestration[0].notes]"),
        "{found}"
    );
    let template_only = aiconf(&["explain", "Ray", "v1.34/OKE", "--corpus", &corpus]);
    assert!(
        template_only.starts_with("Ray / v1.34/OKE: -"),
        "{template_only}"
    );
    assert!(
        template_only.contains("v1.34/OKE/PRODUCT.yaml:84:101 \"Ray\" in requirement description"),
        "{template_only}"
    );
    let nowhere = aiconf(&["explain", "Calico", "v1.33/palette", "--corpus", &corpus]);
    assert!(nowhere.contains("occurs anywhere"), "{nowhere}");
}

#[test]
fn explain_suggests_names_for_typos() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(["explain", "Kueu", "v1.34/gardener", "--corpus", &corpus])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no rule named `Kueu`") && err.contains("did you mean `Kueue`?"),
        "{err}"
    );
}

#[test]
fn explain_with_a_bare_folder_name_lists_the_submissions() {
    let corpus = crate::util::shared_path("corpus/baseline-223d15f");
    let out = Command::new(env!("CARGO_BIN_EXE_aiconf"))
        .args(["explain", "Kueue", "gke", "--corpus", &corpus])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`v1.34/gke` or `v1.35/gke`"), "{err}");
}

fn baseline() -> String {
    crate::util::shared_path("corpus/baseline-223d15f")
}

#[test]
fn the_aligned_matrix_fits_the_width_in_blocks_with_row_totals() {
    let corpus = baseline();
    let whole = aiconf(&["matrix", "--corpus", &corpus, "--version", "1.34"]);
    assert!(whole.lines().nth(1).unwrap().starts_with("Project"));
    assert!(
        whole.lines().any(|l| l.width() > 100),
        "wide without a width"
    );
    for (args, width) in [
        (vec!["--width", "80"], 80),
        (vec!["--width", "60", "--transpose"], 60),
    ] {
        let mut all = vec!["matrix", "--corpus", &corpus, "--version", "1.34"];
        all.extend(args.iter().copied());
        let text = aiconf(&all);
        for line in text.lines() {
            assert!(line.width() <= width, "{args:?}: {line:?}");
        }
        assert!(text.contains("(columns 1-"), "{text}");
    }
    // COLUMNS is read when there is no --width.
    let out = Command::new(crate::util::BIN)
        .args(["matrix", "--corpus", &corpus, "--version", "1.34"])
        .env("COLUMNS", "70")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.width() <= 70), "{text}");
    // Row totals: the number of submissions naming the project, rows most named first.
    let head = whole.lines().nth(1).unwrap();
    assert!(head.split_whitespace().nth(1) == Some("Total"), "{head}");
    // Cells as the legend under the tables has them: negated `(X)`, hedged `X?`.
    let is_cell = |c: &&&str| ["M", "X", "-", "(M)", "(X)", "M?", "X?"].contains(*c);
    let totals: Vec<usize> = whole
        .lines()
        .skip(3)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            let marks = cells.iter().rev().take_while(is_cell).count();
            let n = cells
                .iter()
                .rev()
                .take_while(is_cell)
                .filter(|c| **c != "-")
                .count();
            let total: usize = cells[cells.len() - 1 - marks].parse().unwrap();
            assert_eq!(n, total, "{l}");
            total
        })
        .collect();
    assert!(totals.len() > 10, "{whole}");
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
}

#[test]
fn matrix_csv_is_one_table_and_long_csv_one_row_per_cell() {
    let corpus = baseline();
    let wide = aiconf(&["matrix", "--corpus", &corpus, "--format", "csv"]);
    let mut r = csv::Reader::from_reader(wide.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "Version");
    assert_eq!(&header[1], "Project");
    assert_eq!(&header[2], "Total");
    assert_eq!(
        header.len(),
        3 + 28,
        "one column per submission of any version"
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let long = aiconf(&["matrix", "--corpus", &corpus, "--format", "csv", "--long"]);
    let mut r = csv::Reader::from_reader(long.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "Version",
            "Submission",
            "Project",
            "Cell",
            "Versions",
            "Version kinds",
            "Negated",
            "Hedged"
        ]
    );
    let cells: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    let named = cells.iter().filter(|c| &c[3] != "-").count();
    let marked: usize = rows
        .iter()
        .map(|r| r.iter().skip(3).filter(|c| *c == "M" || *c == "X").count())
        .sum();
    assert_eq!(
        named, marked,
        "the long form has every named cell of the wide one"
    );
    let gardener = cells
        .iter()
        .find(|c| &c[1] == "v1.34/gardener" && &c[2] == "Kueue")
        .unwrap();
    assert_eq!((&gardener[3], &gardener[4]), ("M", "0.14.2"));
}

#[test]
fn matrix_json_has_the_versions_behind_each_cell() {
    let corpus = baseline();
    let v: serde_json::Value = serde_json::from_str(&aiconf(&[
        "matrix",
        "--corpus",
        &corpus,
        "--format",
        "json",
        "--version",
        "1.34.0",
    ]))
    .unwrap();
    let m = &v[0];
    assert_eq!(m["version"], "v1.34");
    let col = m["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s == "v1.34/gardener")
        .unwrap();
    let kueue = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["project"] == "Kueue")
        .unwrap();
    assert_eq!(kueue["cells"][col], "M");
    assert_eq!(kueue["versions"][col][0], "0.14.2");
    let stacks = kueue["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| *c != "-")
        .count();
    assert_eq!(kueue["stacks"], stacks);
}

#[test]
fn explain_limits_summarises_per_file_and_prints_json() {
    let corpus = baseline();
    let text = aiconf(&[
        "explain",
        "kueue",
        "v1.34/gardener",
        "--corpus",
        &corpus,
        "--limit",
        "1",
    ]);
    assert!(
        text.contains("version 0.14.2 read at v1.34/gardener/"),
        "{text}"
    );
    assert!(text.contains("per file:"), "{text}");
    assert_eq!(
        text.matches("\n    ").count(),
        2,
        "the version's line and one mention: {text}"
    );
    let v: serde_json::Value = serde_json::from_str(&aiconf(&[
        "explain",
        "kueue",
        "v1.34/gardener",
        "--corpus",
        &corpus,
        "--format",
        "json",
        "--all",
    ]))
    .unwrap();
    assert_eq!(v["cell"], "M");
    assert_eq!(v["version_at"]["version"], "0.14.2");
    let listed = v["evidence"].as_array().unwrap().len();
    let per_file: u64 = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["mentions"].as_u64().unwrap())
        .sum();
    assert_eq!(listed as u64, per_file);
    assert_eq!(
        v["omitted"].as_u64().unwrap() + listed as u64,
        v["mentions"].as_u64().unwrap()
    );
}

#[test]
fn every_matrix_form_says_negated_and_hedged() {
    // corpus/stance: Karpenter only negated, Istio only hedged, Kueue used.
    let corpus = "corpus/stance";
    let text = aiconf(&["matrix", "--corpus", corpus]);
    let cell = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string)
    };
    assert_eq!(cell("Karpenter").as_deref(), Some("(X)"), "{text}");
    assert_eq!(cell("Istio").as_deref(), Some("X?"), "{text}");
    assert_eq!(cell("Kueue").as_deref(), Some("X"), "{text}");
    assert!(text.contains("(X) (M) every mention says it is not used"));

    let long = aiconf(&["matrix", "--corpus", corpus, "--format", "csv", "--long"]);
    let mut r = csv::Reader::from_reader(long.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    let flags = |p: &str| {
        let row = rows.iter().find(|r| &r[2] == p).unwrap();
        (row[6].to_string(), row[7].to_string())
    };
    assert_eq!(flags("Karpenter"), ("true".into(), "false".into()));
    assert_eq!(flags("Istio"), ("false".into(), "true".into()));
    assert_eq!(flags("Kueue"), ("false".into(), "false".into()));

    let v: serde_json::Value =
        serde_json::from_str(&aiconf(&["matrix", "--corpus", corpus, "--format", "json"])).unwrap();
    let stance = |p: &str| {
        v[0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["project"] == p)
            .map(|r| r["stances"][0].clone())
            .unwrap()
    };
    assert_eq!(stance("Karpenter"), "negated");
    assert_eq!(stance("Istio"), "hedged");
    assert_eq!(stance("Kueue"), "uses");

    let explain: serde_json::Value = serde_json::from_str(&aiconf(&[
        "explain",
        "Istio",
        "v1.35/zeta",
        "--corpus",
        corpus,
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        (&explain["hedged"], &explain["negated"]),
        (&true.into(), &false.into())
    );
    let text = aiconf(&["explain", "Istio", "v1.35/zeta", "--corpus", corpus]);
    assert!(text.contains("(hedged)"), "{text}");

    // --uses leaves both out; the cells left carry no mark.
    let uses = aiconf(&["matrix", "--corpus", corpus, "--uses"]);
    assert!(
        !uses.contains("Karpenter") && !uses.contains("Istio"),
        "{uses}"
    );
    assert!(uses.contains("Kueue"), "{uses}");
}

/// `scan --format json` is written while the scan runs (each submission's findings as soon as it
/// is scanned); the result must be byte for byte the whole object printed at once, on corpora with
/// findings and problems, and on one with neither.
#[test]
fn scan_json_streamed_is_the_whole_object_byte_for_byte() {
    use aiconf::DirSource;
    let (rules, _) = aiconf::builtin_rules();
    let write = |root: &std::path::Path, sub: &str, text: &str| {
        let dir = root.join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("PRODUCT.yaml"), text).unwrap();
    };
    // A submission that names nothing and has no problem: empty `errors` and `findings`.
    let quiet = tempfile::tempdir().unwrap();
    write(
        quiet.path(),
        "v1.34/plain",
        "metadata:\n  kubernetesVersion: v1.34\n  platformName: Plain\n  vendorName: V\nspec: {}\n",
    );
    let noisy = tempfile::tempdir().unwrap();
    write(noisy.path(), "v1.34/broken", "metadata: [unclosed\n");
    write(
        noisy.path(),
        "v1.35/kueue",
        "metadata:\n  vendorName: K\n  platformName: K\nspec:\n  schedulingOrchestration:\n  - id: gang\n    status: Implemented\n    evidence: []\n    notes: \"We install Kueue v0.14.2 and \\\"Volcano\\\"\\n\\tfor gangs.\"\n",
    );
    let head = crate::util::shared_path("corpus/head-b2c8969");
    let mut seen = Vec::new();
    for corpus in [
        head.as_str(),
        noisy.path().to_str().unwrap(),
        quiet.path().to_str().unwrap(),
    ] {
        let scan = crate::util::scan(&DirSource::new(corpus), &rules).expect("scans");
        let whole =
            serde_json::to_string_pretty(&aiconf::ScanJson::new(&scan, &rules)).unwrap() + "\n";
        let out = crate::util::aiconf(&["scan", "--corpus", corpus, "--format", "json"]);
        let streamed = String::from_utf8(out.stdout).unwrap();
        assert!(
            streamed == whole,
            "{corpus}: streamed JSON differs from the whole object at byte {}",
            streamed
                .bytes()
                .zip(whole.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(streamed.len().min(whole.len()))
        );
        seen.push((!scan.findings.is_empty(), !scan.diagnostics.is_empty()));
    }
    assert_eq!(
        seen[1],
        (true, true),
        "the noisy corpus has findings and problems"
    );
    assert_eq!(seen[2], (false, false), "the quiet corpus has neither");
    assert!(seen[0].0, "head has findings");
}
