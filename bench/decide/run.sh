#!/usr/bin/env bash
# The decide benchmark (issue 6; DESIGN §12), every side in one run:
#   bench/decide/run.sh [BUILD_DIR] [--seconds 10] [--runs 3] [--threads N] [--http-only]
# 1. in process: decide_bench (Queued: Service::Decide up to the log enqueue, the backlog let
#    grow to the log's queue limit; Steady: the same with at most 4,096 decisions awaiting
#    commit) RUNS times each;
# 2. the peer: governance_peer.mjs (@microsoft/agent-governance-sdk executeWithGovernance on the
#    same scenario) RUNS times; prints both medians of p50/p99 and the peer/pactum ratios;
# 3. over HTTP: a real `pactum serve` on a temp data folder, set up over HTTP as the quickstart
#    tour does (agent, pact, its 400 outcomes), then wrk -t2 -c64 --latency with decide.lua
#    (POST /v1/decide, durable receipts) RUNS times of SECONDS each; req/s, latency percentiles
#    and the medians. --threads sets the server's io threads (default: half the cores).
# BUILD_DIR (default build/release) needs the targets pactum and decide_bench ($PACTUM overrides
# the server binary).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build=build/release
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then build="$1"; shift; fi
build="$(cd "$build" && pwd)"
seconds=10
runs=3
threads=0
http_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --http-only) http_only=1; shift ;;
    *) echo "decide/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
pactum="${PACTUM:-$build/pactum}"
bench="$build/bench/decide_bench"
for f in "$pactum" "$bench"; do
  [ -x "$f" ] || { echo "decide/run.sh: missing $f (build targets pactum and decide_bench)" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "decide/run.sh: wrk is not installed (scripts/install-deps --bench)" >&2; exit 1; }
if [ ! -d "$here/node_modules/@microsoft/agent-governance-sdk" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "$1=[0-9.]*" | head -1 | cut -d= -f2; }
jsonfield() { grep -o "\"$1\": [0-9.e+-]*" | head -1 | awk '{printf "%.2f", $2}'; }
echo "decide: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs"

if [ "$http_only" = 0 ]; then
# Each in its own process: the first run of a process grows its memory, and a later one would
# find it warm.
inprocess() {  # name: runs decide_bench's <name>/* RUNS times; sets med50, med99
  local p50s=() p99s=() out p50 p99
  for i in $(seq "$runs"); do
    out=$("$bench" --benchmark_filter="$1" --benchmark_format=json)
    p50=$(jsonfield p50_us <<<"$out"); p99=$(jsonfield p99_us <<<"$out")
    echo "run $i: p50 ${p50} µs, p99 ${p99} µs"
    p50s+=("$p50"); p99s+=("$p99")
  done
  med50=$(printf '%s\n' "${p50s[@]}" | median); med99=$(printf '%s\n' "${p99s[@]}" | median)
}
echo "== in process: decide_bench Queued (Service::Decide up to the log enqueue, backlog up to the log's queue limit)"
inprocess Queued; queued50=$med50; queued99=$med99
echo "== in process: decide_bench Steady (the same, at most 4,096 awaiting their commit)"
inprocess Steady; our50=$med50; our99=$med99
echo "medians: Queued p50 ${queued50} µs, p99 ${queued99} µs; Steady p50 ${our50} µs, p99 ${our99} µs (bar: p50 <= 5, p99 <= 20)"

echo "== the peer: governance_peer.mjs"
peers50=(); peers99=()
for i in $(seq "$runs"); do
  out=$(node "$here/governance_peer.mjs")
  echo "run $i: $out"
  peers50+=("$(field p50_us <<<"$out")"); peers99+=("$(field p99_us <<<"$out")")
done
peer50=$(printf '%s\n' "${peers50[@]}" | median); peer99=$(printf '%s\n' "${peers99[@]}" | median)
echo "medians: pactum (Steady) p50 ${our50} µs, p99 ${our99} µs; agent-governance-sdk p50 ${peer50} µs, p99 ${peer99} µs"
awk -v a="$peer50" -v b="$our50" -v c="$peer99" -v d="$our99" \
  'BEGIN {printf "ratio (sdk / pactum): p50 %.1fx, p99 %.1fx (bar: >= 20x)\n", a / b, c / d}'
fi

echo "== over HTTP: POST /v1/decide, wrk -t2 -c64, ${seconds}s, durable receipts"
data=$(mktemp -d)
out=$(mktemp)
pid=""
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$data" "$out"' EXIT
serve_flags=()
if [ "$threads" != 0 ]; then
  printf 'threads: %s\n' "$threads" >"$data/serve.yaml"
  serve_flags+=(--config "$data/serve.yaml")
fi
source "$root/bench/quickstart_server.sh"
quickstart_server "$pactum" "$data" "$out" "${serve_flags[@]}"
(cd "$root/examples/quickstart" && "$pactum" evidence ingest outcomes.jsonl >/dev/null 2>&1)
curl -sf -H "Authorization: Bearer $key" "$url/v1/decide" -d '{"agent":"triage-gpt4o","workflow":"alert_triage","action":"close_alert","confidence":0.9,"resource":{"type":"Alert","id":"alert-1","attrs":{"priority":"Low"}}}' |
  grep -q '"receipt":{' || { echo "decide/run.sh: the setup decide did not answer with a receipt" >&2; exit 1; }
echo "server: $url, io threads: $([ "$threads" = 0 ] && echo "half the cores" || echo "$threads")"
wrk -t2 -c64 -d2s -s "$here/decide.lua" "$url/v1/decide" >/dev/null  # warm-up
rates=(); p99s=()
# The server's CPU (user + system) in clock ticks: its io thread (the main one) and all threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/task/$pid/stat" "/proc/$pid/stat" | paste -sd' '; }
tick=$(getconf CLK_TCK)
for i in $(seq "$runs"); do
  before=$(cpu_ticks)
  result=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$here/decide.lua" "$url/v1/decide")
  after=$(cpu_ticks)
  served=$(awk '/requests in/ {print $1}' <<<"$result")
  cpu=$(awk -v b="$before" -v a="$after" -v n="$served" -v t="$tick" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "server CPU per request: main io thread %.1f µs, all threads %.1f µs", (y[1] - x[1]) / t * 1e6 / n, (y[2] - x[2]) / t * 1e6 / n }')
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
  p50=$(awk '$1=="50%" {print $2}' <<<"$result"); p90=$(awk '$1=="90%" {print $2}' <<<"$result")
  p99=$(awk '$1=="99%" {print $2}' <<<"$result")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$result"); errors=$(grep -o 'Socket errors.*' <<<"$result" || true)
  echo "run $i: $rate requests/s, p50 $p50, p90 $p90, p99 $p99${bad:+, non-2xx $bad}${errors:+, $errors}; $cpu"
  rates+=("$rate"); p99s+=("$p99")
done
echo "median: $(printf '%s\n' "${rates[@]}" | median) requests/s (bar: >= 20,000 and p99 <= 5 ms)"
