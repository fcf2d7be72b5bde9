//! `aiconf fmt`: idempotent, keeps every comment, changes no rule — on every
//! file of `rules/` (whatever the lead has written) and on tricky inputs; and
//! the command's modes and exit codes through the built binary.

use crate::util;
use std::path::Path;

use aiconf::{format_rules, RuleSet};

/// What a rule set means, without positions: equal before and after formatting.
fn meaning(set: &RuleSet) -> Vec<String> {
    set.rules
        .iter()
        .map(|r| {
            let pats: Vec<String> = r
                .patterns
                .iter()
                .chain(&r.excludes)
                .map(|p| {
                    format!(
                        "{:?} {:?} {} {}",
                        p.kind, p.needle, p.case_sensitive, p.whole_word
                    )
                })
                .collect();
            let exs: Vec<String> = r
                .examples
                .iter()
                .map(|e| format!("{:?} {:?}", e.text, e.expect))
                .collect();
            format!(
                "{} {:?} {} {} {:?} {:?} {:?} {:?} | {} | {:?} | {}",
                r.id,
                r.name,
                r.category,
                r.cncf,
                r.repo,
                r.license,
                r.vendor,
                r.description,
                pats.join("; "),
                r.versions,
                exs.join("; ")
            )
        })
        .collect()
}

fn load(text: &str) -> (Vec<String>, Vec<String>) {
    let (set, diags) = aiconf::load_rules(&[("t.rule".into(), text.into())]);
    (
        meaning(&set),
        diags
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect(),
    )
}

/// Formats `text` and checks the invariants; returns the formatted text.
fn assert_formats(name: &str, text: &str) -> String {
    let once = format_rules("t.rule", text).unwrap_or_else(|d| panic!("{name}: {d}"));
    let twice = format_rules("t.rule", &once)
        .unwrap_or_else(|d| panic!("{name}: formatted text does not parse: {d}\n{once}"));
    assert_eq!(once, twice, "{name}: not idempotent");
    assert_eq!(
        load(text),
        load(&once),
        "{name}: formatting changed the rules"
    );
    assert!(aiconf::unformatted("t.rule", &once, &once).is_none());
    // Tokens are kept as written and every comment is kept: no `#` is added or lost.
    assert_eq!(
        once.matches('#').count(),
        text.matches('#').count(),
        "{name}: a comment was lost"
    );
    once
}

#[test]
fn every_file_in_rules_is_a_fixed_point_after_one_format() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "rule") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert_formats(&p.display().to_string(), &text);
            n += 1;
        }
    }
    assert!(n > 0, "no rule files in rules/");
}

