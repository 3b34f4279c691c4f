# Sourced by the benchmarks that need a real server (decide/run.sh, service/ingest_http.sh):
#   quickstart_server PACTUM DATA_DIR OUT_FILE [serve flags...]
# starts `pactum serve` on a free loopback port with DATA_DIR, waits until it serves, and sets
# the quickstart tour's agent and pact up over HTTP. Sets pid, url and key, and exports
# PACTUM_SERVER and PACTUM_API_KEY for the CLI. The caller stops the server (kill "$pid").
quickstart_server() {
  local pactum="$1" data="$2" out="$3"
  shift 3
  local quickstart
  quickstart="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples/quickstart"
  "$pactum" serve --listen 127.0.0.1:0 --data "$data" "$@" >"$out" 2>"$data/serve.log" &
  pid=$!
  for _ in $(seq 100); do grep -q serving "$out" && grep -q 'pk_' "$out" && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$out" | head -1)
  key=$(grep -o 'pk_[A-Za-z0-9_-]*' "$out" | head -1)
  if [ -z "$url" ] || [ -z "$key" ]; then
    echo "$(basename "$0"): server did not start" >&2
    cat "$data/serve.log" >&2
    exit 1
  fi
  export PACTUM_SERVER="$url" PACTUM_API_KEY="$key"
  curl -sf -H "Authorization: Bearer $key" "$url/v1/agents" -d @"$quickstart/agent.json" >/dev/null
  (cd "$quickstart" && "$pactum" pact publish alert-triage.yaml >/dev/null)
}
