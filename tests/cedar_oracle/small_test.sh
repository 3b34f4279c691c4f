#!/usr/bin/env bash
# ctest's CedarOracle.Small2000: the oracle comparison on 2,000 cases of a fixed seed.
#   small_test.sh OUT_DIR PACTUM_ORACLE_BINARY
# Exits 77 (ctest SKIP) when node or bench/cedar/node_modules is missing: it never installs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 OUT_DIR PACTUM_ORACLE_BINARY" >&2; exit 2; }
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed" >&2; exit 77
fi
if [ ! -d "$root/bench/cedar/node_modules/@cedar-policy/cedar-wasm" ]; then
  echo "SKIP: cedar-wasm is not installed (run: cd bench/cedar && npm ci)" >&2; exit 77
fi
PACTUM_ORACLE="$2" exec "$here/run.sh" "$1" --seed 7 --random 1800 --mutated 200
