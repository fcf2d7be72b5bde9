//! In-process measurements for `bench/run.py` (not a timed test; CI never
//! runs it). Each mode prints one JSON object on stdout:
//!
//! - `patterns DIR`: writes the rules' literal atoms for `rg -f` (`DIR/atoms.txt`)
//!   and one regex per project for the Python peer (`DIR/projects.json`).
//! - `scan CORPUS [counts]`: the whole scan (read, parse, scope, match, evidence;
//!   `counts`: keeping counts only, as `matrix` does), timed.
//! - `stages CORPUS [MAX_MB]`: the stages of the scan on one core, each timed
//!   alone (fastest of 5) over documents held in memory (up to MAX_MB of text,
//!   default 256).
//! - `query CORPUS [REPS] [walk]`: the README's queries over the loaded findings and
//!   their index (built once, timed on its own, as the REPL builds it once per
//!   load): parse, plan, evaluate, render; median and p95 over REPS rounds.
//!   `walk`: without the index (`run_query_walk`), every submission and finding tested.
//!
//! Run with `cargo bench --bench scale -- MODE ARGS`.

use std::time::{Duration, Instant};

use aiconf::{DirSource, Document, Engine, Matcher, Needle, RuleSet, Source};
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    // AICONF_BENCH_RULES=DIR measures with other rules than the built-in ones.
    let (rules, _) = match std::env::var_os("AICONF_BENCH_RULES") {
        Some(dir) => {
            aiconf::load_rules_dir(std::path::Path::new(&dir)).expect("the rules folder loads")
        }
        None => aiconf::builtin_rules(),
    };
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| usage());
    let out = match arg(0).as_str() {
        "patterns" => patterns(&rules, &arg(1)),
        "scan" => scan_mode(
            &rules,
            &arg(1),
            args.get(2).map(String::as_str) == Some("counts"),
        ),
        "stages" => stages(
            &rules,
            &arg(1),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(256),
        ),
        "query" => query(
            &rules,
            &arg(1),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20),
            args.get(3).map(String::as_str) == Some("walk"),
        ),
        _ => usage(),
    };
    println!("{out}");
}

