#!/usr/bin/env python3
"""Benchmarks at scale: aiconf against ripgrep and a plain Python script, on the same files.

For each size (the real head corpus, then corpora that `aiconf gen-corpus` scales to N
submissions) it reports: scan throughput, end-to-end `matrix` time on both cores and on one,
peak RSS, one-core matching throughput, REPL-style query latency, and the peers' times as
ratios to aiconf's; once, `history` over the bundle relative to one scan of head.
Results go to bench/out/results.{md,json}. Not a test: nothing here asserts a time.

    bash bench/run.sh                        # all sizes: real, 1k, 10k, 100k
    bash bench/run.sh --sizes real,1k        # a quick run
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "corpus")
HEAD = os.path.join(SHARED, "head-b2c8969")
BUNDLE = os.path.join(SHARED, "history.bundle")
AICONF = os.path.join(ROOT, "target", "release", "aiconf")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build():
    log("building (release)...")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    out = subprocess.run(["cargo", "bench", "--bench", "scale", "--no-run"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stderr
    m = re.search(r"\((.*?scale-[0-9a-f]+)\)", out)
    if not m:
        sys.exit(f"cannot find the scale bench executable in:\n{out}")
    return os.path.join(ROOT, m.group(1))


def size_of(label):
    m = re.fullmatch(r"(\d+)(k?)", label)
    if not m:
        sys.exit(f"bad size {label!r}: use real or a count like 1k, 10k, 100k, 500")
    return int(m.group(1)) * (1000 if m.group(2) else 1)


def size_of_label(label):
    return 51 if label == "real" else size_of(label)


def corpus_for(label, out, seed, reuse):
    if label == "real":
        return HEAD
    n = size_of(label)
    path = os.path.join(out, f"corpus-{label}")
    marker = os.path.join(path, ".aiconf-synthetic")
    want = f"seed {seed}\nsubmissions {n}\n"
    if reuse and os.path.exists(marker) and open(marker).read().startswith(want):
        return path
    log(f"generating {n} submissions into {path}...")
    sh([AICONF, "gen-corpus", "--from", HEAD, "--submissions", str(n), "--out", path, "--seed", str(seed)])
    return path


def hyperfine(cmds, runs, warmup, name, out):
    """Mean and stddev (seconds) of each command, all run in the same hyperfine call."""
    export = os.path.join(out, f"hyperfine-{name}.json")
    args = ["hyperfine", "--style", "none", "--runs", str(runs), "--warmup", str(warmup), "--export-json", export]
    for label, cmd in cmds:
        args += ["--command-name", label, cmd]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    res = json.load(open(export))["results"]
    return {r["command"]: {"mean": r["mean"], "stddev": r.get("stddev") or 0.0, "min": r["min"]} for r in res}


def peak_rss_mb(argv, env=None, stdout=None):
    """Peak resident set size (MB) of one run, from GNU time -v; stdout goes to the file `stdout`."""
    with open(stdout or os.devnull, "w") as out:
        r = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=out, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, **(env or {})})
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return int(m.group(1)) / 1024 if m else None


def shell(argv, env=None):
    """The command line hyperfine runs (output discarded)."""
    pre = " ".join(f"{k}={v}" for k, v in (env or {}).items())
    return (pre + " " if pre else "") + shlex.join(argv) + " > /dev/null 2>&1"


def agreement(corpus, projects, py_json):
    """Share of (submission, project) cells where the Python script agrees with aiconf."""
    ai = json.loads(sh([AICONF, "matrix", "--corpus", corpus, "--format", "json"]).stdout)
    py = json.loads(open(py_json).read())

    def flat(ms):
        return {(s, r["project"]): c for m in ms for r in m["rows"] for s, c in zip(m["submissions"], r["cells"])}
    a, p = flat(ai), flat(py)
    subs = {s for m in ai for s in m["submissions"]}
    names = [x["name"] for x in json.load(open(projects))]
    total = len(subs) * len(names)
    differ = sum(1 for s in subs for n in names if a.get((s, n), "-") != p.get((s, n), "-"))
    return 1 - differ / total if total else 1.0


def load_info():
    up = open("/proc/loadavg").read().split()[:3]
    procs = sh(["ps", "-eo", "pcpu,comm", "--sort=-pcpu"]).stdout.splitlines()[1:6]
    return {"loadavg": up, "top": [p.strip() for p in procs]}


def measure(label, corpus, scale, patterns, args):
    n = size_of_label(label)
    runs = args.runs if n <= 1000 else (max(1, args.runs // 3) if n <= 10_000 else 1)
    warm = 1 if runs > 1 else 0
    log(f"[{label}] in-process scan, stages and queries...")
    # Above 10k the in-process scan keeps counts only (with evidence it holds gigabytes).
    keep = ["counts"] if n > 10_000 else []
    scan = json.loads(sh([scale, "scan", corpus] + keep).stdout)
    scan1 = json.loads(sh([scale, "scan", corpus] + keep, env={**os.environ, "RAYON_NUM_THREADS": "1"}).stdout)
    stages = json.loads(sh([scale, "stages", corpus, str(args.stage_mb)]).stdout)
    reps = args.query_reps if size_of_label(label) <= 10_000 else 5
    query = json.loads(sh([scale, "query", corpus, str(reps)]).stdout)
    atoms = os.path.join(patterns, "atoms.txt")
    projects = os.path.join(patterns, "projects.json")
    py_json = os.path.join(args.out, f"python-{label}.json")
    one = {"RAYON_NUM_THREADS": "1"}
    fast = [
        ("aiconf matrix", [AICONF, "matrix", "--corpus", corpus], None),
        ("aiconf matrix (1 thread)", [AICONF, "matrix", "--corpus", corpus], one),
    ]
    if label in args.rg_sizes.split(","):
        fast += [
            ("rg -c -i -f atoms", ["rg", "-c", "-i", "-f", atoms, corpus], None),
            ("rg -c -i -f atoms (1 thread)", ["rg", "-j1", "-c", "-i", "-f", atoms, corpus], None),
        ]
    py = [("python (libyaml + re)", ["python3", f"{ROOT}/bench/matrix.py", "--libyaml", "--corpus", corpus, "--projects", projects], None)]
    if not args.no_safe_load:
        py.append(("python (PyYAML safe_load + re)", ["python3", f"{ROOT}/bench/matrix.py", "--corpus", corpus, "--projects", projects], None))
    with_python = label in args.python_sizes.split(",")
    log(f"[{label}] peak RSS...")
    rss = {name: peak_rss_mb(argv, env) for name, argv, env in fast}
    log(f"[{label}] hyperfine: aiconf and ripgrep ({runs} runs)...")
    times = hyperfine([(n, shell(a, e)) for n, a, e in fast], runs, warm, f"{label}", args.out)
    agree = None
    if with_python:
        log(f"[{label}] python: peak RSS and the matrix for the agreement, then hyperfine (1 run)...")
        rss[py[0][0]] = peak_rss_mb(py[0][1], stdout=py_json)
        times.update(hyperfine([(n, shell(a, e)) for n, a, e in py], 1, 0, f"{label}-python", args.out))
        agree = agreement(corpus, projects, py_json)
    return {
        "label": label, "corpus": corpus, "scan": scan, "scan_1_thread": scan1, "stages": stages, "query": query,
        "times": times, "rss_mb": rss, "agreement": agree, "load": load_info(),
    }


def history(args):
    if subprocess.run([AICONF, "history", "--help"], capture_output=True).returncode != 0:
        log("no `aiconf history` in this build: skipped")
        return None
    log("history over the bundle against one scan of head...")
    cmds = [
        ("aiconf scan (head)", f"{AICONF} scan --corpus {HEAD} > /dev/null 2>&1"),
        ("aiconf history (bundle)", f"{AICONF} history --corpus {BUNDLE} > /dev/null 2>&1"),
    ]
    t = hyperfine(cmds, args.runs, 1, "history", args.out)
    return {"times": t, "ratio": t["aiconf history (bundle)"]["mean"] / t["aiconf scan (head)"]["mean"]}


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
        "rg": sh(["rg", "--version"]).stdout.splitlines()[0], "python": platform.python_version(),
        "commit": sh(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT).stdout.strip(),
    }


def ratio(times, peer, base="aiconf matrix"):
    return times[peer]["mean"] / times[base]["mean"]


def markdown(res):
    m = res["machine"]
    lines = [f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), commit {m['commit']}, {m['rg']}, Python {m['python']}.", ""]
    lines += ["| size | submissions | MB of text | scan MB/s, 2 threads / 1 | match MB/s, 1 core | `matrix` s, 2 threads / 1 | `matrix` peak RSS MB | query median / p95 ms | rg s (x aiconf) | rg -j1 s (x aiconf 1 thread) | python+libyaml s (x aiconf) | python safe_load s (x aiconf) | cells agreeing with python |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    py, lib = "python (PyYAML safe_load + re)", "python (libyaml + re)"
    for r in res["sizes"]:
        t = r["times"]
        mb = r["scan"]["bytes"] / 1e6
        cell = lambda k, base="aiconf matrix": f"{t[k]['mean']:.2f} ({ratio(t, k, base):.2f}x)" if k in t else "-"
        agree = f"{100 * r['agreement']:.1f}%" if r.get("agreement") is not None else "-"
        lines.append(
            f"| {r['label']} | {r['scan']['submissions']} | {mb:.1f} | {r['scan']['mb_per_s']:.0f} / {r['scan_1_thread']['mb_per_s']:.0f} "
            f"| {r['stages']['match_mb_per_s']:.0f} | {t['aiconf matrix']['mean']:.3f} / {t['aiconf matrix (1 thread)']['mean']:.3f} "
            f"| {r['rss_mb']['aiconf matrix']:.0f} | {r['query']['median_ms']:.3f} / {r['query']['p95_ms']:.3f} "
            f"| {cell('rg -c -i -f atoms')} | {cell('rg -c -i -f atoms (1 thread)', 'aiconf matrix (1 thread)')} "
            f"| {cell(lib)} | {cell(py)} | {agree} |")
    lines += ["", "Stages on one core (fastest of 5, documents in memory):", "",
              "| size | MB held | build (read YAML, scope) MB/s | match MB/s | match + evidence MB/s | atoms | hits |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in res["sizes"]:
        st = r["stages"]
        lines.append(f"| {r['label']} | {st['bytes'] / 1e6:.0f} | {st['build_mb_per_s']:.0f} | {st['match_mb_per_s']:.0f} | {st['evidence_mb_per_s']:.0f} | {st['atoms']} | {st['hits']} |")
    tools = list(dict.fromkeys(k for r in res["sizes"] for k in r["rss_mb"]))
    lines += ["", "Peak RSS (MB) of one run:", "", "| size | " + " | ".join(tools) + " |", "| --- |" + " --- |" * len(tools)]
    for r in res["sizes"]:
        lines.append(f"| {r['label']} | " + " | ".join(f"{r['rss_mb'][k]:.0f}" if r["rss_mb"].get(k) else "-" for k in tools) + " |")
    lines += ["", "Query latency per query (ms, median / p95):", "", "| query | " + " | ".join(r["label"] for r in res["sizes"]) + " |",
              "| --- |" + " --- |" * len(res["sizes"])]
    for i, q in enumerate(res["sizes"][0]["query"]["queries"]):
        lines.append(f"| `{q['query']}` | " + " | ".join(f"{r['query']['queries'][i]['median_ms']:.2f} / {r['query']['queries'][i]['p95_ms']:.2f}" for r in res["sizes"]) + " |")
    if res.get("history"):
        h = res["history"]
        lines += ["", f"`history` over the bundle: {h['times']['aiconf history (bundle)']['mean']:.3f} s, "
                      f"{h['ratio']:.2f}x one `scan` of head ({h['times']['aiconf scan (head)']['mean']:.3f} s)."]
    lines += ["", "Load during the runs: " + "; ".join(f"{r['label']}: loadavg {' '.join(r['load']['loadavg'])}" for r in res["sizes"])]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="real,1k,10k,100k")
    ap.add_argument("--runs", type=int, default=10, help="hyperfine runs for the small sizes (a third for the large)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out"))
    ap.add_argument("--stage-mb", type=int, default=256, help="text held in memory for the per-stage timings")
    ap.add_argument("--query-reps", type=int, default=50)
    ap.add_argument("--reuse", action="store_true", help="keep generated corpora whose seed and size match")
    ap.add_argument("--rg-sizes", default="real,1k,10k", help="sizes ripgrep runs at (about 7 s per 15 MB here)")
    ap.add_argument("--name", default="results", help="bench/out/NAME.{md,json}")
    ap.add_argument("--python-sizes", default="real,1k", help="sizes the Python peer runs at (about 5 s per MB under yaml.safe_load)")
    ap.add_argument("--no-safe-load", action="store_true", help="run the Python peer only with PyYAML's C loader")
    ap.add_argument("--no-history", action="store_true")
    args = ap.parse_args()
    for tool in ("hyperfine", "rg", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: bench/run.sh installs it")
    os.makedirs(args.out, exist_ok=True)
    scale = build()
    patterns = os.path.join(args.out, "patterns")
    sh([scale, "patterns", patterns])
    res = {"machine": machine(), "sizes": []}
    for label in args.sizes.split(","):
        corpus = corpus_for(label, args.out, args.seed, args.reuse)
        res["sizes"].append(measure(label, corpus, scale, patterns, args))
        json.dump(res, open(os.path.join(args.out, f"{args.name}.json"), "w"), indent=1)
    if not args.no_history:
        res["history"] = history(args)
    json.dump(res, open(os.path.join(args.out, f"{args.name}.json"), "w"), indent=1)
    md = markdown(res)
    open(os.path.join(args.out, f"{args.name}.md"), "w").write(md)
    print(md)


if __name__ == "__main__":
    main()
