#!/usr/bin/env bash
# Compare the outputs of two aiconf binaries byte for byte on the shared corpora.
#
#   scripts/compare-outputs.sh OLD_BIN NEW_BIN [SHARED]
#
# SHARED defaults to ../shared (the data folder beside the project). Every command of the list below
# is run by both binaries (standard output and exit code); the script prints one line per difference
# and exits 1 if there was any. Used to show that a refactoring changed no output (issue 10, typed
# outputs): JSON, text, Markdown, CSV and HTML of scan, matrix, query, explain, delta, history,
# candidates, check, reconcile and report.
set -u
old=$1
new=$2
shared=${3:-../shared}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

head=$shared/corpus/head-b2c8969
base=$shared/corpus/baseline-223d15f
bundle=$shared/corpus/history.bundle
published=$shared/published/adoption-analysis-2026-03-16.txt

# The README's queries and a few more (explain, quotes, lists, shares, booleans).
queries=(
  'adoption where category = Scheduling and version >= 1.34'
  'adoption where vendor = NVIDIA order by stacks desc'
  'matrix where version = 1.35'
  'submissions where uses Kueue and not uses Volcano'
  'findings where project = "NVIDIA DCGM Exporter" and cell = M'
  'projects where category in (Networking, Observability)'
  'adoption where version >= 1.34 group by category'
  'top 5 adoption where version < 1.35'
  'findings where platform ~ openshift group by section'
  'explain top 3 adoption where cncf = Graduated'
  'submissions group by submission_vendor having count >= 2'
  'adoption where category = Scheduling group by project, version order by project, version'
  'findings group by project, cell having count >= 5'
  'findings where versions >= 25 and project ~ nvidia'
  'explain findings where project = kueue'
  'explain submissions where uses Kueue'
  'adoption where uses Kueue and project != Kueue'
  'adoption where section = schedulingOrchestration and cell = M'
  'submissions where vendor = Google or submission = gardener'
  'adoption where version >= 1.34 group by version'
  'projects where category not in (Networking, Observability, Scheduling)'
  'submissions where uses (category = Accelerator and vendor != NVIDIA)'
  'adoption where version = 1.35 and not named by (version = 1.34)'
  'adoption where version = 1.34 and not named by (version = 1.33)'
  'findings'
  'submissions'
  'projects'
  'explain projects where category = Scheduling'
)

cmds=()
for corpus in "$base" "$head"; do
  c="--corpus $corpus"
  cmds+=(
    "scan $c --format json"
    "matrix $c --format json"
    "matrix $c --uses --format json"
    "matrix $c --format table --width 120"
    "matrix $c --format markdown"
    "matrix $c --format csv"
    "matrix $c --long --format csv"
    "matrix $c --transpose --format table --width 100"
    "candidates $c --format json"
    "candidates $c"
    "report $c"
    "report $c --uses"
    "report $c --format html"
    "reconcile $c --published $published --format json"
    "reconcile $c --published $published --format markdown"
    "reconcile $c --published $published"
    "explain kueue v1.34/gardener $c --format json"
    "explain kueue v1.34/gardener $c"
    "explain nvidia-gpu-operator v1.34/eks $c --all --format json"
    "explain volcano v1.34/cce $c --format json"
  )
done
cmds+=(
  "check --format json"
  "check --verbose --format json"
  "check"
  "check --format github"
  "delta baseline-223d15f..head --corpus $bundle --format json"
  "delta baseline-223d15f..head --corpus $bundle --format markdown"
  "delta baseline-223d15f..head --corpus $bundle"
  "delta baseline-223d15f..head --corpus $bundle --uses --format json"
  "history --corpus $bundle --format json"
  "history --corpus $bundle --format csv"
  "history --corpus $bundle --format svg"
  "candidates --corpus $bundle --rev head --format json"
  "report --corpus $bundle --rev head --format html --github https://github.com/cncf/k8s-ai-conformance"
)

fail=0
n=0
run_in() { # standard input, label, then the arguments
  local input=$1 label=$2
  shift 2
  "$old" --quiet "$@" <"$input" >"$out/old" 2>"$out/old.err"
  echo "exit $?" >>"$out/old"
  "$new" --quiet "$@" <"$input" >"$out/new" 2>"$out/new.err"
  echo "exit $?" >>"$out/new"
  n=$((n + 1))
  if ! cmp -s "$out/old" "$out/new"; then
    echo "DIFFERS: $label"
    diff "$out/old" "$out/new" | head -20
    fail=1
  fi
}
run() { # label, then the arguments
  run_in /dev/null "$@"
}

for cmd in "${cmds[@]}"; do
  # shellcheck disable=SC2086 # the command is split into arguments on purpose
  run "$cmd" $cmd
done
# Every query in every format through one REPL per corpus (one load), and a few through `query`.
script=$out/queries
for format in json table markdown csv; do
  echo ".format $format" >>"$script"
  printf '%s\n' "${queries[@]}" >>"$script"
done
for corpus in "$base" "$head"; do
  run_in "$script" "repl (every query, every format) on $corpus" repl --corpus "$corpus"
  for q in "${queries[@]:0:4}"; do
    for format in json table; do
      run "query '$q' --format $format ($corpus)" query --corpus "$corpus" "$q" --format "$format"
    done
  done
done

echo "$n commands compared"
exit $fail
