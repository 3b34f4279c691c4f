// Decide in process (DESIGN §12: p50 ≤ 5 µs, p99 ≤ 20 µs): the test suite's SOC pact (schema,
// seven policies, a trust gate, a forbid, an escalation), a realistic isolate_host request with
// tool arguments, a trust snapshot. Decide/* is Google Benchmark's mean; Percentiles/* times
// each of 200,000 calls on its own and reports p50, p99 and p99.9 as counters (µs).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "pactum/control/control.h"

#include "percentiles.h"

namespace pactum::control {
namespace {

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(CONTROL_TESTDATA) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Setup {
  pact::Pact pact;
  Boundary boundary;
  trust::TrustSnapshot snapshot;
  DecideRequest isolate, close_high;
};

Setup& Get(bool with_schema) {
  auto make = [](bool schema) {
    pact::Pact p;
    p.name = "soc-triage";
    p.version = 1;
    p.workflow = "alert_triage";
    p.agents = {"*"};
    p.owner = "soc-lead";
    p.boundaries = pact::Boundaries{{"soc.cedar", ReadTestData("soc.cedar")}, std::nullopt};
    if (schema) {
      p.boundaries->schema = pact::BoundaryFile{"soc.cedarschema", ReadTestData("soc.cedarschema")};
    }
    p.escalate_below_confidence = 0.6;
    Result<Boundary> b = Boundary::Compile(p);
    if (!b.ok()) std::abort();
    trust::TrustSnapshot s;
    s.tier = pact::Tier::kGold;
    s.autonomy = pact::Autonomy::kSupervised;
    s.capability.measured = s.reputation.measured = true;
    s.capability.value = 890;
    s.capability.lower_bound = 850;
    s.reputation.value = 700;
    s.reputation.lower_bound = 650;

    DecideRequest isolate;
    isolate.agent = "triage-bot-7";
    isolate.workflow = "alert_triage";
    isolate.action = "isolate_host";
    isolate.resource = {"Host", "ws-042",
                        Json{{"hostname", "ws-042.corp"}, {"crown_jewel", false}}};
    isolate.context = Json{{"input", {{"host", "ws-042.corp"}, {"reason", "beaconing to C2"}}}};
    isolate.confidence = 0.87;
    DecideRequest close = isolate;
    close.action = "close_alert";
    close.resource = {"Alert", "a-9917", Json{{"priority", "High"}, {"severity", 7}}};
    close.context = Json{{"input", {{"verdict", "benign"}}}};
    return Setup{std::move(p), std::move(*b), s, std::move(isolate), std::move(close)};
  };
  static Setup with = make(true), without = make(false);
  return with_schema ? with : without;
}

void Run(benchmark::State& state, bool schema, bool escalate) {
  Setup& s = Get(schema);
  const DecideRequest& r = escalate ? s.close_high : s.isolate;
  FastSampler sampler;
  for (auto _ : state) {
    Result<Decision> d = Decide(s.boundary, s.pact, s.snapshot, r, sampler);
    benchmark::DoNotOptimize(d);
  }
}

void BM_Decide_Allow_Schema(benchmark::State& state) {
  Run(state, true, false);
}
void BM_Decide_Escalate_Schema(benchmark::State& state) {
  Run(state, true, true);
}
void BM_Decide_Allow_NoSchema(benchmark::State& state) {
  Run(state, false, false);
}
BENCHMARK(BM_Decide_Allow_Schema);
BENCHMARK(BM_Decide_Escalate_Schema);
BENCHMARK(BM_Decide_Allow_NoSchema);

// Per-call latency: each call timed alone (steady_clock adds ~20-30 ns per sample).
void Percentiles(benchmark::State& state, bool schema) {
  Setup& s = Get(schema);
  FastSampler sampler;
  constexpr int kCalls = 200'000;
  std::vector<double> ns;
  ns.reserve(kCalls);
  for (auto _ : state) {
    ns.clear();
    for (int i = 0; i < kCalls; ++i) {
      const DecideRequest& r = (i % 4 == 3) ? s.close_high : s.isolate;
      auto t0 = std::chrono::steady_clock::now();
      Result<Decision> d = Decide(s.boundary, s.pact, s.snapshot, r, sampler);
      auto t1 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(d);
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
  }
  bench::ReportPercentiles(state, ns);
}
void BM_Percentiles_Schema(benchmark::State& state) {
  Percentiles(state, true);
}
void BM_Percentiles_NoSchema(benchmark::State& state) {
  Percentiles(state, false);
}
BENCHMARK(BM_Percentiles_Schema)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Percentiles_NoSchema)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pactum::control
