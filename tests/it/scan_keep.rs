//! `aiconf::Keep::Counts` (what `matrix` uses) gives the same findings as a
//! full scan, without their evidence.
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
                a.negated,
                a.mentions
            ),
            (
                b.submission,
                b.rule,
                b.cell,
                &b.versions,
                b.negated,
                b.mentions
            )
        );
        assert!(!a.evidence.is_empty());
        assert!(b.evidence.is_empty());
    }
    assert_eq!(full.bytes, counts.bytes);
    assert_eq!(full.diagnostics, counts.diagnostics);
}
