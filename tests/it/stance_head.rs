//! The negated and hedged findings of the head corpus, each with the quote
//! of every mention (snapshot), and no mention in a command, code block,
//! log, test output or URL judged at all.
use aiconf::DirSource;

#[test]
fn negated_and_hedged_findings_of_head() {
    let (rules, diags) = aiconf::builtin_rules();
    assert!(diags.is_empty(), "{diags:?}");
    let scan = crate::util::scan(&DirSource::new(crate::util::head()), &rules).expect("scan");
    let mut report = String::new();
    for f in &scan.findings {
        for e in &f.evidence {
            if e.negated || e.hedged {
                let q = e.quote.as_str();
                let looks_like_code = e.file.ends_with(".log")
                    || e.file.ends_with(".xml")
                    || e.file.ends_with("/output.md")
                    || e.text.contains("://")
                    || ["kubectl ", "helm ", "> ", "$ ", "curl "]
                        .iter()
                        .any(|p| q.starts_with(p));
                assert!(!looks_like_code, "judged outside prose: {e:?}");
            }
        }
        if !(f.negated || f.hedged) {
            continue;
        }
        report.push_str(&format!(
            "{} | {} | {}\n",
            scan.submission(f.submission).id,
            rules.get(f.rule).name,
            if f.negated { "negated" } else { "hedged" }
        ));
        for e in &f.evidence {
            report.push_str(&format!(
                "    {}:{} {}{}\n",
                e.file,
                e.line,
                if e.negated {
                    "[negated] "
                } else if e.hedged {
                    "[hedged] "
                } else {
                    ""
                },
                e.quote
            ));
        }
    }
    insta::assert_snapshot!("negated_and_hedged_findings_of_head", report);
}
