#!/usr/bin/env bash
# Differential oracle for pactum's Cedar engine against Cedar's own (cedar-wasm).
#   tests/cedar_oracle/run.sh BUILD_DIR [gen_cases.mjs options, e.g. --seed 2 --random 1000]
# Writes into BUILD_DIR/cedar_oracle/: cases.jsonl (generated), wasm_answers.jsonl (cedar-wasm),
# pactum_answers.jsonl (pactum_oracle); then diffs the two with compare.mjs (exit 1 on a difference).
# Runs `npm ci` in bench/cedar first if cedar-wasm (pinned there) is not installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [gen_cases options]" >&2; exit 2; }
build="$(mkdir -p "$1" && cd "$1" && pwd)"; shift
out="$build/cedar_oracle"
mkdir -p "$out"

if [ ! -d "$root/bench/cedar/node_modules/@cedar-policy/cedar-wasm" ]; then
  (cd "$root/bench/cedar" && npm ci --no-audit --no-fund)
fi

# The fuzz corpus (source of the mutated cases) is untarred into the build folder, never the tree.
data="${PACTUM_SHARED_DATA:-$root/../shared/data}"
tarball="$data/cedar/corpus-tests.tar.gz"
[ -f "$tarball" ] || { echo "missing input: $tarball" >&2; exit 2; }
corpus="$build/cedar-corpus"
if [ ! -d "$corpus" ]; then  # untar then rename, so an interrupted untar never looks complete
  mkdir -p "$corpus.tmp$$" && tar xzf "$tarball" -C "$corpus.tmp$$" && mv "$corpus.tmp$$" "$corpus"
fi

node "$here/gen_cases.mjs" "$out/cases.jsonl" "$corpus" "$@"
# --max-opt=2 (no TurboFan for JS): Node 20.20's V8 aborted ("Fatal error ... unreachable code"
# in Deoptimizer::DoComputeBuiltinContinuation) after ~15k cases with TurboFan on; the wasm is
# compiled by its own tiers either way.
node --max-opt=2 "$here/oracle.mjs" "$out/cases.jsonl" "$out/wasm_answers.jsonl" | tee "$out/wasm_distribution.json"

# ---- C++ side: pactum answers the same cases, then the two answer files are diffed.
# The binary is BUILD_DIR/tests/cedar_oracle/pactum_oracle when BUILD_DIR is a CMake build folder
# with the cedar_oracle module; PACTUM_ORACLE overrides it.
oracle="${PACTUM_ORACLE:-$build/tests/cedar_oracle/pactum_oracle}"
[ -x "$oracle" ] || { echo "missing $oracle (build target pactum_oracle, or set PACTUM_ORACLE)" >&2; exit 2; }
"$oracle" "$out/cases.jsonl" "$out/pactum_answers.jsonl"
node "$here/compare.mjs" "$out/wasm_answers.jsonl" "$out/pactum_answers.jsonl"
