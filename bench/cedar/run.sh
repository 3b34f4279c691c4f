#!/usr/bin/env bash
# The Cedar benchmark, both engines in one run on the same inputs.
#   bench/cedar/run.sh BUILD_DIR [--seconds 5] [--workloads "corpus tinytodo-50 ..."]
# BUILD_DIR is a CMake build folder with target cedar_bench built (CEDAR_BENCH overrides the
# binary). Generates the workloads into BUILD_DIR/cedar-bench/ (once; seeded, deterministic),
# then per workload runs cedar-wasm (run_wasm.mjs, mode json) and pactum (cedar_bench, modes
# json and preloaded), collects every summary line in BUILD_DIR/cedar-bench/results.jsonl and
# prints a table: medians, p99 and the cedar-wasm / pactum ratio. Default: every workload.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--seconds S] [--workloads \"a b\"]" >&2; exit 2; }
build="$(cd "$1" && pwd)"; shift
seconds=5
workloads=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench="${CEDAR_BENCH:-$build/bench/cedar/cedar_bench}"
[ -x "$bench" ] || { echo "missing $bench (build target cedar_bench, or set CEDAR_BENCH)" >&2; exit 2; }
if [ ! -d "$here/node_modules/@cedar-policy/cedar-wasm" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

out="$build/cedar-bench"
if [ ! -f "$out/tinytodo-50.jsonl" ] || [ ! -f "$out/corpus.jsonl" ]; then
  node "$here/gen_workload.mjs" "$out"
fi
if [ -z "$workloads" ]; then
  workloads="corpus handwritten"
  for app in tinytodo gdrive github; do
    for n in 5 10 20 50; do workloads="$workloads $app-$n"; done
  done
fi

results="$out/results.jsonl"
: > "$results"
for w in $workloads; do
  echo "== $w" >&2
  node "$here/run_wasm.mjs" "$out/$w.jsonl" --modes json --seconds "$seconds" | tee -a "$results" >/dev/null
  # A corpus mismatch makes cedar_bench exit 1; the summary line says which requests.
  "$bench" "$out/$w.jsonl" --modes json,preloaded --seconds "$seconds" | tee -a "$results" >/dev/null || \
    echo "pactum: expected answers not met on $w (see fullMatch in $results)" >&2
done
node "$here/report.mjs" "$results"