#[test]
fn tricky_inputs() {
    // (name, input, expected output)
    let rows: &[(&str, &str, &str)] = &[
        ("empty file", "", ""),
        ("only comments", "# a\n\n\n# b", "# a\n\n# b\n"),
        (
            "one line",
            r#"project a "A" { category Platform name "Alpha" }"#,
            "project a \"A\" {\n  category    Platform\n  name  \"Alpha\"\n}\n",
        ),
        (
            "no blanks between tokens",
            r#"project a"A"{category"AI Framework"name"Alpha"case partial example"Alpha"=>-}"#,
            "project a \"A\" {\n  category    \"AI Framework\"\n  name  \"Alpha\" case partial\n  example \"Alpha\" => -\n}\n",
        ),
        (
            "CRLF and a BOM",
            "\u{feff}# c\r\nproject a \"A\" {\r\n  category Platform\r\n\r\n  name \"Alpha\"\r\n}\r\n",
            "# c\nproject a \"A\" {\n  category    Platform\n\n  name  \"Alpha\"\n}\n",
        ),
        (
            "tabs and runs of blank lines",
            "project a \"A\" {\n\n\n\tcategory\tPlatform\n\n\n\n\tname\t\"Alpha\"\n\n}\n\n\n\nproject b \"B\" {\n  category Platform name \"Beta\"\n}",
            "project a \"A\" {\n  category    Platform\n\n  name  \"Alpha\"\n}\n\nproject b \"B\" {\n  category    Platform\n  name  \"Beta\"\n}\n",
        ),
        (
            "a # inside strings and regexes is not a comment",
            "project a \"A#1\" {\n  category Platform\n  match /a\\#b|c\\/d/ # real\n  name \"x # y\"\n}\n",
            "project a \"A#1\" {\n  category    Platform\n  match /a\\#b|c\\/d/ # real\n  name  \"x # y\"\n}\n",
        ),
        (
            "escapes are kept as written",
            "project a \"A\" { category Platform name \"say \\\"hi\\\" \\\\ \\n\" example \"say \\\"hi\\\"\" => X }",
            "project a \"A\" {\n  category    Platform\n  name  \"say \\\"hi\\\" \\\\ \\n\"\n  example \"say \\\"hi\\\"\" => X\n}\n",
        ),
        (
            "comments between a statement's tokens move above it",
            "project a \"A\" {\n  category Platform\n  name # why\n    \"Alpha\"\n  example \"Alpha\" # first\n    => # second\n    M \"1\"\n}\n",
            "project a \"A\" {\n  category    Platform\n  # why\n  name  \"Alpha\"\n  # first\n  # second\n  example \"Alpha\" => M \"1\"\n}\n",
        ),
        (
            "comments around projects",
            "# head\nproject a \"A\" { # open\n  category Platform # cat\n  name \"Alpha\"\n  # tail\n} # close\n# about b\nproject b \"B\" {\n  # only a comment\n  category Platform\n  name \"Beta\"\n}\n# end",
            "# head\nproject a \"A\" { # open\n  category    Platform # cat\n  name  \"Alpha\"\n  # tail\n} # close\n\n# about b\nproject b \"B\" {\n  # only a comment\n  category    Platform\n  name  \"Beta\"\n}\n\n# end\n",
        ),
        (
            "an empty block",
            "project a \"A\" {}",
            "project a \"A\" {\n}\n",
        ),
        (
            "Unicode",
            "project u \"Ünïcode\" {}",
            "project u \"Ünïcode\" {\n}\n",
        ),
        (
            "every statement kind",
            "project a \"A\" {\ncategory Platform\ncncf none\nrepo \"r/a\"\nlicense \"MIT\"\nvendor \"V\"\ndescription \"D\"\nname \"Alpha\"\nalias \"al\" partial\nurl \"a.io\" word\nkind \"AKind\"\nimage \"a-img\"\nchart \"a-chart\"\nmatch /alpha-\\d+/\nnot \"Alpha Beta\"\nversion /:(\\d+)/\nexample \"Alpha:1\" => M \"1\"\n}\n",
            "project a \"A\" {\n  category    Platform\n  cncf        none\n  repo        \"r/a\"\n  license     \"MIT\"\n  vendor      \"V\"\n  description \"D\"\n  name  \"Alpha\"\n  alias \"al\" partial\n  url   \"a.io\" word\n  kind  \"AKind\"\n  image \"a-img\"\n  chart \"a-chart\"\n  match /alpha-\\d+/\n  not   \"Alpha Beta\"\n  version /:(\\d+)/\n  example \"Alpha:1\" => M \"1\"\n}\n",
        ),
    ];
    for (name, input, want) in rows {
        let got = assert_formats(name, input);
        assert_eq!(&got, want, "{name}");
    }
}

#[test]
fn syntax_errors_are_reported_not_formatted() {
    let d = format_rules("bad.rule", "project a \"A\" {\n  category\n}\n").unwrap_err();
    assert_eq!((d.code.as_str(), d.line), ("E001", 3));
}

fn aiconf(args: &[&str], dir: &Path) -> (i32, String, String) {
    util::parts(&util::aiconf_in(dir, args))
}

#[test]
fn command_prints_checks_and_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("rules")).unwrap();
    let messy = "project a \"A\" { category Platform\n name \"Alpha\" }\n";
    std::fs::write(dir.join("rules/a.rule"), messy).unwrap();
    std::fs::write(
        dir.join("rules/b.rule"),
        "project b \"B\" {\n  category    Platform\n  name  \"Beta\"\n}\n",
    )
    .unwrap();

    let (code, out, _) = aiconf(&["fmt", "rules/a.rule"], dir);
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "project a \"A\" {\n  category    Platform\n  name  \"Alpha\"\n}\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("rules/a.rule")).unwrap(),
        messy,
        "printing writes nothing"
    );

    let (code, _, err) = aiconf(&["fmt", "--check"], dir);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);

    let (code, out, _) = aiconf(&["fmt", "--write"], dir);
    assert_eq!((code, out.as_str()), (0, "formatted rules/a.rule\n"));
    assert_eq!(aiconf(&["fmt", "--check"], dir).0, 0);
    assert_eq!(aiconf(&["fmt", "--check", "--rules", "rules"], dir).0, 0);

    std::fs::write(dir.join("rules/c.rule"), "project c \"C\" {").unwrap();
    let (code, _, err) = aiconf(&["fmt", "--check"], dir);
    assert_eq!(code, 1);
    assert!(
        err.contains("E001") && err.contains("rules/c.rule"),
        "{err}"
    );

    let (code, _, err) = aiconf(&["fmt", "--check", "nope"], dir);
    assert_eq!(code, 2);
    assert!(err.contains("E100"), "{err}");
}
