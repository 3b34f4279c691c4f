// Per-call latency percentiles for benchmarks that time each call on its own: Google
// Benchmark reports means, the budgets (DESIGN §12) are stated as p50 and p99.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <benchmark/benchmark.h>

namespace pactum::bench {

// Sets counters p50_us, p99_us, p999_us and calls from per-call times in nanoseconds (sorts
// `ns`).
inline void ReportPercentiles(benchmark::State& state, std::vector<double>& ns) {
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) { return ns[static_cast<std::size_t>(q * (ns.size() - 1))] / 1000; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["p999_us"] = at(0.999);
  state.counters["calls"] = static_cast<double>(ns.size());
}

}  // namespace pactum::bench
