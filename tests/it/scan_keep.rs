//! `aiconf::Keep::Counts` (what `matrix` uses, reading of each mention only what its cell
//! needs) gives the same findings as a full scan, without their evidence.
use aiconf::{DirSource, Keep};

#[test]
fn counts_only_scan_has_the_same_cells_versions_and_mentions() {
    let (rules, _) = aiconf::builtin_rules();
    let full =
        crate::util::scan_keeping(&DirSource::new(crate::util::head()), &rules, Keep::Evidence)
            .unwrap();
    let counts =
        crate::util::scan_keeping(&DirSource::new(crate::util::head()), &rules, Keep::Counts)
            .unwrap();
    assert!(
        full.findings.len() > 100,
        "{} findings",
        full.findings.len()
    );
    assert_eq!(full.findings.len(), counts.findings.len());
    for (a, b) in full.findings.iter().zip(&counts.findings) {
        assert_eq!(
            (
                a.submission,
                a.rule,
                a.cell,
                &a.versions,
                &a.version_kinds,
                a.negated,
                a.hedged,
                a.mentions
            ),
            (
                b.submission,
                b.rule,
                b.cell,
                &b.versions,
                &b.version_kinds,
                b.negated,
                b.hedged,
                b.mentions
            )
        );
        assert!(!a.evidence.is_empty());
        assert!(b.evidence.is_empty());
    }
    assert_eq!(full.bytes, counts.bytes);
    assert_eq!(full.diagnostics, counts.diagnostics);
}

/// `Scanner::only` (what `explain` uses): one submission scanned alone has the findings the
/// whole corpus's scan has for it, evidence included, and reads nothing of the others.
#[test]
fn one_submission_scanned_alone_has_its_findings_of_the_whole_scan() {
    let (rules, _) = aiconf::builtin_rules();
    let engine = aiconf::Engine::new(rules);
    let source = DirSource::new(crate::util::head());
    let scanner = aiconf::Scanner::new(&engine, &source).unwrap();
    let whole = scanner.scan();
    let sub = scanner.resolve_submission("V1.34/Gardener").unwrap();
    assert_eq!(whole.submission(sub).id, "v1.34/gardener");
    let alone = scanner.only(sub).scan();
    assert_eq!(alone.submissions.len(), 1);
    assert_eq!(alone.submissions[0].id, "v1.34/gardener");
    let want: Vec<_> = whole
        .findings
        .iter()
        .filter(|f| f.submission == sub)
        .collect();
    assert!(want.len() > 3, "{} findings", want.len());
    assert_eq!(alone.findings.len(), want.len());
    for (a, w) in alone.findings.iter().zip(want) {
        assert_eq!(a.submission, aiconf::SubmissionId(0));
        assert_eq!(
            (a.rule, a.cell, &a.versions, a.mentions, &a.evidence),
            (w.rule, w.cell, &w.versions, w.mentions, &w.evidence)
        );
    }
    assert!(
        alone.bytes * 5 < whole.bytes,
        "{} of {} bytes read",
        alone.bytes,
        whole.bytes
    );
    // An id the corpus does not have: nothing to scan, no panic.
    let scanner = aiconf::Scanner::new(&engine, &source).unwrap();
    let none = scanner.only(aiconf::SubmissionId(1_000_000)).scan();
    assert!(none.submissions.is_empty() && none.findings.is_empty());
    // A name that is no submission: E212, with the submissions of that folder name as help.
    let scanner = aiconf::Scanner::new(&engine, &source).unwrap();
    let e = scanner.resolve_submission("gardener").unwrap_err();
    assert_eq!(e.code.as_str(), "E212");
    assert!(
        e.help.as_deref().unwrap_or("").contains("`v1.34/gardener`"),
        "{:?}",
        e.help
    );
}

/// `Keep::First` (what `aiconf query` keeps: each finding's first mention whole, and the
/// sections and files of its first mentions) answers every query as a scan keeping all the
/// evidence does, in every format, the fields read from evidence (`file`, `section`, the
/// findings' quotes) included; it keeps one mention's evidence per finding.
#[test]
fn first_mention_scan_answers_queries_as_the_full_scan() {
    let (rules, _) = aiconf::builtin_rules();
    let source = DirSource::new(crate::util::head());
    let full = crate::util::scan_keeping(&source, &rules, Keep::Evidence).unwrap();
    let first = crate::util::scan_keeping(&source, &rules, Keep::First).unwrap();
    assert!(full.findings.iter().any(|f| f.evidence.len() > 1));
    assert!(first.findings.iter().all(|f| f.evidence.len() == 1));
    let more = [
        "findings where file ~ \"README\"",
        "findings where file ~ \"PRODUCT.yaml\" and section = schedulingOrchestration",
        "findings where section = observability group by project",
        "adoption where section = accelerators and cell = M",
        "findings where project = Kueue",
    ];
    for q in aiconf::QUERY_EXAMPLES.iter().chain(&more) {
        let a = aiconf::run_query(q, &full, &rules).unwrap();
        let b = aiconf::run_query(q, &first, &rules).unwrap();
        for format in [aiconf::Format::Table, aiconf::Format::Json] {
            assert_eq!(
                b.render(&first, &rules, format),
                a.render(&full, &rules, format),
                "{q}"
            );
        }
    }
    // The files a query reads are those of every kept mention, not of the first alone.
    let many_files = full
        .findings
        .iter()
        .zip(&first.findings)
        .find(|(f, _)| f.evidence.iter().any(|e| e.file != f.evidence[0].file))
        .expect("a project named in two files of one submission");
    assert!(many_files.1.files.len() > 1);
    assert_eq!(many_files.0.files, many_files.1.files);
}

/// `aiconf query 'explain ...'` answers over a scan keeping each finding's first mention
/// (`Keep::First`) and fetches the mentions its text lists for the rows it explains (the
/// submissions behind them scanned again): what it prints is what a scan keeping every mention
/// gives, in text and JSON, and not what the first mentions alone would.
#[test]
fn query_explain_fetches_the_mentions_it_lists_as_the_full_scan_has_them() {
    let (rules, _) = aiconf::builtin_rules();
    let head = crate::util::head();
    let source = DirSource::new(head);
    let full = crate::util::scan_keeping(&source, &rules, Keep::Evidence).unwrap();
    let first = crate::util::scan_keeping(&source, &rules, Keep::First).unwrap();
    let queries = [
        "explain findings where project = Kueue",
        "explain findings where mentions >= 3 limit 20",
        // More mentions than the explanation lists: "… and N more mentions".
        "explain findings where mentions > 12 limit 3",
        "explain findings where section = observability group by project",
        "explain top 3 adoption where cncf = Graduated",
        "explain submissions where uses Kueue",
    ];
    let mut first_differs = 0;
    for q in queries {
        for (format, name) in [
            (aiconf::Format::Table, "table"),
            (aiconf::Format::Json, "json"),
        ] {
            let want = aiconf::run_query(q, &full, &rules)
                .unwrap()
                .render(&full, &rules, format);
            let out = crate::util::aiconf(&["query", "--corpus", head, q, "--format", name]);
            assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{q} ({name})");
            let first_only = aiconf::run_query(q, &first, &rules)
                .unwrap()
                .render(&first, &rules, format);
            first_differs += usize::from(first_only != want);
        }
    }
    assert!(
        first_differs >= 3,
        "the text explanations of findings list more than their first mentions ({first_differs})"
    );
}