fn usage() -> ! {
    eprintln!(
        "usage: scale patterns DIR | scan CORPUS | stages CORPUS [MAX_MB] | query CORPUS [REPS] [walk]"
    );
    std::process::exit(2)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

/// Rust regex syntax that Python's `re` does not take.
fn python_regex(src: &str) -> String {
    src.replace("(?i:", "(?:").replace("\\z", "\\Z")
}

fn patterns(rules: &RuleSet, dir: &str) -> serde_json::Value {
    std::fs::create_dir_all(dir).expect("create the patterns folder");
    let mut atoms = Vec::new();
    let mut projects = Vec::new();
    for r in &rules.rules {
        let mut alts = Vec::new();
        for p in &r.patterns {
            let (rg, py) = match &p.needle {
                Needle::Literal(s) => {
                    let e = regex_syntax::escape(s);
                    let py = if p.whole_word {
                        format!(r"(?<![\w]){}(?![\w])", e)
                    } else {
                        e.clone()
                    };
                    (e, py)
                }
                Needle::Regex(s) => (s.clone(), python_regex(s)),
            };
            atoms.push(rg);
            alts.push(py);
        }
        projects.push(
            json!({ "id": r.id, "name": r.name, "regex": format!("(?:{})", alts.join("|")) }),
        );
    }
    atoms.sort();
    atoms.dedup();
    std::fs::write(format!("{dir}/atoms.txt"), atoms.join("\n") + "\n").expect("write atoms.txt");
    std::fs::write(
        format!("{dir}/projects.json"),
        serde_json::to_string_pretty(&projects).unwrap(),
    )
    .expect("write projects.json");
    json!({ "atoms": atoms.len(), "projects": projects.len() })
}

fn scan_mode(rules: &RuleSet, corpus: &str, counts: bool) -> serde_json::Value {
    let keep = if counts {
        aiconf::Keep::Counts
    } else {
        aiconf::Keep::Evidence
    };
    let t = Instant::now();
    let engine = Engine::new(rules.clone());
    let source = DirSource::new(corpus);
    let s = aiconf::Scanner::new(&engine, &source)
        .expect("the corpus loads")
        .keeping(keep)
        .scan();
    let d = t.elapsed();
    json!({
        "submissions": s.submissions.len(),
        "findings": s.findings.len(),
        "bytes": s.bytes,
        "seconds": secs(d),
        "mb_per_s": mb_per_s(s.bytes, d),
        "threads": rayon::current_num_threads(),
        "evidence": !counts,
    })
}

/// Each stage alone, on one core, over documents held in memory.
fn stages(rules: &RuleSet, corpus: &str, max_mb: u64) -> serde_json::Value {
    let source = DirSource::new(corpus);
    let (c, _) = aiconf::load_corpus(&source).expect("the corpus loads");
    let templates = aiconf::load_templates(&source, &c);
    let t = Instant::now();
    let matcher = Matcher::compile(rules);
    let compile = t.elapsed();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut read = Duration::ZERO;
    let mut bytes = 0u64;
    'outer: for s in &c.submissions {
        for f in &s.files {
            if bytes >= max_mb * 1_000_000 {
                break 'outer;
            }
            let t = Instant::now();
            let Ok(b) = source.read(f) else { continue };
            read += t.elapsed();
            bytes += b.len() as u64;
            files.push((f.path.clone(), b));
        }
    }
    // Each stage is timed `REPS` times and the fastest run kept: the
    // machine is shared, and the minimum is the least disturbed.
    const REPS: usize = 5;
    let mut build = Duration::MAX;
    let mut docs: Vec<Document> = Vec::new();
    for _ in 0..REPS {
        let copy = files.clone();
        let t = Instant::now();
        let mut diags = Vec::new();
        docs = copy
            .into_iter()
            .filter_map(|(p, b)| aiconf::build_document(&p, b, &templates, &mut diags))
            .collect();
        build = build.min(t.elapsed());
    }
    let text: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let fastest = |f: &dyn Fn() -> usize| {
        let mut best = Duration::MAX;
        let mut n = 0;
        for _ in 0..REPS {
            let t = Instant::now();
            n = std::hint::black_box(f());
            best = best.min(t.elapsed());
        }
        (n, best)
    };
    let (hits, find) = fastest(&|| docs.iter().map(|d| matcher.find(&d.text).len()).sum());
    let (evidence, evidence_time) = fastest(&|| {
        docs.iter()
            .map(|d| aiconf::scan_document(&matcher, d).len())
            .sum()
    });
    json!({
        "documents": docs.len(),
        "bytes": text,
        "hits": hits,
        "evidence": evidence,
        "atoms": matcher.atom_count(),
        "unanchored_regexes": matcher.unanchored_count(),
        "compile_seconds": secs(compile),
        "read_seconds": secs(read),
        "build_seconds": secs(build),
        "build_mb_per_s": mb_per_s(text, build),
        "match_seconds": secs(find),
        "match_mb_per_s": mb_per_s(text, find),
        "evidence_seconds": secs(evidence_time),
        "evidence_mb_per_s": mb_per_s(text, evidence_time),
    })
}

/// REPL-style queries (those of the README, one adapted), each parsed, planned,
/// evaluated and rendered as a table `reps` times over the loaded findings:
/// the issue's examples (`aiconf::QUERY_EXAMPLES`), then these.
const MORE_QUERIES: &[&str] = &[
    "adoption where uses Kueue and project != Kueue",
    "adoption where section = schedulingOrchestration and cell = M",
    "findings where platform ~ openshift group by section",
    // The README's `vendor = Google or submission = gardener` names data only
    // the real corpus has (a query naming an unknown value is an error).
    "submissions where vendor ~ google or platform ~ gardener",
    "explain top 3 adoption where cncf = Graduated",
];

