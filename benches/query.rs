//! Query latency over loaded findings: `cargo bench --bench query -- [CORPUS] [REPS] [ONLY]`.
//!
//! Loads the built-in rules and scans CORPUS once (default: the baseline
//! corpus), then asks each query REPS times (default 200) the way the REPL
//! does (parse, plan, evaluate, render as a table) and prints the median,
//! 95th percentile and slowest time per query, in milliseconds. ONLY keeps
//! the queries that contain it.

use std::time::Instant;

use aiconf::Format;

const BASELINE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/baseline-223d15f"
);

/// Queries timed after the examples (`aiconf::QUERY_EXAMPLES`).
const MORE_QUERIES: &[&str] = &[
    "adoption",
    "matrix",
    "findings",
    "findings where platform ~ a group by section",
    "adoption where uses Kueue and project != Kueue",
    "explain adoption where cell = M",
];

fn queries() -> impl Iterator<Item = &'static str> {
    aiconf::QUERY_EXAMPLES.iter().chain(MORE_QUERIES).copied()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let corpus = args
        .first()
        .cloned()
        .unwrap_or_else(|| BASELINE.to_string());
    let reps: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(200);
    let t = Instant::now();
    let (rules, _) = aiconf::builtin_rules();
    let source =
        aiconf::open_corpus(Some(std::path::Path::new(&corpus)), None).expect("the corpus opens");
    let engine = aiconf::Engine::new(rules.clone());
    let scan = aiconf::Scanner::new(&engine, source.as_ref())
        .expect("the corpus scans")
        .scan();
    println!(
        "loaded {} rules, {} submissions, {} findings from {corpus} in {:.0} ms; {reps} runs per query\n",
        rules.rules.len(),
        scan.submissions.len(),
        scan.findings.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "{:>8} {:>8} {:>8} {:>6}  query",
        "median", "p95", "max", "rows"
    );
    let only = args.get(2).cloned().unwrap_or_default();
    for q in queries().filter(|q| q.contains(only.as_str())) {
        let mut times = Vec::with_capacity(reps);
        let mut rows = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let outcome = aiconf::run_query(q, &scan, &rules)
                .unwrap_or_else(|d| panic!("{q}: {}", aiconf::render_query_errors(q, &d)));
            std::hint::black_box(outcome.render(&scan, &rules, Format::Table));
            times.push(t.elapsed().as_secs_f64() * 1e3);
            rows = outcome.answer.rows.len();
        }
        times.sort_by(f64::total_cmp);
        let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
        println!(
            "{:>8.3} {:>8.3} {:>8.3} {rows:>6}  {q}",
            at(0.5),
            at(0.95),
            at(1.0)
        );
    }
}
