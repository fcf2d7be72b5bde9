//! What must hold for any input, shared by the fuzz targets (`fuzz_targets/`)
//! and the regression tests of the main crate (`tests/fuzz_regressions.rs`,
//! which runs every saved input of `fuzz/regressions/`). Each function panics
//! when an invariant is broken, which is what a fuzzer reports.

#![allow(dead_code)]

use aiconf::{Diagnostic, Matcher, Templates};

/// A diagnostic's position is inside its text and on character boundaries,
/// and it renders.
fn diagnostic_ok(d: &Diagnostic, text: &str) {
    if let Some(span) = &d.span {
        assert!(span.start <= span.end && span.end <= text.len(), "{d:?}");
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{d:?}"
        );
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        let _ = d.render(Some(text));
    }
}

/// Rules: loading never panics and places its diagnostics; a file that
/// formats formats to a fixed point that keeps every comment and loads to
/// the same rules and diagnostics.
pub fn rules(text: &str) {
    let files = vec![("f.rule".to_string(), text.to_string())];
    let (set, diags) = aiconf::load_rules(&files);
    let shown = text.strip_prefix('\u{feff}').unwrap_or(text);
    for d in &diags {
        diagnostic_ok(d, shown);
    }
    match aiconf::format_rules("f.rule", text) {
        Ok(once) => {
            let twice = aiconf::format_rules("f.rule", &once).expect("formatted text parses");
            assert_eq!(once, twice, "format is not idempotent");
            assert_eq!(
                once.matches('#').count(),
                shown.matches('#').count(),
                "a comment was lost"
            );
            let (set2, diags2) = aiconf::load_rules(&[("f.rule".to_string(), once.clone())]);
            let ids = |s: &aiconf::RuleSet| {
                s.rules
                    .iter()
                    .map(|r| {
                        (
                            r.id.clone(),
                            r.name.clone(),
                            r.examples.len(),
                            r.patterns.len(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(&set), ids(&set2), "formatting changed the rules");
            let codes = |d: &[Diagnostic]| d.iter().map(|d| d.code).collect::<Vec<_>>();
            assert_eq!(
                codes(&diags),
                codes(&diags2),
                "formatting changed the diagnostics"
            );
        }
        Err(d) => {
            assert_eq!(d.code, "E001");
            assert!(
                diags.iter().any(|e| e.code == "E001"),
                "format fails where load does not"
            );
        }
    }
}

/// `aiconf check`: a loaded set compiles, lints and runs its examples without
/// panicking, and every diagnostic is placed and renders in every format.
pub fn rules_check(text: &str) {
    let (set, report) = aiconf::check_rules(&[("f.rule".to_string(), text.to_string())]);
    let shown = text.strip_prefix('\u{feff}').unwrap_or(text);
    for d in &report.diagnostics {
        diagnostic_ok(d, shown);
    }
    assert_eq!(
        report.examples_passed() + report.examples_failed(),
        set.rules.iter().map(|r| r.examples.len()).sum::<usize>()
    );
    for f in [
        aiconf::CheckFormat::Text,
        aiconf::CheckFormat::Json,
        aiconf::CheckFormat::Github,
    ] {
        let _ = aiconf::render_check(&report, &set, f);
    }
}

const RULES: &str = r#"
project kueue "Kueue" { category Scheduling name "Kueue" kind "ClusterQueue" url "kueue.sigs.k8s.io" }
project volcano "Volcano" { category Scheduling name "Volcano" not "Volcano Engine" }
project kai "KAI Scheduler" { category Scheduling name "KAI Scheduler" match /kai-scheduler(-[a-z]+)?/ version /[ :v]*(\d+\.\d+)/ }
"#;

/// Documents: building one from any bytes never panics, its regions and
/// masks lie inside its text on character boundaries, its diagnostics are
/// placed, and scanning it gives evidence inside the text.
pub fn document(data: &[u8]) {
    // Built once per process: the fuzzer runs this function many times a second.
    static ENGINE: std::sync::OnceLock<(Templates, Matcher)> = std::sync::OnceLock::new();
    let (templates, matcher) = ENGINE.get_or_init(|| {
        let templates = Templates::from_texts(["# Kubernetes AI Conformance Checklist\n      description: \"Support gang scheduling with a tool like Kueue or Volcano.\"\n"]);
        let (set, _) = aiconf::load_rules(&[("r.rule".to_string(), RULES.to_string())]);
        (templates, Matcher::compile(&set))
    });
    for path in ["v1.34/x/PRODUCT.yaml", "v1.34/x/notes.md"] {
        let mut diags = Vec::new();
        let Some(doc) = aiconf::build_document(path, data.to_vec(), templates, &mut diags) else {
            continue;
        };
        for d in &diags {
            diagnostic_ok(d, &doc.text);
        }
        for r in &doc.regions {
            assert!(
                r.range.start <= r.range.end && r.range.end <= doc.text.len(),
                "{r:?}"
            );
            assert!(
                doc.text.is_char_boundary(r.range.start) && doc.text.is_char_boundary(r.range.end),
                "{r:?}"
            );
        }
        for m in &doc.masked {
            assert!(
                m.end <= doc.text.len()
                    && doc.text.is_char_boundary(m.start)
                    && doc.text.is_char_boundary(m.end)
            );
        }
        let lines = doc.text.split('\n').count();
        for (_, ev) in aiconf::scan_document(matcher, &doc) {
            assert!(ev.line >= 1 && ev.line <= lines, "{ev:?}");
        }
    }
}

/// Queries: parsing, planning and evaluating any text never panics; a
/// query that fails says why with diagnostics placed in its text; an answer
/// renders in every format and respects `limit`.
pub fn query(text: &str) {
    use aiconf::Format;
    static LOADED: std::sync::OnceLock<(aiconf::RuleSet, aiconf::Scan)> =
        std::sync::OnceLock::new();
    let (set, scan) = LOADED.get_or_init(|| {
        let (set, _) = aiconf::builtin_rules();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/bad-input");
        let dir = if std::path::Path::new(dir).is_dir() {
            dir.to_string()
        } else {
            format!("{}/corpus/bad-input", env!("CARGO_MANIFEST_DIR"))
        };
        let engine = aiconf::Engine::new(set.clone());
        let source = aiconf::DirSource::new(dir);
        let scan = aiconf::Scanner::new(&engine, &source)
            .expect("the bad-input corpus scans")
            .scan();
        (set, scan)
    });
    match aiconf::run_query(text, scan, set) {
        Ok(o) => {
            for f in [Format::Table, Format::Markdown, Format::Csv, Format::Json] {
                let _ = o.render(scan, set, f);
            }
            if let Some(n) = o.plan.limit {
                assert!(o.answer.rows.len() <= n);
            }
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "a failed query says why");
            for d in &diags {
                diagnostic_ok(d, text);
            }
            let _ = aiconf::render_query_errors(text, &diags);
        }
    }
}
