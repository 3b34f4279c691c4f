#!/usr/bin/env bash
# Runs every Cedar libFuzzer target for SECONDS each, on its seeds plus a growing corpus.
#   fuzz/run.sh BUILD_DIR SECONDS
# BUILD_DIR is a build folder configured with CC=clang CXX=clang++ -DPACTUM_FUZZ=ON (targets
# built). New inputs go to BUILD_DIR/fuzz/corpus/<target>/, findings (crash-*, leak-*, ...) to
# BUILD_DIR/fuzz/findings/<target>/. Exit status 1 if any target found something.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BUILD_DIR SECONDS" >&2; exit 2; }
build="$(cd "$1" && pwd)"
seconds="$2"
status=0
for target in cedar_policy_fuzzer cedar_schema_text_fuzzer cedar_schema_json_fuzzer \
              cedar_entities_fuzzer pact_yaml_fuzzer evidence_json_fuzzer; do
  bin="$build/fuzz/$target"
  [ -x "$bin" ] || { echo "missing $bin (configure with -DPACTUM_FUZZ=ON and clang)" >&2; exit 2; }
  corpus="$build/fuzz/corpus/$target"
  findings="$build/fuzz/findings/$target"
  mkdir -p "$corpus" "$findings"
  echo "== $target, ${seconds}s" >&2
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$findings/" -print_final_stats=1 \
       "$corpus" "$build/fuzz/seeds/$target" 2>"$build/fuzz/$target.log"; then
    echo "FINDING: $target (see $build/fuzz/$target.log and $findings/)" >&2
    status=1
  fi
  grep -E "^(stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY" \
    "$build/fuzz/$target.log" >&2 || true
done
exit $status
