#!/usr/bin/env bash
# Evidence over HTTP, end to end: `pactum evidence ingest` (JSON Lines in 1 MiB requests to
# POST /v1/evidence:bulk) against a real `pactum serve` on a fresh temp data folder, set up as
# the quickstart tour does (its agent and pact). CLIENTS concurrent ingests of ITEMS items each,
# the quickstart's outcomes repeated with GUID idempotency keys (as SIEMs name alerts), RUNS
# times, each on a fresh folder; prints items/s per run and the median. Unlike service_bench,
# this counts the CLI, HTTP, and the server's line splitting and answers.
#   bench/service/ingest_http.sh [BUILD_DIR] [--items 100000] [--clients 1] [--runs 3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build=build/release
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then build="$1"; shift; fi
pactum="${PACTUM:-$(cd "$build" && pwd)/pactum}"
items=100000
clients=1
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --items) items="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: ingest_http.sh [BUILD_DIR] [--items N] [--clients C] [--runs R]" >&2; exit 2 ;;
  esac
done
quickstart="$root/examples/quickstart"
source "$root/bench/quickstart_server.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$work"' EXIT

# Client c's file: the 400 outcomes over and over, each line with its own GUID-shaped key.
for c in $(seq "$clients"); do
  awk -v n="$items" -v seed="$c" 'BEGIN { srand(seed) } { line[NR] = $0 } END {
    for (i = 0; i < n; i++) {
      # (mawk formats at most 32 bits a number: the last group is two of 24.)
      key = sprintf("%08x-%04x-4%03x-%04x-%06x%06x", int(rand() * 4294967296),
                    int(rand() * 65536), int(rand() * 4096), 32768 + int(rand() * 16384),
                    int(rand() * 16777216), int(rand() * 16777216))
      l = line[i % NR + 1]
      sub(/}$/, ", \"idempotency_key\": \"" key "\"}", l)
      print l
    }
  }' "$quickstart/outcomes.jsonl" >"$work/client-$c.jsonl"
done

rates=()
for run in $(seq "$runs"); do
  data="$work/data-$run"
  mkdir -p "$data"
  quickstart_server "$pactum" "$data" "$work/out"
  start=$(date +%s.%N)
  ingests=()
  for c in $(seq "$clients"); do
    "$pactum" evidence ingest "$work/client-$c.jsonl" --quiet >"$work/ingest-$c.out" &
    ingests+=($!)
  done
  for p in "${ingests[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  for c in $(seq "$clients"); do
    grep -q "$items recorded" "$work/ingest-$c.out" || { echo "ingest_http.sh: client $c: $(cat "$work/ingest-$c.out")" >&2; exit 1; }
  done
  kill $pid; wait $pid 2>/dev/null || true; pid=""
  rate=$(awk -v n="$((items * clients))" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", n / (e - s) }')
  echo "run $run: $((items * clients)) items from $clients client(s) over HTTP in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s: $rate items/s"
  rates+=("$rate")
  rm -rf "$data"
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{ r[NR] = $1 } END { print "median: " r[int((NR + 1) / 2)] " items/s over HTTP" }'