/// The queries measured: all of them, or those containing `AICONF_BENCH_QUERY` (for a profile).
fn queries() -> impl Iterator<Item = &'static str> {
    let only = std::env::var("AICONF_BENCH_QUERY").unwrap_or_default();
    aiconf::QUERY_EXAMPLES
        .iter()
        .chain(MORE_QUERIES)
        .copied()
        .filter(move |q| q.contains(&only))
}

fn query(rules: &RuleSet, corpus: &str, reps: usize, walk: bool) -> serde_json::Value {
    use aiconf::Format;
    let engine = Engine::new(rules.clone());
    let source = DirSource::new(corpus);
    let s = aiconf::Scanner::new(&engine, &source)
        .expect("the corpus loads")
        .scan();
    // Built once per loaded scan, as the REPL does; its time is reported on its own.
    let t = Instant::now();
    let index = aiconf::QueryIndex::build(&s);
    let index_ms = secs(t.elapsed()) * 1e3;
    let mut all_times = Vec::new();
    let mut per = Vec::new();
    // AICONF_BENCH_DUMP=DIR writes each query's answer in every format (`DIR/NN.table`, ...), to
    // compare the output of two builds byte for byte.
    let dump = std::env::var_os("AICONF_BENCH_DUMP").map(std::path::PathBuf::from);
    for (n, q) in queries().enumerate() {
        if let Some(dir) = &dump {
            dump_answer(dir, n, q, &s, &index, rules);
        }
        let mut rows = 0;
        // A matrix too wide to read is refused (E412): the time to say so is its answer.
        let mut refused = None;
        let mut answered = Vec::new();
        let mut times: Vec<f64> = (0..reps)
            .map(|_| {
                let t = Instant::now();
                let answer = match walk {
                    true => aiconf::run_query_walk(q, &s, rules),
                    false => aiconf::run_query_indexed(q, &s, &index, rules),
                };
                answered.push(secs(t.elapsed()) * 1e3);
                match answer {
                    Ok(out) => {
                        rows = std::hint::black_box(out.render(&s, rules, Format::Table))
                            .lines()
                            .count()
                    }
                    Err(d) => refused = Some(d[0].code.to_string()),
                }
                secs(t.elapsed()) * 1e3
            })
            .collect();
        all_times.extend(times.iter().copied());
        per.push(json!({
            "query": q,
            "lines": rows,
            "refused": refused,
            "median_ms": percentile(&mut times, 0.5),
            "p95_ms": percentile(&mut times, 0.95),
            // Parse, plan and evaluate, without rendering the table.
            "answer_median_ms": percentile(&mut answered, 0.5),
        }));
    }
    json!({
        "engine": if walk { "aiconf::query walking the scan (parse, plan, eval, render as a table)" } else { "aiconf::query over its index (parse, plan, eval, render as a table)" },
        "submissions": s.submissions.len(),
        "findings": s.findings.len(),
        "index_ms": index_ms,
        "queries": per,
        "median_ms": percentile(&mut all_times, 0.5),
        "p95_ms": percentile(&mut all_times, 0.95),
    })
}

/// Writes query `q`'s answer (or its errors) as `DIR/NN.FORMAT`, and the query as `DIR/NN.query`.
fn dump_answer(
    dir: &std::path::Path,
    n: usize,
    q: &str,
    s: &aiconf::Scan,
    index: &aiconf::QueryIndex,
    rules: &RuleSet,
) {
    use aiconf::Format;
    std::fs::create_dir_all(dir).expect("create the dump folder");
    let write = |ext: &str, text: &str| {
        std::fs::write(dir.join(format!("{n:02}.{ext}")), text).expect("write the answer")
    };
    write("query", q);
    let formats = [
        ("table", Format::Table),
        ("json", Format::Json),
        ("csv", Format::Csv),
        ("markdown", Format::Markdown),
    ];
    match aiconf::run_query_indexed(q, s, index, rules) {
        Ok(out) => formats
            .iter()
            .for_each(|(ext, f)| write(ext, &out.render(s, rules, *f))),
        Err(d) => write("errors", &format!("{d:?}")),
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}
